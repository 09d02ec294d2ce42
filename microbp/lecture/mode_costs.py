"""What forward and reverse mode cost on one graph, counted by running both (``microbp.core.jacobians``).

Two questions are asked of the same graph. The gradient: the root by every
input (a network's loss by its weights), one row of derivatives; forward mode
needs a pass per input, reverse mode one pass. The sensitivities: every value
(a network's unit outputs and loss) by the seed, one column; forward mode
needs one pass, reverse mode a pass per value. The counts are the passes made
and the products (local derivative × tangent or gradient) computed, as
``forward_columns`` and ``reverse_rows`` measured them, never estimated.

>>> from microbp.demo import walkthrough_network
>>> from microbp.network.model import Network
>>> network = Network.of(walkthrough_network(backward=False))
>>> seed = network.weights[0].node
>>> for cost in network_costs(network, seed): print(cost.what, cost.forward.passes, cost.reverse.passes)
E by its 8 weights 8 1
y₁…E (6) by w₀₁ 1 6
"""

from __future__ import annotations

import html
from typing import NamedTuple

from ..core.jacobians import Jacobian, forward_columns, reverse_rows
from ..figures.collapse import span
from ..figures.labels import label_text
from ..figures.themes import THEMES
from ..text.plural import count


class Cost(NamedTuple):
    """One question (``what``: which derivatives) answered both ways, with each way's measured work."""

    what: str
    forward: Jacobian
    reverse: Jacobian


def graph_costs(graph, seed, names: dict) -> list:
    """The graph view's two questions: the root by its inputs (the leaves), every computed value by the seed."""
    outputs = graph.computed or [graph.root]            # a root that is a leaf: the seed itself
    return _costs(graph.root, graph.leaves, count(len(graph.leaves), "input"), outputs, seed, names.get)


def network_costs(network, seed) -> list:
    """The network view's two questions: the loss (or output) by the weights, each unit's output and the loss
    by the seed."""
    weights = [w.node for w in network.weights if type(w.node) is not float]
    outputs = [unit.y for unit in network.units] + ([network.loss.node] if network.loss else [])
    return _costs(network.graph.root, weights, count(len(weights), "weight"), outputs, seed, network.name)


def _costs(root, inputs: list, inputs_text: str, outputs: list, seed, name) -> list:
    gradient = Cost(f"{name(root)} by its {inputs_text}", forward_columns([root], inputs),
                    reverse_rows([root], inputs))
    sensitivities = Cost(f"{span([name(node) for node in outputs])} by {name(seed)}",
                         forward_columns(outputs, [seed]), reverse_rows(outputs, [seed]))
    return [gradient, sensitivities]


def _work(jacobian: Jacobian) -> str:
    passes = f"{jacobian.passes} pass" + ("" if jacobian.passes == 1 else "es")
    return f"{passes} ({jacobian.products} product{'' if jacobian.products == 1 else 's'})"


def comparison_caption(costs: list) -> str:
    """The comparison step's caption: the rule, then each question's counts both ways."""
    lines = ["Forward mode makes a pass per input, reverse mode a pass per output."]
    lines += [f"{cost.what}: forward {_work(cost.forward)}, reverse {_work(cost.reverse)}." for cost in costs]
    return "\n".join(lines)


def comparison_picture(costs: list, drawing):
    """The comparison as a table (a ``graphviz.Digraph``): a row per question, the cheaper mode highlighted.

    ``drawing`` is the lecture's ``DrawOptions`` (theme, font size, title).
    """
    import graphviz

    style = THEMES[drawing.theme]
    fontsize = drawing.fontsize or style["fontsize"]
    rows = ['<TR><TD></TD><TD><B>forward mode</B></TD><TD><B>reverse mode</B></TD></TR>']
    for cost in costs:
        cheaper = "forward" if cost.forward.passes < cost.reverse.passes else "reverse"
        cells = [f"<TD>{html.escape(cost.what)}</TD>"]
        for mode, jacobian in (("forward", cost.forward), ("reverse", cost.reverse)):
            fill = f' BGCOLOR="{style["highlight_fill"]}"' if mode == cheaper else ""
            text = html.escape(_work(jacobian))
            cells.append(f"<TD{fill}>{f'<B>{text}</B>' if mode == cheaper else text}</TD>")
        rows.append(f"<TR>{''.join(cells)}</TR>")
    table = (f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="10" COLOR="{style["value_border"]}">'
             + "".join(rows) + "</TABLE>>")
    attributes = {"bgcolor": style["background"], "fontname": style["fontname"], "fontcolor": style["text"]}
    if drawing.title:
        attributes.update(label=f"<{label_text(drawing.title)}>", labelloc="b", fontsize=f"{fontsize + 2:g}")
    dot = graphviz.Digraph("microbp", graph_attr=attributes)
    dot.node("costs", table, shape="plain", fontname=style["fontname"], fontsize=f"{fontsize:g}",
             fontcolor=style["text"])
    return dot
