"""The network view's forward-mode lecture: the seed, unit by unit (x, ẋ, y, ẏ), the loss, the comparison.

A step's ``keys`` name what it computes, ``uses`` what it reads, as in
``network_steps``; ``("dx", unit)`` is the tangent ẋ here, where the backward
lecture has dE/dx, and ``("dE", loss)`` is Ė. Each frame writes ``ẏ₃`` where the
backward lecture writes dE/dy₃; the last is the comparison of the two modes'
costs as a table (``mode_costs``). How the lecture goes: ``microbp.lecture.tangent_steps``.

>>> from microbp import Value, scope
>>> from microbp.lecture.options import LectureOptions
>>> y0 = Value(1.0, label="y0"); w = Value(0.5, label="w01")
>>> with scope("layer 1"):
...     y1 = (w * y0).sigmoid()
>>> lecture = LectureOptions.checked("steps", "layers", mode="forward", seed=w)
>>> for step in network_tangent_steps(Network.of(y1), lecture)[:2]: print(step.caption)
ẇ₀₁ = 1: w₀₁ moves at speed 1; every other input and weight stays still (tangent 0)
x₁ = w₀₁ × y₀ = 0.5 × 1 = 0.5
ẋ₁ = y₀ · ẇ₀₁ = 1 × 1 = 1
y₁ = σ(x₁) = σ(0.5) = 0.6225
ẏ₁ = y₁ × (1 − y₁) · ẋ₁ = 0.235 × 1 = 0.235
"""

from __future__ import annotations

from dataclasses import replace

from ..core.forward import tangents
from ..figures.network_view import State, draw_network_as
from ..network.model import Network
from ..network.parts import region_formula
from ..text.notation import Style
from .mode_costs import comparison_caption, comparison_picture, network_costs
from .network_frames import network_workload
from .step import Step
from .tangent_steps import TangentWriter, moves


def network_tangent_steps(network: Network, lecture) -> list:
    """The network view's forward-mode lecture: the seed, unit by unit (x, ẋ, y, ẏ), the loss, the comparison."""
    _check_seed(network, lecture.seed)
    text = _Lines(network, lecture)
    result = [Step(0, "seed", [lecture.seed], text.writer.seed(network.name(lecture.seed), "input and weight"), 1.0,
                   keys=(network.key_of(lecture.seed, derivative=True),))]

    def add(nodes, lines, value_of, keys, uses):
        result.append(Step(len(result), "forward", list(nodes), "\n".join(lines), text.moving.get(value_of, 0.0),
                           keys=tuple(keys), uses=tuple(uses)))

    for unit in network.units:
        inside = [node for node in unit.nodes if node is not unit.y or unit.linear]
        regions = [(unit.x, inside)] + ([] if unit.linear else [(unit.y, [unit.y])])
        add(unit.nodes, [line for node, region in regions for line in text.both(node, region)], unit.y,
            [("x", unit), ("y", unit), ("dx", unit), ("dy", unit)],
            [key for w in unit.weights + ([unit.bias] if unit.bias else []) for key in _weight_keys(w)])
    if network.loss:
        loss = network.loss
        add(loss.nodes, text.both(loss.node, loss.nodes), loss.node, [("E", loss), ("dE", loss)],
            [key for s in loss.sources if s in network.parts
             for key in (network.key_of(s), network.key_of(s, derivative=True))])
    costs = network_costs(network, lecture.seed)
    result.append(Step(len(result), "compare", [network.graph.root], comparison_caption(costs),
                       costs[0].forward.passes, costs))
    return result


def _check_seed(network: Network, seed) -> None:
    if seed not in network.parts or network.key_of(seed)[0] not in ("y", "w"):
        names = [w.name for w in network.weights if type(w.node) is not float]
        raise ValueError(f"forward mode: in the network view, seed must be an input or a weight of the network "
                         f"({', '.join(names[:4])}{', …' if len(names) > 4 else ''}), got {seed!r}")


def _weight_keys(weight) -> list:
    """What a unit's forward step reads of one weight: the weight, its tangent, its input and that one's tangent."""
    keys = [("w", weight)] + ([("dw", weight)] if type(weight.node) is not float else [])
    if weight.source is not None:
        keys.append(("y", weight.source))
        if type(getattr(weight.source, "node", None)) is not float:     # a unit, or an input that is a Value
            keys.append(("dy", weight.source))
    return keys


class _Lines:
    """A drawn value's two caption lines: its value, by name then by number, and its tangent."""

    def __init__(self, network: Network, lecture):
        self.network, self.writer = network, TangentWriter(Style(False, lecture.number_format))
        self.moving = tangents(network.graph.order, {lecture.seed: 1.0})
        self.position = {node: i for i, node in enumerate(network.graph.order)}

    def both(self, node, region: list) -> list:
        return [self.value(node, region), self.tangent(node)]

    def value(self, node, region: list) -> str:
        """``x₃ = w₁₃ × y₁ + w₂₃ × y₂ = 0.8 × 0.6225 + … = 0.2426``."""
        names, style = self.network.names, self.writer.style
        return (f"{self.network.name(node)} = {region_formula(region, names, style)} = "
                f"{region_formula(region, names, style, numbers=True)} = {self.writer.number(node.data)}")

    def tangent(self, node) -> str:
        """ṅ = Σ ∂n/∂p · ṗ over the drawn values p below ``node`` that move, in forward order."""
        network, moving = self.network, self.moving
        flowing = [(parent, partial) for (child, parent), partial in network.partials.items()
                   if child is node and type(parent) is not float and moves(moving.get(parent))]
        terms = [(partial.text, partial.value, network.name(parent), moving[parent])
                 for parent, partial in sorted(flowing, key=lambda item: self.position[item[0]])]
        return self.writer.tangent(network.name(node), terms, moving.get(node, 0.0))


def network_tangent_frames(network, steps: list, lecture) -> list:
    """(step, graphviz.Digraph) for each step of ``network_tangent_steps``."""
    drawing = lecture.drawing
    moving = tangents(network.graph.order, {lecture.seed: 1.0})
    shown = {node: moving.get(node, 0.0) for node in network.graph.order}
    leaves = [node for node in network.parts if node.op is None]          # the seed gives every leaf's tangent
    known = ({("y", item) for item in network.inputs} | {("w", weight) for weight in network.weights}
             | {network.key_of(node, derivative=True) for node in leaves})
    result = []
    for step in steps:
        title = step.caption if lecture.captions else drawing.title
        if step.phase == "compare":
            result.append((step, comparison_picture(step.terms, replace(drawing, title=title))))
            continue
        state = State(known=set(known), highlight=set(step.keys) | set(step.uses))
        result.append((step, draw_network_as(network, drawing, grads=None, tangents=shown, state=state, title=title)))
        known |= set(step.keys)
    return result


def network_tangent_workload(network: Network) -> tuple:
    """(frames, nodes and edges per frame): the seed, a frame per unit, the loss, the comparison."""
    _, elements = network_workload(network)
    return len(network.units) + (1 if network.loss else 0) + 2, elements
