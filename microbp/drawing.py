"""Draw a computational graph as Graphviz DOT, annotated for teaching.

Every value is a box with its label, ``data`` and ``grad``; every operation a
small node with the op table's symbol; every edge into an operation carries its
local derivative ∂out/∂in, so "local × upstream" can be read off the picture.
Constants (the ``2`` in ``2 * x``) are plain numbers in dashed boxes. Needs the
``graphviz`` Python package, but never the ``dot`` executable.

>>> from microbp import Value
>>> x = Value(0.2, label="x")
>>> y = (3 * x).tanh(); y.label = "y"
>>> edges = [line.strip() for line in draw(y).source.splitlines() if "->" in line]
>>> edges    # op -> its value; constant 3 -> ×; x -> × with ∂(3x)/∂x = 3; ...
['n1op -> n1', 'n1c0 -> n1op [style=dashed]', 'n0 -> n1op [label=<3>]', 'n2op -> n2', 'n1 -> n2op [label=<0.7116>]']
"""

from __future__ import annotations

import html
import re

from .engine import Value, topological_order
from .errors import GraphTooLargeError
from .themes import THEMES

CELLS = ("data", "grad", "local")
LABEL_LIMIT = 200       # characters of a label or scope name drawn; longer ones end in "…"
TITLE_LIMIT = 1000      # characters of a title drawn
# Characters dot cannot take in a label: C0 and C1 controls (but new line and tab), DEL, lone
# surrogates and Unicode noncharacters. They are drawn as visible symbols instead.
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                       + "".join(chr(plane + 0xfffe) + chr(plane + 0xffff) for plane in range(0, 0x110000, 0x10000))
                       + "]")


def draw(root: Value, *, rankdir: str = "LR", show=CELLS, number_format: str = ".4g",
         theme: str = "light", color_by_grad: bool = False, highlight=(), highlight_path=None,
         collapse: int | None = None, max_nodes: int = 500, title: str | None = None,
         grads: dict | None = None, unknown_data=(), unknown_grads=()):
    """The graph that ``root`` was computed from, as a ``graphviz.Digraph``.

    Args:
        root: the output value.
        rankdir: ``"LR"`` (left to right, the default) or ``"TB"`` (top to bottom).
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
        grads: gradients to show instead of each node's ``.grad`` (``microbp.gradients(root)``).
        unknown_data: values whose ``data`` is drawn as ``?`` (not computed yet, as in a lecture frame).
        unknown_grads: values whose ``grad`` is drawn as ``?``.

    Labels, scope names and the title are drawn as written, escaped; control
    characters show as symbols (``\\x01`` as ``␁``, DEL as ``␡``, others as
    ``�``), and text longer than ``LABEL_LIMIT`` (200) characters, or
    ``TITLE_LIMIT`` (1000) for the title, is cut short with ``…``.

    Raises:
        GraphTooLargeError: over ``max_nodes``; says how to raise the limit or collapse
            (its ``nodes`` and ``limit`` attributes hold the numbers).
        ValueError: an option is not one of its allowed values.

    >>> from microbp import Value
    >>> a = Value(1.0, label="a")
    >>> draw(a * a).source.count("->")     # a feeds × twice, × feeds its output
    3
    """
    import graphviz

    if not isinstance(root, Value):
        raise TypeError(f"draw(root) needs a Value, got {root!r} ({type(root).__name__})")
    _check_options(rankdir, show, theme, collapse, max_nodes)
    _check_number_format(number_format)
    order = topological_order(root)
    boxes = _collapsed_boxes(order, collapse)
    _check_size(order, boxes, collapse, max_nodes)
    style = THEMES[theme]
    marked = set(highlight) | _path_nodes(order, highlight_path)
    if grads is None and root.grad != 0:            # backward has run: show the graph's own gradients
        grads = {node: node.grad for node in order}
    fills = _grad_colors(order, grads, style) if color_by_grad and grads else {}
    context = _Context(order, boxes, style, tuple(show), number_format, marked, fills,
                       grads, set(unknown_data), set(unknown_grads))

    graph = graphviz.Digraph("microbp", graph_attr=_graph_attributes(style, rankdir, title),
                             node_attr=_node_attributes(style), edge_attr=_edge_attributes(style))
    context.add_nodes()
    context.emit(graph, ())
    for tail, head, attributes in context.edges:
        graph.edge(tail, head, **attributes)
    return graph


class _Context:
    """What one drawing needs: ids, styles and the statements grouped by scope."""

    def __init__(self, order, boxes, style, show, number_format, marked, fills, grads, unknown_data,
                 unknown_grads):
        self.order, self.boxes, self.style, self.show = order, boxes, style, show
        self.number_format, self.marked, self.fills = number_format, marked, fills
        self.grads = grads                      # None: no gradient computed yet, every grad shows "?"
        self.unknown_data, self.unknown_grads = unknown_data, unknown_grads
        self.ids = {node: f"n{i}" for i, node in enumerate(order)}    # counter in topological order
        self.members: dict[tuple, list] = {(): []}                      # scope path -> node statements
        self.children: dict[tuple, list] = {(): []}                     # scope path -> inner paths
        self.edges: list = []
        self.drawn_box_edges: set = set()
        self.placed_boxes: set = set()
        self.cluster_count = 0

    def number(self, x: float) -> str:
        return html.escape(format(x, self.number_format))

    def endpoint(self, node) -> str:
        """The DOT id a node is drawn as: its own, or its collapsed scope's box."""
        return self.boxes[node][0] if node in self.boxes else self.ids[node]

    def place(self, path: tuple, name: str, label: str, attributes: dict) -> None:
        for depth in range(1, len(path) + 1):
            inner, outer = path[:depth], path[:depth - 1]
            if inner not in self.members:
                self.members[inner], self.children[inner] = [], []
                self.children[outer].append(inner)
        self.members[path].append((name, label, attributes))

    def add_nodes(self) -> None:
        for node in self.order:
            if node in self.boxes:
                self.add_box(node)
            else:
                self.add_value(node)
            if node.op is not None:
                self.add_operation(node)

    def add_box(self, node) -> None:
        name, path, members = self.boxes[node]
        if name not in self.placed_boxes:
            self.placed_boxes.add(name)
            output = members[-1]            # made last: the scope's result
            lines = [f"<B>{_text(path[-1])}</B>", f"{len(members)} nodes"]
            if "data" in self.show:
                lines.append(f"out {self.number(output.data)}")
            if "grad" in self.show and self.grads is not None:
                lines.append(f"grad {self.number(self.grads[output])}")
            label = "<" + "<BR/>".join(lines) + ">"
            self.place(path[:-1], name, label, {"shape": "box3d", "style": "filled",
                                                 "fillcolor": self.style["op_fill"]})

    def add_value(self, node) -> None:
        self.place(_scope_path(node), self.ids[node], self.value_label(node), {})

    def value_label(self, node) -> str:
        style, marked = self.style, node in self.marked
        fill = self.fills.get(node, style["leaf_fill"] if node.op is None else style["value_fill"])
        border = style["highlight"] if marked else style["value_border"]
        cells = []
        if node.label is not None:
            cells.append(f"<B>{_text(node.label)}</B>")
        unknown = '<FONT COLOR="{}">{} ?</FONT>'.format
        if "data" in self.show:
            cells.append(unknown(style["muted"], "data") if node in self.unknown_data
                         else f"data {self.number(node.data)}")
        if "grad" in self.show:
            known = self.grads is not None and node not in self.unknown_grads
            cells.append(f"grad {self.number(self.grads[node])}" if known else unknown(style["muted"], "grad"))
        row = "".join(f"<TD>{cell}</TD>" for cell in cells) or "<TD> </TD>"
        return (f'<<TABLE BORDER="0" CELLBORDER="{3 if marked else 1}" CELLSPACING="0" CELLPADDING="4" '
                f'BGCOLOR="{fill}" COLOR="{border}"><TR>{row}</TR></TABLE>>')

    def add_operation(self, node) -> None:
        """The op's own node, its constants, and the edges through it (unless inside a box)."""
        op_id, style = self.ids[node] + "op", self.style
        inside_box = node in self.boxes
        if not inside_box:
            color = style["highlight"] if node in self.marked else style["op_border"]
            self.place(_scope_path(node), op_id, f"<{html.escape(node.op.symbol)}>",
                       {"shape": "ellipse", "style": "filled", "fillcolor": style["op_fill"], "color": color,
                        "margin": "0.04,0.02", "width": "0.4", "height": "0.3"})
            self.edges.append((op_id, self.ids[node], self.edge_style(node, node)))
        for position, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            if type(parent) is float:
                if not inside_box:
                    self.add_constant(node, position, parent, op_id)
            elif inside_box or parent in self.boxes:
                self.add_box_edge(parent, node)
            else:
                attributes = self.edge_style(parent, node)
                if "local" in self.show and node not in self.unknown_data:
                    attributes["label"] = f"<{self.number(local)}>"
                self.edges.append((self.ids[parent], op_id, attributes))

    def add_constant(self, node, position: int, constant: float, op_id: str) -> None:
        name = f"{self.ids[node]}c{position}"
        self.place(_scope_path(node), name, f"<{self.number(constant)}>",
                   {"shape": "box", "style": "dashed,rounded", "fontcolor": self.style["constant_text"]})
        self.edges.append((name, op_id, {"style": "dashed"}))

    def add_box_edge(self, parent, node) -> None:
        tail = self.endpoint(parent)
        head = self.endpoint(node) if node in self.boxes else self.ids[node] + "op"
        if tail != head and (tail, head) not in self.drawn_box_edges:
            self.drawn_box_edges.add((tail, head))
            self.edges.append((tail, head, {}))

    def edge_style(self, parent, node) -> dict:
        if parent in self.marked and node in self.marked:
            return {"color": self.style["highlight"], "penwidth": "3"}
        return {}

    def emit(self, graph, path: tuple) -> None:
        """Write the nodes of ``path``, then each inner scope as a labelled cluster."""
        for name, label, attributes in self.members[path]:
            graph.node(name, label, **attributes)
        for inner in self.children[path]:
            self.cluster_count += 1
            with graph.subgraph(name=f"cluster_{self.cluster_count}") as cluster:
                cluster.attr(label=f"<{_text(inner[-1])}>", color=self.style["cluster"],
                             fontcolor=self.style["muted"], style="rounded", labelloc="t")
                self.emit(cluster, inner)


def _scope_path(node) -> tuple:
    """The names of the scopes a node was made in, outermost first; () outside any scope."""
    return node.scope.path if node.scope else ()


def _text(text: str, limit: int = LABEL_LIMIT) -> str:
    """User text for an HTML-like label: shown literally (escaped), new lines kept, tabs as spaces.

    >>> _text("a<b\\x00\\nc" + "d" * 300)[:24], len(_text("d" * 300))
    ('a&lt;b␀<BR/>cddddddddddd', 200)
    """
    text = str(text)
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    lines = html.escape(INVISIBLE.sub(_visible, text)).split("\n")
    return "<BR/>".join(" ".join(line.split("\t")) for line in lines)


def _visible(match) -> str:
    """A symbol for a character dot cannot take: ␀ to ␟ for C0 controls, ␡ for DEL, � for the rest."""
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7f else "\ufffd"


def _check_options(rankdir, show, theme, collapse, max_nodes) -> None:
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"draw: rankdir must be 'LR' or 'TB' (or 'RL', 'BT'), got {rankdir!r}")
    unknown = set(show) - set(CELLS)
    if isinstance(show, str) or unknown:
        raise ValueError(f"draw: show takes a collection of {CELLS}, got {show!r}")
    if theme not in THEMES:
        raise ValueError(f"draw: theme must be one of {sorted(THEMES)}, got {theme!r}")
    if collapse is not None and not (isinstance(collapse, int) and collapse >= 1):
        raise ValueError(f"draw: collapse is a scope depth (1 = outermost) or None, got {collapse!r}")
    if not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"draw: max_nodes must be a positive int, got {max_nodes!r}")


NUMBER = re.compile(r"\s*[-+]?\s*(?:[0-9][0-9,_]*\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?%?\s*")


def _check_number_format(number_format) -> None:
    """A format spec must turn a float into a number, of reasonable length: dot reads it as label text."""
    try:
        fits = isinstance(number_format, str) and all(int(n) <= 100 for n in re.findall(r"[0-9]+", number_format))
        shown = [format(x, number_format) for x in (-1234.5678, 0.0)] if fits else [""]
    except ValueError:
        shown = [""]
    if not all(NUMBER.fullmatch(text) for text in shown):
        raise ValueError(f"draw: number_format must be a format spec that gives numbers, such as '.4g' or '.2f' "
                         f"(widths and precisions up to 100), got {number_format!r}")


def _collapsed_boxes(order, collapse) -> dict:
    """node -> (box id, scope path, the scope's nodes) for nodes inside a collapsed scope."""
    if collapse is None:
        return {}
    members: dict[tuple, list] = {}
    for node in order:
        if node.scope is not None and len(node.scope.path) >= collapse:
            members.setdefault(node.scope.path[:collapse], []).append(node)
    return {node: (f"s{i}", path, nodes)
            for i, (path, nodes) in enumerate(members.items()) for node in nodes}


def _check_size(order, boxes, collapse, max_nodes) -> None:
    drawn = len(order) - len(boxes) + len({box[0] for box in boxes.values()})
    if drawn <= max_nodes:
        return
    scopes = {node.scope.path[0] for node in order if node.scope is not None}
    hint = (f", or collapse=1 to draw each of the {len(scopes)} outermost scopes as one box"
            if scopes and collapse is None else "")
    error = GraphTooLargeError(
        f"draw: the graph has {drawn} nodes, over the limit of {max_nodes} (dot would be slow and "
        f"the picture unreadable); pass max_nodes={drawn} to draw it anyway{hint}")
    error.nodes, error.limit = drawn, max_nodes          # for callers that name the limit otherwise
    raise error


def _path_nodes(order, leaf) -> set:
    """Every node on a path from ``leaf`` to the root (order's last node)."""
    if leaf is None:
        return set()
    if leaf not in order:
        raise ValueError("draw: highlight_path must be a value the root depends on")
    on_path = {leaf}
    for node in order:
        if any(parent in on_path for parent in node.parents if type(parent) is not float):
            on_path.add(node)
    return on_path


def _grad_colors(order, grads, style) -> dict:
    """A fill per node: the theme's positive or negative colour, stronger for larger |grad|."""
    largest = max((abs(grads[node]) for node in order), default=0.0)
    if largest == 0 or largest != largest:
        return {}
    base = _rgb(style["value_fill"]) if style["value_fill"].startswith("#") else (255, 255, 255)
    colors = {}
    for node in order:
        grad = grads[node]
        share = min(abs(grad) / largest, 1.0) if grad == grad else 0.0
        target = style["positive"] if grad >= 0 else style["negative"]
        mixed = (round(b + (t - b) * 0.75 * share) for b, t in zip(base, target))
        colors[node] = "#{:02x}{:02x}{:02x}".format(*mixed)
    return colors


def _rgb(color: str) -> tuple:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def _graph_attributes(style, rankdir, title) -> dict:
    attributes = {"rankdir": rankdir, "bgcolor": style["background"], "fontname": style["fontname"],
                  "fontcolor": style["text"], "nodesep": "0.3", "ranksep": "0.4"}
    if title:
        attributes.update(label=f"<{_text(title, TITLE_LIMIT)}>", labelloc="b", fontsize=str(style["fontsize"] + 2))
    return attributes


def _node_attributes(style) -> dict:
    return {"shape": "plain", "fontname": style["fontname"], "fontsize": str(style["fontsize"]),
            "fontcolor": style["text"], "color": style["op_border"], "penwidth": str(style["penwidth"])}


def _edge_attributes(style) -> dict:
    return {"color": style["edge"], "fontname": style["fontname"], "fontcolor": style["muted"],
            "fontsize": str(style["fontsize"] - 2), "penwidth": str(style["penwidth"]),
            "arrowsize": "0.7"}
