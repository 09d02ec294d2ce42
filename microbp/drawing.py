"""Drawing a graph through its view: ``draw`` (a ``graphviz.Digraph``) and ``render`` (a file).

Both read their options once (``microbp.figures.options``), choose the view once
(``microbp.lecture.views.registry``) and ask it for the picture; ``render`` then runs
``dot`` (``microbp.figures.render``) and writes the file atomically.

>>> import os, tempfile
>>> from microbp import Value
>>> path = render(Value(2.0) * 3, os.path.join(tempfile.mkdtemp(), "graph.dot"))
>>> open(path).read().startswith("digraph microbp")
True
"""

from __future__ import annotations

import inspect
import os
from dataclasses import fields
from pathlib import Path

from .core.graph import Graph
from .figures.options import DrawOptions
from .figures.render import FORMATS, image_bytes
from .files import output_file, write_atomically
from .lecture.views.registry import resolve_view


def draw(root, *, view: str = "auto", **options):
    """The graph that ``root`` was computed from, as a ``graphviz.Digraph``.

    Args (all by keyword but ``root``; one checked ``microbp.figures.options.DrawOptions`` holds them):
        root: the output value (or its ``microbp.Graph``).
        view: ``"graph"``, every value and operation; ``"network"``, one circle per unit
            of a network (``microbp.network.model``): its parameters on the edges; ``"layers"``, one
            box per layer of a network, its weight matrices on the edges; or ``"auto"`` (the default),
            the network view for a network of two units or more (the layers view where more than 12
            weights enter a layer), the graph view otherwise or when an option only the graph view
            draws is given (``microbp.lecture.views.registry``).
        rankdir: ``"LR"`` (left to right, the graph's default) or ``"TB"`` (top to bottom);
            the network view picks the one that suits a 16:9 screen.
        show: which annotations to draw, any of ``"data"``, ``"grad"``, ``"local"``.
        number_format: a format spec for floats (default 4 significant digits); it must give
            numbers, so ``".2f"`` or ``".3e"``, not ``"<>12"``; widths and precisions at most 100.
        theme: ``"light"``, ``"dark"`` or ``"print"`` (grayscale, large type).
        color_by_grad: fill values by the sign and size of their gradient.
        highlight: values to outline.
        highlight_path: a leaf; outline every node and edge on its paths to ``root``.
        collapse: draw each scope at this depth (1 = outermost) as a single box.
        max_nodes: refuse graphs with more value nodes than this (after collapsing).
        title: a caption drawn under the graph.
        fontsize: the type size in points (default: the theme's).
        size: the largest size of the drawing in inches, ``(width, height)``; Graphviz scales it down
            to fit (``None``: its natural size).
        grads: gradients to show instead of each node's ``.grad`` (``microbp.Graph(root).gradients``).
        unknown_data: values whose ``data`` is drawn as ``?`` (not computed yet, as in a lecture frame).
        unknown_grads: values whose ``grad`` is drawn as ``?``.
        notation: the network view's names (``microbp.network.notation``): ``"walkthrough"`` (the
            default: y, x, w, E), ``"textbook"`` (x, z, a, L) or ``"labels"`` (the values' own); the
            same names as the lecture's captions. The graph view refuses any but the default.

    Labels, scope names and the title are drawn as written, escaped; control
    characters show as symbols (``\\x01`` as ``␁``, DEL as ``␡``, others as
    ``�``), and text longer than ``LABEL_LIMIT`` (200) characters, or
    ``TITLE_LIMIT`` (1000) for the title, is cut short with ``…``.

    Raises:
        GraphTooLargeError: over ``max_nodes``; says how to raise the limit, collapse, or draw the
            network view; its ``nodes`` and ``limit`` attributes hold the numbers.
        ValueError: an option is not one of its allowed values.
        TypeError: an option that ``draw`` does not take.

    >>> from microbp import Value
    >>> a = Value(1.0, label="a")
    >>> draw(a * a).source.count("->")     # a feeds × twice, × feeds its output
    3
    """
    drawing = DrawOptions.checked("draw", **options)
    graph = _graph(root, "draw")
    chosen = resolve_view(view, graph, "draw", options)
    chosen.check(graph, drawing, "draw")
    return chosen.draw(graph, drawing)


def _signature() -> inspect.Signature:
    """``draw``'s signature as ``help`` shows it: the root, the view, and ``DrawOptions``' fields with their defaults."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    return inspect.Signature([inspect.Parameter("root", inspect.Parameter.POSITIONAL_OR_KEYWORD),
                              inspect.Parameter("view", keyword, default="auto", annotation="str")]
                             + [inspect.Parameter(field.name, keyword, default=field.default, annotation=field.type)
                                for field in fields(DrawOptions)])


draw.__signature__ = _signature()


def _graph(root, caller: str) -> Graph:
    try:
        return Graph.of(root)
    except TypeError:
        raise TypeError(f"{caller}(root) needs a Value, got {root!r} ({type(root).__name__})") from None



def render(root, path, **options) -> str:
    """Draw ``root``'s graph to ``path``; the format comes from the extension.

    Args:
        root: the output value.
        path: ``*.svg``, ``*.png``, ``*.pdf`` or ``*.dot`` (DOT needs no Graphviz install).
        **options: passed to ``microbp.draw`` (``theme``, ``rankdir``, ``collapse``, ...).

    Returns:
        The path written, as a string.

    Raises:
        ValueError: the extension is not one of the formats (checked before anything is drawn).
        OutputError: the path is a folder, in a folder that cannot be made or written, read-only,
            or the disk refuses the file (checked before drawing where possible).
        GraphvizNotFoundError: ``dot`` is not installed.
        DotFailedError: ``dot`` could not render the graph.

    Nothing is written when it fails, and a file it replaces keeps its permissions.

    >>> import os, tempfile
    >>> from microbp import Value
    >>> path = render(Value(2.0, label="x").tanh(), os.path.join(tempfile.mkdtemp(), "x.dot"))
    >>> path.endswith("x.dot")
    True
    """
    fmt = Path(os.fsdecode(path)).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"render: cannot tell the format from {os.fsdecode(path)!r}; "
                         f"end the file name with one of {', '.join('.' + f for f in FORMATS)}")
    path = output_file(path, "render", example=f"graph.{fmt}")
    picture = draw(root, **options)
    content = picture.source.encode("utf-8") if fmt == "dot" else image_bytes(picture, fmt)
    write_atomically(path, content, "render")
    return str(path)
