"""Where a function kinks, jumps, blows up or leaves its domain: the points sympy solves for.

The arguments that matter are read off the expression: the two sides of every
comparison in a ``Piecewise``, the arguments of ``abs``, ``sign``,
``Heaviside`` and ``log``, the differences of ``Max`` and ``Min`` arguments,
and the bases of negative or fractional powers. Their zeros, from
``solveset`` over the reals, are where ``check_derivation`` looks closely, and
split the line into the intervals a piecewise proof works on.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> sorted(kinks([sympy.Abs(x - 1) + sympy.log(x)], x).points)
[0, 1]
>>> kinks([sympy.sin(1 / x)], x)
Kinks(points=[0], complete=True)
"""

from __future__ import annotations

from typing import NamedTuple

import sympy


class Kinks(NamedTuple):
    """Where the variable's pieces change: exact solutions (maybe in other variables); ``complete``
    when every one was found and is a number (so the real line splits into intervals)."""

    points: list
    complete: bool


def kinks(expressions, variable) -> Kinks:
    """Solve, for ``variable``, every argument at which a piece of ``expressions`` changes or ends."""
    points, complete = [], True
    for argument in sorted(set().union(*map(critical_arguments, expressions)), key=sympy.default_sort_key):
        if variable not in argument.free_symbols:
            continue
        found, exact = _real_solutions(sympy.solveset(argument, variable, sympy.S.Reals))
        complete = complete and exact
        points.extend(p for p in found if p not in points)
    complete = complete and all(p.is_number for p in points)
    return Kinks(points, complete)


def critical_arguments(expr) -> set:
    """Expressions whose zeros are where ``expr`` may kink, jump, blow up or leave its domain."""
    arguments = set()
    for sub in subexpressions(expr):
        if isinstance(sub, sympy.core.relational.Relational):
            arguments.add(sub.lhs - sub.rhs)
        elif isinstance(sub, (sympy.Abs, sympy.sign, sympy.Heaviside, sympy.log)):
            arguments.add(sub.args[0])
        elif isinstance(sub, (sympy.Max, sympy.Min)):
            arguments.update(a - b for a in sub.args for b in sub.args if sympy.default_sort_key(a) <
                             sympy.default_sort_key(b))
        elif isinstance(sub, sympy.Pow) and not (sub.exp.is_Integer and sub.exp >= 0):
            arguments.add(sub.base)
    return {argument for argument in arguments if argument.free_symbols}


def subexpressions(expr):
    """Every distinct subexpression of ``expr`` once (a shared one is not walked twice)."""
    seen, stack = set(), [expr]
    while stack:
        sub = stack.pop()
        if sub not in seen:
            seen.add(sub)
            yield sub
            stack.extend(sub.args)


def _real_solutions(solutions) -> tuple:
    """(points, exact) from a solveset answer: finite sets whole, a few members of periodic ones."""
    if isinstance(solutions, sympy.FiniteSet):
        return [s for s in solutions if s.is_extended_real is not False], True
    if isinstance(solutions, sympy.Union):
        parts = [_real_solutions(part) for part in solutions.args]
        return [p for found, _ in parts for p in found], all(exact for _, exact in parts)
    if isinstance(solutions, sympy.Interval):
        return [end for end in solutions.boundary if end.is_finite], True
    if isinstance(solutions, sympy.ImageSet):
        return [solutions.lamda(n) for n in range(-3, 4)], False
    return [], solutions is sympy.S.EmptySet
