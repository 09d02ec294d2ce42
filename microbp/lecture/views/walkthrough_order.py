"""The walkthrough's order for the graph view of a network: unit by unit forward, layer by layer back.

The graph view's own orders follow the graph (topological, or by distance
from the output), which on a network mixes layers: a weight's gradient can
come long after its unit's. ``walkthrough_order`` re-sorts the graph view's
steps the way the network view's lecture goes: forward each unit's nodes, in
order, then the loss; backward the loss, then each layer from the last, each
unit in turn (its output, its net input, its products, then its weights and
bias), and the inputs last.

>>> import microbp
>>> from microbp.network.model import Network
>>> from microbp.lecture.graph_steps import graph_steps
>>> error = microbp.walkthrough_network()
>>> graph = microbp.Graph(error)
>>> made = walkthrough_order(graph_steps(graph, ".4g", None, "layers"), Network.of(graph))
>>> [step.caption.splitlines()[-1].split(" =")[0] for step in made if step.phase == "backward"][3:12]
['dE/dy5', 'dE/dx5', 'dE/dv5', 'dE/dv8', 'dE/dw35', 'dE/dw45', 'dE/dy3', 'dE/dx3', 'dE/dv2']
"""

from __future__ import annotations

from dataclasses import replace


def walkthrough_order(steps: list, network) -> list:
    """``steps`` (the graph view's) re-sorted into the walkthrough's order, and numbered again."""
    forward_rank, backward_rank = _ranks(network)
    forward = [step for step in steps if step.phase == "forward"]
    backward = [step for step in steps if step.phase != "forward"]
    forward.sort(key=lambda step: forward_rank.get(step.node, (len(forward_rank), 0)))
    backward.sort(key=lambda step: backward_rank.get(step.node, (len(backward_rank), 0)))
    return [replace(step, index=i) for i, step in enumerate(forward + backward)]


def _ranks(network) -> tuple:
    """(node -> forward rank, node -> backward rank), each a (group, position) pair."""
    position = {node: i for i, node in enumerate(network.graph.order)}
    forward, backward = {}, {}
    loss_nodes = network.loss.nodes if network.loss else []
    groups = [unit.nodes for unit in network.units] + [loss_nodes]
    for rank, nodes in enumerate(groups):
        forward.update((node, (rank, position[node])) for node in nodes)
    backward.update((node, (0, -position[node])) for node in loss_nodes)
    rank = 1
    for layer in reversed(network.layers):
        for unit in layer:
            depth = _depths(unit)
            backward.update((node, (rank, depth[node] * len(position) + position[node])) for node in unit.nodes)
            weights = unit.weights + ([unit.bias] if unit.bias else [])
            backward.update((w.node, (rank, len(position) ** 2 + i)) for i, w in enumerate(weights)
                            if type(w.node) is not float)
            rank += 1
    backward.update((item.node, (rank, i)) for i, item in enumerate(network.inputs) if type(item.node) is not float)
    return forward, backward


def _depths(unit) -> dict:
    """Each of a unit's nodes -> its longest distance from the unit's output (the output: 0)."""
    inside = set(unit.nodes)
    depth = {node: 0 for node in unit.nodes}
    for node in reversed(unit.nodes):
        for parent in node.parents:
            if type(parent) is not float and parent in inside:
                depth[parent] = max(depth[parent], depth[node] + 1)
    return depth
