"""Forward mode as a lecture: each node's value and its tangent, first node first, in either view.

One leaf, the seed, moves at speed 1 (ẋ = 1); every other leaf stays still
(tangent 0). Then each node in topological order gets its value and its
tangent ṅ = Σ ∂n/∂p · ṗ over its parents p, the ∂n/∂p written with the
table's formulas (``microbp.text.notation``) and the numbers those of
``microbp.jvp`` (``microbp.core.forward.tangents``), so a step's ``value`` is
its node's tangent bit for bit. A term whose tangent (or local derivative) is 0
passes nothing, as in ``jvp``, and is left out of the caption. The lecture ends
with a comparison of what each mode costs on this graph (``mode_costs``).
A step's ``terms`` are (parent, its tangent, local derivative): local × tangent sums to ``value``.

>>> from microbp import Value, Graph
>>> from microbp.lecture.options import LectureOptions
>>> x = Value(0.5, label="x"); w = Value(2.0, label="w")
>>> y = (x * w).sigmoid(); y.label = "y"
>>> lecture = LectureOptions.checked("steps", "reverse-topological", mode="forward", seed=w)
>>> for step in graph_tangent_steps(Graph(y), lecture): print(step.phase, step.caption)
seed ẇ = 1: w moves at speed 1; every other input stays still (tangent 0)
forward v1 = x × w = 0.5 × 2 = 1
v̇1 = x · ẇ = 0.5 × 1 = 0.5
forward y = σ(v1) = σ(1) = 0.7311
ẏ = y × (1 − y) · v̇1 = 0.1966 × 0.5 = 0.09831
compare Forward mode makes a pass per input, reverse mode a pass per output.
y by its 2 inputs: forward 2 passes (4 products), reverse 1 pass (3 products).
v1, y by w: forward 1 pass (2 products), reverse 2 passes (5 products).
"""

from __future__ import annotations

import functools

from ..core.engine import Value
from ..core.forward import tangents
from ..network.parts import region_formula
from ..text.naming import dotted
from ..text.notation import Style, local_formulas, number
from .captions import Captions
from .mode_costs import comparison_caption, graph_costs, network_costs
from .step import Step


def check_seed(graph, lecture, caller: str) -> None:
    """Refuse a forward lecture without a seed leaf of ``graph``, a seed in backward mode, and collapse."""
    seed = lecture.seed
    if lecture.mode != "forward":
        if seed is not None:
            raise ValueError(f"{caller}: seed is the leaf that moves in forward mode; pass mode='forward' too, "
                             "or leave seed out")
        return
    if seed is None:
        raise ValueError(f"{caller}: mode='forward' needs seed=, the leaf that moves at speed 1 "
                         "(an input or a weight the root depends on)")
    if not isinstance(seed, Value):
        raise TypeError(f"{caller}: seed must be a Value, a leaf of the graph, got {seed!r} ({type(seed).__name__})")
    if seed not in graph or seed.op is not None:
        where = "is computed by the graph" if seed in graph else "is not in the graph of root"
        raise ValueError(f"{caller}: seed must be a leaf the root depends on (an input or a weight); "
                         f"{seed!r} {where}")
    if lecture.collapse is not None:
        raise ValueError(f"{caller}: collapse is for the backward lecture; forward mode shows each node's "
                         "tangent, so leave collapse out")


def graph_tangent_steps(graph, lecture) -> list:
    """The graph view's forward-mode lecture: the seed, a step per computed node, the comparison."""
    seed, moving = lecture.seed, tangents(graph.order, {lecture.seed: 1.0})
    text = Captions(graph, lecture.number_format)
    writer = TangentWriter(text.style)
    result = [Step(0, "seed", [seed], writer.seed(text.names[seed], "input"), 1.0)]
    for node in graph.computed:
        formulas = local_formulas(node, text.operand, text.style)
        terms = [(parent, moving[parent], local, str(formula))
                 for parent, local, formula in zip(node.parents, node.local_grads, formulas)
                 if type(parent) is not float and _flows(moving.get(parent), local)]
        line = writer.tangent(text.operand(node), [(f, local, text.operand(p), t) for p, t, local, f in terms],
                              moving.get(node, 0.0))
        result.append(Step(len(result), "forward", [node], f"{text.forward([node])}\n{line}",
                           moving.get(node, 0.0), [term[:3] for term in terms]))
    costs = graph_costs(graph, seed, text.names)
    result.append(Step(len(result), "compare", [graph.root], comparison_caption(costs), costs[0].forward.passes,
                       costs))
    return result


def network_tangent_steps(network, lecture) -> list:
    """The network view's forward-mode lecture: the seed, unit by unit (x, y, ẋ, ẏ), the loss, the comparison.

    A step's ``keys`` name what it computes, ``uses`` what it reads, as in ``network_steps``;
    ``("dx", unit)`` is ẋ here, where the backward lecture has dE/dx.
    """
    seed = lecture.seed
    if seed not in network.parts or network.key_of(seed)[0] not in ("y", "w"):
        names = [w.name for w in network.weights if type(w.node) is not float]
        raise ValueError(f"forward mode: in the network view, seed must be an input or a weight of the network "
                         f"({', '.join(names[:4])}{', …' if len(names) > 4 else ''}), got {seed!r}")
    moving = tangents(network.graph.order, {seed: 1.0})
    tangent_line = functools.partial(_network_line, network, {node: i for i, node in enumerate(network.graph.order)},
                                     TangentWriter(Style(False, lecture.number_format)), moving)
    writer = TangentWriter(Style(False, lecture.number_format))
    leaves = [network.key_of(node, derivative=True) for node in network.parts
              if node.op is None and network.key_of(node)[0] in ("y", "w")]
    result = [Step(0, "seed", [seed], writer.seed(network.name(seed), "input and weight"), 1.0,
                   keys=tuple(leaves), uses=(network.key_of(seed, derivative=True),))]
    for unit in network.units:
        inside = [node for node in unit.nodes if node is not unit.y or unit.linear]
        regions = [(unit.x, inside)] + ([] if unit.linear else [(unit.y, [unit.y])])
        lines = [line for node, region in regions
                 for line in (_equation(network, node, region, writer), tangent_line(node))]
        uses = [key for w in unit.weights + ([unit.bias] if unit.bias else []) for key in _weight_keys(network, w)]
        result.append(Step(len(result), "forward", list(unit.nodes), "\n".join(lines), moving.get(unit.y, 0.0),
                           keys=(("x", unit), ("y", unit), ("dx", unit), ("dy", unit)), uses=tuple(uses)))
    if network.loss:
        loss = network.loss
        caption = (f"{_equation(network, loss.node, loss.nodes, writer)}\n"
                   f"{tangent_line(loss.node)}")
        uses = [key for s in loss.sources if s in network.parts
                for key in (network.key_of(s), network.key_of(s, derivative=True))]
        result.append(Step(len(result), "forward", list(loss.nodes), caption, moving.get(loss.node, 0.0),
                           keys=(("E", loss), ("dE", loss)), uses=tuple(uses)))
    costs = network_costs(network, seed)
    result.append(Step(len(result), "compare", [network.graph.root], comparison_caption(costs),
                       costs[0].forward.passes, costs))
    return result


def _weight_keys(network, weight) -> list:
    """What a unit's forward step reads of one weight: the weight, its tangent, its input and that one's tangent."""
    keys = [("w", weight)] + ([("dw", weight)] if type(weight.node) is not float else [])
    if weight.source is not None:
        keys.append(("y", weight.source))
        if type(getattr(weight.source, "node", None)) is not float:     # a unit, or an input that is a Value
            keys.append(("dy", weight.source))
    return keys


def _equation(network, node, region: list, writer) -> str:
    """``x₃ = w₁₃ × y₁ + w₂₃ × y₂ = 0.8 × 0.6225 + … = 0.2426``: a drawn value by name, then by number."""
    names, style = network.names, writer.style
    return (f"{network.name(node)} = {region_formula(region, names, style)} = "
            f"{region_formula(region, names, style, numbers=True)} = {writer.number(node.data)}")


def _network_line(network, position: dict, writer, moving: dict, node) -> str:
    """ṅ for a drawn value of the network: Σ ∂n/∂p · ṗ over the drawn values p below it."""
    flowing = [(parent, partial) for (child, parent), partial in network.partials.items()
               if child is node and type(parent) is not float and _flows(moving.get(parent), partial.value)]
    terms = [(partial.text, partial.value, network.name(parent), moving[parent])
             for parent, partial in sorted(flowing, key=lambda item: position[item[0]])]
    return writer.tangent(network.name(node), terms, moving.get(node, 0.0))


def _flows(tangent, local) -> bool:
    """Whether a term passes something on: as ``jvp``, a tangent or local derivative of 0 passes nothing."""
    return tangent is not None and not (type(tangent) is float and tangent == 0.0) and local != 0.0


class TangentWriter:
    """Tangent captions: ``ẏ₃ = y₃ × (1 − y₃) · ẋ₃ = 0.2464 × 0.1 = 0.02464``."""

    def __init__(self, style: Style):
        self.style = style

    def number(self, x: float) -> str:
        return str(number(x, self.style))

    def factor(self, x: float) -> str:
        text = self.number(x)
        return f"({text})" if text.startswith("−") else text

    def seed(self, name: str, others: str) -> str:
        return f"{dotted(name)} = 1: {name} moves at speed 1; every other {others} stays still (tangent 0)"

    def tangent(self, name: str, terms: list, value: float) -> str:
        """``ṅ = Σ formula · ṗ = Σ numbers = value``; ``terms`` are (formula, local, parent's name, its tangent)."""
        if not terms:
            return f"{dotted(name)} = 0: nothing it depends on moves"
        symbolic = " + ".join(dotted(p) if formula == "1" else f"{wrapped(formula)} · {dotted(p)}"
                              for formula, _, p, _ in terms)
        numeric = " + ".join(self.factor(t) if formula == "1" else f"{self.factor(local)} × {self.factor(t)}"
                             for formula, local, _, t in terms)
        parts = [dotted(name), symbolic, numeric, self.number(value)]
        return " = ".join(part for i, part in enumerate(parts) if i == 0 or part != parts[i - 1])


def wrapped(formula: str) -> str:
    """A formula as a factor of ``·``: in parentheses when it is a sum or difference, or negative.

    >>> wrapped("y × (1 − y)"), wrapped("y₅ − 0.2"), wrapped("−1"), wrapped("(a + b) × c")
    ('y × (1 − y)', '(y₅ − 0.2)', '(−1)', '(a + b) × c')
    """
    depth, top_level_sum = 0, False
    for i, char in enumerate(formula):
        depth += (char == "(") - (char == ")")
        if depth == 0 and char in "+−" and 0 < i < len(formula) - 1 and formula[i - 1] == formula[i + 1] == " ":
            top_level_sum = True
    return f"({formula})" if top_level_sum or formula.startswith(("−", "-")) else formula
