"""A network read off a graph: its inputs, its units layer by layer, its weights and its loss.

The network view (``draw(root, view="network")``) and its lecture read this.
A unit is found from the scopes the graph records (``microbp.nn`` makes one
per layer and neuron; a hand-built network uses ``microbp.scope``): each value
made in a scope and used outside it (or the root) is a unit's output ``y``; its
net input ``x`` is the operand of its activation (a one-input operation), or
``y`` itself for a linear unit; ``x`` must be a weighted sum (``affine``,
``dot``, or sums of products). In a product, the operand that is another
unit's output, a number, or a value several units share, is the input; else
the first (``w * y``, as ``affine`` writes it). What is left after the last
layer is the loss. Units are numbered as in the classic walkthrough: inputs
0, 1, ..., then the units layer by layer; unit j has net input ``xⱼ`` and
output ``yⱼ``, ``wᵢⱼ`` is the weight from i to j and ``bⱼ`` the bias of j.

>>> from microbp import Value, scope
>>> y0 = Value(1.0, label="y0"); w01 = Value(0.5, label="w01")
>>> with scope("layer 1"):
...     y1 = (w01 * y0).sigmoid()
>>> error = (y1 - 0.2) ** 2 * 0.5
>>> net = Network.of(error)
>>> [unit.name for unit in net.units], [w.name for w in net.weights], net.loss.name
(['1'], ['w₀₁'], 'E')
>>> net.partials[y1, net.units[0].x]          # from the sigmoid's row of the table
Partial(text='y₁ × (1 − y₁)', value=0.2350037122015945)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from ..core.graph import Graph
from ..errors import NotANetworkError
from ..text.naming import indexed
from .loss_block import is_block_scope
from .parts import connections, region_partials


@dataclass(eq=False)
class Input:
    """A network input: a value (``y₀``), or a number the first layer's units share."""

    index: int
    node: object
    name: str

    @property
    def value(self) -> float:
        return self.node if type(self.node) is float else self.node.data


@dataclass(eq=False)
class Unit:
    """A unit: net input ``x`` (a weighted sum), output ``y`` (``x`` itself when linear)."""

    index: int
    layer: int
    x: object
    y: object
    path: tuple
    nodes: list
    weights: list = field(default_factory=list)
    bias: "Weight | None" = None

    @property
    def name(self) -> str:
        return str(self.index)

    @property
    def linear(self) -> bool:
        return self.x is self.y


@dataclass(eq=False)
class Weight:
    """The weight from ``source`` (an Input or a Unit; ``None`` for a bias) into ``unit``."""

    source: object
    unit: Unit
    node: object
    name: str = ""

    @property
    def value(self) -> float:
        return self.node if type(self.node) is float else self.node.data


@dataclass(eq=False)
class Loss:
    """What follows the last layer: the root, the nodes that compute it, and what feeds them."""

    node: object
    name: str
    nodes: list
    sources: list


class Partial(NamedTuple):
    """A local derivative between two drawn quantities: its formula (from the table) and number."""

    text: str
    value: float


class Network:
    """The network of a graph (``Network.of(root)``); see the module's docstring."""

    def __init__(self, graph: Graph, inputs: list, units: list, loss: Loss | None, number_format: str = ".4g"):
        self.graph, self.inputs, self.units, self.loss = graph, inputs, units, loss
        self.number_format = number_format
        self.layers = [[unit for unit in units if unit.layer == depth] for depth in range(1, units[-1].layer + 1)]
        self.weights = [w for unit in units for w in unit.weights + ([unit.bias] if unit.bias else [])]
        self.names = self.renamed({unit: (indexed("x", unit.index), indexed("y", unit.index)) for unit in units})

    @classmethod
    def of(cls, root, number_format: str = ".4g") -> "Network":
        """The network ``root`` was computed by, or a NotANetworkError saying what is missing."""
        graph = Graph.of(root)
        units, input_nodes = _units(graph)
        inputs = [Input(i, node, indexed("y", i)) for i, node in enumerate(input_nodes)]
        by_node = {_key(i.node): i for i in inputs} | {unit.y: unit for unit in units}
        for position, unit in enumerate(units):
            unit.index = len(inputs) + position
            for weight in unit.weights:
                weight.source = by_node[_key(weight.source)]
                weight.name = indexed("w", weight.source.index, unit.index)
            if unit.bias:
                unit.bias.name = indexed("b", unit.index)
        return cls(graph, inputs, units, _loss(graph, units, by_node), number_format)

    def renamed(self, unit_names: dict) -> dict:
        """Value (or a shared float's id) -> its name in the figure and the captions; ``unit_names`` gives
        each unit's (net input, output) names (``microbp.network.notation`` chooses them)."""
        names = {_key(i.node): i.name for i in self.inputs}
        for unit in self.units:
            names[unit.x], names[unit.y] = unit_names[unit]
        names.update((_key(w.node), w.name) for w in self.weights if type(w.node) is not float)
        if self.loss:
            names.update((node, self.graph.names[node]) for node in self.loss.sources if node.op is None)
            names[self.loss.node] = self.loss.name
        return names

    def name(self, node) -> str:
        return self.names[_key(node)]

    @cached_property
    def parts(self) -> dict:
        """Value -> the Unit, Input, Weight or Loss that draws it."""
        parts = {w.node: w for w in self.weights if type(w.node) is not float}
        parts.update((i.node, i) for i in self.inputs if type(i.node) is not float)
        for unit in self.units:
            parts[unit.x] = parts[unit.y] = unit
        if self.loss:
            parts[self.loss.node] = self.loss
        return parts

    def key_of(self, node, derivative: bool = False) -> tuple:
        """The key a picture knows a drawn value (or its derivative) by: ``("dx", unit)``, ``("y", input)``..."""
        part = self.parts[node]
        if isinstance(part, Unit):
            kind = "x" if node is part.x and not part.linear else "y"
        else:
            kind = {Input: "y", Weight: "w", Loss: "E"}[type(part)]
        return ("d" + kind if derivative and kind != "E" else kind), part

    @cached_property
    def partials(self) -> dict:
        """(child, parent) -> Partial, for every edge the figure draws: ∂y/∂x, ∂x/∂w, ∂x/∂yᵢ, ∂E/∂y."""
        found = {}
        for unit in self.units:
            if not unit.linear:
                found.update(region_partials(unit.y, [unit.y], self.names, self.number_format))
            inside = [node for node in unit.nodes if node is not unit.y or unit.linear]
            found.update(region_partials(unit.x, inside, self.names, self.number_format))
        if self.loss:
            found.update(region_partials(self.loss.node, self.loss.nodes, self.names, self.number_format))
        return {key: Partial(*value) for key, value in found.items()}


def _key(node):
    """How a drawn quantity is looked up: a Value by itself, a shared float by its identity."""
    return id(node) if type(node) is float else node


def _units(graph: Graph) -> tuple:
    """(units in layer order, input nodes in order of first use), or NotANetworkError."""
    groups = {}
    for node in graph.computed:
        if node.scope is not None and not is_block_scope(node.scope):
            groups.setdefault(node.scope, set()).add(node)
    if not groups:
        raise NotANetworkError("view='network' needs units: values made inside microbp.scope (microbp.nn "
                               "makes one scope per layer and neuron); this graph has no scopes. Draw it "
                               "with view='graph'")
    outputs = [node for node in graph.computed if node.scope in groups
               and (node is graph.root or any(child not in groups[node.scope] for child, _ in graph.children[node]))]
    units, made = [], set(outputs)
    for y in outputs:
        units.append(_unit(y, groups[y.scope], made))
    shared = _shared_leaves(graph, units)
    position = {node: i for i, node in enumerate(graph.order)}
    by_output, inputs, known = dict(zip(outputs, units)), [], set()
    for unit in units:                          # in topological order: a unit's sources come first
        unit.nodes.sort(key=position.__getitem__)
        pairs, bias = connections(unit, made, shared)
        unit.weights = [Weight(source, unit, weight) for source, weight in pairs]
        unit.bias = None if bias is None else Weight(None, unit, bias)
        sources = [w.source for w in unit.weights]
        unit.layer = 1 + max((by_output[s].layer for s in sources if type(s) is not float and s in made),
                             default=0)
        for source in sources:
            if (type(source) is float or source not in made) and _key(source) not in known:
                known.add(_key(source))
                inputs.append(source)
    units.sort(key=lambda unit: (unit.layer, position[unit.y]))
    return units, inputs


def _unit(y, group: set, outputs: set) -> Unit:
    """The unit whose output is ``y``: its activation's operand as ``x``, its nodes in the group."""
    operands = [p for p in y.parents if type(p) is not float]
    x = y
    if y.op.arity == 1 and operands and operands[0] in group and operands[0] not in outputs:
        x = operands[0]
    nodes, stack, seen = [], [y], {y}
    while stack:
        node = stack.pop()
        nodes.append(node)
        for p in node.parents:
            if type(p) is not float and p in group and p not in outputs and p not in seen:
                seen.add(p)
                stack.append(p)
    return Unit(0, 0, x, y, y.scope, nodes)


def _shared_leaves(graph: Graph, units: list) -> set:
    """Keys of the values and numbers that feed more than one unit: inputs, not weights."""
    owner, shared = {}, set()
    for unit in units:
        for node in unit.nodes:
            for p in node.parents:
                key = _key(p)
                if owner.setdefault(key, unit) is not unit:
                    shared.add(key)
    return shared


def _loss(graph: Graph, units: list, known: dict) -> Loss | None:
    """The nodes after the last layer, or None when the root is a unit's output."""
    in_units = {node for unit in units for node in unit.nodes}
    region, stack = set(), [graph.root]
    while stack:                                # from the root back to the units' outputs and the inputs
        node = stack.pop()
        if node.op is not None and node not in in_units and node not in known and node not in region:
            region.add(node)
            stack.extend(p for p in node.parents if type(p) is not float)
    if not region:
        return None
    nodes = [node for node in graph.computed if node in region]
    sources = list(dict.fromkeys(p for node in nodes for p in node.parents
                                 if type(p) is not float and p not in region))
    return Loss(graph.root, graph.root.label or "E", nodes, sources)
