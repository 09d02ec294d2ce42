"""Graph-level helpers and the module-level forms of the operations.

``microbp.tanh(x)`` and friends take a Value (making a node) or a number
(giving a float); ``microbp.sum``, ``microbp.dot`` and ``microbp.affine``
make one n-ary node; ``gradients``, ``zero_grad`` and ``leaf_names`` work on
whole graphs.

>>> from microbp import Value
>>> tanh(0.0), tanh(Value(0.0)).op.name
(0.0, 'tanh')
"""

from __future__ import annotations

from .engine import AFFINE, DOT, OPS, Value, apply, topological_order, weighted_sum


def gradients(root: Value) -> dict:
    """∂root/∂node for every node, from a fresh backward pass; every ``.grad`` is left as it was.

    >>> a = Value(3.0); b = a * a
    >>> gradients(b)[a], a.grad
    (6.0, 0.0)
    """
    order = topological_order(root)
    saved = [node.grad for node in order]
    try:
        for node in order:
            node.grad = 0.0
        root.backward()
        return {node: node.grad for node in order}
    finally:
        for node, grad in zip(order, saved):
            node.grad = grad


def leaf_names(order) -> dict:
    """A distinct name for every leaf in ``order``: its label, else x0, x1, ...

    A label used by two different leaves gets a suffix (``w``, ``w_2``), so a
    name always means one leaf (sympy would otherwise merge them).

    >>> a, b, c = Value(1.0, label="w"), Value(2.0, label="w"), Value(3.0)
    >>> list(leaf_names(topological_order(a * b + c)).values())
    ['w', 'w_2', 'x0']
    """
    leaves = [node for node in order if node.op is None]
    taken = {leaf.label for leaf in leaves if leaf.label}
    names, used, counter = {}, set(), 0
    for leaf in leaves:
        name = leaf.label
        if not name:
            while f"x{counter}" in taken or f"x{counter}" in used:
                counter += 1
            name = f"x{counter}"
        base, suffix = name, 2
        while name in used:
            name, suffix = f"{base}_{suffix}", suffix + 1
        used.add(name)
        names[leaf] = name
    return names


def zero_grad(values) -> None:
    """Set ``.grad`` of each value to 0.

    >>> v = Value(1.0); (v * 3).backward(); v.grad
    3.0
    >>> zero_grad([v]); v.grad
    0.0
    """
    for value in values:
        value.grad = 0.0


def _function(name: str):
    """The module-level form of a unary row: accepts a Value or a number."""
    op = OPS[name]

    def function(x):
        return apply(op, (x,))
    function.__name__ = function.__qualname__ = name
    function.__doc__ = (f"``{name}`` of a Value (a new node) or of a number (a float).\n\n"
                        f"    >>> {name}(Value(0.5)).op.name\n    {name!r}\n")
    return function


neg, exp, log, sqrt, sin, cos, tanh, sigmoid, relu, abs = (
    _function(name) for name in ("neg", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs"))


def sum(values, start=0.0):
    """Σ values as ONE node with a parent per value (builtin ``sum`` makes n-1 nodes).

    >>> xs = [Value(1.0), Value(2.0), Value(3.0)]
    >>> total = sum(xs); total.data, len(total.parents)
    (6.0, 3)
    """
    operands = tuple(values)
    if start != 0:
        operands = (start,) + operands
    return apply(OPS["sum"], operands) if operands else 0.0


def dot(weights, inputs):
    """Σ wᵢ·xᵢ as ONE node with 2n parents (weights, then inputs): a neuron's weighted sum.

    >>> w = [Value(2.0), Value(-1.0)]
    >>> z = dot(w, [3.0, 4.0]); z.data
    2.0
    >>> z.backward(); [wi.grad for wi in w]
    [3.0, 4.0]
    """
    return weighted_sum(DOT, weights, inputs)


def affine(weights, inputs, bias):
    """Σ wᵢ·xᵢ + b as ONE node with 2n + 1 parents (weights, inputs, bias): a neuron before its activation.

    >>> w, b = [Value(2.0), Value(-1.0)], Value(0.5)
    >>> z = affine(w, [3.0, 4.0], b); z.data, z.op.symbol
    (2.5, 'w·x+b')
    >>> z.backward(); [wi.grad for wi in w], b.grad
    ([3.0, 4.0], 1.0)
    """
    return weighted_sum(AFFINE, weights, inputs, bias)
