"""Collapsed scopes, and the size a drawing may have.

With ``collapse=k`` each scope at depth k is drawn as one box (a ``Box``): its
operations, and the weights and biases of its weighted sums (``affine``,
``dot``: a neuron's), so a collapsed network draws no parameter boxes. Its
inputs, and leaves used any other way, stay drawn. ``check_size`` refuses a graph too large to read, saying
what to do instead.

>>> from microbp import Graph, Value, affine, scope
>>> x = Value(1.0, label="x"); w = Value(2.0, label="w"); b = Value(0.5, label="b")
>>> with scope("neuron"):
...     y = affine([w], [x], b).tanh()
>>> box = collapsed_boxes(Graph(y * 3), 1)[y]
>>> [node.label or node.op.name for node in box.members], box.outputs == [y]     # not the input x
(['w', 'b', 'affine', 'tanh'], True)
"""

from __future__ import annotations

from typing import NamedTuple

from ..errors import GraphTooLargeError


class Box(NamedTuple):
    """A collapsed scope: its DOT id, its path, its nodes in order, and those used outside it."""

    name: str
    path: tuple
    members: list
    outputs: list


def collapsed_boxes(graph, collapse) -> dict:
    """node -> its ``Box``, for nodes inside a collapsed scope: the scope's computed nodes, and the
    parameters of their weighted sums (the weights and bias of a neuron's ``affine``)."""
    if collapse is None:
        return {}
    path_of = {node: node.scope[:collapse] for node in graph.computed
               if node.scope is not None and len(node.scope) >= collapse}
    for leaf in graph.leaves:
        paths = {path_of.get(child) for child, _ in graph.children[leaf]}
        if len(paths) == 1 and None not in paths and _is_parameter(leaf, graph.children[leaf]):
            path_of[leaf] = paths.pop()
    members: dict[tuple, list] = {}
    for node in graph.order:
        if node in path_of:
            members.setdefault(path_of[node], []).append(node)
    boxes = {}
    for i, (path, nodes) in enumerate(members.items()):
        outputs = [node for node in nodes if node is graph.root
                   or any(path_of.get(child) != path for child, _ in graph.children[node])]
        box = Box(f"s{i}", path, nodes, outputs)
        boxes.update((node, box) for node in nodes)
    return boxes


def _is_parameter(leaf, children) -> bool:
    """A weight or bias of a weighted sum (``affine``, ``dot``), used by that one node: never an input."""
    from ..network.parts import row_kind

    if len({id(child) for child, _ in children}) != 1 or row_kind(children[0][0].op) != "weighted":
        return False
    child = children[0][0]
    lists, _ = child.op.groups(list(child.parents))
    return not any(p is leaf for p in lists[1])


def check_size(graph, boxes, collapse, max_nodes, caller: str = "draw", instead=lambda graph: "") -> None:
    """Refuse, with what to do instead, a graph with more value nodes than ``max_nodes`` once collapsed.

    ``instead(graph)`` adds how other views would draw it (``", or view=..."``), asked only when refusing.
    """
    order = graph.order
    drawn = len(order) - len(boxes) + len({box.name for box in boxes.values()})
    if drawn <= max_nodes:
        return
    scopes = {node.scope[0] for node in order if node.scope is not None}
    hint = (f", or collapse=1 to draw each of the {len(scopes)} outermost scopes as one box"
            if scopes and collapse is None else "")
    raise GraphTooLargeError(
        f"{caller}: the graph has {drawn} nodes, over the limit of {max_nodes} (dot would be slow and "
        f"the picture unreadable); pass max_nodes={drawn} to draw it anyway{hint}{instead(graph)}",
        option="max_nodes", needed=drawn, limit=max_nodes)


def span(names: list) -> str:
    """A list of names, shortened to its first and last when long: ``y₁…y₁₆``."""
    return ", ".join(names) if len(names) <= 3 else f"{names[0]}…{names[-1]} ({len(names)})"
