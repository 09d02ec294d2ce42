"""The sympy work ``check_derivation`` cannot do without, as worker steps: posing and the numeric search.

Posing differentiates with ``sympy.diff``; the numeric search compiles the three
sides with ``lambdify`` and evaluates them at 50 digits. Either can take longer
than any time limit (a product of 120 ``sigmoid(tanh(...))`` factors takes 25 s
to differentiate), so they run in a worker under the same deadline as the
symbolic step (``workers.Worker(..., here=True)``), never unbounded in the caller.
A mistake in what was asked (an unknown variable, a claim that is no
expression) is raised in the caller as it was found.

>>> from microbp.check.workers import Worker
>>> with Worker(posed_steps, ("x * y", "x", "y", None, {}, None, None), time_limit=None) as poser:
...     problem, back = poser.get("problem")
>>> problem.correct
y
"""

from __future__ import annotations

from ..errors import MicrobpError
from .counterexamples import Sides, search
from .posing import pose

ASKED_BADLY = (MicrobpError, TypeError, ValueError)
"""What a mistake in the question raises: handed to the caller, not turned into a verdict."""


def posed_steps(expr, wrt, claimed, symbols, at: dict, max_nodes, max_depth):
    """The problem (with its map back to the user's symbols as a dict, which pickles), or its error."""
    try:
        problem = pose(expr, wrt, claimed, symbols, at, max_nodes, max_depth)
    except ASKED_BADLY as error:
        yield "raise", error
        return
    back = {symbol: problem.theirs(symbol) for symbol in problem.symbols}
    yield "problem", (problem._replace(theirs=None), back)


def search_steps(sides: Sides, fixed: dict, kinks: list, points: int, seed: int):
    """The numeric search's outcome (``counterexamples.search``), or its error (no point defined)."""
    try:
        found = search(sides, fixed, kinks, points, seed)
    except ASKED_BADLY as error:
        yield "raise", error
        return
    yield "found", found
