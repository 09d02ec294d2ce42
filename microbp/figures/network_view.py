"""The network view: one circle per unit, the weights on the edges, the loss last.

Each unit shows its net input ``xⱼ`` and output ``yⱼ`` and, once known, dE/dxⱼ and dE/dyⱼ; each edge its weight
``wᵢⱼ`` and dE/dwᵢⱼ; each input is drawn once; a bias is the weight from a ``1`` beside the layer before; a loss fed
by one output unit is drawn beside it. Where few edges enter a layer (at most twice the units on either side), or
the layers are drawn top to bottom, a weight's dE/dw is written over its number, so the layers stand closer. Top to
bottom, each label is a node on its own edge, a layer's labels in one row in the order of their units: each edge
runs into its label and on, short, to its unit. Every circle holds its text at the drawing's type and at the theme's
(``microbp.figures.text_fit``): a smaller ``fontsize`` is smaller in the same picture. Where more than
``LABELLED_EDGES`` edges enter a layer, their weights would be too many to read: those edges are drawn bare, except
the one weight a lecture step is about, and a note under the picture says so. The direction (left to right, or top
to bottom) is the one that suits a wide screen, unless ``rankdir`` says.

>>> from microbp import Value, scope
>>> y0 = Value(1.0, label="y0"); w = Value(0.5, label="w01")
>>> with scope("layer 1"):
...     y1 = (w * y0).sigmoid()
>>> source = draw_network(y1).source
>>> "w₀₁ 0.5" in source and "x₁" in source and "shape=circle" in source
True
"""

from __future__ import annotations

import html
import math
from collections import Counter

from ..core.graph import NOT_COMPUTED
from ..network.model import Network
from ..text.naming import dotted
from ..text.notation import Style, number
from .labels import label_text
from .network_layout import graph_attributes, keep_in_order, label_on_its_edge, widest_rank
from .text_fit import CELL_PADDING, circle_for_table
from .themes import THEMES

GAP = "\u00a0"          # a no-break space between a name and its number: browsers drop a leading " ", not this
LABELLED_EDGES = 9     # more edges into a layer than this: their weights are too many to read on them


class State:
    """What one picture shows: the quantities known and highlighted, as (kind, part) keys, and any
    weights already updated. ``None`` for ``known`` means everything computed so far."""

    def __init__(self, known=None, highlight=(), updated=None):
        self.known, self.highlight, self.updated = known, set(highlight), updated or {}


def draw_network(root, *, rankdir=None, number_format: str = ".4g", theme: str = "light", title=None,
                 grads=None, fontsize=None, size=None, state: State | None = None, network=None, tangents=None):
    """``root``'s network as a ``graphviz.Digraph`` (the network view's picture: ``draw(root, view="network")``).

    With ``tangents`` (forward mode: node -> its tangent), each value shows its tangent ``ẏ₃`` where
    it would show dE/dy₃, and the loss its tangent ``Ė`` under it.
    """
    import graphviz

    network = network or Network.of(root, number_format)
    style = dict(THEMES[theme])
    style["fontsize"] = fontsize or style["network_fontsize"]
    if grads is None and network.graph.root.grad is not NOT_COMPUTED:
        grads = {node: node.grad for node in network.graph.order}
    rankdir = rankdir or ("LR" if len(network.layers) + 2 >= widest_rank(network) else "TB")
    picture = _Picture(network, style, Style(False, number_format), grads, state or State(), tangents, rankdir)
    dot = graphviz.Digraph("microbp", graph_attr=graph_attributes(style, rankdir, title, size),
                           node_attr={"fontname": style["fontname"], "fontsize": f"{style['fontsize']:g}",
                                      "fontcolor": style["text"], "penwidth": str(style["penwidth"])},
                           edge_attr={"color": style["edge"], "fontname": style["fontname"],
                                      "fontsize": f"{style['fontsize']:g}", "fontcolor": style["edge_label"],
                                      "penwidth": str(style["penwidth"]), "arrowsize": "0.8"})
    picture.draw(dot)
    if any(picture.dense.values()) and not (state and state.known is not None):
        note = f"the weights of layers with over {LABELLED_EDGES} edges are in the captions, not on the edges"
        dot.attr(label=f"<{label_text(title + ' · ' if title else '')}{html.escape(note)}>", labelloc="b")
    return dot


def draw_network_as(network, drawing, **shown):
    """``draw_network`` of ``network`` with a ``DrawOptions``' settings; ``shown`` (a lecture frame's
    ``state``, ``grads``, ``tangents``, ``title``) overrides them."""
    return draw_network(network.graph, network=network, **{**drawing.picture_settings(), **shown})


class _Picture:
    """The DOT statements of one network picture."""

    def __init__(self, network, style, number_style, grads, state, tangents=None, rankdir="LR"):
        self.network, self.style, self.number_style = network, style, number_style
        self.grads, self.state = (grads if tangents is None else tangents), state
        self.forward_mode = tangents is not None
        self.loss_name = network.loss.name if network.loss else network.name(network.units[-1].y)
        self.parts = network.parts
        counts = Counter(weight.unit.layer for weight in network.weights)
        self.dense = {layer: count > LABELLED_EDGES for layer, count in counts.items()}
        ranks = [len(network.inputs)] + [len(layer) for layer in network.layers]
        self.across = across = rankdir in ("TB", "BT")     # a layer's labels side by side: two lines are narrower
        self.narrow = {layer: across or count <= 2 * max(ranks[layer - 1], ranks[layer])
                       for layer, count in counts.items()}
        current = [w.unit.layer for w in network.weights
                   if ("w", w) in state.highlight or ("dw", w) in state.highlight]
        self.lone = {layer: current.count(layer) == 1 for layer in counts}

    def knows(self, key) -> bool:
        if key in self.state.highlight:
            return True
        if self.state.known is not None:
            return key in self.state.known
        return key[0] not in ("dx", "dy", "dw", "dE") or self.grads is not None

    def number(self, x) -> str:
        return str(number(x, self.number_style))

    def row(self, key, name: str, value) -> str:
        """One line of a label: a name and its number, ``?`` if not known yet, shaded if this step's."""
        known = self.knows(key)
        cells = [html.escape(name), html.escape(GAP + (self.number(value()) if known else "?"))]
        if not known:
            cells = [f'<FONT COLOR="{self.style["muted"]}">{cell}</FONT>' for cell in cells]
        fill = f' BGCOLOR="{self.style["highlight_fill"]}"' if key in self.state.highlight else ""
        return f'<TR><TD ALIGN="RIGHT"{fill}>{cells[0]}</TD><TD ALIGN="LEFT"{fill}>{cells[1]}</TD></TR>'

    def table(self, rows) -> str:
        return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="{CELL_PADDING}">' + "".join(rows)
                + "</TABLE>>")

    def gradient(self, node):
        """The gradient of ``node``, when asked (before backward, a typical width for sizing: never shown)."""
        return lambda: self.grads[node] if self.grads is not None else -0.0001234

    def marked(self, keys, color: str | None = None) -> dict:
        """The outline: the highlight's, thick, when the step computes or uses one of ``keys``."""
        if any(key in self.state.highlight for key in keys):
            return {"color": self.style["highlight"], "penwidth": "3"}
        return {"color": color} if color else {}

    def draw(self, dot) -> None:
        network = self.network
        self.unit_size = self.diameter([self.unit_rows(unit) for unit in network.units])
        self.input_size = self.diameter([self.input_rows(item) for item in network.inputs])
        with dot.subgraph(name="inputs") as rank:
            rank.attr(rank="same")
            for item in network.inputs:
                self.add_node(rank, f"i{item.index}", self.input_rows(item), self.input_size,
                              {"style": "dashed"} if type(item.node) is float else {})
            self.add_bias_source(rank, 1)
            keep_in_order(rank, [f"i{item.index}" for item in network.inputs])
        beside = self.loss_beside_output()
        for depth, layer in enumerate(network.layers, start=1):
            with dot.subgraph(name=f"layer{depth}") as rank:
                rank.attr(rank="same")
                for unit in layer:
                    self.add_node(rank, f"u{unit.index}", self.unit_rows(unit), self.unit_size,
                                  {"style": "filled", "fillcolor": self.style["value_fill"]})
                self.add_bias_source(rank, depth + 1)
                order = [f"u{unit.index}" for unit in layer]
                if beside and depth == len(network.layers):
                    self.add_loss_node(rank)
                    order.append("loss")
                keep_in_order(rank, order)
        if network.loss and not beside:
            with dot.subgraph(name="loss") as rank:
                rank.attr(rank="same")
                self.add_loss_node(rank)
        if network.loss:
            self.add_loss_edges(dot)
        for index, weight in enumerate(network.weights):
            self.add_weight(dot, weight, index)

    def input_rows(self, item) -> list:
        """(key, name, value) per line of an input's circle."""
        rows = [(("y", item), item.name, lambda: item.value)]
        if type(item.node) is not float:
            rows.append((("dy", item), self.derivative(item.name), self.gradient(item.node)))
        return rows

    def unit_rows(self, unit) -> list:
        """(key, name, value) per line of a unit's circle: x, y, dE/dx, dE/dy (y and dE/dy when linear)."""
        name = self.network.name
        rows = [] if unit.linear else [(("x", unit), name(unit.x), lambda: unit.x.data)]
        rows.append((("y", unit), name(unit.y), lambda: unit.y.data))
        if not unit.linear:
            rows.append((("dx", unit), self.derivative(name(unit.x)), self.gradient(unit.x)))
        rows.append((("dy", unit), self.derivative(name(unit.y)), self.gradient(unit.y)))
        return rows

    def derivative(self, name: str) -> str:
        """What a value's second line is: dE/dy₃ backward, the tangent ẏ₃ in forward mode."""
        return dotted(name) if self.forward_mode else f"d{self.loss_name}/d{name}"

    def diameter(self, labels: list) -> float:
        """A circle (points) that holds the widest of ``labels`` (lists of (key, name, value)), every number
        shown, at the drawing's type or at the theme's, whichever is larger: the circles and the spacing stay
        those of the theme's type, so a smaller ``fontsize`` is smaller in the same picture."""
        sizes = {self.style["fontsize"], self.style["network_fontsize"]}
        tables = [[(name, GAP + self.number(value())) for _, name, value in rows] for rows in labels]
        return max((circle_for_table(rows, size) for rows in tables for size in sizes), default=self.style["fontsize"])

    def add_node(self, dot, name: str, rows: list, diameter: float, attributes: dict) -> None:
        """A circle of the given diameter (points), the same for every unit and in every frame."""
        keys = [key for key, _, _ in rows]
        dot.node(name, self.table([self.row(*row) for row in rows]), shape="circle", fixedsize="true",
                 width=f"{math.ceil(diameter / 72 * 100) / 100:.2f}", **attributes, **self.marked(keys, self.style["value_border"]))

    def add_bias_source(self, dot, depth: int) -> None:
        if depth <= len(self.network.layers) and any(unit.bias for unit in self.network.layers[depth - 1]):
            dot.node(f"one{depth}", "1", shape="circle", style="dashed", color=self.style["op_border"],
                     fontcolor=self.style["constant_text"], width="0.4", margin="0.02")

    def loss_beside_output(self) -> bool:
        """Whether the loss is drawn beside the one output unit that feeds it, in its rank (not in a rank
        of its own after it): the picture is a column narrower (left to right) or a row shorter."""
        loss = self.network.loss
        tails = {self.endpoint(source) for source in loss.sources} - {None} if loss else set()
        return tails == {f"u{unit.index}" for unit in self.network.layers[-1]} and len(tails) == 1

    def add_loss_node(self, dot) -> None:
        loss = self.network.loss
        rows = [self.row(("E", loss), loss.name, lambda: loss.node.data)]
        if self.forward_mode:
            rows.append(self.row(("dE", loss), dotted(loss.name), self.gradient(loss.node)))
        dot.node("loss", self.table(rows), shape="box", style="rounded,filled", fillcolor=self.style["leaf_fill"],
                 **self.marked([("E", loss)], self.style["value_border"]))

    def add_loss_edges(self, dot) -> None:
        loss = self.network.loss
        for source in loss.sources:
            tail = self.endpoint(source)
            if tail:
                both = ("E", loss) in self.state.highlight and ("dy", self.parts[source]) in self.state.highlight
                dot.edge(tail, "loss", **self.marked([("E", loss)]) if both else {})

    def endpoint(self, part) -> str | None:
        """The DOT id of a unit or an input (or of the value a unit or an input draws)."""
        part = self.parts.get(part, part)
        if hasattr(part, "layer"):
            return f"u{part.index}"
        return f"i{part.index}" if hasattr(part, "index") else None

    def add_weight(self, dot, weight, index: int) -> None:
        unit, head = weight.unit, f"u{weight.unit.index}"
        tail = f"one{unit.layer}" if weight.source is None else self.endpoint(weight.source)
        keys = [("dw", weight), ("w", weight)]
        current = any(key in self.state.highlight for key in keys)
        label = self.weight_label(weight, current)
        if self.dense[unit.layer]:           # bare, but the step's one weight: beside its edge where there is room
            beside = {"xlabel": label} if current and self.lone[unit.layer] else {}
            dot.edge(tail, head, **beside, **self.marked(keys))
        elif self.across:                    # a node on its edge, in a row in the order of their units
            first = not index or self.network.weights[index - 1].unit.layer != unit.layer
            label_on_its_edge(dot, (tail, f"label{index}", head), label, self.marked(keys), f"labels{unit.layer}",
                              None if first else f"label{index - 1}")
        else:                                # on its edge, with a line to it
            dot.edge(tail, head, label=label, decorate="true", **self.marked(keys))

    def weight_label(self, weight, current: bool) -> str:
        """A weight's label: its name and number, and its dE/dw under them; shaded if this step's."""
        lines = [html.escape(f"{weight.name} {self.number(self.state.updated.get(weight, weight.value))}")]
        if type(weight.node) is not float:      # few labels between two layers: the name over the number
            gradient = self.number(self.grads[weight.node]) if self.knows(("dw", weight)) else "?"
            gap = "<BR/>" if self.narrow[weight.unit.layer] else " "
            lines.append(f"{html.escape(self.derivative(weight.name))}{gap}{html.escape(gradient)}")
        fill = f' BGCOLOR="{self.style["highlight_fill"]}"' if current else ""
        return (f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1"{fill}>'
                + "".join(f"<TR><TD>{line}</TD></TR>" for line in lines) + "</TABLE>>")
