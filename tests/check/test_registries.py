"""Every row of the table through every registry keyed by sympy/mpmath function names.

``check.high_precision`` (50-digit evaluation, ``REAL_MPMATH``), ``check.intervals``
(enclosures, ``INTERVAL_FUNCTIONS``) and ``check.kinks`` (where a function kinks)
each know sympy's functions by name. A new row whose sympy form, or whose
derivative's, uses a function one of them lacks fails here, naming the row and
the registry, instead of silently giving "no value" inside ``verify`` or
``check_derivation``.
"""

import math

import mpmath
import pytest
import sympy
from oracles import operand_counts

from microbp.check.high_precision import RealFunction
from microbp.check.intervals import Enclosure
from microbp.check.kinks import kinks
from microbp.core.ops import TABLE

POINTS = ([0.3, 0.7, 1.1, 0.45, 0.9], [1.7, 0.4, 2.3, 0.8, 0.6])       # inside every row's domain


def forms(row):
    """(sympy form, its derivative by each operand, operand symbols, a point) of ``row``."""
    count = operand_counts(row)[0]
    operands = sympy.symbols(f"a0:{count}", real=True)
    form = row.sympy(sympy, *operands)
    return form, [sympy.diff(form, x) for x in operands], operands, [p[:count] for p in POINTS]


def close(value, expected: float) -> bool:
    return value is not None and math.isclose(float(value), expected, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.name)
def test_high_precision_evaluates_every_row_and_its_derivatives(row):
    form, derivatives, operands, points = forms(row)
    for point in points:
        value = RealFunction(form, operands)(*point)
        assert close(value, row.forward(*point)), \
            f"row {row.name!r}: check.high_precision (REAL_MPMATH) gives {value} for {form} at {point}"
        for derivative in derivatives:
            assert RealFunction(derivative, operands)(*point) is not None, \
                f"row {row.name!r}: check.high_precision (REAL_MPMATH) cannot evaluate {derivative} at {point}"


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.name)
def test_intervals_enclose_every_row_and_its_derivatives(row):
    form, derivatives, operands, points = forms(row)
    for point in points:
        enclosure = Enclosure(form, operands)(*point)
        expected = mpmath.mpf(row.forward(*point))
        assert enclosure is not None and enclosure.a - 1e-12 <= expected <= enclosure.b + 1e-12, \
            f"row {row.name!r}: check.intervals (INTERVAL_FUNCTIONS) gives {enclosure} for {form} at {point}"
        for derivative in derivatives:
            assert Enclosure(derivative, operands)(*point) is not None, \
                f"row {row.name!r}: check.intervals (INTERVAL_FUNCTIONS) cannot enclose {derivative} at {point}"


def kinked_at(function, x: float, h: float = 1e-6) -> bool:
    """Whether ``function`` kinks or jumps at ``x`` (numerically), where it is finite on both sides."""
    left, middle, right = function(x - h), function(x), function(x + h)
    if not all(map(math.isfinite, (left, middle, right))):
        return False
    return abs((right - middle) - (middle - left)) / h > 1e-3


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.name)
def test_kinks_finds_every_rows_kinks(row):
    form, _, operands, _ = forms(row)
    others = [0.5] * (len(operands) - 1)
    function = lambda x: row.forward(x, *others)                           # noqa: E731
    found = kinks([form.subs(dict(zip(operands[1:], others)))], operands[0])
    for x in (-1.0, 0.0, 0.5, 1.0):
        if kinked_at(function, x):
            assert any(math.isclose(float(point), x, abs_tol=1e-12) for point in found.points), \
                f"row {row.name!r}: check.kinks finds {found.points}, not the kink at {x} of {form}"
