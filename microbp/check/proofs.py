"""Symbolic steps of ``check_derivation``: a proof that a claim is right, and the derivative to show.

These are the steps that may take sympy arbitrarily long, so they run under a
time limit (``workers.Worker``); each result is sent as soon as it is known.

A proof is one of: the difference of claim and derivative is identically 0;
``simplify`` reduces it to 0; with ``abs``, ``sign``, ``relu`` and the like
written out as pieces, every piece simplifies to 0; or, for one variable,
it simplifies to 0 on every interval between the points where something
kinks, jumps or leaves its domain (found with ``solveset``), with the variable
written as ``a + p`` for a positive ``p`` so that sympy knows the sign; or
``equals`` proves it.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> claim = x / sympy.Abs(x)                 # d|x|/dx, except at 0 where it is undefined
>>> prove(sympy.sign(x), claim, x, kinks([claim], x), sympy.Abs(x))
Proof(method='piece by piece on (-∞, 0) and (0, ∞)', kinks=((0.0, None, 0.0),))
"""

from __future__ import annotations

from typing import NamedTuple

import mpmath
import sympy

from .high_precision import RealFunction
from .kinks import Kinks, kinks


class Proof(NamedTuple):
    """How the claim was proved (``method``, or None); ``kinks``: points excepted, as
    ``(point, claimed, convention)``, where the function has no derivative and the claim
    differs from microbp's convention."""

    method: str | None
    kinks: tuple = ()


def proof_steps(expression, claim, correct, variable, written=(None, None)):
    """One worker's steps: the kinks, then a proof (or ``Proof(None)``).

    ``written``: the function and the claim as written (``WrittenDomain``), whose domain counts (sympy reads sqrt(x)**2 as x).
    """
    found = kinks([expression, claim, correct], variable)
    yield "kinks", found
    yield "proof", prove(correct, claim, variable, found, expression, written)


_warmed = []


def warm_up() -> None:
    """Run every step once on a small expression, in this process (once): sympy imports and tabulates
    much on first use, and a forked worker inherits that work instead of repeating it (measured: the
    benchmark's 69 checks take 5 s of CPU instead of 12)."""
    if _warmed:
        return
    x = sympy.Symbol("x", real=True)
    function = 1 / (1 + sympy.exp(-x)) + sympy.Abs(x - 1) + sympy.Piecewise((x, x > 0), (0, True))
    derivative = sympy.diff(function, x)
    for _ in proof_steps(function, derivative + 1, derivative, x):
        pass
    for _ in display_steps(derivative):
        pass
    _warmed.append(True)


def display_steps(correct):
    """The other worker's steps: the derivative simplified, and as LaTeX."""
    simplified = sympy.simplify(correct)
    yield "simplified", simplified
    yield "latex", sympy.latex(simplified)


def prove(correct, claim, variable, found: Kinks, expression, written=(None, None)) -> Proof:
    """A proof that ``claim`` is ``correct`` wherever ``expression`` (and ``written``, as written) is defined,
    or ``Proof(None)``."""
    difference = correct - claim
    if difference == 0:
        return Proof("identity")
    if sympy.simplify(difference) == 0:
        return Proof("simplify")
    pieces = sympy.piecewise_fold(difference.rewrite(sympy.Piecewise))
    if isinstance(pieces, sympy.Piecewise) and all(sympy.simplify(e) == 0 for e, _ in pieces.args):
        return Proof("piecewise")
    if found.complete and expression.free_symbols == {variable}:
        domains = _domain(expression, variable, written[0]), _domain(claim, variable, written[1])
        proof = _on_intervals(pieces, correct, claim, variable, _sorted(found.points), domains)
        if proof.method:
            return proof
    if difference.equals(0):
        return Proof("equals")
    return Proof(None)


def _sorted(points) -> list:
    return sorted(set(points), key=lambda p: float(p.evalf(30)))


def _domain(expression, variable, written):
    """x -> whether ``expression`` is defined at x, as sympy has it and as ``written`` (text or
    ``WrittenDomain``) writes it."""
    from .posing import written_domain

    value, as_written = RealFunction(expression, [variable]), written_domain(written)

    def defined(x: float) -> bool:
        return as_written({variable.name: x}) and value(x) is not None
    return defined


def _on_intervals(pieces, correct, claim, variable, points, domains) -> Proof:
    """0 on every interval between ``points`` where the function is defined, and at the points; the
    claim must be defined wherever the function is."""
    defined, claim_defined = domains
    edges = [-sympy.oo, *points, sympy.oo]
    positive = sympy.Symbol("p", positive=True)
    checked = []
    for low, high in zip(edges, edges[1:]):
        inside = _interior(low, high)
        if not defined(float(inside)):
            continue                            # outside the function's domain
        if not claim_defined(float(inside)):
            return Proof(None)
        branch = _branch(pieces, variable, inside)
        if branch is None or sympy.simplify(branch.subs(variable, low + positive if low.is_finite
                                                        else high - positive)) != 0:
            return Proof(None)
        checked.append(f"({_end(low)}, {_end(high)})")
    excepted = _at_points(correct, claim, variable, points, defined)
    if not checked or excepted is None:
        return Proof(None)
    return Proof(f"piece by piece on {' and '.join(checked)}", excepted)


def _end(point) -> str:
    return "∞" if point == sympy.oo else "-∞" if point == -sympy.oo else str(point)


def _interior(low, high):
    """A rational number strictly between low and high (either may be infinite)."""
    if not low.is_finite:
        return sympy.floor(high) - 1
    if not high.is_finite:
        return sympy.ceiling(low) + 1
    return sympy.nsimplify((low + high) / 2, rational=True) if (low + high).is_Rational else (
        sympy.Rational(str(float(((low + high) / 2).evalf(30)))))


def _branch(expr, variable, value):
    """``expr`` with every Piecewise replaced by its piece at ``variable = value`` (None if undecidable)."""
    undecided = []

    def piece(*pairs):
        for e, condition in pairs:
            holds = condition.subs(variable, value)
            if holds in (sympy.true, True):
                return e
            if holds not in (sympy.false, False):
                undecided.append(condition)
                return sympy.nan
        return sympy.nan
    replaced = expr.replace(lambda e: isinstance(e, sympy.Piecewise), lambda e: piece(*e.args))
    return None if undecided else replaced


def _at_points(correct, claim, variable, points, defined):
    """The kinks where the claim differs from the derivative (it has none there, or the claim is
    undefined), or None if the claim differs where the derivative is continuous: then it is wrong there."""
    right, claimed = RealFunction(correct, [variable], digits=60), RealFunction(claim, [variable], digits=60)
    excepted = []
    for point in points:
        at = float(point)
        if not defined(at):
            continue
        value, given = right(at), claimed(at)
        if _same(value, given):
            continue
        if value is not None and given is not None and _continuous(right, at, value):
            return None
        excepted.append((at, None if given is None else float(given), None if value is None else float(value)))
    return tuple(excepted)


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-40 * max(abs(a), abs(b), 1)


def _continuous(function, at: float, value) -> bool:
    """The derivative takes the same value just left and right of ``at`` (so the function is smooth there)."""
    with mpmath.workdps(60):                    # beside it at 60 digits (as floats, at ± 1e-30 is at)
        at, step = mpmath.mpf(at), mpmath.mpf("1e-30") * max(abs(at), 1)
        sides = [function(at - step), function(at + step)]
    return None not in sides and all(abs(side - value) <= 1e-20 * max(abs(value), 1) for side in sides)
