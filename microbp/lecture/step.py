"""One step of a lecture, whichever view made it: what it covers, computes and says.

>>> step = Step(0, "forward", ["x"], "y = 2 × x = 2", 2.0)
>>> step.node, step.terms, step.keys
('x', [], ())
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Step:
    """One step of a lecture: which node, which phase, and the caption that explains it.

    ``nodes`` are the graph nodes the step covers (one, or a whole collapsed
    scope); ``value`` is what the step computes (data forward, gradient
    backward); ``terms`` lists the backward contributions as (child, upstream,
    local) with upstream × local summing to ``value``. In the network view,
    ``keys`` name what the step computes and ``uses`` what it reads.
    """

    index: int
    phase: str
    nodes: list
    caption: str
    value: float
    terms: list = field(default_factory=list)
    keys: tuple = ()
    uses: tuple = ()

    @property
    def node(self):
        return self.nodes[-1]
