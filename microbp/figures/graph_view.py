"""Draw a computational graph as Graphviz DOT, annotated for teaching.

Every value is a box with its name (its label, or a short generated one the
lecture captions use too) over its ``data`` and ``grad`` (stacked, so that a
left-to-right graph is not a thin strip on a screen); every operation a small node
with the op table's symbol; every edge into an operation carries its local
derivative ∂out/∂in, underlined with a line to its edge, so "local × upstream"
can be read off the picture.
Constants (the ``2`` in ``2 * x``) are plain numbers in dashed boxes. Needs the
``graphviz`` Python package, but never the ``dot`` executable.

>>> from microbp import Value, draw
>>> x = Value(0.2, label="x")
>>> y = (3 * x).tanh(); y.label = "y"
>>> edges = [line.strip() for line in draw(y).source.splitlines() if "->" in line]
>>> edges    # op -> its value; constant 3 -> ×; x -> × with ∂(3x)/∂x = 3; ...
['n1op -> n1', 'n1c0 -> n1op [style=dashed]', 'n0 -> n1op [label=<3> decorate=true]', 'n2op -> n2', 'n1 -> n2op [label=<0.7116> decorate=true]']
"""

from __future__ import annotations

import html
import weakref

from ..core.graph import NOT_COMPUTED, Graph
from ..text.naming import node_names
from ..text.plural import count
from .collapse import check_size, collapsed_boxes, span
from .labels import TITLE_LIMIT, label_text
from .themes import THEMES

CELLS = ("data", "grad", "local")
MAX_DRAW_NODES = 200
"""draw, render and lecture frames: value nodes drawn (after collapsing); more is unreadable and slow for dot."""


def draw_graph(graph: Graph, options, instead=lambda graph: ""):
    """The graph view of ``graph``: every value and operation (``microbp.draw(root, view="graph")``).

    ``options`` is a ``microbp.figures.options.DrawOptions``, checked already; a drawing too large
    for ``options.max_nodes`` is refused here, with ``GraphTooLargeError``, and ``instead(graph)``
    saying how other views would draw it.
    """
    import graphviz

    order, root = graph.order, graph.root
    boxes = collapsed_boxes(graph, options.collapse)
    check_size(graph, boxes, options.collapse, options.max_nodes, instead=instead)
    style = THEMES[options.theme] if options.fontsize is None else {**THEMES[options.theme],
                                                                     "fontsize": options.fontsize}
    marked = set(options.highlight) | _path_nodes(order, options.highlight_path)
    grads = options.grads
    if grads is None and root.grad is not NOT_COMPUTED:   # backward has run: show the graph's own gradients
        grads = {node: node.grad for node in order}
    if options.tangents is not None:                      # forward mode: the tangents, in the gradients' cell
        grads = options.tangents
    fills = _grad_colors(order, grads, style) if options.color_by_grad and grads else {}
    context = _Context(order, boxes, style, options, marked, fills, grads, node_names(graph))
    context.units = _unit_groups(graph)
    attributes = _graph_attributes(style, options.rankdir or "LR", options.title, options.size)
    dot = graphviz.Digraph("microbp", graph_attr=attributes, node_attr=_node_attributes(style),
                           edge_attr=_edge_attributes(style))
    context.add_nodes()
    context.emit(dot, ())
    for tail, head, edge in context.edges:
        dot.edge(tail, head, **edge)
    return dot


class _Context:
    """What one drawing needs: ids, styles and the statements grouped by scope."""

    def __init__(self, order, boxes, style, options, marked, fills, grads, names):
        self.order, self.boxes, self.style, self.show, self.names = order, boxes, style, options.show, names
        self.number_format, self.marked, self.fills = options.number_format, marked, fills
        self.grads = grads                      # None: no gradient computed yet, every grad shows "?"
        self.grad_word = "grad" if options.tangents is None else "tangent"     # what the second number is
        self.unknown_data, self.unknown_grads = options.unknown_data, options.unknown_grads
        self.ids = {node: f"n{i}" for i, node in enumerate(order)}    # counter in topological order
        self.members: dict[tuple, list] = {(): []}                      # scope path -> node statements
        self.children: dict[tuple, list] = {(): []}                     # scope path -> inner paths
        self.edges: list = []
        self.drawn_box_edges: set = set()
        self.placed_boxes: set = set()
        self.shared_constants: dict = {}        # id of an input list's float -> its DOT id: drawn once
        self.cluster_count = 0
        self.units: dict = {}                   # node -> ("unit 3",) where one scope holds several units

    def path_of(self, node) -> tuple:
        """The clusters a node is drawn in: its scopes, and its unit where a scope holds several."""
        return _scope_path(node) + self.units.get(node, ())

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
        name, path, members, _ = self.boxes[node]
        if name not in self.placed_boxes:
            self.placed_boxes.add(name)
            marked = any(member in self.marked for member in members)
            label = "<" + "<BR/>".join(self.box_lines(path, members)) + ">"
            self.place(path[:-1], name, label, {"shape": "box3d", "style": "filled",
                                                 "fillcolor": self.style["op_fill"],
                                                 **({"color": self.style["highlight"], "penwidth": "3"}
                                                    if marked else {})})

    def box_lines(self, path, members) -> list:
        """What a collapsed box holds: its units (or operations) and parameters, and its outputs."""
        inner = {member.scope[len(path)] for member in members if member.scope and len(member.scope) > len(path)}
        computed = sum(1 for member in members if member.op is not None)
        parts = [count(len(inner), "unit") if len(inner) > 1 else count(computed, "operation"),
                 count(len(members) - computed, "parameter")]
        outputs = self.boxes[members[-1]].outputs
        lines = [f"<B>{label_text(path[-1])}</B>: " + ", ".join(part for part in parts if part),
                 ("output " if len(outputs) == 1 else "outputs ") + label_text(span([self.names[o] for o in outputs]))]
        return lines + (self.numbers(outputs[0]) if len(outputs) == 1 else [])

    def numbers(self, node) -> list:
        """``data`` and ``grad`` as the options ask (``?`` where not known yet)."""
        cells, unknown = [], '<FONT COLOR="{}">{} ?</FONT>'.format
        if "data" in self.show:
            cells.append(unknown(self.style["muted"], "data") if node in self.unknown_data
                         else f"data {self.number(node.data)}")
        if "grad" in self.show:
            known = self.grads is not None and node not in self.unknown_grads
            cells.append(f"{self.grad_word} {self.number(self.grads[node])}" if known
                         else unknown(self.style["muted"], self.grad_word))
        return cells

    def add_value(self, node) -> None:
        self.place(self.path_of(node), self.ids[node], self.value_label(node), {})

    def value_label(self, node) -> str:
        style, marked = self.style, node in self.marked
        fill = self.fills.get(node, style["leaf_fill"] if node.op is None else style["value_fill"])
        border = style["highlight"] if marked else style["value_border"]
        cells = [f"<B>{label_text(self.names[node])}</B>"] + self.numbers(node)
        rows = "".join(f"<TR><TD>{cell}</TD></TR>" for cell in cells)    # stacked: narrow boxes suit a screen
        return (f'<<TABLE BORDER="0" CELLBORDER="{3 if marked else 1}" CELLSPACING="0" CELLPADDING="3" '
                f'BGCOLOR="{fill}" COLOR="{border}">{rows}</TABLE>>')

    def add_operation(self, node) -> None:
        """The op's own node, its constants, and the edges through it (unless inside a box)."""
        op_id, style = self.ids[node] + "op", self.style
        inside_box = node in self.boxes
        if not inside_box:
            color = style["highlight"] if node in self.marked else style["op_border"]
            self.place(self.path_of(node), op_id, f"<{html.escape(node.op.symbol)}>",
                       {"shape": "ellipse", "style": "filled", "fillcolor": style["op_fill"], "color": color,
                        "margin": "0.04,0.02", "width": "0.4", "height": "0.3"})
            self.edges.append((op_id, self.ids[node], self.edge_style(node, node)))
        for position, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            if type(parent) is float:
                if node.op.arity is None:        # one of a list of inputs, as a neuron's: drawn once
                    self.add_shared_constant(node, position, parent)
                elif not inside_box:
                    self.add_constant(node, position, parent, op_id)
            elif inside_box or parent in self.boxes:
                self.add_box_edge(parent, node)
            else:
                attributes = self.edge_style(parent, node)
                if "local" in self.show and node not in self.unknown_data:     # on its edge, a line to it
                    attributes.update(label=f"<{self.number(local)}>", decorate="true")
                self.edges.append((self.ids[parent], op_id, attributes))

    def add_constant(self, node, position: int, constant: float, op_id: str) -> None:
        name = f"{self.ids[node]}c{position}"
        self.place(self.path_of(node), name, f"<{self.number(constant)}>",
                   {"shape": "box", "style": "dashed,rounded", "fontcolor": self.style["constant_text"]})
        self.edges.append((name, op_id, {"style": "dashed"}))

    def add_shared_constant(self, node, position: int, constant: float) -> None:
        """A constant of an n-ary node, drawn once for all the nodes that share it (the same float)."""
        name = self.shared_constants.get(id(constant))
        if name is None:
            name = self.shared_constants[id(constant)] = f"{self.ids[node]}c{position}"
            self.place((), name, f"<{html.escape(self.number(constant))}>",
                       {"shape": "box", "style": "dashed,rounded", "fontcolor": self.style["constant_text"]})
        head = self.endpoint(node) if node in self.boxes else self.ids[node] + "op"
        if (name, head) not in self.drawn_box_edges:
            self.drawn_box_edges.add((name, head))
            self.edges.append((name, head, {"style": "dashed"}))

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
                cluster.attr(label=f"<{label_text(inner[-1])}>", color=self.style["cluster"],
                             fontcolor=self.style["muted"], style="rounded", labelloc="t")
                self.emit(cluster, inner)


_UNIT_GROUPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _unit_groups(graph: Graph) -> dict:
    """node -> (its unit's name,), for the units of a network that share a scope with other units
    (a hand-built layer), so that each unit's nodes are drawn together; {} for a graph that is no network.
    Read once per graph: a lecture draws the same graph once per frame."""
    if graph not in _UNIT_GROUPS:
        _UNIT_GROUPS[graph] = _read_unit_groups(graph)
    return _UNIT_GROUPS[graph]


def _read_unit_groups(graph: Graph) -> dict:
    from ..errors import NotANetworkError
    from ..network.model import Network

    if not any(node.scope for node in graph.order):
        return {}
    try:
        units = Network.of(graph).units
    except NotANetworkError:
        return {}
    sharing = [unit for unit in units if sum(other.path == unit.path for other in units) > 1]
    return {node: (f"unit {unit.index}",) for unit in sharing for node in unit.nodes} if len(units) > 1 else {}


def _scope_path(node) -> tuple:
    """The names of the scopes a node was made in, outermost first; () outside any scope."""
    return node.scope or ()


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


def _graph_attributes(style, rankdir, title, size=None) -> dict:
    attributes = {"rankdir": rankdir, "bgcolor": style["background"], "fontname": style["fontname"],
                  "fontcolor": style["text"], "nodesep": "0.3", "ranksep": "0.3"}
    if size is not None:
        attributes["size"] = "{:g},{:g}".format(*size)
    if title:
        attributes.update(label=f"<{label_text(title, TITLE_LIMIT)}>", labelloc="b", fontsize=str(style["fontsize"] + 2))
    return attributes


def _node_attributes(style) -> dict:
    return {"shape": "plain", "fontname": style["fontname"], "fontsize": str(style["fontsize"]),
            "fontcolor": style["text"], "color": style["op_border"], "penwidth": str(style["penwidth"])}


def _edge_attributes(style) -> dict:
    return {"color": style["edge"], "fontname": style["fontname"], "fontcolor": style["edge_label"],
            "fontsize": str(style["fontsize"]), "penwidth": str(style["penwidth"]),
            "arrowsize": "0.7"}
