"""The graph view's lecture: every node forward in topological order, then every gradient backward.

Backward steps go depth first, one path after another (``order="reverse-topological"``),
or by distance from the output (``order="layers"``); with ``collapse`` the nodes of
each scope at that depth (and the parameters only they use) make one step.

>>> from microbp import Graph, Value
>>> a = Value(3.0, label="a")
>>> [step.phase for step in graph_steps(Graph(a * a), ".4g", None, "reverse-topological")]
['forward', 'backward', 'backward']
"""

from __future__ import annotations

from ..figures.collapse import collapsed_boxes
from .captions import Captions
from .step import Step


def graph_steps(graph, number_format: str, collapse: int | None, order: str) -> list:
    """The forward steps of ``graph``'s computed nodes (or collapsed scopes), then the backward steps."""
    grads, children = graph.gradients, graph.children
    text = Captions(graph, number_format)
    groups = _groups(graph, collapse)
    result = []
    for group in groups:
        if group[-1].op is not None:
            result.append(Step(len(result), "forward", group, text.forward(group), group[-1].data))
    for group in (reversed(groups) if order == "reverse-topological" else _by_layer(graph, groups)):
        node = group[-1]
        terms = [(child, grads[child], local) for child, local in children.get(node, [])
                 if len(group) == 1 or child not in group]
        caption = text.backward(group, terms if node is not graph.root else [], grads[node])
        result.append(Step(len(result), "backward", group, caption, grads[node], terms))
    return result


def _by_layer(graph, groups) -> list:
    """Groups by their distance from the root (the longest path), then in forward order."""
    distance = {graph.root: 0}
    for node in reversed(graph.order):
        for parent in node.parents:
            if type(parent) is not float:
                distance[parent] = max(distance.get(parent, 0), distance[node] + 1)
    place = {id(group): i for i, group in enumerate(groups)}
    return sorted(groups, key=lambda group: (min(distance[node] for node in group), place[id(group)]))


def _groups(graph, collapse) -> list:
    """The nodes in order, as lists: one node each, or a collapsed scope's nodes (and parameters) together,
    placed where its last node (its output) is."""
    boxes = collapsed_boxes(graph, collapse)
    return [[node] if node not in boxes else boxes[node].members for node in graph.order
            if node not in boxes or boxes[node].members[-1] is node]
