"""A loss as a lecture block: ``mse`` and ``cross_entropy`` read back from the scope they were built in.

``microbp.losses`` builds each loss inside a scope named ``"loss: mse"`` or
``"loss: cross_entropy"``. A lecture shows such a block as the textbook writes
it, E = (1/n)Σ(y − t)² or p = softmax(z), L = −log pₖ, not the numerically
stable operations underneath (the max shift, log Σ exp). This module finds the
block in a graph and reads what it needs: the predictions (or logits), the
targets (or the class index), and the block's nodes.

>>> from microbp import Value, Graph, losses
>>> z = [Value(1.0, label="z1"), Value(2.0, label="z2")]
>>> block = loss_blocks(Graph(losses.cross_entropy(z, 1)))[0]
>>> block.kind, [p.label for p in block.predictions], block.target
('cross_entropy', ['z1', 'z2'], 1)
"""

from __future__ import annotations

from dataclasses import dataclass

from ..losses import BLOCK

KINDS = ("mse", "cross_entropy")


@dataclass(eq=False)
class LossBlock:
    """One loss block: its kind, its nodes (in order, ``root`` last), what it reads, and its target(s)."""

    kind: str
    nodes: list
    predictions: list
    targets: list
    target: int | None = None

    @property
    def root(self):
        return self.nodes[-1]


def is_block_scope(path) -> bool:
    """Whether a node's ``scope`` (a tuple of names) is a loss block's."""
    return bool(path) and path[-1].startswith(BLOCK) and path[-1][len(BLOCK):] in KINDS


def loss_blocks(graph) -> list:
    """The loss blocks of ``graph`` (a ``Graph``), in order; a block that cannot be read is left out."""
    groups = {}
    for node in graph.computed:
        if is_block_scope(node.scope):
            groups.setdefault(node.scope, []).append(node)
    blocks = (_read(path[-1][len(BLOCK):], nodes) for path, nodes in groups.items())
    return [block for block in blocks if block is not None]


def _read(kind: str, nodes: list) -> LossBlock | None:
    """The block of ``nodes`` (in topological order): its first operations take (prediction, target)
    for ``mse`` and (logit, shift) for ``cross_entropy``; the last subtracts the target's shifted logit."""
    inside = set(nodes)
    first = [node for node in nodes if not any(type(p) is not float and p in inside for p in node.parents)
             and len(node.parents) == 2]
    if not first or any(type(node.parents[0]) is float for node in first):
        return None
    predictions = [node.parents[0] for node in first]
    if kind == "mse":
        return LossBlock(kind, nodes, predictions, [node.parents[1] for node in first])
    last = nodes[-1]
    chosen = [i for i, node in enumerate(first) if len(last.parents) == 2 and last.parents[1] is node]
    if len(chosen) != 1:
        return None
    return LossBlock(kind, nodes, predictions, [], chosen[0])
