"""The graph a value was computed from: one traversal, built once, read by everyone.

``topological_order`` is the one walk of a graph (iterative: a chain of a
million nodes needs no recursion). ``Graph`` holds what consumers read off it,
each computed once on first use: the order, the leaves' names, the children
of every node, the gradients. Backward, drawing, lecture frames, the sympy
bridge, the printer and the code generator all take a ``Graph``. ``scope``
groups the nodes made inside a ``with`` block.

>>> from microbp import Value
>>> x = Value(2.0, label="x")
>>> graph = Graph(x * x + 1)
>>> [node.label or node.op.name for node in graph.order]
['x', 'mul', 'add']
>>> graph.gradients[x]
4.0
"""

from __future__ import annotations

import contextvars
from functools import cached_property
from itertools import filterfalse
from operator import mul


class _NotComputed(float):
    """The ``grad`` of a node no backward pass has reached: 0.0 in arithmetic, ``?`` when shown."""

    __slots__ = ()


NOT_COMPUTED = _NotComputed(0.0)

_current_scope: contextvars.ContextVar = contextvars.ContextVar("microbp_scope", default=None)
current_scope = _current_scope.get


class scope:
    """Group the nodes made inside the block; the renderer draws a group as a cluster.

    Scopes nest; a node remembers the names of the scopes it was made in,
    outermost first (``node.scope``, a tuple, or ``None`` outside any). The
    current scope belongs to the thread (a ``contextvars`` variable), so threads
    and async tasks building graphs do not cross scopes. A ``scope`` object can be
    kept and entered again, as each neuron does.

    >>> from microbp import Value
    >>> with scope("neuron 1"):
    ...     with scope("pre-activation") as path:
    ...         z = Value(1.0) * 2
    >>> z.scope, path
    (('neuron 1', 'pre-activation'), ('neuron 1', 'pre-activation'))
    """

    __slots__ = ("name", "tokens", "last")

    def __init__(self, name: str):
        if not isinstance(name, str) or not name:
            raise TypeError(f"scope(name) needs a non-empty str, got {name!r}")
        self.name = name
        self.tokens = []
        self.last = (None, None)            # (outer path, this path): reused when entered again

    def __enter__(self) -> tuple:
        outer = _current_scope.get()
        if self.last[0] != outer or self.last[1] is None:
            self.last = (outer, (outer or ()) + (self.name,))
        self.tokens.append(_current_scope.set(self.last[1]))
        return self.last[1]

    def __exit__(self, *exception) -> None:
        _current_scope.reset(self.tokens.pop())


def topological_order(root, leaves: bool = True) -> list:
    """Every node that ``root`` depends on, each after all its parents, root last.

    With ``leaves=False``, only the computed nodes (what backward walks through).
    Deterministic: parents are visited in order, so the same graph always gives
    the same list. A depth-first search that keeps, for each node on its stack,
    an iterator over the parents it has yet to visit; a node is placed once
    they all are.

    >>> from microbp import Value
    >>> a = Value(1.0, label="a"); b = Value(2.0, label="b")
    >>> [node.label or node.op.name for node in topological_order(a * b + a)]
    ['a', 'b', 'mul', 'add']
    >>> [node.op.name for node in topological_order(a * b + a, leaves=False)]
    ['mul', 'add']
    """
    if not hasattr(root, "_many"):
        raise TypeError(f"topological_order needs a Value, got {root!r} ({type(root).__name__})")
    order = []
    seen = {None}                       # None: a unary node's missing second operand
    is_seen = seen.__contains__
    stack = [(None, iter((root,)))]     # start from a stand-in node whose one parent is root
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if parent not in seen:
                seen.add(parent)
                if type(parent) is not float and (leaves or parent.op is not None):
                    many = parent._many     # n-ary: its parents are mostly seen, skip those in C
                    stack.append((parent, iter((parent._a, parent._b)) if many is None
                                  else filterfalse(is_seen, many)))
                    break               # place that parent (and its parents) first
        else:                           # every parent placed: now the node
            stack.pop()
            order.append(node)
    order.pop()                         # the stand-in
    return order


def chain_rule(order, root, seed, local_grads, zero=0.0, product=mul) -> dict:
    """∂root/∂node for every node of ``order``: the chain rule, in reverse topological order.

    ``local_grads(node)`` gives ∂node/∂parent per parent, in any arithmetic
    (floats, or Values for a gradient that is itself a graph). A node's gradient
    is the sum over the edges it feeds of local × upstream. Zero times anything
    is zero: an upstream gradient or a local derivative that is the number 0
    passes nothing on, even through an infinite or NaN factor (where IEEE
    arithmetic would make a NaN), as PyTorch's masks do. ``zero`` starts each
    sum (``None``: the first term as it is, so no ``0 + g`` node is made);
    ``product(local, upstream)`` makes each term.

    >>> from microbp import Value
    >>> x = Value(3.0); y = x * x
    >>> chain_rule(topological_order(y), y, 1.0, lambda node: node.local_grads)[x]
    6.0
    """
    grads = {root: seed}
    for node in reversed(order):
        upstream = grads.get(node)
        if node.op is None or upstream is None or _is_zero(upstream):
            continue
        for parent, local in zip(node.parents, local_grads(node)):
            if type(parent) is float or _is_zero(local):
                continue
            term = product(local, upstream)
            before = grads.get(parent, zero)
            grads[parent] = term if before is None else before + term
    return grads


def _is_zero(x) -> bool:
    """The number 0 (a Value is never 'zero': its derivative may not be)."""
    return type(x) is float and x == 0.0


def leaf_names(order) -> dict:
    """A distinct name for every leaf in ``order``: its label, else x0, x1, ...

    A label used by two different leaves gets a suffix (``w``, ``w_2``), so a
    name always means one leaf (sympy would otherwise merge them).

    >>> from microbp import Value
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


class Graph:
    """The graph of ``root``, walked once; what every consumer reads, computed on first use.

    >>> from microbp import Value
    >>> a = Value(3.0, label="a")
    >>> graph = Graph(a * a)
    >>> len(graph.order), [leaf.label for leaf in graph.leaves], graph.names[a]
    (2, ['a'], 'a')
    >>> [(child.op.name, local) for child, local in graph.children[a]]     # one entry per edge
    [('mul', 3.0), ('mul', 3.0)]
    """

    def __init__(self, root):
        if isinstance(root, Graph):
            root = root.root
        if not hasattr(root, "_many"):
            raise TypeError(f"Graph needs a Value, got {root!r} ({type(root).__name__})")
        self.root = root
        self.order = topological_order(root)

    def __contains__(self, node) -> bool:
        return node in self._members

    @cached_property
    def _members(self) -> set:
        return set(self.order)

    @classmethod
    def of(cls, root_or_graph, caller: str = "Graph") -> "Graph":
        """``root_or_graph`` itself when it is a Graph, else the Graph of that root; ``caller`` names
        the function in the error for anything else."""
        if isinstance(root_or_graph, Graph):
            return root_or_graph
        if not hasattr(root_or_graph, "_many"):
            raise TypeError(f"{caller} needs a Value, got {root_or_graph!r} ({type(root_or_graph).__name__})")
        return cls(root_or_graph)

    @cached_property
    def leaves(self) -> list:
        return [node for node in self.order if node.op is None]

    @cached_property
    def computed(self) -> list:
        """The nodes made by an operation, in order."""
        return [node for node in self.order if node.op is not None]

    @cached_property
    def names(self) -> dict:
        """A distinct name per leaf (``leaf_names``)."""
        return leaf_names(self.order)

    @cached_property
    def children(self) -> dict:
        """node -> [(child, local derivative)], one entry per edge (``a * a`` gives two)."""
        children = {node: [] for node in self.order}
        for node in self.computed:
            for parent, local in zip(node.parents, node.local_grads):
                if type(parent) is not float:
                    children[parent].append((node, local))
        return children

    @cached_property
    def gradients(self) -> dict:
        """∂root/∂node for every node, on floats; no node's ``.grad`` is touched."""
        grads = chain_rule(self.order, self.root, 1.0, lambda node: node.local_grads)
        return {node: grads.get(node, 0.0) for node in self.order}

    def evaluate(self, apply_row, leaf, constant=lambda x: x) -> dict:
        """Interpret the graph: ``leaf(node)`` for leaves, ``apply_row(row, *args)`` for the rest.

        Constants among the arguments pass through ``constant``. The one walk the
        interpreters share: floats with some leaves changed, sympy, text.

        >>> from microbp import Value
        >>> x = Value(2.0, label="x")
        >>> graph = Graph(x * 3 + 1)
        >>> texts = graph.evaluate(lambda row, a, b: f"({a} {row.symbol} {b})", lambda node: node.label)
        >>> texts[graph.root]
        '((x × 3.0) + 1.0)'
        """
        results = {}
        for node in self.order:
            if node.op is None:
                results[node] = leaf(node)
            else:
                args = [constant(p) if type(p) is float else results[p] for p in node.parents]
                results[node] = apply_row(node.op, *args)
        return results
