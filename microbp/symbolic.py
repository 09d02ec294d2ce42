"""The sympy bridge: a graph as a sympy expression, and checks of gradients and derivations.

sympy is imported only when one of these functions runs.

>>> from microbp import Value
>>> x = Value(2.0, label="x"); w = Value(-3.0, label="w"); b = Value(6.88, label="b")
>>> to_sympy((x * w + b).tanh())
tanh(b + w*x)
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from .engine import Value, apply
from .errors import DomainError
from .graph import Graph


def to_sympy(root: Value, symbols=None):
    """``root`` as a sympy expression, with leaves as *real* symbols named by their labels.

    Unlabelled leaves are named ``x0, x1, ...`` (``microbp.symbols(root)`` gives
    the symbols used); pass your own ``symbols`` (matched by name) to get an
    expression in them instead. Constants become exact numbers (``0.1`` ->
    ``1/10``); relu and abs differentiate to the engine's convention at 0.
    Shared subexpressions are built once.

    >>> from microbp import Value
    >>> a = Value(3.0, label="a")
    >>> to_sympy(a.relu() * 0.5 + 1)
    Piecewise((a, a > 0), (0, True))/2 + 1
    >>> import sympy
    >>> mine = sympy.Symbol("a")
    >>> sympy.diff(to_sympy(a * a, symbols=[mine]), mine)
    2*a
    """
    return _translate(root, symbols)[0]


def symbols(root: Value) -> dict:
    """The sympy symbols ``to_sympy`` uses for ``root``'s leaves: ``{name: Symbol}``, all real.

    >>> from microbp import Value
    >>> x = Value(2.0, label="x")
    >>> s = symbols(x * x)
    >>> s["x"], s["x"].is_real
    (x, True)
    """
    return {symbol.name: symbol for symbol in _translate(root)[1].values()}


def _translate(root, given=None):
    """(expression, {leaf: symbol}) for ``root``: the sympy interpreter of its graph."""
    import sympy

    if not isinstance(root, (Value, Graph)):
        raise TypeError(f"to_sympy needs a Value, got {root!r} ({type(root).__name__})")
    graph = Graph.of(root)
    mine = {symbol.name: symbol for symbol in (given.values() if isinstance(given, dict) else given or ())}
    leaf_symbols = {leaf: mine.get(name) or sympy.Symbol(name, real=True) for leaf, name in graph.names.items()}
    expressions = graph.evaluate(lambda row, *args: row.sympy(sympy, *args), leaf_symbols.get, exact)
    return expressions[graph.root], leaf_symbols


def parse_sympy(text: str):
    """The sympy expression of ``text``: names become real symbols.

    >>> parse_sympy("sigmoid(z) * (1 - sigmoid(z))")
    (1 - 1/(1 + exp(-z)))/(1 + exp(-z))
    """
    import sympy

    from .expressions import build

    symbols = {}

    def leaf(name, node):
        return symbols.setdefault(name, sympy.Symbol(name, real=True))

    def combine(op, args):
        if all(isinstance(arg, float) for arg in args):
            return apply(op, args)          # fold numbers as floats: no giant exact powers
        return op.sympy(sympy, *(exact(arg) for arg in args))
    return build(text, leaf, combine)


def exact(x):
    """A float as the exact number its shortest repr says (0.1 -> 1/10); anything else unchanged."""
    import sympy

    if not isinstance(x, float):
        return x
    if not math.isfinite(x):
        return sympy.nan if x != x else (sympy.oo if x > 0 else -sympy.oo)
    return sympy.Integer(int(x)) if x.is_integer() else sympy.Rational(repr(x))


def _engine_kinks(expr):
    """``expr`` with Heaviside steps at 0 valued 0, the engine's convention for relu' (sympy's is 1/2)."""
    import sympy

    return expr.replace(sympy.Heaviside, lambda argument, *value: sympy.Heaviside(argument, 0))


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


# --- verify: the engine against sympy and finite differences -----------------------

@dataclass
class LeafCheck:
    """One leaf's gradient three ways, and whether they agree."""

    name: str
    value: float
    engine: float
    sympy: float
    finite_difference: float
    ok: bool


@dataclass
class Report:
    """The result of ``verify``: one ``LeafCheck`` per leaf; true when all agree."""

    leaves: list = field(default_factory=list)
    rtol: float = 1e-6

    @property
    def ok(self) -> bool:
        return all(leaf.ok for leaf in self.leaves)

    def __bool__(self) -> bool:
        return self.ok

    def rows(self) -> list:
        header = ["leaf", "value", "engine", "sympy", "finite diff.", "ok"]
        return [header] + [[c.name, f"{c.value:.6g}", f"{c.engine:.10g}", f"{c.sympy:.10g}",
                            f"{c.finite_difference:.6g}", "yes" if c.ok else "NO"] for c in self.leaves]

    def __str__(self) -> str:
        rows = self.rows()
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
        verdict = "all gradients agree" if self.ok else "some gradients DISAGREE"
        return "\n".join(lines + [f"{verdict} (rtol {self.rtol:g})"])

    def _repr_markdown_(self) -> str:
        rows = self.rows()
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * len(rows[0])]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return "\n".join(lines) + f"\n\n**{'all gradients agree' if self.ok else 'some gradients disagree'}**"


def verify(root: Value, rtol: float = 1e-6) -> Report:
    """Check every leaf's gradient: the engine's, sympy's exact derivative, a central difference.

    The engine's gradients are computed afresh; the graph's ``.grad`` values are
    left as they were.

    >>> from microbp import Value
    >>> x = Value(0.5, label="x")
    >>> report = verify((x * x).sigmoid())
    >>> bool(report), report.leaves[0].name
    (True, 'x')
    """
    graph = Graph.of(root)
    expr, leaf_symbols = _translate(graph)
    engine = graph.gradients
    point = {leaf_symbols[leaf]: exact(leaf.data) for leaf in leaf_symbols}
    report = Report(rtol=rtol)
    for leaf, symbol in leaf_symbols.items():
        symbolic_value = _number(_engine_kinks(expr.diff(symbol)), point)
        difference = _central_difference(graph, leaf)
        agrees = math.isclose(engine[leaf], symbolic_value, rel_tol=rtol, abs_tol=rtol) or (
            math.isnan(engine[leaf]) and math.isnan(symbolic_value))
        if not math.isnan(difference):
            agrees = agrees and math.isclose(difference, symbolic_value, rel_tol=1e-4, abs_tol=1e-5)
        report.leaves.append(LeafCheck(symbol.name, leaf.data, engine[leaf], symbolic_value, difference, agrees))
    return report


def _central_difference(graph, leaf) -> float:
    """(f(x+h) - f(x-h)) / 2h by re-evaluating the graph.

    nan where that estimate means nothing: at a kink (the one-sided slopes
    differ) or where x ± h leaves an operation's domain.
    """
    step = 1e-6 * max(1.0, abs(leaf.data))
    try:
        up, here, down = (_evaluate(graph, {leaf: leaf.data + d}) for d in (step, 0.0, -step))
    except (DomainError, ArithmeticError, ValueError):
        return math.nan
    forward, backward = (up - here) / step, (here - down) / step
    if not math.isclose(forward, backward, rel_tol=1e-3, abs_tol=1e-4):
        return math.nan
    return (up - down) / (2 * step)


def _evaluate(graph, overrides: dict) -> float:
    """The root's value with some leaves changed, recomputed through the op table."""
    values = graph.evaluate(lambda row, *args: apply(row, args), lambda leaf: overrides.get(leaf, leaf.data))
    return values[graph.root]


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
