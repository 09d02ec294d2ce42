"""The slope of a graph's root along one leaf, by central differences: the check that knows no formula.

A central difference ``(f(x + h) - f(x - h)) / 2h`` needs no derivative
formula, so it sees what the function does, kinks included. It is computed
twice, with steps h and h/2, and extrapolated (Richardson); the two estimates
also say how far off it may be. On floats that is fast but not always
decisive: with f about 1e7 and h about 1e-5, rounding alone moves it by 1e-4.
``slope`` then, or when the float estimate disagrees with the reference,
repeats it at ``DIGITS`` digits with a step of 10^-20 of x, where neither
rounding nor truncation matter.

>>> from microbp import Value
>>> from microbp.core.graph import Graph
>>> x = Value(0.5, label="x")
>>> estimate = slope(Graph(x * x + 1e7), x, precise=True)
>>> float(estimate.value), estimate.error < 1e-15, estimate.kink
(1.0, True, False)
"""

from __future__ import annotations

import math
from typing import NamedTuple

import mpmath

from .high_precision import DIGITS, apply_exactly, exact_values

FLOAT_STEP = 1e-5
"""The float step, relative to |x| (and at least 1e-8)."""
PRECISE_STEP = mpmath.mpf(10) ** -20
"""The high-precision step, relative to |x| (10^-25 at x = 0)."""


class Slope(NamedTuple):
    """A central-difference estimate: its value, a bound on its error, and whether x is a kink.

    At a kink (the one-sided slopes differ) or where x ± h leaves the domain, ``value`` is nan.
    """

    value: object
    error: object
    kink: bool = False


def slope(graph, leaf, precise: bool = False, values: dict | None = None, sensitivity: dict | None = None) -> Slope:
    """∂root/∂leaf by central differences, on floats or (``precise``) at ``DIGITS`` digits.

    ``values``: the exact node values (``exact_values(graph)``), when already computed.
    ``sensitivity``: ∂root/∂node for the nodes, when known; the rounding of each
    intermediate moves the root by about |∂root/∂node · node|, so the error bound
    counts the largest of these (cosh(x)**2 - sinh(x)**2 is 1, from terms of 10^17).
    """
    if not precise:
        magnitude = _largest(graph, leaf, sensitivity, lambda node: node.data)
        return _estimate(_float_function(graph, leaf), leaf.data, FLOAT_STEP * max(abs(leaf.data), 1e-3),
                         4 * 2.0 ** -52, magnitude)
    values = exact_values(graph) if values is None else values
    for digits in (DIGITS, 3 * DIGITS):         # more digits where intermediates cancel (1e15 - 1e15)
        with mpmath.workdps(digits):
            x = mpmath.mpf(leaf.data)
            step = PRECISE_STEP * abs(x) if x else PRECISE_STEP * mpmath.mpf(10) ** -5
            magnitude = _largest(graph, leaf, sensitivity, values.get)
            estimate = _estimate(_exact_function(graph, leaf, values), x, step, mpmath.mpf(10) ** -(digits - 2),
                                 magnitude)
        if estimate.kink or not estimate.error > 1e-7 * abs(estimate.value):
            return estimate
    return estimate


def _largest(graph, leaf, sensitivity, value) -> float:
    """The largest finite |∂root/∂node · node| over the nodes that depend on ``leaf`` (0 without ``sensitivity``)."""
    if sensitivity is None:
        return 0
    sizes = (abs(sensitivity.get(node, 0) * value(node)) for node in graph.downstream([leaf]))
    return max((size for size in sizes if _finite(size)), default=0)


def _estimate(f, x, h, rounding, magnitude=0) -> Slope:
    """Richardson's extrapolation of central differences with steps h and h/2."""
    here, up, down = f(x), f(x + h), f(x - h)
    if not all(map(_finite, (here, up, down))):
        return Slope(math.nan, math.inf)
    forward, backward = (up - here) / h, (here - down) / h
    wide = (up - down) / (2 * h)
    half = (f(x + h / 2) - f(x - h / 2)) / h
    if not _finite(half):
        return Slope(math.nan, math.inf)
    extrapolated = (4 * half - wide) / 3
    noise = rounding * max(abs(up), abs(down), abs(here), magnitude) / h
    error = abs(extrapolated - half) + noise
    if abs(forward - backward) > 1e-3 * max(abs(forward), abs(backward)) + 4 * error:
        return Slope(math.nan, math.inf, kink=True)
    return Slope(extrapolated, error)


def _finite(value) -> bool:
    return value == value and abs(value) != math.inf


def _float_function(graph, leaf):
    """The root as a function of ``leaf`` on floats, through the rows' total forwards (nan outside a domain)."""
    affected = graph.downstream([leaf])

    def f(x: float) -> float:
        values = {leaf: x}
        for node in affected:
            values[node] = node.op.forward(*(p if type(p) is float else values.get(p, p.data) for p in node.parents))
        return values.get(graph.root, graph.root.data)
    return f


def _exact_function(graph, leaf, base: dict):
    """The root as a function of ``leaf``, every row evaluated exactly (at the current mpmath precision)."""
    affected = graph.downstream([leaf])

    def f(x):
        values = {leaf: x}
        for node in affected:
            values[node] = apply_exactly(node.op, *(mpmath.mpf(p) if type(p) is float else values.get(p, base[p])
                                                    for p in node.parents))
        return values.get(graph.root, base[graph.root])
    return f
