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

from functools import cached_property
from operator import mul

from .engine import NOT_COMPUTED, as_value, is_value, topological_order, warn_if_overflow_hidden
from .names import leaf_names
from .scopes import scope

__all__ = ["Graph", "chain_rule", "leaf_names", "scope", "topological_order", "NOT_COMPUTED", "is_value"]



def chain_rule(order, root, seed, local_grads, zero=0.0, product=mul, warn=True) -> dict:
    """∂root/∂node for every node of ``order``: the chain rule, in reverse topological order.

    ``local_grads(node)`` gives ∂node/∂parent per parent, in any arithmetic
    (floats, or Values for a gradient that is itself a graph). A node's gradient
    is the sum over the edges it feeds of local × upstream. Zero times anything
    is zero: an upstream gradient or a local derivative that is the number 0
    passes nothing on, even through an infinite or NaN factor (where IEEE
    arithmetic would make a NaN), as PyTorch's masks do. ``zero`` starts each
    sum (``None``: the first term as it is, so no ``0 + g`` node is made);
    ``product(local, upstream)`` makes each term. Where a 0 reaches a node whose
    float value overflowed to ±inf through an infinite local derivative, an
    ``OverflowWarning`` says the gradient may be wrong, as ``Value.backward``
    does (``warn=False``: for values that cannot overflow, at 50 digits).

    >>> from microbp import Value
    >>> x = Value(3.0); y = x * x
    >>> chain_rule(topological_order(y), y, 1.0, lambda node: node.local_grads)[x]
    6.0
    """
    grads = {root: seed}
    for node in reversed(order):
        upstream = grads.get(node)
        if node.op is None:
            continue
        if warn and _passes_zero(upstream):
            warn_if_overflow_hidden(node)      # when the node overflowed, that 0 may be only 1/inf
        if upstream is None or _is_zero(upstream):
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


def _passes_zero(upstream) -> bool:
    """No gradient, the number 0, or a gradient graph whose value is 0 (a ``times`` node passes 0 on)."""
    return upstream is None or _is_zero(upstream) or (type(upstream) is not float and is_value(upstream)
                                                      and upstream.data == 0.0)


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
        self.root = as_value(root, "Graph")
        self.order = topological_order(root)

    def __contains__(self, node) -> bool:
        return node in self._members

    def __repr__(self) -> str:
        """One line: ``Graph(root=tanh = 0.76, 7 nodes, 3 leaves)``."""
        root = self.root.label or (self.root.op.name if self.root.op else "leaf")
        return (f"Graph(root={root} = {self.root.data:.4g}, {len(self.order)} nodes, "
                f"{len(self.leaves)} {'leaf' if len(self.leaves) == 1 else 'leaves'})")

    def _repr_mimebundle_(self, include=None, exclude=None):
        """In Jupyter, the drawing of the graph, as a Value shows its own (``microbp.figures.render``)."""
        from . import engine
        bundle = engine.display(self) if engine.display is not None else {}
        return {**bundle, "text/plain": repr(self)}

    @cached_property
    def _members(self) -> set:
        return set(self.order)

    @classmethod
    def of(cls, root_or_graph, caller: str = "Graph") -> "Graph":
        """``root_or_graph`` itself when it is a Graph, else the Graph of that root; ``caller`` names
        the function in the error for anything else."""
        if isinstance(root_or_graph, Graph):
            return root_or_graph
        return cls(as_value(root_or_graph, caller))

    @cached_property
    def leaves(self) -> list:
        return [node for node in self.order if node.op is None]

    @cached_property
    def computed(self) -> list:
        """The nodes made by an operation, in order."""
        return [node for node in self.order if node.op is not None]

    def downstream(self, sources) -> list:
        """The computed nodes that depend on any of ``sources``, in order: all that new values of them change.

        >>> from microbp import Value
        >>> x, y = Value(1.0, label="x"), Value(2.0, label="y")
        >>> graph = Graph((x * 2).exp() + y)
        >>> [node.op.name for node in graph.downstream([x])], [node.op.name for node in graph.downstream([y])]
        (['mul', 'exp', 'add'], ['add'])
        """
        reached, nodes = set(sources), []
        for node in self.computed:
            if any(type(p) is not float and p in reached for p in node.parents):
                reached.add(node)
                nodes.append(node)
        return nodes

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
