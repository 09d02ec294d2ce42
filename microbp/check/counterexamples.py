"""The numeric half of ``check_derivation``: look for a point where the claim and the derivative differ.

Points cover the whole real line: moderate values first (so a counterexample
reads well), then ±10^k for k from -30 to 30, then random points on a
logarithmic scale over the same range, then the neighbourhood of every kink,
jump, pole and domain edge the symbolic step found (at the point and at
relative and absolute distances from 10^-1 to 10^-12). Other variables are
drawn on a logarithmic scale too, unless fixed.

A point counts only inside the domain of the function, its derivative and
the claim (as written: ``sqrt(x)**2`` is not defined at -1 even though sympy
reads it as ``x``). Values are compared at 50 digits; a difference is a
counterexample only if interval arithmetic proves it (``intervals``: at 50
digits 1 - sigmoid(10000) is 0, and no fixed precision avoids every such
cancellation) and the derivative is continuous there (not a kink, where
microbp's convention gives a value the function's slope does not).
"""

from __future__ import annotations

import math
import random
from typing import NamedTuple

import mpmath

from ..errors import DomainError
from .high_precision import RealFunction
from .intervals import Enclosure, midpoint, surely_differ

DIFFERENCE = 1e-40
"""Relative difference above which two values at 50 digits may differ (interval arithmetic then decides)."""
DECADES = 30
"""Points reach 10^-30 and 10^30 in magnitude."""


class Search(NamedTuple):
    """The outcome: a counterexample (``{name: value}``) or None, and how many points agreed, where.

    The two values at a counterexample are mpmath numbers: as floats they may round to the same
    number (10^-400 and 0), though they were proved to differ."""

    counterexample: dict | None
    claimed_value: float | None
    correct_value: float | None
    relative_difference: float | None
    agreed: int
    low: float
    high: float


class Sides(NamedTuple):
    """What is compared: sympy expressions over ``symbols`` (the variable first), and each side as
    written (a ``WrittenDomain``, or None) for the domain check."""

    expression: object
    correct: object
    claim: object
    symbols: list
    written: tuple


def search(sides: Sides, fixed: dict, kinks: list, points: int, seed: int) -> Search:
    """Try the points in order; stop at the first confirmed counterexample."""
    compiled = [RealFunction(e, sides.symbols) for e in (sides.expression, sides.correct, sides.claim)]
    compiled.append(_as_written(sides))
    enclosures = _Lazy(lambda: [Enclosure(e, sides.symbols) for e in (sides.correct, sides.claim)])
    others = sides.symbols[1:]
    kink_functions = [RealFunction(k, others) for k in kinks]
    rng = random.Random(seed)
    agreed, low, high = 0, math.inf, -math.inf
    for values in _points(sides.symbols, fixed, kink_functions, points, rng):
        outcome = _compare(compiled, enclosures, sides, values)
        if outcome is None:
            continue
        if outcome is not True:
            names = [symbol.name for symbol in sides.symbols]
            return Search(dict(zip(names, values)), *outcome, agreed, low, high)
        agreed, low, high = agreed + 1, min(low, values[0]), max(high, values[0])
    if agreed == 0:
        raise DomainError("check_derivation: found no point where the function, its derivative and the claim "
                          "are all defined; fix other variables at values where they are, as in y=1.5")
    return Search(None, None, None, None, agreed, low, high)


def _compare(compiled, enclosures, sides: Sides, values):
    """None where nothing can be said (outside a domain, a kink, a difference not proven); True where the
    two agree; (claimed, correct, relative difference) at a proven counterexample."""
    expression, correct, claim = (f(*values) for f in compiled[:3])
    if expression is None or correct is None or claim is None or not compiled[3](values):
        return None
    if not _differ(correct, claim):
        return True
    ranges = _ranges(enclosures.value, values)
    if ranges is None or ranges is True:
        return ranges                               # True: the ranges overlap, the difference was rounding
    if not _continuous(compiled[1], values, correct):
        return None
    correct, claim = map(midpoint, ranges)             # kept at full precision: as floats both may be 0
    return claim, correct, float(abs(correct - claim) / max(abs(correct), abs(claim)))


def _ranges(enclosures, values):
    """The ranges of the derivative and the claim at the point if they do not overlap (at 50, then 250
    digits); True if they still overlap; None if interval arithmetic cannot evaluate them."""
    for digits in (50, 250):
        ranges = [enclosure(*values, digits=digits) for enclosure in enclosures]
        if None in ranges:
            return None
        if surely_differ(*ranges):
            return ranges
    return True


class _Lazy:
    """A value made on first use (the interval functions are compiled only if a difference shows)."""

    def __init__(self, make):
        self.make, self.made = make, None

    @property
    def value(self):
        if self.made is None:
            self.made = self.make()
        return self.made


def _differ(a, b) -> bool:
    return abs(a - b) > DIFFERENCE * max(abs(a), abs(b))


def _continuous(function, values, value) -> bool:
    """The derivative takes the same value just beside the point (so the function is differentiable there)."""
    with mpmath.workdps(50):                    # beside it at 50 digits (as floats, x ± 1e-30 is x)
        x = mpmath.mpf(values[0])
        step = mpmath.mpf("1e-30") * max(abs(x), mpmath.mpf("1e-10"))
        sides = (x - step, x + step)
    for nearby in sides:
        side = function(nearby, *values[1:])
        if side is None or abs(side - value) > 1e-15 * max(abs(value), 1e-300):
            return False
    return True


def _as_written(sides: Sides):
    """values -> whether every operation of the texts is inside its domain there (sympy may have
    simplified one away)."""
    from .posing import written_domain

    tests = [written_domain(side) for side in sides.written]
    names = [symbol.name for symbol in sides.symbols]

    def defined(values) -> bool:
        point = dict(zip(names, values))
        return all(test(point) for test in tests)
    return defined


# --- the points ------------------------------------------------------------------------

def _points(symbols, fixed: dict, kinks: list, count: int, rng: random.Random):
    """Values for ``symbols`` (the variable first), in the order they are tried."""
    moderate = [s * m for m in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0) for s in (1, -1)]
    moderate += [rng.uniform(-3, 3) for _ in range(count // 4)]
    grid = [0.0] + [s * 10.0 ** k for k in range(-DECADES, DECADES + 1, 2) for s in (1, -1)]
    wide = [_logarithmic(rng, DECADES) for _ in range(count)]
    for x in moderate:
        yield [x, *_others(symbols, fixed, rng, wide=False)]
    for x in grid + wide:
        yield [x, *_others(symbols, fixed, rng)]
    for kink in kinks:
        for _ in range(1 if len(symbols) == 1 else 5):
            others = _others(symbols, fixed, rng)
            at = kink(*others)
            if at is not None:
                for x in _around(float(at)):
                    yield [x, *others]


def _others(symbols, fixed: dict, rng: random.Random, wide: bool = True) -> list:
    """Values for the variables other than the first: fixed ones as given, others at random, between
    0.1 and 10 in magnitude (and half the time, when ``wide``, between 10^-12 and 10^12)."""
    return [fixed[s] if s in fixed else _logarithmic(rng, 12 if wide and rng.random() < 0.5 else 1)
            for s in symbols[1:]]


def _logarithmic(rng: random.Random, decades: int) -> float:
    """A random sign times 10 to a uniform power in [-decades, decades]."""
    return rng.choice((-1.0, 1.0)) * 10.0 ** rng.uniform(-decades, decades)


def _around(at: float) -> list:
    """``at`` and points beside it, at relative and absolute distances from 10^-1 to 10^-12."""
    distances = [10.0 ** -k * scale for k in (1, 2, 4, 6, 9, 12) for scale in {max(abs(at), 1e-300), 1.0}]
    return [at] + [at + sign * d for d in distances for sign in (1, -1) if at + sign * d != at]
