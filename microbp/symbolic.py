"""The sympy bridge: a graph, or an expression string, as a sympy expression in real symbols.

sympy is imported only when one of these functions runs. The checks built on
it live beside it: ``microbp.verify`` (gradients of a graph, in ``verify.py``)
and ``microbp.check_derivation`` (a claimed derivative, in ``derivations.py``).

>>> from microbp import Value
>>> x = Value(2.0, label="x"); w = Value(-3.0, label="w"); b = Value(6.88, label="b")
>>> to_sympy((x * w + b).tanh())
tanh(b + w*x)
"""

from __future__ import annotations

import math
from typing import NamedTuple

import random
from dataclasses import dataclass

from .engine import Value, apply
from .errors import DomainError
from .graph import Graph
from .size_limits import MAX_DEPTH, MAX_NODES, check_graph_size, check_nesting, sympy_recursion_error
from .ops import OPS


def to_sympy(root: Value, symbols=None, max_nodes: int | None = MAX_NODES, max_depth: int | None = MAX_DEPTH):
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
    if not isinstance(root, (Value, Graph)):
        raise TypeError(f"to_sympy needs a Value, got {root!r} ({type(root).__name__})")
    return root


def _translate(root, given=None, max_nodes=MAX_NODES, max_depth=MAX_DEPTH):
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

    from .expressions import build

    symbols = {}

    def leaf(name, node):
        return symbols.setdefault(name, sympy.Symbol(name, real=True))

    try:
        result = build(text, leaf, _combine)
    except RecursionError:
        raise sympy_recursion_error("parse_sympy", "the nesting of the expression") from None
    return _exact_of(result)


def _combine(op, args):
    """One operation of an expression: on numbers, checked on floats and kept exact; else sympy's."""
    import sympy

    if all(isinstance(arg, (float, _Constant)) for arg in args):
        approx = apply(op, [arg if isinstance(arg, float) else arg.approx for arg in args])
        if op is OPS["pow"] and not (math.isfinite(approx) and abs(args[1] if isinstance(args[1], float)
                                                                     else args[1].approx) <= 1024):
            return _Constant(exact(approx), approx)         # no giant exact powers: the float, or inf
        return _Constant(op.sympy(sympy, *map(_exact_of, args)), approx)
    return op.sympy(sympy, *map(_exact_of, args))


def _exact_of(x):
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


def _number(expr, point: dict) -> float:
    """A sympy expression at a point, to 30 digits; nan where it is not a finite real number."""
    import sympy

    try:
        value = complex(sympy.N(expr.subs(point), 30))
    except TypeError:                 # sympy cannot decide (a comparison with zoo, DiracDelta(0))
        return math.nan
    if not (math.isfinite(value.real) and math.isfinite(value.imag)) or abs(value.imag) > 1e-12:
        return math.nan
    return value.real


# --- check_derivation: is a claimed derivative right? ----------------------------------

@dataclass
class Result:
    """The verdict of ``check_derivation``."""

    ok: bool
    expression: object          # as given: the text, or the sympy expression
    wrt: str
    claimed: object             # as given
    correct: object             # sympy's derivative, simplified
    how: str
    counterexample: dict | None = None
    claimed_value: float | None = None
    correct_value: float | None = None

    def __bool__(self) -> bool:
        return self.ok

    @property
    def latex(self) -> str:
        """The correct derivative as LaTeX."""
        import sympy

        return sympy.latex(self.correct)

    def __str__(self) -> str:
        if self.ok:
            return f"correct ({self.how}): d/d{self.wrt} {self.expression} = {self.claimed}"
        point = ", ".join(f"{name} = {value:g}" for name, value in self.counterexample.items())
        return (f"WRONG: at {point} the claim gives {self.claimed_value:.10g}, "
                f"but the derivative is {self.correct_value:.10g}\n"
                f"correct: d/d{self.wrt} {self.expression} = {self.correct}\n"
                f"LaTeX:   {self.latex}")


def check_derivation(expr, wrt, claimed, points: int = 24, seed: int = 0, **at) -> Result:
    """Decide whether ``claimed`` is ∂expr/∂wrt, symbolically and at random points.

    Strings are read by the safe parser; sympy expressions are taken as they are.
    ``at`` fixes other variables (``y=2``) for the numeric check; ``wrt`` is always sampled. Numeric agreement
    at every sampled point inside the domain accepts a claim that ``simplify``
    cannot reduce; any disagreement rejects it, with the point as counterexample.

    >>> check_derivation("sigmoid(z)", "z", "sigmoid(z) * (1 - sigmoid(z))").ok
    True
    >>> result = check_derivation("x**3", "x", "3*x")
    >>> result.ok, result.correct
    (False, 3*x**2)
    """
    import sympy

    expression, claim = (parse_sympy(e) if isinstance(e, str) else _real_symbols(e) for e in (expr, claimed))
    name = wrt if isinstance(wrt, str) else str(wrt)
    if name in at:
        raise ValueError(f"check_derivation: {name} is the variable of differentiation; it is sampled, "
                         f"not fixed (fix only the other variables; to check one point use microbp.verify)")
    variables = sorted(expression.free_symbols | claim.free_symbols, key=lambda s: s.name)
    symbol = next((s for s in variables if s.name == name), sympy.Symbol(name, real=True))
    correct = sympy.diff(expression, symbol)
    simplified = sympy.simplify(correct)
    counterexample, agreed = _numeric_comparison(correct, claim, variables, at, points, seed)
    common = dict(expression=expr if isinstance(expr, str) else expression, wrt=name,
                  claimed=claimed if isinstance(claimed, str) else claim, correct=simplified)
    if counterexample is not None:
        point, claimed_value, correct_value = counterexample
        return Result(False, how="numeric", counterexample=point, claimed_value=claimed_value,
                      correct_value=correct_value, **common)
    if sympy.simplify(correct - claim) == 0:
        return Result(True, how="symbolic", **common)
    if agreed == 0:
        raise DomainError(f"check_derivation: found no point where both sides are defined; "
                          f"pass values, as in {name}=1.5")
    return Result(True, how=f"numeric, at {agreed} points (simplify could not decide)", **common)


def _real_symbols(expr):
    """A sympy expression with every symbol made real, as the parser makes them."""
    import sympy

    if not isinstance(expr, sympy.Basic):
        raise TypeError(f"check_derivation takes strings or sympy expressions, got {expr!r} "
                        f"({type(expr).__name__})")
    return expr.subs({s: sympy.Symbol(s.name, real=True) for s in expr.free_symbols})


def _numeric_comparison(correct, claim, variables, at, points, seed):
    """(counterexample or None, number of points that agreed) over random points in the domain."""
    rng = random.Random(seed)
    agreed = 0
    for _ in range(points * 10):
        point = {s: at.get(s.name, rng.choice([-1, 1]) * rng.uniform(0.1, 3.0)) for s in variables}
        exact_point = {s: exact(float(v)) for s, v in point.items()}
        right, claimed = _number(correct, exact_point), _number(claim, exact_point)
        if math.isnan(right):
            continue                              # outside the domain of the derivative
        if math.isnan(claimed) or not math.isclose(right, claimed, rel_tol=1e-9, abs_tol=1e-12):
            return ({s.name: float(v) for s, v in point.items()}, claimed, right), agreed
        agreed += 1
        if agreed >= points:
            break
    return None, agreed


def __getattr__(name):
    """``verify`` moved to its own module; still importable from here."""
    if name == "verify":
        from .verification import verify
        return verify
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
