"""One step of a lecture, whichever view made it: what it covers, computes and says.

In Jupyter a step made by ``microbp.steps`` shows as its frame with its caption
(``_repr_html_``); its ``repr`` stays one short line.

>>> step = Step(0, "forward", ["x"], "y = 2 × x = 2", 2.0)
>>> step.node, step.terms, step.keys
('x', [], ())
>>> step
Step(0, 'forward', 'y = 2 × x = 2')
"""

from __future__ import annotations

import html
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
    picture: object = field(default=None, repr=False, compare=False)   # () -> its frame, set by steps()

    def __repr__(self) -> str:
        last = self.caption.splitlines()[-1] if self.caption else ""
        return f"Step({self.index}, {self.phase!r}, {last[:70] + ('…' if len(last) > 70 else '')!r})"

    def _repr_html_(self) -> str:
        """Jupyter shows a step as its frame (SVG, when Graphviz is installed) above its caption."""
        caption = f'<pre style="white-space: pre-wrap">{html.escape(self.caption)}</pre>'
        if self.picture is None:
            return f"<div><b>{html.escape(self.phase)}</b>{caption}</div>"
        from ..errors import GraphvizNotFoundError
        from ..figures.render import image_bytes
        try:
            svg = image_bytes(self.picture(), "svg").decode("utf-8")
        except GraphvizNotFoundError:
            return f"<div><b>{html.escape(self.phase)}</b>{caption}</div>"
        return f"<figure>{svg[svg.index('<svg'):]}<figcaption>{caption}</figcaption></figure>"

    @property
    def node(self):
        return self.nodes[-1]
