"""The layers view: a network in vector form, one box per layer, as a lecturer draws a wide MLP.

Left to right: the inputs y⁽⁰⁾, each layer, and the loss under the last
layer. A layer's box is a table with a row per unit: its index ``j``, its output
``yⱼ`` and ``dE/dxⱼ`` (δⱼ, what dE/dW is made of); ``?`` (muted) stands for what is
not known yet. The edge into layer l is its weight matrix, ``W⁽ˡ⁾ 16×16`` (and bias
``b⁽ˡ⁾``); once dE/dW⁽ˡ⁾ is known the box names its largest entry, instead of
all of its numbers. The edges' labels are short, so that the boxes stand close
and their text is large on a projector. In a
lecture frame the cells its step computes are shaded and the boxes and edges it
uses are outlined. A layer of more than ``MAX_LAYER_ROWS`` units shows its first
and last rows, and a row saying how many are left out.

>>> from microbp.nn import MLP
>>> source = draw_layers(MLP(2, [3, 1], seed=0)([0.5, -1.0])).source
>>> "W⁽¹⁾</TD></TR><TR><TD>3×2" in source and "layer 1 · 3 units" in source and "shape=box" in source
True
"""

from __future__ import annotations

import html

from ..core.graph import NOT_COMPUTED
from ..network.model import Network
from ..text.notation import SUPERSCRIPTS, Style, number
from ..text.plural import count
from .network_layout import graph_attributes
from .themes import THEMES

MAX_LAYER_ROWS = 20       # units of a layer drawn as rows; a wider layer shows its ends and how many are left out
GAP = "&#160;&#160;"      # before a number: the columns of a box stand apart


def layer_mark(depth: int) -> str:
    """The layer's index as textbooks put it over a vector: ``⁽²⁾``.

    >>> "W" + layer_mark(2), "y" + layer_mark(10)
    ('W⁽²⁾', 'y⁽¹⁰⁾')
    """
    return "⁽" + str(depth).translate(SUPERSCRIPTS) + "⁾"


class LayerState:
    """What one picture shows: the quantities ``known`` (None: everything computed so far), those the
    step ``computes`` (shaded) and those it ``uses`` (their boxes outlined), as the lecture's keys."""

    def __init__(self, known=None, computes=(), uses=()):
        self.known, self.computes, self.uses = known, set(computes), set(uses)


def draw_layers(root, *, rankdir=None, number_format: str = ".4g", theme: str = "light", title=None,
                grads=None, fontsize=None, size=None, state: LayerState | None = None, network=None):
    """``root``'s network as a ``graphviz.Digraph`` of layer boxes (``draw(root, view="layers")``)."""
    import graphviz

    network = network or Network.of(root, number_format)
    style = dict(THEMES[theme])
    style["fontsize"] = fontsize or style["network_fontsize"]
    if grads is None and network.graph.root.grad is not NOT_COMPUTED:
        grads = {node: node.grad for node in network.graph.order}      # the engine's, as backward left them
    attributes = {**graph_attributes(style, rankdir or "LR", title, size), "nodesep": "0.3", "ranksep": "0.3"}
    font = {"fontname": style["fontname"], "fontsize": f"{style['fontsize']:g}"}
    dot = graphviz.Digraph("microbp", graph_attr=attributes,
                           node_attr={**font, "fontcolor": style["text"], "penwidth": str(style["penwidth"])},
                           edge_attr={**font, "color": style["edge"], "fontcolor": style["edge_label"],
                                      "penwidth": str(style["penwidth"])})
    _Boxes(network, style, Style(False, number_format), grads, state or LayerState()).draw(dot)
    return dot


def draw_layers_as(network, drawing, **shown):
    """``draw_layers`` of ``network`` with a ``DrawOptions``' settings; ``shown`` (a frame's ``state``,
    ``grads``, ``title``) overrides them."""
    return draw_layers(network.graph, network=network, **{**drawing.picture_settings(), **shown})


def shown_units(layer: list) -> tuple:
    """(the units drawn as rows, how many are left out after the first ones)."""
    if len(layer) <= MAX_LAYER_ROWS:
        return layer, 0
    head = MAX_LAYER_ROWS - 3
    return layer[:head] + layer[-2:], len(layer) - head - 2


def largest_gradient(weights: list, grads: dict):
    """The weight of ``weights`` whose dE/dw is largest in size (the first such), or None; numbers that
    are constants, not Values, have none."""
    drawn = [w for w in weights if type(w.node) is not float]
    return max(drawn, key=lambda w: abs(grads[w.node]), default=None)


class _Boxes:
    """The DOT statements of one layers picture."""

    def __init__(self, network, style, number_style, grads, state):
        self.network, self.style, self.number_style = network, style, number_style
        self.grads, self.state = grads, state
        self.loss_name = network.loss.name if network.loss else network.name(network.units[-1].y)
        hidden = next((unit for unit in network.units if not unit.linear), network.units[0])
        self.letters = {"input": _letter(network.inputs[0].name if network.inputs else "", "y"),
                        "output": _letter(network.name(hidden.y), "y"), "net": _letter(network.name(hidden.x), "x")}

    def knows(self, key) -> bool:
        if key in self.state.computes:
            return True
        if self.state.known is not None:
            return key in self.state.known
        return key[0] not in ("dx", "dy", "dw") or self.grads is not None

    def number(self, x: float) -> str:
        return str(number(x, self.number_style))

    def cell(self, key, value, align: str = "RIGHT") -> str:
        """A number, ``?`` (muted) if not known yet, shaded if the step computes it."""
        known = self.knows(key)
        text = html.escape(self.number(value()) if known else "?")
        if not known:
            text = f'<FONT COLOR="{self.style["muted"]}">{text}</FONT>'
        fill = f' BGCOLOR="{self.style["highlight_fill"]}"' if key in self.state.computes else ""
        return f'<TD ALIGN="{align}"{fill}>{GAP}{text}</TD>'

    def outline(self, keys) -> dict:
        """A thick outline in the highlight's colour when the step computes or uses one of ``keys``."""
        if any(key in self.state.uses or key in self.state.computes for key in keys):
            return {"color": self.style["highlight"], "penwidth": "3"}
        return {"color": self.style["value_border"]}

    def table(self, rows: list) -> str:
        return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3">' + "".join(rows)
                + "</TABLE>>")

    def draw(self, dot) -> None:
        network = self.network
        inputs = [f'<TR><TD ALIGN="RIGHT">{html.escape(item.name)}</TD>{self.cell(("y", item), lambda i=item: i.value)}'
                  "</TR>" for item in network.inputs]
        header = f'<TR><TD COLSPAN="2">inputs {self.letters["input"]}{layer_mark(0)}</TD></TR>'
        dot.node("layer0", self.table([header] + inputs), shape="box", style="rounded",
                 **self.outline([("y", item) for item in network.inputs]))
        for depth, layer in enumerate(network.layers, start=1):
            self.add_layer(dot, depth, layer)
            self.add_matrix(dot, depth, layer)
        if network.loss:
            self.add_loss(dot)

    def add_layer(self, dot, depth: int, layer: list) -> None:
        """A layer's box: its header, the column names, a row per unit (j, yⱼ, dE/dxⱼ), then dE/dW's
        largest entry once it is known."""
        units, left_out = shown_units(layer)
        y, x = self.letters["output"], self.letters["net"]
        columns = ["j", f"{y}ⱼ", f"d{self.loss_name}/d{x}ⱼ"]
        rows = [f'<TR><TD COLSPAN="3">layer {depth} · {count(len(layer), "unit")}</TD></TR>',
                f'<TR><TD COLSPAN="3">{html.escape(_activation(layer, y, x))}</TD></TR>',
                "<TR>" + "".join(f'<TD ALIGN="RIGHT">{self.muted(c)}</TD>' for c in columns) + "</TR>"]
        for position, unit in enumerate(units):
            if left_out and position == len(units) - 2:
                rows.append(f'<TR><TD COLSPAN="3">⋮ {left_out} more</TD></TR>')
            rows.append(f'<TR><TD ALIGN="RIGHT">{unit.index}</TD>{self.cell(("y", unit), lambda u=unit: u.y.data)}'
                        f'{self.cell(("dx", unit), lambda u=unit: self.gradient(u.x))}</TR>')
        rows += [f'<TR><TD COLSPAN="3"{self.fill(keys)}>{html.escape(line)}</TD></TR>'
                 for line, keys in self.largest(depth, layer)]
        keys = [(kind, unit) for unit in layer for kind in ("x", "y", "dx", "dy")]
        dot.node(f"layer{depth}", self.table(rows), shape="box", style="rounded,filled",
                 fillcolor=self.style["value_fill"], **self.outline(keys))

    def muted(self, text: str) -> str:
        return f'<FONT COLOR="{self.style["muted"]}">{html.escape(text)}</FONT>'

    def fill(self, keys) -> str:
        """The shading of what the step computes."""
        return f' BGCOLOR="{self.style["highlight_fill"]}"' if any(k in self.state.computes for k in keys) else ""

    def gradient(self, node) -> float:
        return self.grads[node] if self.grads is not None else 0.0

    def largest(self, depth: int, layer: list) -> list:
        """(line, keys) of dE/dW⁽ˡ⁾'s largest entry, once every dE/dw of the layer is known: not 256 numbers."""
        parameters = _parameters(layer)
        if self.grads is None or not all(self.knows(("dw", w)) for w in parameters):
            return []
        largest = largest_gradient([w for w in parameters if w.source is not None], self.grads)
        if largest is None:
            return []
        keys = [("dw", w) for w in parameters]
        return [(f"largest |d{self.loss_name}/dw|:", keys),
                (f"{largest.name} = {self.number(self.grads[largest.node])}", keys)]

    def add_matrix(self, dot, depth: int, layer: list) -> None:
        """The edge into a layer: its weight matrix (rows × columns) and its bias."""
        lines = [f"W{layer_mark(depth)}", f"{len(layer)}×{len(layer[0].weights)}"]
        if any(unit.bias for unit in layer):
            lines.append(f"+ b{layer_mark(depth)}")
        keys = [(kind, w) for w in _parameters(layer) for kind in ("w", "dw")]
        used = any(k in self.state.uses or k in self.state.computes for k in keys)
        label = (f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1"{self.fill(keys)}>'
                 + "".join(f"<TR><TD>{html.escape(line)}</TD></TR>" for line in lines) + "</TABLE>>")
        dot.edge(f"layer{depth - 1}", f"layer{depth}", label=label, **(self.outline(keys) if used else {}))

    def add_loss(self, dot) -> None:
        """The loss, under the last layer (the same column), with its number once computed."""
        loss, last = self.network.loss, len(self.network.layers)
        with dot.subgraph(name="output") as rank:
            rank.attr(rank="same")
            row = (f'<TR><TD>{html.escape(loss.name)}</TD>{self.cell(("E", loss), lambda: loss.node.data)}</TR>')
            rank.node("loss", self.table([row]), shape="box", style="rounded,filled",
                      fillcolor=self.style["leaf_fill"], **self.outline([("E", loss)]))
            rank.edge(f"layer{last}", "loss")


def _parameters(layer: list) -> list:
    """A layer's weights, then its biases."""
    return [w for unit in layer for w in unit.weights] + [unit.bias for unit in layer if unit.bias]


def activation_of(layer: list) -> str | None:
    """The layer's activation as the table writes it (``relu``), ``f`` if its units differ, None if linear."""
    rows = {None if unit.linear else unit.y.op.symbol for unit in layer}
    return rows.pop() if len(rows) == 1 else "f"


def _activation(layer: list, y: str, x: str) -> str:
    """How the layer's outputs come from its net inputs, from the units' own rows: ``y = relu(x)``."""
    symbol = activation_of(layer)
    if symbol is None:
        return f"{y} = {x} (linear)"
    return f"{y} = {symbol}({x})" if symbol != "f" else f"{y} = f({x}), per unit"


def _letter(name: str, default: str) -> str:
    """The letter of an indexed name (``a`` of ``a₁₈``, ``w`` of ``w₂,₁₈``), or ``default`` for a name
    that is not a letter and an index (a user's label).

    >>> _letter("a₁₈", "y"), _letter("z₂", "x"), _letter("hidden", "y")
    ('a', 'z', 'y')
    """
    letter = name.rstrip("₀₁₂₃₄₅₆₇₈₉,")
    return letter if len(letter) == 1 and letter != name else default
