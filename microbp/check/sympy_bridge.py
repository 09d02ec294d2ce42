"""The sympy bridge: a graph, or an expression string, as a sympy expression in real symbols.

sympy is imported only when one of these functions runs. The checks built on
it live beside it: ``microbp.verify`` (gradients of a graph, in ``verification.py``)
and ``microbp.check_derivation`` (a claimed derivative, in ``derivations.py``).

>>> from microbp import Value
>>> x = Value(2.0, label="x"); w = Value(-3.0, label="w"); b = Value(6.88, label="b")
>>> to_sympy((x * w + b).tanh())
tanh(b + w*x)
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

from ..core.engine import Value, apply, as_value
from ..core.graph import Graph
from .limits import MAX_SYMPY_DEPTH, MAX_SYMPY_NODES, check_graph_size, check_nesting, sympy_recursion_error


def to_sympy(root: Value, symbols=None, max_nodes: int | None = MAX_SYMPY_NODES, max_depth: int | None = MAX_SYMPY_DEPTH):
    """``root`` as a sympy expression in *real* symbols, named by the leaves' labels.

    Unlabelled leaves are named ``x0, x1, ...`` (``microbp.symbols(root)`` gives
    the symbols used); pass your own ``symbols`` (a list or dict of sympy
    symbols, matched by name) to get an expression in them instead. Constants
    become exact numbers (``0.1`` -> ``1/10``); relu and abs differentiate to
    the engine's convention at 0. Shared subexpressions are built once.

    sympy's time grows faster than the graph, and it recurses once per level
    of nesting: a graph of more than ``max_nodes`` nodes, or nested more than
    ``max_depth`` levels, is refused with ``GraphTooLargeError`` before any
    sympy work (``None`` lifts a limit).

    >>> from microbp import Value
    >>> a = Value(3.0, label="a")
    >>> to_sympy(a.relu() * 0.5 + 1)
    Piecewise((a, a > 0), (0, True))/2 + 1
    >>> import sympy
    >>> mine = sympy.Symbol("a")
    >>> sympy.diff(to_sympy(a * a, symbols=[mine]), mine)
    2*a
    """
    return _translate(root, symbols, max_nodes, max_depth)[0]


def symbols(root: Value) -> dict:
    """The sympy symbols ``to_sympy`` uses for ``root``'s leaves: ``{name: Symbol}``, all real.

    >>> from microbp import Value
    >>> x = Value(2.0, label="x")
    >>> s = symbols(x * x)
    >>> s["x"], s["x"].is_real
    (x, True)
    """
    import sympy

    graph = Graph.of(_graph_root(root))
    return {name: sympy.Symbol(name, real=True) for name in graph.names.values()}


def _graph_root(root):
    return root if isinstance(root, Graph) else as_value(root, "to_sympy")


def _translate(root, given=None, max_nodes=MAX_SYMPY_NODES, max_depth=MAX_SYMPY_DEPTH):
    """(expression, {leaf: symbol}) for ``root``: the sympy interpreter of its graph."""
    import sympy

    graph = Graph.of(_graph_root(root))
    check_graph_size(graph, "to_sympy", max_nodes)
    check_nesting(graph, "to_sympy", max_depth)
    mine = by_name(given)
    leaf_symbols = {leaf: mine.get(name) or sympy.Symbol(name, real=True) for leaf, name in graph.names.items()}
    try:
        expressions = graph.evaluate(lambda row, *args: row.sympy(sympy, *args), leaf_symbols.get, exact)
    except RecursionError:
        raise sympy_recursion_error("to_sympy", "max_depth") from None
    return expressions[graph.root], leaf_symbols


def by_name(given) -> dict:
    """The user's symbols as ``{name: Symbol}``, from a dict, a list or one symbol (or nothing)."""
    import sympy

    if given is None:
        return {}
    if isinstance(given, sympy.Symbol):
        given = [given]
    symbols = list(given.values() if isinstance(given, dict) else given)
    for symbol in symbols:
        if not isinstance(symbol, sympy.Symbol):
            raise TypeError(f"symbols= needs sympy Symbols, got {symbol!r} ({type(symbol).__name__})")
    return {symbol.name: symbol for symbol in symbols}


class _Constant(NamedTuple):
    """A number in an expression: exact (for sympy) and as a float (for domain checks and size)."""

    exact: object
    approx: float


def parse_sympy(text: str):
    """The sympy expression of ``text`` (real symbols, exact numbers), read by the safe parser.

    Numbers are exact (``1/3`` is one third, not 0.333...) unless a power would
    be too large to hold exactly (``9**9**9``, which becomes the float's inf).
    A number outside an operation's domain (``log(0)``) is a ``DomainError``.

    >>> parse_sympy("sigmoid(z) * (1 - sigmoid(z))")
    (1 - 1/(1 + exp(-z)))/(1 + exp(-z))
    >>> parse_sympy("x / 3 + 2 ** 0.5")
    x/3 + sqrt(2)
    """
    import sympy

    from ..text.parser import build

    symbols = {}

    def leaf(name, node):
        return symbols.setdefault(name, sympy.Symbol(name, real=True))

    try:
        result = build(text, leaf, combine_exactly)
    except RecursionError:
        raise sympy_recursion_error("parse_sympy", "the nesting of the expression") from None
    return exact_of(result)


def combine_exactly(op, args):
    """One operation of an expression: on numbers, checked on floats and kept exact; else sympy's."""
    import sympy

    if all(isinstance(arg, (float, _Constant)) for arg in args):
        floats = [arg if isinstance(arg, float) else arg.approx for arg in args]
        approx = apply(op, floats)
        exponents = [floats[i] for i in _in_exponents(op, len(args))]
        if exponents and not (math.isfinite(approx) and all(abs(x) <= MAX_EXACT_EXPONENT for x in exponents)):
            return _Constant(exact(approx), approx)         # no giant exact powers: the float, or inf
        return _Constant(op.sympy(sympy, *map(exact_of, args)), approx)
    return op.sympy(sympy, *map(exact_of, args))


MAX_EXACT_EXPONENT = 1024
"""A number given as an exponent beyond this is computed as a float: exactly, ``9**9**9`` would not finish."""


@lru_cache(maxsize=None)
def _in_exponents(op, count: int) -> tuple:
    """Which operands of ``op`` its sympy form raises something to (``pow``'s second), read off the form.

    >>> from microbp.core.ops import TABLE
    >>> {row.name: _in_exponents(row, 2) for row in TABLE if _in_exponents(row, row.arity or 2)}
    {'pow': (1,)}
    """
    import sympy

    operands = sympy.symbols(f"a0:{count}", real=True)
    form = op.sympy(sympy, *operands)
    raised = set().union(*(power.exp.free_symbols for power in form.atoms(sympy.Pow)))
    return tuple(i for i, operand in enumerate(operands) if operand in raised)


def exact_of(x):
    return x.exact if isinstance(x, _Constant) else exact(x)


def exact(x):
    """A float as the exact number its shortest repr says (0.1 -> 1/10); anything else unchanged.

    >>> exact(0.1), exact(2.0), exact(float("inf"))
    (1/10, 2, oo)
    """
    import sympy

    if not isinstance(x, float):
        return x
    if not math.isfinite(x):
        return sympy.nan if x != x else (sympy.oo if x > 0 else -sympy.oo)
    return sympy.Integer(int(x)) if x.is_integer() else sympy.Rational(repr(x))


