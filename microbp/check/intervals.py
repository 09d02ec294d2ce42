"""Interval arithmetic (``mpmath.iv``): enclosures of an expression's value that are guaranteed to hold.

A counterexample must be beyond doubt. At 50 digits ``1 - sigmoid(10000)`` is
0, though it is e^-10000, and no fixed precision avoids every such
cancellation. An interval evaluation gives a range that surely holds the
value; two expressions surely differ at a point when their ranges there do
not overlap. Where a comparison inside a ``Piecewise`` cannot be decided (the
range straddles the kink), the evaluation gives up rather than guess.

>>> import sympy
>>> z = sympy.Symbol("z", real=True)
>>> sigmoid = 1 / (1 + sympy.exp(-z))
>>> claim, derivative = Enclosure(sigmoid * (1 - sigmoid), [z]), Enclosure(sympy.diff(sigmoid, z), [z])
>>> surely_differ(claim(10000.0), derivative(10000.0))          # equal: e^-10000 within [0, 1e-50]
False
>>> surely_differ(Enclosure(1.0000000001 * z, [z])(1.0), Enclosure(z, [z])(1.0))
True
"""

from __future__ import annotations

import mpmath
import sympy
from mpmath import iv

from .high_precision import DIGITS, REAL_MPMATH, OutsideDomain, _RealPrinter, positional_lambdify

_IV_MPF = type(iv.mpf(1))


class _Undecided(ArithmeticError):
    """A comparison of ranges that overlap."""


def _holds(condition) -> bool:
    if condition is None:
        raise _Undecided("a comparison straddles the kink")
    return condition


def _positive_power(base, exponent):
    """base ** exponent on ranges: integer exponents for any base, else base > 0 (or 0 ** positive)."""
    if isinstance(exponent, int):
        return base ** exponent
    base, exponent = iv.mpf(base), iv.mpf(exponent)
    if exponent.a == exponent.b and exponent.a == int(exponent.a):
        return base ** int(exponent.a)
    if base.a == base.b == 0 and exponent.a > 0:
        return iv.mpf(0)
    if not base.a > 0:
        raise OutsideDomain("power")
    return iv.exp(exponent * iv.log(base))


def _maximum(*values):
    values = [iv.mpf(v) for v in values]
    return iv.mpf([max(v.a for v in values), max(v.b for v in values)])


def _minimum(*values):
    values = [iv.mpf(v) for v in values]
    return iv.mpf([min(v.a for v in values), min(v.b for v in values)])


def _sign(x):
    if _holds(x > 0):
        return iv.mpf(1)
    return iv.mpf(-1) if _holds(x < 0) else iv.mpf(0)


INTERVAL_FUNCTIONS = {
    "exp": iv.exp, "log": iv.log, "sqrt": iv.sqrt, "sin": iv.sin, "cos": iv.cos, "tan": iv.tan,
    "sinh": lambda x: (iv.exp(x) - iv.exp(-x)) / 2, "cosh": lambda x: (iv.exp(x) + iv.exp(-x)) / 2,
    "tanh": lambda x: 1 - 2 / (iv.exp(2 * x) + 1), "expm1": iv.expm1, "fabs": abs, "sign": _sign,
    "power": _positive_power, "maximum": _maximum, "minimum": _minimum, "holds": _holds,
    "mpf": iv.mpf, "pi": iv.pi, "e": iv.e, "undefined": REAL_MPMATH["undefined"],
}
"""mpmath's interval functions, and the hyperbolic ones from exp (wider, still enclosures)."""


class _IntervalPrinter(_RealPrinter):
    """Every comparison through ``holds`` (so an undecided one stops), Max and Min on ranges."""

    def _print_Relational(self, expr):
        return f"holds({super()._print_Relational(expr)})"

    def _print_Float(self, expr):
        exact = sympy.Rational(expr)           # the binary number itself
        return f"(mpf({exact.p}) / mpf({exact.q}))"

    def _print_Max(self, expr):
        return f"maximum({', '.join(map(self._print, expr.args))})"

    def _print_Min(self, expr):
        return f"minimum({', '.join(map(self._print, expr.args))})"


class Enclosure:
    """A sympy expression compiled to interval arithmetic; called with floats, gives a range or None.

    None: some step has no real value there, cannot be computed on ranges, or a
    comparison cannot be decided.
    """

    def __init__(self, expr, symbols, digits: int = DIGITS):
        self.digits = digits
        printer = _IntervalPrinter({"fully_qualified_modules": False, "inline": True,
                                    "allow_unknown_functions": True,
                                    "user_functions": {name: name for name in INTERVAL_FUNCTIONS}})
        self.function = positional_lambdify(symbols, expr, modules=[INTERVAL_FUNCTIONS], printer=printer,
                                            cse=not expr.has(sympy.Piecewise))

    def __call__(self, *values, digits: int | None = None):
        old, iv.dps = iv.dps, digits or self.digits
        try:
            result = self.function(*(iv.mpf(value) for value in values))
        except (OutsideDomain, _Undecided, ArithmeticError, TypeError, ValueError, NameError, AttributeError):
            return None
        finally:
            iv.dps = old
        if isinstance(result, (int, float)):
            result = iv.mpf(result)
        finite = isinstance(result, _IV_MPF) and abs(result.a) != iv.inf and abs(result.b) != iv.inf
        return result if finite else None


def midpoint(interval):
    """The middle of a range, as an mpf (at 60 digits)."""
    with mpmath.workdps(60):
        low, high = (mpmath.mpf(end) for end in interval._mpi_)
        return (low + high) / 2


def surely_differ(a, b) -> bool:
    """True when the ranges ``a`` and ``b`` (from an ``Enclosure``) do not overlap."""
    return a is not None and b is not None and (a.b < b.a or b.b < a.a)
