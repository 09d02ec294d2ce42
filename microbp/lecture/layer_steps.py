"""The lecture of a wide network in vector form: a step per layer, each with one entry worked out.

Forward, layer by layer: ``x⁽ˡ⁾ = W⁽ˡ⁾ y⁽ˡ⁻¹⁾ + b⁽ˡ⁾, y⁽ˡ⁾ = f(x⁽ˡ⁾)``, and one
unit with its numbers (``worked_unit``: the first whose numbers are not all
zero, so a dead relu is not the example); then the loss. Backward, from the output
layer down, two steps a layer: δ⁽ˡ⁾ = dE/dx⁽ˡ⁾ = dE/dy⁽ˡ⁾ ⊙ f′(x⁽ˡ⁾), where
dE/dy⁽ˡ⁾ comes from the loss for the output layer and is W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾ below it;
then dE/dW⁽ˡ⁾ = δ⁽ˡ⁾ y⁽ˡ⁻¹⁾ᵀ and dE/db⁽ˡ⁾ = δ⁽ˡ⁾. Last, one update a layer. Each
worked entry is the network lecture's own caption (``network_steps``): the
network's names, f′ from the table, and the engine's numbers; a sum of more
than ``SHOWN_TERMS`` terms is written with its first and last terms.

>>> from microbp.nn import MLP
>>> from microbp.losses import mse
>>> model = MLP(2, [16, 16, 1], seed=0)
>>> lecture = layer_steps(Network.of(mse([model([0.5, -1.0])], [1.0])))
>>> len(lecture), [step.phase for step in lecture].count("backward")
(13, 6)
>>> print(lecture[1].caption.splitlines()[0])
x⁽²⁾ = W⁽²⁾ y⁽¹⁾ + b⁽²⁾, y⁽²⁾ = relu(x⁽²⁾): 16 units, W⁽²⁾ is 16×16
"""

from __future__ import annotations

from ..figures.layer_view import LayerState, activation_of, draw_layers_as, largest_gradient, layer_mark, shown_units
from ..network.model import Network
from ..network.notation import LETTERS, use_notation
from ..text.plural import count
from .network_steps import CaptionWriter
from .step import Step
from .update_captions import Updates

SHOWN_TERMS = 4     # a longer sum is written with its first two terms, "…", and its last


def layer_steps(network: Network, lecture=None) -> list:
    """The steps of ``network``'s lecture in the layers view (``microbp.steps(root, view="layers")``).

    ``lecture`` (``LectureOptions``) gives the number format, the notation, whether local derivatives
    are simplified, the learning rate and the optimizer of the updates.
    """
    number_format, derivatives, notation, learning_rate, optimizer = (
        (lecture.number_format, lecture.derivatives, lecture.notation, lecture.learning_rate, lecture.optimizer)
        if lecture else (".4g", "simplified", "walkthrough", 0.1, None))
    use_notation(network, notation)
    worked = [worked_unit(layer, network.graph.gradients) for layer in network.layers]
    text = _Captions(network, CaptionWriter(network, number_format, derivatives, notation, worked), LETTERS[notation], worked)
    made = [text.forward(depth) for depth in range(1, len(network.layers) + 1)]
    if network.loss:
        loss = network.loss
        made.append(("forward", text.text.loss(), loss.node.data, loss.nodes, [("E", loss)],
                     [("y", network.parts[s]) for s in loss.sources if s in network.parts]))
    for depth in range(len(network.layers), 0, -1):
        made += [text.delta(depth), text.weight_gradients(depth)]
    if learning_rate is not None or optimizer is not None:
        updates = None if optimizer is None else Updates(optimizer, learning_rate)
        made += [text.update(depth, learning_rate, updates) for depth in range(1, len(network.layers) + 1)]
    return [Step(i, phase, list(nodes), caption, value, keys=tuple(keys), uses=tuple(uses))
            for i, (phase, caption, value, nodes, keys, uses) in enumerate(made)]


def layer_frames(network: Network, steps: list, lecture) -> list:
    """(step, graphviz.Digraph) per step: what each frame knows, and what its step computes and uses."""
    drawing, grads = lecture.drawing, network.graph.gradients
    known = {("y", item) for item in network.inputs} | {("w", weight) for weight in network.weights}
    result = []
    for step in steps:
        state = LayerState(known=set(known), computes=step.keys, uses=step.uses)
        result.append((step, draw_layers_as(network, drawing, grads=grads, state=state,
                                            title=step.caption if lecture.captions else drawing.title)))
        known |= set(step.keys)
    return result


def layer_workload(network: Network, lecture) -> tuple:
    """(frames, boxes, edges and table rows per frame) of the lecture, counted before any is drawn."""
    layers = len(network.layers)
    updates = lecture.learning_rate is not None or lecture.optimizer is not None
    frames = layers + bool(network.loss) + 2 * layers + layers * updates
    rows = sum(len(shown_units(layer)[0]) + 6 for layer in network.layers) + len(network.inputs)
    return frames, 2 * (layers + 2) + rows


class _Captions:
    """The layers lecture's captions: the vector equation, then the worked entries, in the network's names."""

    def __init__(self, network: Network, text: CaptionWriter, letters: dict, worked: list):
        self.network, self.text, self.letters, self.worked = network, text, letters, worked
        self.loss = text.root
        self.grads = network.graph.gradients

    def vector(self, kind: str, depth: int) -> str:
        """``y⁽²⁾``, ``x⁽²⁾`` (in the notation's letters), ``W⁽²⁾``, ``b⁽²⁾``, ``δ⁽²⁾``."""
        letter = {"y": self.letters["output"] if depth else self.letters["input"], "x": self.letters["net"]}
        return letter.get(kind, kind) + layer_mark(depth)

    def layer(self, depth: int) -> list:
        return self.network.layers[depth - 1]

    def forward(self, depth: int) -> tuple:
        layer, v = self.layer(depth), self.vector
        unit, shape = self.worked[depth - 1], f"{len(layer)}×{len(layer[0].weights)}"
        bias = f" + {v('b', depth)}" if unit.bias else ""
        activation = activation_of(layer)
        if activation is None:
            header = f"{v('y', depth)} = {v('W', depth)} {v('y', depth - 1)}{bias} (linear)"
        else:
            header = (f"{v('x', depth)} = {v('W', depth)} {v('y', depth - 1)}{bias}, "
                      f"{v('y', depth)} = {activation}({v('x', depth)})")
        lines = [f"{header}: {count(len(layer), 'unit')}, {v('W', depth)} is {shape}",
                 f"unit {unit.name}: {self.text.net_input(unit, joined=_sum)}"]
        if not unit.linear:
            lines.append(self.text.equation(unit.y, [unit.y]))
        keys = [(kind, u) for u in layer for kind in ("x", "y")]
        uses = [("y", w.source) for w in unit.weights] + [("w", w) for u in layer for w in _parameters(u)]
        return "forward", "\n".join(lines), unit.y.data, [n for u in layer for n in u.nodes], keys, uses

    def delta(self, depth: int) -> tuple:
        """δ⁽ˡ⁾: dE/dy⁽ˡ⁾ (from the loss, or W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾), then times f′(x⁽ˡ⁾), the worked unit's numbers."""
        layer, v, loss = self.layer(depth), self.vector, self.loss
        unit, last = self.worked[depth - 1], depth == len(self.network.layers)
        source = (f"= {v('W', depth + 1)}ᵀ δ{layer_mark(depth + 1)}" if not last
                  else "from the loss" if self.network.loss else "= 1, the output's own")
        activation = activation_of(layer)
        if activation is None:
            header = f"δ{layer_mark(depth)} = d{loss}/d{v('y', depth)} {source} (linear: f′ = 1)"
        else:
            header = (f"d{loss}/d{v('y', depth)} {source}; δ{layer_mark(depth)} = d{loss}/d{v('x', depth)} = "
                      f"d{loss}/d{v('y', depth)} ⊙ {activation}′({v('x', depth)})")
        lines = [header, f"unit {unit.name}: " + (self.text.gradient(unit.y, ("dy", unit))[0] if last
                                           else self.output_gradient(unit))]
        if not unit.linear:
            lines.append(self.text.gradient(unit.x, ("dx", unit))[0])
        keys = [(kind, u) for u in layer for kind in ("dy", "dx")]
        if last:
            uses = [("E", self.network.loss)] if self.network.loss else []
        else:
            above = self.layer(depth + 1)
            uses = [("dx", u) for u in above] + [("w", w) for u in above for w in u.weights]
        return "backward", "\n".join(lines), self.grads[unit.x], [u.y for u in layer], keys, uses

    def output_gradient(self, unit) -> str:
        """``dE/dy₂ = w₂,₁₈·dE/dx₁₈ + … = (numbers) = value``: a row of W⁽ˡ⁺¹⁾ᵀ times δ⁽ˡ⁺¹⁾."""
        name, factor = self.network.name, self.text.factor
        terms = self.text.children.get(unit.y, [])
        symbolic = [f"{partial.text}·d{self.loss}/d{name(child)}" for child, partial in terms]
        numeric = [f"{factor(partial.value)}·{factor(self.grads[child])}" for child, partial in terms]
        return (f"d{self.loss}/d{name(unit.y)} = {_sum(symbolic)} = {_sum(numeric)} = "
                f"{self.text.number(self.grads[unit.y])}")

    def weight_gradients(self, depth: int) -> tuple:
        """dE/dW⁽ˡ⁾ = δ⁽ˡ⁾ y⁽ˡ⁻¹⁾ᵀ and dE/db⁽ˡ⁾ = δ⁽ˡ⁾: an entry of the worked unit, the largest, its bias."""
        layer, v, loss = self.layer(depth), self.vector, self.loss
        unit = self.worked[depth - 1]
        parameters = [w for u in layer for w in _parameters(u)]
        header = (f"d{loss}/d{v('W', depth)} = δ{layer_mark(depth)} {v('y', depth - 1)}ᵀ "
                  f"({len(layer)}×{len(unit.weights)})"
                  + (f", d{loss}/d{v('b', depth)} = δ{layer_mark(depth)}" if unit.bias else ""))
        drawn = [w for w in parameters if type(w.node) is not float]
        lines = [header]
        if drawn:
            first = self.entry(depth, drawn)
            largest = largest_gradient([w for w in drawn if w.source is not None], self.grads)
            label = "the largest entry: " if largest is first else "one entry: "
            lines.append(label + self.text.gradient(first.node, ("dw", first))[0].replace("\n", "; "))
            if largest not in (None, first):
                lines.append("largest: " + self.text.gradient(largest.node, ("dw", largest))[0].splitlines()[-1])
            if unit.bias and type(unit.bias.node) is not float:
                lines.append(self.text.gradient(unit.bias.node, ("dw", unit.bias))[0].splitlines()[-1])
        keys = [("dw", w) for w in parameters]
        uses = [("dx", u) for u in layer] + [("y", w.source) for w in unit.weights]
        value = self.grads[first.node] if drawn else 0.0
        return "backward", "\n".join(lines), value, [w.node for w in drawn], keys, uses

    def entry(self, depth: int, weights: list):
        """The weight a layer's captions work out: the worked unit's first with a dE/dw that is not zero."""
        unit = self.worked[depth - 1]
        return next((w for w in weights if w.unit is unit and self.grads[w.node] != 0),
                    next((w for w in weights if w.unit is unit), weights[0]))

    def update(self, depth: int, learning_rate, updates) -> tuple:
        """W⁽ˡ⁾ ← W⁽ˡ⁾ − η·dE/dW⁽ˡ⁾ (or the optimizer's rule), for the worked entry and the largest."""
        layer, v = self.layer(depth), self.vector
        parameters = [w for u in layer for w in _parameters(u) if type(w.node) is not float]
        bias = f", {v('b', depth)} ← {v('b', depth)} − η·d{self.loss}/d{v('b', depth)}" if layer[0].bias else ""
        header = (f"{v('W', depth)} ← {v('W', depth)} − η·d{self.loss}/d{v('W', depth)}{bias} "
                  f"({count(len(parameters), 'number')})")
        largest = largest_gradient([w for w in parameters if w.source is not None], self.grads)
        worked = list(dict.fromkeys(w for w in [self.entry(depth, parameters), largest] if w)) if parameters else []
        caption, values = self.text.update(worked, learning_rate, updates) if worked else ("", [0.0])
        if updates is not None:
            header = f"{v('W', depth)}, {v('b', depth)}: every entry by the rule below ({count(len(parameters), 'number')})"
        keys = [("w", w) for w in parameters]
        return ("update", f"{header}\n{caption}".strip(), values[0], [w.node for w in parameters], keys,
                [("dw", w) for w in parameters])


def worked_unit(layer: list, grads: dict):
    """The unit a layer's captions work out: the first whose output and δ (dE/dx) are not zero, else the first.

    >>> from types import SimpleNamespace as Unit
    >>> dead, live = Unit(x="x1", y=Unit(data=0.0)), Unit(x="x2", y=Unit(data=0.4))
    >>> worked_unit([dead, live], {"x1": 0.0, "x2": 0.3}) is live
    True
    """
    return next((unit for unit in layer if unit.y.data != 0 and grads[unit.x] != 0), layer[0])


def _parameters(unit) -> list:
    return unit.weights + ([unit.bias] if unit.bias else [])


def _sum(terms: list) -> str:
    """Terms joined by `` + ``; more than ``SHOWN_TERMS`` as the first two, ``…`` and the last.

    >>> _sum(["a", "b"]), _sum(list("abcdef"))
    ('a + b', 'a + b + … + f')
    """
    shown = terms if len(terms) <= SHOWN_TERMS else terms[:2] + ["…"] + terms[-1:]
    return " + ".join(shown)
