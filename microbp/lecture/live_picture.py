"""The live page's picture: the view's SVG, with each number that shows a node's value or gradient marked.

A view draws numbers, not nodes, so the numbers are found by drawing twice:
once with the real values, once with every node's value and gradient
replaced by a distinct marker number (``1.001e-05``, ``1.002e-05``, ...),
and each local derivative stored in a node (drawn on the graph view's edges)
by another. Graphviz writes the same text elements in the same order both
times; where the marked drawing shows node *i*'s marker, the real drawing
shows node *i*'s number, and that stretch becomes
``<tspan data-node="i" data-kind="data">`` (``grad``; ``local`` with
``data-arg``), which the page rewrites as values change. A text that changed
between the drawings but shows no marker is marked ``class="derived"``: the
page greys it out once the values change.

>>> from microbp import Value
>>> x = Value(0.5, label="x"); y = (x * x).exp(); y.label = "y"; y.backward()
>>> svg = live_svg(y, "auto", "live")
>>> svg.count('data-kind="data"') >= 2, svg.count('data-kind="grad"') >= 2
(True, True)
"""

from __future__ import annotations

import html
import re

from ..core.engine import Value
from ..core.graph import Graph
from ..core.local_grads import set_local_grads
from ..errors import GraphTooLargeError
from ..figures.options import DrawOptions
from .views.registry import resolve_view

NUMBER_FORMAT = ".4g"
KINDS = ("data", "grad")
LOCAL_BASE = 1e-6
TEXT = re.compile(r"(<text\b[^>]*>)(.*?)(</text>)", re.DOTALL)
MAX_MARKED_NODES = 4000    # markers 1.001e-05 ... 9.999e-05 stay distinct at four digits


def marker(index: int, kind: str) -> float:
    """The stand-in number of node ``index``'s value (``"data"``) or gradient (``"grad"``).

    >>> format(marker(0, "data"), NUMBER_FORMAT), format(marker(0, "grad"), NUMBER_FORMAT)
    ('1.001e-05', '5.001e-05')
    """
    base = LOCAL_BASE if kind == "local" else 1e-5
    return (1001 + index + (4000 if kind == "grad" else 0)) / 1000 * base


def live_svg(root: Value, view: str, caller: str) -> str:
    """The SVG of ``root`` as ``view`` draws it, every shown value and gradient marked for the page.

    The nodes' values, gradients and local derivatives are as they were when it returns."""
    graph = Graph.of(root, f"{caller}(root)")
    if len(graph.order) > MAX_MARKED_NODES:
        raise GraphTooLargeError(f"{caller}: a live page marks at most {MAX_MARKED_NODES} nodes in its picture "
                                 f"(four digits of markers), this graph has {len(graph.order)}; make a smaller "
                                 "example", None, len(graph.order), MAX_MARKED_NODES)
    saved = [(node.data, node.grad, node.local_grads) for node in graph.order]
    edges = [(i, k) for i, node in enumerate(graph.order) for k in range(len(node.local_grads))][:8998]
    try:
        for node in graph.order:            # the real drawing shows this pass's gradients
            node.grad = 0.0
        root.backward()
        real = _draw(graph, view, caller)
        for i, node in enumerate(graph.order):
            node.data, node.grad = marker(i, "data"), marker(i, "grad")
        _set_locals(graph.order, edges, lambda number: marker(number, "local"))
        marked = _draw(graph, view, caller)
    finally:
        for node, (data, grad, _) in zip(graph.order, saved):
            node.data, node.grad = data, grad
        _set_locals(graph.order, edges, lambda number: saved[edges[number][0]][2][edges[number][1]])
    shown = {**{(i, kind, ""): saved[i][k] for i in range(len(saved)) for k, kind in enumerate(KINDS)},
             **{(i, "local", f' data-arg="{k}"'): saved[i][2][k] for i, k in edges}}
    return _merge(real, marked, edges, {key: format(number, NUMBER_FORMAT) for key, number in shown.items()})


def _set_locals(order: list, edges: list, local) -> None:
    """Store ``local(edge number)`` as each node's ∂node/∂parent (the edges of ``edges`` only)."""
    by_node: dict = {}
    for number, (i, k) in enumerate(edges):
        by_node.setdefault(i, {})[k] = local(number)
    for i, locals_ in by_node.items():
        node = order[i]
        set_local_grads(node, [locals_.get(k, old) for k, old in enumerate(node.local_grads)])


def _draw(graph: Graph, view: str, caller: str) -> str:
    from ..figures.render import image_bytes

    chosen = resolve_view(view, graph.root, caller)
    return image_bytes(chosen.draw(graph, DrawOptions(number_format=NUMBER_FORMAT)), "svg").decode("utf-8")


def _merge(real: str, marked: str, edges: list, shown: dict) -> str:
    """``real`` with the numbers that ``marked`` shows as markers wrapped in ``<tspan>``s.

    ``shown`` maps (node, kind, arg attribute) to the number as drawn: the tspans' text until the page runs."""
    markers = {format(marker(i, kind), NUMBER_FORMAT): (i, kind, "") for i, kind, arg in shown if kind != "local"}
    markers.update({format(marker(n, "local"), NUMBER_FORMAT): (i, "local", f' data-arg="{k}"')
                    for n, (i, k) in enumerate(edges)})
    pattern = re.compile("|".join(re.escape(text) for text in sorted(markers, key=len, reverse=True)))
    marked_texts = [match.group(2) for match in TEXT.finditer(marked)]
    real_texts = list(TEXT.finditer(real))
    if len(marked_texts) != len(real_texts):
        return real                   # the two drawings differ in shape: leave the picture as drawn
    pieces, end = [], 0
    for marked_text, match in zip(marked_texts, real_texts):
        pieces.append(real[end:match.start()])
        pieces.append(_marked_text(match, html.unescape(marked_text), pattern, markers, shown))
        end = match.end()
    return "".join(pieces) + real[end:]


def _marked_text(match, marked_text: str, pattern, markers: dict, shown: dict) -> str:
    """One ``<text>``: its markers as tspans over the real numbers, or ``class="derived"`` if it changed
    otherwise: a text whose words, too, depend on the numbers (the layers view's largest dE/dw names its weight)."""
    opening, real_text, closing = match.group(1), html.unescape(match.group(2)), match.group(3)
    found = list(pattern.finditer(marked_text))
    if not found:
        changed = real_text != marked_text
        return (opening[:-1] + ' class="derived">' if changed else opening) + match.group(2) + closing
    words = "(.+?)".join(re.escape(text) for text in pattern.split(marked_text))
    if not re.fullmatch(words, real_text, flags=re.DOTALL):     # its words depend on the numbers too
        return opening[:-1] + ' class="derived">' + match.group(2) + closing   # ("largest: w₁₉,₃₄ = …")
    parts, start = [], 0
    for hit in found:
        parts.append(html.escape(marked_text[start:hit.start()]))
        index, kind, arg = markers[hit.group(0)]
        drawn = html.escape(shown[(index, kind, arg)])
        parts.append(f'<tspan class="cell" data-node="{index}" data-kind="{kind}"{arg}>{drawn}</tspan>')
        start = hit.end()
    parts.append(html.escape(marked_text[start:]))
    return opening + "".join(parts) + closing
