"""How to draw a graph: one frozen object, checked once where the user gave it.

``DrawOptions.checked`` reads ``microbp.draw``'s keyword arguments and refuses a
bad one with a message naming it; nothing below changes the object. A lecture
frame that shows less (``?`` for what is not computed yet) or highlights a step
makes its own copy with ``dataclasses.replace``.

>>> options = DrawOptions.checked("draw", theme="dark", show=("data",))
>>> options.theme, options.show, options.rankdir
('dark', ('data',), None)
>>> DrawOptions.checked("draw", theme="neon")
Traceback (most recent call last):
  ...
ValueError: draw: theme must be one of ['dark', 'light', 'print'], got 'neon'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from ..network.notation import check_notation
from .graph_view import CELLS, MAX_DRAW_NODES
from .themes import THEMES


@dataclass(frozen=True)
class DrawOptions:
    """``microbp.draw``'s options (its docstring says what each does), besides the root and the view."""

    rankdir: str | None = None
    show: tuple = CELLS
    number_format: str = ".4g"
    theme: str = "light"
    color_by_grad: bool = False
    highlight: frozenset = frozenset()
    highlight_path: object = None
    collapse: int | None = None
    max_nodes: int = MAX_DRAW_NODES
    title: str | None = None
    grads: dict | None = None
    unknown_data: frozenset = frozenset()
    unknown_grads: frozenset = frozenset()
    fontsize: float | None = None
    size: tuple | None = None
    tangents: dict | None = None    # forward mode: each node's tangent, drawn where its gradient would be
    notation: str = "walkthrough"   # a network's names (microbp.network.notation); the network view's

    @classmethod
    def checked(cls, caller: str, **given) -> DrawOptions:
        """The options ``caller`` was given, each checked; an unknown name is a TypeError, as in Python."""
        unknown = set(given) - NAMES
        if unknown:
            raise TypeError(f"{caller}() got an unexpected keyword argument {min(unknown)!r}; "
                            f"it takes {', '.join(sorted(NAMES))}")
        options = {**given, **{name: frozenset(given[name]) for name in SETS if name in given}}
        _check_choices(caller, options.get("rankdir") or "LR", options.get("show", CELLS),
                       options.get("theme", "light"), options.get("collapse"), options.get("max_nodes", MAX_DRAW_NODES))
        _check_sizes(caller, options.get("fontsize"), options.get("size"))
        _check_number_format(caller, options.get("number_format", ".4g"))
        check_notation(caller, options.get("notation", "walkthrough"))
        return cls(**{**options, "show": tuple(options.get("show", CELLS))})


    def picture_settings(self) -> dict:
        """What a network's picture (circles, or a box per layer) reads of these options, by its keywords."""
        return {"rankdir": self.rankdir, "number_format": self.number_format, "theme": self.theme,
                "title": self.title, "grads": self.grads, "fontsize": self.fontsize, "size": self.size}


NAMES = frozenset(field.name for field in fields(DrawOptions))
SETS = ("highlight", "unknown_data", "unknown_grads")


def _check_choices(caller, rankdir, show, theme, collapse, max_nodes) -> None:
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"{caller}: rankdir must be 'LR' or 'TB' (or 'RL', 'BT'), got {rankdir!r}")
    if isinstance(show, str) or not all(isinstance(cell, str) for cell in show) or set(show) - set(CELLS):
        raise ValueError(f"{caller}: show takes a collection of {CELLS}, got {show!r}")
    if not isinstance(theme, str) or theme not in THEMES:
        raise ValueError(f"{caller}: theme must be one of {sorted(THEMES)}, got {theme!r}")
    if collapse is not None and not (isinstance(collapse, int) and collapse >= 1):
        raise ValueError(f"{caller}: collapse is a scope depth (1 = outermost) or None, got {collapse!r}")
    if not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"{caller}: max_nodes must be a positive int, got {max_nodes!r}")


def _check_sizes(caller, fontsize, size) -> None:
    if fontsize is not None and (isinstance(fontsize, bool) or not isinstance(fontsize, (int, float))
                                 or not 4 <= fontsize <= 200):
        raise ValueError(f"{caller}: fontsize is in points, from 4 to 200, got {fontsize!r}")
    if size is not None and not (isinstance(size, (tuple, list)) and len(size) == 2
                                 and all(isinstance(x, (int, float)) and x > 0 for x in size)):
        raise ValueError(f"{caller}: size is (width, height) in inches, both positive, got {size!r}")


NUMBER = re.compile(r"\s*[-+]?\s*(?:[0-9][0-9,_]*\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?%?\s*")


def _check_number_format(caller, number_format) -> None:
    """A format spec must turn a float into a number, of reasonable length: dot reads it as label text."""
    try:
        fits = isinstance(number_format, str) and all(int(n) <= 100 for n in re.findall(r"[0-9]+", number_format))
        shown = [format(x, number_format) for x in (-1234.5678, 0.0)] if fits else [""]
    except ValueError:
        shown = [""]
    if not all(NUMBER.fullmatch(text) for text in shown):
        raise ValueError(f"{caller}: number_format must be a format spec that gives numbers, such as '.4g' or '.2f' "
                         f"(widths and precisions up to 100), got {number_format!r}")
