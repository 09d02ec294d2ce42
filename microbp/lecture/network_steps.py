"""The lecture of a network, as the walkthrough teaches it: unit by unit forward, layer by layer back.

Forward, each unit in turn computes its net input and its output, then the
loss. Backward (``order="layers"``) starts at the output layer: for each unit,
dE/dy (from the units it feeds, or from the loss), dE/dx, then dE/dw for each
weight into it (and its bias); then the layer before, down to the inputs.
Last come the weight updates, ``w ← w − η·dE/dw``, one step per unit. Each
step names the quantities (``keys``) it computes and those it ``uses``, which
its frame highlights.

>>> from microbp import Value, scope
>>> y0 = Value(1.0, label="y0"); w = Value(0.5, label="w01")
>>> with scope("layer 1"):
...     y1 = (w * y0).sigmoid()
>>> error = (y1 - 0.2) ** 2 * 0.5
>>> for step in network_steps(Network.of(error)): print(step.phase, step.caption.splitlines()[-1])
forward y₁ = σ(x₁) = σ(0.5) = 0.6225
forward E = (y₁ − 0.2)² × 0.5 = (0.6225 − 0.2)² × 0.5 = 0.08924
backward dE/dy₁ = ∂E/∂y₁ = 0.4225
backward dE/dx₁ = dE/dy₁ · ∂y₁/∂x₁ = 0.4225 × 0.235 = 0.09928
backward dE/dw₀₁ = dE/dx₁ · ∂x₁/∂w₀₁ = 0.09928 × 1 = 0.09928
backward dE/dy₀ = dE/dx₁ · ∂x₁/∂y₀ = 0.09928 × 0.5 = 0.04964
update w₀₁ ← w₀₁ − η·dE/dw₀₁ = 0.5 − 0.1 × 0.09928 = 0.4901
"""

from __future__ import annotations

from ..network.loss_block import loss_blocks
from ..network.model import Network
from ..network.notation import target_letter, use_notation
from ..network.parts import region_formula
from ..text.notation import Style, as_factor, number
from .loss_captions import LossCaptions
from .step import Step
from .update_captions import Updates


def network_steps(network: Network, number_format: str = ".4g", order: str = "layers",
                  learning_rate: float | None = 0.1, lecture=None) -> list:
    """The steps of ``network``'s lecture (``microbp.steps(root, view="network")``).

    ``lecture`` (``LectureOptions``) gives the notation, whether local derivatives
    are simplified, and the optimizer of the updates (``None``: ``w ← w − η·dE/dw``).
    """
    derivatives, notation, optimizer = ((lecture.derivatives, lecture.notation, lecture.optimizer) if lecture
                                        else ("simplified", "walkthrough", None))
    use_notation(network, notation)
    text = CaptionWriter(network, number_format, derivatives, notation)
    result = []

    def add(phase, caption, value, nodes, keys, uses):
        result.append(Step(len(result), phase, list(nodes), caption, value, keys=tuple(keys), uses=tuple(uses)))

    for unit in network.units:
        incoming = unit.weights + ([unit.bias] if unit.bias else [])
        add("forward", text.forward(unit), unit.y.data, unit.nodes, [("x", unit), ("y", unit)],
            [("y", w.source) for w in unit.weights] + [("w", w) for w in incoming])
    if network.loss:
        loss = network.loss
        add("forward", text.loss(), loss.node.data, loss.nodes, [("E", loss)],
            [("y", network.parts[s]) for s in loss.sources if s in network.parts])
    backward = _backward(network, text)
    if order == "reverse-topological":
        position = {node: i for i, node in enumerate(network.graph.order)}
        backward.sort(key=lambda item: -position[item[2][0]])
    for item in backward:
        add("backward", *item)
    if learning_rate is not None or optimizer is not None:
        updates = None if optimizer is None else Updates(optimizer, learning_rate)
        for unit in network.units:
            weights = [w for w in unit.weights + [unit.bias] if w and type(w.node) is not float]
            if weights:
                caption, values = text.update(weights, learning_rate, updates)
                add("update", caption, values[0], [w.node for w in weights],
                    [("w", w) for w in weights], [("dw", w) for w in weights])
                result[-1].terms = list(zip(weights, values))
    return result


def _backward(network: Network, text) -> list:
    """(caption, value, nodes, keys, uses) of every backward step, in the walkthrough's order."""
    grads, steps = network.graph.gradients, []
    for layer in reversed(network.layers):
        for unit in layer:
            steps.append(text.gradient(unit.y, ("dy", unit)))
            if not unit.linear:
                steps.append(text.gradient(unit.x, ("dx", unit)))
            for weight in unit.weights + [unit.bias]:
                if weight and type(weight.node) is not float:
                    steps.append(text.gradient(weight.node, ("dw", weight)))
    for item in network.inputs:
        if type(item.node) is not float and grads.get(item.node) is not None:
            steps.append(text.gradient(item.node, ("dy", item)))
    return steps


class CaptionWriter:
    """Captions in the network's names: totals ``dE/dx₃``, local derivatives ``∂y₃/∂x₃`` (the network
    lecture's, and the worked entries of the layers lecture's)."""

    def __init__(self, network: Network, number_format: str, derivatives: str = "simplified",
                 notation: str = "walkthrough", units=None):
        self.network, self.style = network, Style(False, number_format)
        self.root = network.loss.name if network.loss else network.name(network.units[-1].y)
        blocks = [b for b in loss_blocks(network.graph) if network.loss and b.root is network.loss.node]
        self.block = (LossCaptions(blocks[0], network.name, self.root, number_format, target_letter(notation))
                      if blocks and all(p in network.parts for p in blocks[0].predictions) else None)
        texts = simplified_partials(network, units) if derivatives == "simplified" else {}
        self.children = {}
        for (child, parent), partial in network.partials.items():
            partial = partial._replace(text=texts.get((child, parent), partial.text))
            self.children.setdefault(parent, []).append((child, partial))

    def number(self, x: float) -> str:
        return str(number(x, self.style))

    def factor(self, x: float) -> str:
        """A number as a factor of a product: ``(−3)`` in parentheses when negative."""
        return as_factor(x, self.style)

    def forward(self, unit) -> str:
        lines = [self.net_input(unit)]
        if not unit.linear:
            lines.append(self.equation(unit.y, [unit.y]))
        return "\n".join(lines)

    def net_input(self, unit, joined=" + ".join) -> str:
        """``x₃ = w₁₃·y₁ + w₂₃·y₂ + b₃``, written alike however the sum was built (``*``, ``dot``,
        ``affine``); ``joined`` writes a list of terms as a sum (the layers lecture shortens a long one)."""
        name = self.network.name
        terms = [(name(w.node) if type(w.node) is not float else self.number(w.node), w.value,
                  w.source.name if not hasattr(w.source, "y") else name(w.source.y), _data(w.source))
                 for w in unit.weights]
        symbolic = [f"{w}·{y}" if w != "1" else y for w, _, y, _ in terms]
        numeric = [f"{self.factor(wv)}·{self.factor(yv)}" if w != "1" else self.factor(yv) for w, wv, _, yv in terms]
        if unit.bias:
            symbolic.append(name(unit.bias.node) if type(unit.bias.node) is not float
                            else self.number(unit.bias.node))
            numeric.append(self.factor(unit.bias.value))
        return f"{name(unit.x)} = {joined(symbolic)} = {joined(numeric)} = {self.number(unit.x.data)}"

    def loss(self) -> str:
        if self.block:
            return self.block.forward()
        return self.equation(self.network.loss.node, self.network.loss.nodes)

    def equation(self, node, region) -> str:
        """``y₃ = σ(x₃) = σ(0.2426) = 0.5604``: ``node`` as ``region`` computes it, in names, in numbers."""
        names = self.network.names
        return (f"{self.network.name(node)} = {region_formula(region, names, self.style)} = "
                f"{region_formula(region, names, self.style, numbers=True)} = {self.number(node.data)}")

    def gradient(self, node, key) -> tuple:
        """(caption, value, nodes, keys, uses) of the step that computes dE/d(node)."""
        grads, name = self.network.graph.gradients, self.network.name
        total = f"d{self.root}/d{name(node)}"
        if node is self.network.graph.root:
            return f"{total} = 1", 1.0, [node], [key], []
        terms = self.children.get(node, [])
        locals_line = "; ".join(self.block.local(node) if self.block and child is self.block.block.root
                                else f"∂{name(child)}/∂{name(node)} = {partial.text}"
                                + ("" if partial.text == self.number(partial.value) else
                                   f" = {self.number(partial.value)}") for child, partial in terms)
        value = self.number(grads[node])
        if len(terms) == 1 and terms[0][0] is self.network.graph.root:
            chain = f"{total} = ∂{self.root}/∂{name(node)} = {value}"
        else:
            symbolic = " + ".join(f"d{self.root}/d{name(child)} · ∂{name(child)}/∂{name(node)}" for child, _ in terms)
            numeric = " + ".join(f"{self.factor(grads[child])} × {self.factor(p.value)}" for child, p in terms)
            chain = f"{total} = {symbolic} = {numeric} = {value}"
        uses = [self.network.key_of(child, derivative=True) for child, _ in terms]
        uses += [("w", w) for w in self.network.weights if w.node is node or self.network.parts.get(node) is w.source
                 and any(w.unit is self.network.parts[child] for child, _ in terms)]
        uses += [("y", w.source) for w in self.network.weights if w.node is node and w.source is not None]
        return f"{locals_line}\n{chain}", grads[node], [node], [key], uses

    def update(self, weights, learning_rate: float, updates=None) -> tuple:
        """(caption, new values) of a unit's weight updates: plain ``w ← w − η·dE/dw``, or ``updates``'."""
        grads = self.network.graph.gradients
        if updates is not None:
            lines = [updates.weight(w.name, w.node, w.value, grads[w.node], f"d{self.root}/d{w.name}")
                     for w in weights]
            return "\n".join([updates.header()] + [line for line, _ in lines]), [value for _, value in lines]
        values = [w.value - learning_rate * grads[w.node] for w in weights]
        return "\n".join(f"{w.name} ← {w.name} − η·d{self.root}/d{w.name} = {self.number(w.value)} − "
                         f"{self.factor(learning_rate)} × {self.factor(grads[w.node])} = "
                         f"{self.number(value)}" for w, value in zip(weights, values)), values


def _data(source) -> float:
    """The value a weight multiplies: an input's, or a unit's output."""
    return source.y.data if hasattr(source, "y") else source.value


def simplified_partials(network, units=None) -> dict:
    """(child, parent) -> the local derivative simplified by sympy (``microbp.lecture.simplify``), as text,
    where it is plain maths; the network's own partials (the table's chain) stand elsewhere. ``units``:
    only the derivatives inside these units (and the loss), for a lecture that works out a few."""
    from .simplify import maths, readable, region_simplified

    units = network.units if units is None else units
    regions = [(unit.y, [unit.y]) for unit in units if not unit.linear]
    regions += [(unit.x, [n for n in unit.nodes if n is not unit.y or unit.linear]) for unit in units]
    if network.loss:
        regions.append((network.loss.node, network.loss.nodes))
    found = {}
    for top, region in regions:
        for node, expression in region_simplified(top, region, network.names).items():
            if readable(expression) and (top, node) in network.partials:
                found[top, node] = maths(expression)
    return found
