"""Replacing the local derivatives a node stores, for pictures drawn with stand-in numbers.

``microbp.lecture.live_picture`` draws a graph once with every number replaced
by a marker, to find where each number is drawn; the graph view draws the local
derivatives stored in the nodes (``Value.local_grads``), so those are replaced
too, then put back. Only the core knows how a node stores them (see ``Value``).

>>> from microbp import Value
>>> x = Value(2.0); y = x * x
>>> saved = y.local_grads
>>> set_local_grads(y, (7.0, 8.0)); y.local_grads
(7.0, 8.0)
>>> set_local_grads(y, saved); y.local_grads
(2.0, 2.0)
"""

from __future__ import annotations

from .engine import Value


def set_local_grads(node: Value, local_grads) -> None:
    """Store ``local_grads`` (one number per parent) as ``node``'s ∂node/∂parent."""
    local_grads = tuple(local_grads)
    if len(local_grads) != len(node.parents):
        raise ValueError(f"set_local_grads: the node has {len(node.parents)} parents, got "
                         f"{len(local_grads)} local derivatives")
    if node._many is not None:
        both = node._da is node._dmany
        node._dmany = local_grads
        if both:
            node._da = local_grads
    elif local_grads:
        node._da = local_grads[0]
        if len(local_grads) > 1:
            node._db = local_grads[1]
