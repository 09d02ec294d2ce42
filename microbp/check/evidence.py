"""The evidence ``verify`` weighs for each leaf: the engine's gradient, the exact one, and the slope.

Two exact derivatives are computed, both by chaining sympy's derivative of
each row at 50 digits: ``exact`` at the leaves' values (the truth), and
``along_engine`` at the engine's own float intermediate values. The engine
must agree with the second up to rounding in backward; the two differ only
where float rounding in the forward pass moves the derivative (an
ill-conditioned graph, as ``sin(x + 1e16)``). The slope is a float central
difference when that is decisive and agrees, else one at 50 digits.

>>> from microbp import Value
>>> x = Value(3.0, label="x")
>>> graph = Graph(x * x)
>>> evidence = gather(graph, rtol=1e-6)[x]
>>> evidence.engine, float(evidence.exact), float(evidence.along_engine), round(evidence.slope.value, 6)
(6.0, 6.0, 6.0, 6.0)
"""

from __future__ import annotations

from typing import NamedTuple

from ..core.graph import Graph
from .finite_differences import Slope, slope
from .high_precision import chain, exact_values, local_derivatives


class Evidence(NamedTuple):
    """What ``verify`` knows about one leaf's gradient."""

    engine: float
    exact: object               # ∂root/∂leaf at 50 digits, at the leaves' values
    along_engine: object        # the same, with every local derivative at the engine's float inputs
    scale: object               # Σ over paths of |product of local derivatives|, at the leaves' values
    scale_along: object         # the same, at the engine's values
    slope: Slope


def gather(graph: Graph, rtol: float) -> dict:
    """leaf -> ``Evidence`` for every leaf of ``graph``."""
    values = exact_values(graph)
    exact_locals, along_locals = local_derivatives(graph, values), local_derivatives(graph, None)
    exact, along = chain(graph, exact_locals), chain(graph, along_locals)
    scale, scale_along = chain(graph, exact_locals, absolute=True), chain(graph, along_locals, absolute=True)
    engine = graph.gradients
    evidence = {}
    for leaf in graph.leaves:
        truth, size = exact.get(leaf, 0.0), scale.get(leaf, 0.0)
        evidence[leaf] = Evidence(engine[leaf], truth, along.get(leaf, 0.0), size, scale_along.get(leaf, 0.0),
                                  _slope(graph, leaf, values, truth, rtol, (engine, exact)))
    return evidence


def _slope(graph: Graph, leaf, values: dict, truth, rtol: float, sensitivities) -> Slope:
    """The float central difference when it is accurate enough and agrees with ``truth``; else the precise one."""
    quick = slope(graph, leaf, sensitivity=sensitivities[0])
    if quick.value == quick.value:         # relative to the slope itself: a sum over paths would hide errors
        tolerance = rtol * max(abs(quick.value), abs(truth) if truth == truth else 0)
        decisive = quick.error <= 0.01 * tolerance
        agrees = truth != truth or abs(quick.value - truth) <= tolerance
        if decisive and agrees:
            return quick
    return slope(graph, leaf, precise=True, values=values, sensitivity=sensitivities[1])
