"""Real numbers at high precision: sympy expressions and the table's rows, evaluated with mpmath.

The oracle of ``verify`` and ``check_derivation``. An expression is compiled
once (``lambdify`` to mpmath) and then evaluated at many points, with no
``subs`` and no ``evalf`` on the whole tree: time grows with the size of the
expression, not with its nesting.

Arithmetic is *real*: where any step has no real value (``log(-1)``,
``sqrt(-1)``, ``x / 0``, ``0 ** -1``, a negative number to a fractional power)
the whole value is ``None``, never a complex number or an infinity. Arguments
beyond about 10^1200 are refused too (exp of them would not finish).

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> log_x = RealFunction(sympy.log(x) + 1, [x])
>>> float(log_x(1.0)), log_x(-1.0), log_x(0.0)
(1.0, None, None)
"""

from __future__ import annotations

import math
from functools import lru_cache

import mpmath
import sympy
from sympy.printing.pycode import MpmathPrinter

DIGITS = 50
"""Significant digits of every high-precision value (floats carry about 16)."""
HUGE_BITS = 4096
"""Arguments larger than 2 ** HUGE_BITS (about 10^1233) are refused: exp of them would not end."""
NAN = mpmath.mpf("nan")


class OutsideDomain(ArithmeticError):
    """A step of the evaluation has no real, finite value."""


def _real(value) -> bool:
    """A finite real number."""
    return isinstance(value, int) or isinstance(value, mpmath.mpf) and mpmath.isfinite(value)


def _moderate(value) -> bool:
    """A real number small enough to take exp or sin of in reasonable time (|value| < 2 ** HUGE_BITS)."""
    return isinstance(value, int) and value.bit_length() < HUGE_BITS or _real(value) and (
        not value or mpmath.mag(value) < HUGE_BITS)


def _checked(function, argument_ok=_moderate):
    """``function`` on real arguments that gives a real, finite value, or raises ``OutsideDomain``."""
    def real_function(*args):
        if not all(map(argument_ok, args)):
            raise OutsideDomain(function.__name__)
        result = function(*args)
        if not _real(result):
            raise OutsideDomain(function.__name__)
        return result
    real_function.__name__ = function.__name__
    return real_function


def _power(base, exponent):
    """base ** exponent where it is a real number: not 0 ** negative, nor negative ** fraction."""
    if base == 0 and exponent < 0 or base < 0 and exponent != int(exponent):
        raise OutsideDomain("power")
    if base and exponent and mpmath.mag(exponent) + mpmath.mag(mpmath.log(abs(base)) or 1) > HUGE_BITS:
        raise OutsideDomain("power")           # too large to compute
    return mpmath.power(base, exponent)


def _undefined():
    raise OutsideDomain("an infinite or undefined constant (zoo, nan, oo)")


_FUNCTIONS = ("exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "asin", "acos", "atan2", "acosh", "atanh", "erf",
              "erfc", "expm1", "gamma", "loggamma", "hypot")
_ANY_SIZE = ("log", "sqrt", "log10", "atan", "asinh", "fabs", "sign", "floor", "ceil")
REAL_MPMATH = {**{name: _checked(getattr(mpmath, name)) for name in _FUNCTIONS},
               **{name: _checked(getattr(mpmath, name), _real) for name in _ANY_SIZE},
               "power": _checked(_power, _real), "undefined": _undefined}
"""The functions compiled expressions call: mpmath's, refusing anything that is not real."""


class _RealPrinter(MpmathPrinter):
    """mpmath code in which every power goes through ``power`` (so it can refuse complex results), and
    sympy's zoo, nan and ±oo (a branch such as ``0 ** -2`` of a Piecewise) are ``undefined()``."""

    def _print_ComplexInfinity(self, expr):
        return "undefined()"

    _print_NaN = _print_Infinity = _print_NegativeInfinity = _print_ComplexInfinity

    def _print_Pow(self, expr, rational=False):
        if expr.exp == sympy.S.Half:
            return f"sqrt({self._print(expr.base)})"
        return f"power({self._print(expr.base)}, {self._print(expr.exp)})"


def _printer() -> _RealPrinter:
    """The settings ``lambdify`` gives its own printer, with our functions called by their names."""
    return _RealPrinter({"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True,
                         "user_functions": {name: name for name in REAL_MPMATH}})


class RealFunction:
    """A sympy expression compiled to mpmath; called with numbers, gives an ``mpf`` or ``None``.

    ``None`` means the expression has no real value there. Shared subexpressions
    are computed once; where that evaluates a branch of a ``Piecewise`` the point
    does not take, the plain form decides.
    """

    def __init__(self, expr, symbols, digits: int = DIGITS):
        self.expr, self.symbols, self.digits = expr, list(symbols), digits
        self.piecewise = expr.has(sympy.Piecewise)
        self.shared = self._compile(cse=True)
        self.plain = None

    def _compile(self, cse: bool):
        return positional_lambdify(self.symbols, self.expr, modules=[REAL_MPMATH, "mpmath"], printer=_printer(),
                                   cse=cse)

    def __call__(self, *values, digits: int | None = None):
        with mpmath.workdps(digits or self.digits):
            arguments = [mpmath.mpf(value) for value in values]
            result = _attempt(self.shared, arguments)
            if result is None and self.piecewise:
                self.plain = self.plain or self._compile(cse=False)
                result = _attempt(self.plain, arguments)
            return result


def positional_lambdify(symbols, expr, **options):
    """``sympy.lambdify`` with the variables renamed ``_a0, _a1, ...`` first: arguments are positional,
    so a user's names never reach the generated source, where ``x`` and ``ｘ`` would be one
    Python name (a duplicate argument) and a variable named ``tanh`` would hide the function.

    >>> x, fx = sympy.Symbol("x", real=True), sympy.Symbol("ｘ", real=True)
    >>> positional_lambdify([x, fx], x * 10 + fx)(1, 2)
    12
    """
    symbols = list(symbols)
    safe = [sympy.Symbol(f"_a{i}", real=True) for i in range(len(symbols))]
    return sympy.lambdify(safe, expr.xreplace(dict(zip(symbols, safe))), docstring_limit=0, **options)


def _attempt(function, arguments):
    try:
        result = function(*arguments)
    except (OutsideDomain, ZeroDivisionError, TypeError, ValueError, OverflowError, NameError):
        return None                        # TypeError: a complex number compared with 0 in a Piecewise
    if isinstance(result, (int, sympy.Integer)):
        return mpmath.mpf(int(result))
    return result if _real(result) else None


# --- the table's rows at high precision: the graph's own operations, exactly ---------

@lru_cache(maxsize=None)
def _row_symbols(count: int) -> tuple:
    return sympy.symbols(f"a0:{count}", real=True)


@lru_cache(maxsize=None)
def row_forward(row, count: int) -> RealFunction:
    """``row`` on ``count`` inputs, from its sympy form: the exact value of a node."""
    inputs = _row_symbols(count)
    return RealFunction(row.sympy(sympy, *inputs), inputs)


@lru_cache(maxsize=None)
def row_derivatives(row, count: int) -> tuple:
    """∂row/∂input for each input, by ``sympy.diff`` of the row's sympy form (not its own formulas)."""
    inputs = _row_symbols(count)
    form = row.sympy(sympy, *inputs)
    return tuple(RealFunction(sympy.powsimp(sympy.diff(form, x)), inputs) for x in inputs)


def value_or_nan(result):
    return NAN if result is None else result


def to_float(value) -> float:
    """An mpf (or None) as the nearest float: ±inf beyond the float range, nan for None."""
    if value is None or not mpmath.isfinite(value):
        return math.nan if value is None or mpmath.isnan(value) else float(value)
    return float(value)


# --- a graph, interpreted exactly: values, local derivatives, the chain rule --------------

def exact_values(graph) -> dict:
    """Every node's value at ``DIGITS`` digits, the leaves' floats taken as exact numbers; nan outside
    a row's real domain."""
    with mpmath.workdps(DIGITS):
        return graph.evaluate(apply_exactly, lambda leaf: mpmath.mpf(leaf.data), mpmath.mpf)


def apply_exactly(row, *inputs):
    """``row`` at ``inputs``, exactly (nan where it has no real value): at ``DIGITS`` digits, or at mpmath's
    working precision when that is higher."""
    return value_or_nan(row_forward(row, len(inputs))(*inputs, digits=max(DIGITS, mpmath.mp.dps)))


def inputs_of(node, values: dict | None) -> tuple:
    """A node's inputs: its parents' values in ``values``, or, with ``values=None``, the engine's floats."""
    if values is None:
        return tuple(p if type(p) is float else p.data for p in node.parents)
    return tuple(mpmath.mpf(p) if type(p) is float else values[p] for p in node.parents)


def local_derivatives(graph, values: dict | None) -> dict:
    """node -> ∂node/∂parent per parent, from sympy's derivative of each row, at ``inputs_of(node, values)``.

    An exact 0 is the float 0.0, so that the chain rule passes nothing through it.
    """
    derivatives = {}
    for node in graph.computed:
        inputs = inputs_of(node, values)
        functions = row_derivatives(node.op, len(inputs))
        derivatives[node] = tuple(_zero_as_float(value_or_nan(f(*inputs))) for f in functions)
    return derivatives


def chain(graph, derivatives: dict, absolute: bool = False) -> dict:
    """∂root/∂node for every node (0 where it does not reach), at ``DIGITS`` digits.

    Zero times anything is zero, as in the engine. With ``absolute``, every
    local derivative counts by its magnitude: the sum over paths of |product|,
    the scale that rounding errors in a float gradient are measured against.
    """
    from ..core.graph import chain_rule

    local = (lambda node: tuple(map(abs, derivatives[node]))) if absolute else derivatives.__getitem__
    with mpmath.workdps(DIGITS):
        return chain_rule(graph.order, graph.root, 1.0, local, product=_times, warn=False)


def _times(local, upstream):
    return 0.0 if local == 0 or upstream == 0 else local * upstream


def _zero_as_float(value):
    return 0.0 if value == 0 else value
