"""The graph view's lecture: every node forward in topological order, then every gradient backward.

Backward steps go depth first, one path after another (``order="reverse-topological"``),
or by distance from the output (``order="layers"``); with ``collapse`` the nodes of
each scope at that depth (and the parameters only they use) make one step. A loss
from ``microbp.losses`` is one block (``microbp.network.loss_block``): one forward
step as the textbook writes it (p = softmax(z), L = −log pₖ), and the textbook's
derivative (∂L/∂zᵢ = pᵢ − yᵢ) where the gradient leaves it.

>>> from microbp import Graph, Value
>>> a = Value(3.0, label="a")
>>> [step.phase for step in graph_steps(Graph(a * a), ".4g", None, "reverse-topological")]
['forward', 'backward', 'backward']
>>> from microbp import losses
>>> z = [Value(1.0, label="z1"), Value(2.0, label="z2")]
>>> lecture = graph_steps(Graph(losses.cross_entropy(z, 0)), ".4g", None, "reverse-topological")
>>> print(lecture[-1].caption)
∂f/∂z1 = p₁ − y₁ = 0.2689 − 1 = −0.7311
df/dz1 = df/df · ∂f/∂z1 = 1 × (−0.7311) = −0.7311
"""

from __future__ import annotations

from ..figures.collapse import collapsed_boxes
from ..network.loss_block import loss_blocks
from .captions import Captions
from .loss_captions import LossCaptions
from .step import Step


def graph_steps(graph, number_format: str, collapse: int | None, order: str, lecture=None) -> list:
    """The forward steps of ``graph``'s computed nodes (or collapsed scopes), then the backward steps;
    ``lecture`` (``LectureOptions``) says whether local derivatives are simplified."""
    grads = graph.gradients
    text = Captions(graph, number_format, derivatives=lecture.derivatives if lecture else "simplified")
    blocks = _blocks(graph, text) if collapse is None else {}
    groups = _merged(_groups(graph, collapse), blocks)
    result = []
    for group in groups:
        if group[-1].op is not None:
            caption = blocks[group[-1]].forward() if group[-1] in blocks else text.forward(group)
            result.append(Step(len(result), "forward", group, caption, group[-1].data))
    for group in (reversed(groups) if order == "reverse-topological" else _by_layer(graph, groups)):
        node = group[-1]
        terms = _terms(graph, node, group, blocks)
        shown = [node] if node in blocks else group
        caption = text.backward(shown, terms if node is not graph.root else [], grads[node])
        result.append(Step(len(result), "backward", group, caption, grads[node], terms))
    return result


def _blocks(graph, text) -> dict:
    """Block root -> its captions, for each loss block of the graph (registered with ``text``)."""
    blocks = {}
    for block in loss_blocks(graph):
        target = "t" if block.kind == "mse" else "y"
        blocks[block.root] = LossCaptions(block, text.operand, text.operand(block.root), text.number_format, target)
    text.blocks = blocks
    return blocks


def _merged(groups: list, blocks: dict) -> list:
    """The groups, with each loss block's nodes as one group, placed where its root is."""
    inside = {node: root for root, captions in blocks.items() for node in captions.block.nodes}
    merged = []
    for group in groups:
        node = group[-1]
        if node in blocks:
            merged.append(list(blocks[node].block.nodes))
        elif node not in inside:
            merged.append(group)
    return merged


def _terms(graph, node, group, blocks) -> list:
    """(child, upstream, local) per edge out of ``node``: a loss block counts as one child, its root."""
    grads, inside = graph.gradients, {n for captions in blocks.values() for n in captions.block.nodes}
    terms = [(child, grads[child], local) for child, local in graph.children.get(node, [])
             if (len(group) == 1 or child not in group) and child not in inside]
    for root, captions in blocks.items():
        if node not in captions.block.nodes and any(child in captions.block.nodes
                                                    for child, _ in graph.children.get(node, [])):
            terms.append((root, grads[root], captions.local_value(node)))
    return terms


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
