"""Size limits checked before any sympy work, so that nothing sympy-backed runs unbounded.

sympy builds expressions recursively and simplifies them in time that grows
faster than their size: a graph too large or too deeply nested is refused up
front, with a ``GraphTooLargeError`` that names the argument raising the limit.

>>> from microbp import Value
>>> x = Value(1.0)
>>> check_graph_size(Graph(x * x + 1), "to_sympy", max_nodes=2)
Traceback (most recent call last):
  ...
microbp.errors.GraphTooLargeError: to_sympy: the graph has 3 nodes, over the limit of 2; pass max_nodes=3 to to_sympy to allow it
"""

from __future__ import annotations

from functools import lru_cache

from ..core.graph import Graph
from ..errors import GraphTooLargeError

MAX_SYMPY_NODES = 2_000
"""The default limit of ``to_sympy`` and ``check_derivation``: sympy's time grows faster than the size."""
MAX_SYMPY_DEPTH = 200
"""The default nesting limit: sympy recurses once per level, and Python allows about 1000 frames."""


def too_large(message: str, option: str, needed: int, limit: int) -> GraphTooLargeError:
    """The error, carrying the keyword argument that raises the limit, the value needed and the limit."""
    return GraphTooLargeError(message, option, needed, limit)


def check_graph_size(graph: Graph, what: str, max_nodes: int | None) -> None:
    """Refuse ``graph`` when it has more than ``max_nodes`` nodes (``None``: no limit)."""
    count = len(graph.order)
    if max_nodes is not None and count > max_nodes:
        raise too_large(f"{what}: the graph has {count} nodes, over the limit of {max_nodes}; "
                        f"pass max_nodes={count} to {what} to allow it", "max_nodes", count, max_nodes)


def check_nesting(graph: Graph, what: str, max_depth: int | None) -> None:
    """Refuse ``graph`` when sympy would nest its expression more than ``max_depth`` levels deep."""
    depth = nesting(graph)
    if max_depth is not None and depth > max_depth:
        raise too_large(f"{what}: the expression would be nested {depth} levels deep, over the limit of "
                        f"{max_depth} (sympy recurses once per level); pass max_depth={depth} to {what} "
                        f"to allow it, and raise sys.setrecursionlimit if sympy then fails", "max_depth", depth,
                        max_depth)


def nesting(graph: Graph) -> int:
    """How deep sympy nests the expression of ``graph``: the longest path from a leaf, each node
    counted by the depth of its row's sympy form (sigmoid, 1/(1 + exp(-x)), counts 4).

    >>> from microbp import Value
    >>> x = Value(1.0)
    >>> nesting(Graph(x.tanh().tanh())), nesting(Graph(x.sigmoid()))
    (2, 4)
    """
    depth = {}
    for node in graph.order:
        below = [depth[p] for p in node.parents if type(p) is not float]
        depth[node] = max(below, default=0) + (_form_depth(node.op) if node.op is not None else 0)
    return depth[graph.root]


@lru_cache(maxsize=None)
def _form_depth(row) -> int:
    """The depth of ``row``'s sympy form above its inputs (1 for a plain function or operator)."""
    import sympy

    inputs = sympy.symbols("a0:3", real=True)[:row.arity or 3]
    form = row.sympy(sympy, *inputs)
    return max(1, _depth(form))


def _depth(expr) -> int:
    if not expr.args:
        return 0
    return 1 + max(_depth(arg) for arg in expr.args)


def sympy_recursion_error(what: str, argument: str) -> GraphTooLargeError:
    """The error for sympy's own RecursionError: the expression is nested too deeply for it."""
    return GraphTooLargeError(f"{what}: the expression is nested too deeply for sympy (it ran out of recursion "
                              f"depth); lower {argument}, or simplify the expression")


def check_expression_size(expr, what: str, max_nodes: int | None, max_depth: int | None) -> None:
    """Refuse a sympy expression with more than ``max_nodes`` distinct parts or nested over ``max_depth``."""
    count, depth = expression_size(expr)
    if max_nodes is not None and count > max_nodes:
        raise too_large(f"{what}: the expression has {count} distinct parts, over the limit of {max_nodes}; "
                        f"pass max_nodes={count} to {what} to allow it", "max_nodes", count, max_nodes)
    if max_depth is not None and depth > max_depth:
        raise too_large(f"{what}: the expression is nested {depth} levels deep, over the limit of {max_depth} "
                        f"(sympy recurses once per level); pass max_depth={depth} to {what} to allow it, and "
                        f"raise sys.setrecursionlimit if sympy then fails", "max_depth", depth, max_depth)


def expression_size(expr) -> tuple:
    """(distinct subexpressions, nesting depth) of a sympy expression, walked without recursion.

    >>> import sympy
    >>> x = sympy.Symbol("x")
    >>> expression_size(sympy.tanh(sympy.tanh(x)) + x)
    (4, 4)
    """
    depth, stack = {}, [(expr, False)]
    while stack:
        node, expanded = stack.pop()
        if node in depth:
            continue
        if expanded or not node.args:
            depth[node] = 1 + max((depth[arg] for arg in node.args), default=0)
        else:
            stack.append((node, True))
            stack.extend((arg, False) for arg in node.args if arg not in depth)
    return len(depth), depth[expr]
