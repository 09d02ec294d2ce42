"""How to give a lecture: one frozen object, checked once where the user gave it.

It holds the drawing options of every frame (``microbp.figures.options``), the
order of the backward steps, the learning rate of the weight updates, whether a
frame carries its caption as its title, the most a lecture may draw, whether
local derivatives are simplified (``derivatives="simplified"``, as a textbook
writes them) or the table's product as computed (``"chain"``), the network's
names (``notation``: ``microbp.network.notation``) and the optimizer whose
update the last frames show (``optimizer``: a name such as ``"adam"`` or an
optimizer from ``microbp.optim``).

>>> lecture = LectureOptions.checked("steps", "layers", theme="dark")
>>> lecture.order, lecture.drawing.theme, lecture.max_elements
('layers', 'dark', 50000)
>>> LectureOptions.checked("steps", "layers", order="sideways")
Traceback (most recent call last):
  ...
ValueError: steps: order must be one of 'layers', 'reverse-topological', got 'sideways'
"""

from __future__ import annotations

from dataclasses import dataclass

from ..figures.options import DrawOptions
from .workload import MAX_LECTURE_ELEMENTS

ORDERS = ("layers", "reverse-topological")
DERIVATIVES = ("simplified", "chain")      # local derivatives simplified by sympy, or the table's product as is
MODES = ("reverse", "forward")


@dataclass(frozen=True)
class LectureOptions:
    """What a lecture's steps and frames depend on, besides the graph and the view."""

    drawing: DrawOptions
    order: str
    learning_rate: float | None = 0.1
    captions: bool = True
    max_elements: int = MAX_LECTURE_ELEMENTS
    derivatives: str = "simplified"
    optimizer: object = None
    mode: str = "reverse"           # "forward": values and tangents, node by node (microbp.lecture.tangent_steps)
    seed: object = None             # forward mode: the leaf that moves at speed 1

    @property
    def collapse(self) -> int | None:
        return self.drawing.collapse

    @property
    def number_format(self) -> str:
        return self.drawing.number_format

    @property
    def notation(self) -> str:
        """The network's names (``microbp.network.notation``): the frames' and the captions' alike."""
        return self.drawing.notation

    @classmethod
    def checked(cls, caller: str, default_order: str, *, order: str | None = None,
                learning_rate: float | None = 0.1, captions: bool = True, max_elements: int = MAX_LECTURE_ELEMENTS,
                derivatives: str = "simplified", notation: str = "walkthrough", optimizer=None,
                mode: str = "reverse", seed=None,
                **drawing) -> LectureOptions:
        """The options ``caller`` was given, each checked; ``order`` is the view's ``default_order`` if left out."""
        if order is not None:
            _check_choice(caller, "order", order, ORDERS)
        _check_choice(caller, "mode", mode, MODES)
        if isinstance(max_elements, bool) or not isinstance(max_elements, int) or max_elements < 1:
            raise ValueError(f"lecture: max_elements must be a positive int, got {max_elements!r}")
        if learning_rate is not None and (isinstance(learning_rate, bool)
                                          or not isinstance(learning_rate, (int, float))):
            raise ValueError(f"{caller}: learning_rate is a number, or None for no weight updates, "
                             f"got {learning_rate!r}")
        _check_choice(caller, "derivatives", derivatives, DERIVATIVES)
        if optimizer is not None:
            from ..update_rules.writing import rule_for
            rule_for(caller, optimizer)
        return cls(DrawOptions.checked(caller, notation=notation, **drawing), order or default_order, learning_rate,
                   bool(captions), max_elements, derivatives, optimizer, mode, seed)


def _check_choice(caller: str, name: str, value, choices: tuple) -> None:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{caller}: {name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
