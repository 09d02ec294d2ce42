"""check_derivation: is a claimed derivative right? Proved, refuted with a counterexample, or not decided.

Variables are real. The verdict says how sure it is:

- **proved**: sympy shows claim − derivative is 0 (``proofs``), wherever the
  function is defined; at a kink, where the function has no derivative, the
  claim may differ from microbp's convention (relu'(0) = 0), and the result says so.
- **refuted**: a point inside the domain of the function, its derivative and
  the claim, where the two differ (``counterexamples``).
- **agrees, not proved**: no counterexample at any of the points tried, over
  the whole real line on a logarithmic scale and beside every kink, but no
  proof either (sympy gave up, or ran out of ``time_limit``).

Every sympy step runs in a child process stopped at the deadline, ``time_limit``
seconds after the call (``workers``): differentiating and the numeric search
(``stages``), the proof and the display meanwhile. Where no child can start
(in a daemonic process, or when ``fork`` fails), differentiating and the search
run here within the same deadline, the proof is skipped, and the result says so.
If even the derivative or the search does not come in time, the answer is a
``TimeLimitError`` saying which; it never runs past the limit.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from ..errors import TimeLimitError
from .counterexamples import Sides
from .kinks import Kinks
from .limits import MAX_SYMPY_DEPTH, MAX_SYMPY_NODES
from .proofs import display_steps, proof_steps, warm_up
from .stages import posed_steps, search_steps
from .workers import Worker

TIME_LIMIT = 10.0
"""Seconds the symbolic step (simplify, solveset) may take; pass ``time_limit=`` to change it."""
GRACE = 1.5
"""Seconds beyond ``time_limit`` that differentiating and the numeric search may take (without them
there is no verdict at all): an answer comes within ``time_limit + GRACE`` and a little overhead
(the first check in a process also warms sympy up first, a second or two, once)."""


@dataclass
class Result:
    """The verdict of ``check_derivation``: ``"proved"``, ``"refuted"`` or ``"agrees"`` (not proved).

    True (``ok``) only when proved. A refuted claim carries the counterexample
    (``{name: value}``) and both values there; ``correct`` is sympy's derivative.
    """

    verdict: str
    expression: object          # as given: the text, or the sympy expression
    wrt: str
    claimed: object             # as given
    correct: object             # sympy's derivative, simplified when time allowed
    how: str
    counterexample: dict | None = None
    claimed_value: float | None = None
    correct_value: float | None = None
    relative_difference: float | None = None
    points: int = 0             # how many points agreed
    interval: tuple | None = None
    notes: list = field(default_factory=list)
    latex_text: str | None = field(default=None, repr=False)
    exact_values: tuple | None = field(default=None, repr=False)    # (claimed, correct) at full precision

    @property
    def ok(self) -> bool:
        return self.verdict == "proved"

    @property
    def proved(self) -> bool:
        return self.verdict == "proved"

    @property
    def refuted(self) -> bool:
        return self.verdict == "refuted"

    def __bool__(self) -> bool:
        return self.ok

    @property
    def latex(self) -> str:
        """The correct derivative as LaTeX (made within the time limit, or now: slow for a huge one)."""
        import sympy

        if self.latex_text is None:
            self.latex_text = sympy.latex(self.correct)
        return self.latex_text

    def __str__(self) -> str:
        claim = f"d/d{self.wrt} {self.expression} = {self.claimed}"
        if self.verdict == "proved":
            lines = [f"correct (symbolic): {claim}", f"proved {self.how}, for every real {self.wrt} where the "
                                                     f"function is defined"]
        elif self.verdict == "refuted":
            point = ", ".join(f"{name} = {value:.6g}" for name, value in self.counterexample.items())
            claimed, correct = _distinct(*(self.exact_values or (self.claimed_value, self.correct_value)),
                                         self.relative_difference)
            lines = [f"WRONG: at {point} the claim gives {claimed}, but the derivative is {correct}",
                     f"correct: d/d{self.wrt} {self.expression} = {self.correct}"]
            lines += [f"LaTeX:   {self.latex_text}"] if self.latex_text is not None else []
        else:
            low, high = self.interval
            why = "the symbolic step did not finish" if self.notes else "sympy could not show that they are equal"
            lines = [f"NOT PROVED: {claim}",
                     f"agrees at {self.points} points with {self.wrt} in [{low:.3g}, {high:.3g}], not proved: {why}",
                     f"sympy's derivative: {self.correct}"]
        return "\n".join(lines + self.notes)


def check_derivation(expr, wrt, claimed, points: int = 100, seed: int = 0, symbols=None,
                     time_limit: float | None = TIME_LIMIT, max_nodes: int | None = MAX_SYMPY_NODES,
                     max_depth: int | None = MAX_SYMPY_DEPTH, **at) -> Result:
    """Decide whether ``claimed`` is ∂expr/∂wrt, for real variables: proved, refuted, or not decided.

    ``expr`` and ``claimed`` are strings (read by the safe parser) or sympy
    expressions (their symbols matched by name, taken as real; ``symbols=``
    gives yours, in which ``correct`` is then written); ``claimed`` may be a
    number. ``wrt`` is a name or a symbol, and must occur in ``expr``. ``at``
    fixes other variables (``y=2``) for the numeric search. ``points`` random
    points are drawn (``seed``), besides a fixed grid and the kinks.

    ``time_limit`` bounds the symbolic step in seconds (``None``: no limit, in
    this process): after it the verdict is the numeric one, and says so.
    Differentiating and the numeric search must end by ``time_limit + GRACE``
    (1.5 s) too, or the answer is a ``TimeLimitError`` saying which did not.
    Expressions over ``max_nodes`` distinct parts or ``max_depth`` levels are
    refused (``GraphTooLargeError``); a ``wrt`` or fixed name that does not
    occur is an ``UnknownVariableError``.

    >>> check_derivation("sigmoid(z)", "z", "sigmoid(z) * (1 - sigmoid(z))").verdict
    'proved'
    >>> result = check_derivation("x**3", "x", "3*x")
    >>> result.verdict, result.correct
    ('refuted', 3*x**2)
    >>> print(check_derivation("x**2", "x", "2*x + 1e-12*relu(x - 5)"))
    WRONG: at x = 100 the claim gives 200.0000000001, but the derivative is 200 (a relative difference of 4.7e-13)
    correct: d/dx x**2 = 2*x
    LaTeX:   2 x
    """
    if time_limit is not None:
        warm_up()
    clock = _Clock(time_limit)
    problem, back = clock.needed(Worker(posed_steps, (expr, wrt, claimed, symbols, at, max_nodes, max_depth),
                                        clock.left(GRACE), here=True), "problem", "differentiate the expression")
    found, proof, display, notes = _decide(problem, points, seed, clock)
    common = dict(expression=problem.given[0], wrt=problem.variable.name, claimed=problem.given[1],
                  correct=display.get("simplified", problem.correct).xreplace(back),
                  latex_text=display.get("latex"), notes=notes)
    if found.counterexample is not None:
        return Result("refuted", how="counterexample", counterexample=found.counterexample,
                      claimed_value=float(found.claimed_value), correct_value=float(found.correct_value),
                      exact_values=(found.claimed_value, found.correct_value),
                      relative_difference=found.relative_difference, **common)
    if proof is not None and proof.method:
        return Result("proved", how=_phrase(proof.method), points=found.agreed, interval=(found.low, found.high),
                      **{**common, "notes": notes + _kink_notes(proof, problem.variable.name)})
    return Result("agrees", how=f"numeric, at {found.agreed} points, not proved", points=found.agreed,
                  interval=(found.low, found.high), **common)


class _Clock:
    """The deadline of one check: what is left of ``time_limit``, and the steps that must finish by it."""

    def __init__(self, time_limit: float | None):
        self.time_limit, self.started = time_limit, time.monotonic()

    def left(self, grace: float = 0.0) -> float | None:
        """Seconds left for the symbolic step; with ``grace``, for a step without which there is no verdict."""
        if self.time_limit is None:
            return None
        return max(0.0, self.started + self.time_limit + grace - time.monotonic())

    def halfway(self) -> float | None:
        return None if self.time_limit is None else self.started + self.time_limit / 2

    def needed(self, worker: Worker, key: str, doing: str):
        """The result ``key`` of a step the check cannot do without, or an error saying why it has none."""
        with worker:
            result = worker.get(key)
        if result is None and worker.error:
            raise RuntimeError(f"check_derivation: could not {doing}: {worker.error}")
        if result is None:
            raise TimeLimitError(f"check_derivation: sympy could not {doing} within time_limit + {GRACE:g} s "
                                 f"(time_limit={self.time_limit:g}); pass a larger time_limit (None: no limit)")
        return result


def _decide(problem, points: int, seed: int, clock: _Clock) -> tuple:
    """(the numeric search, the proof or None, the display results, notes): one worker proves, one
    simplifies the derivative for display, one searches for a counterexample (given half the time
    at most to wait for the kinks the prover finds first)."""
    steps = (problem.expression, problem.claim, problem.correct, problem.variable, problem.written)
    with Worker(proof_steps, steps, clock.left()) as prover, Worker(display_steps, (problem.correct,),
                                                                    clock.left()) as display:
        kinks = prover.get("kinks", Kinks([], False), until=clock.halfway())
        sides = Sides(problem.expression, problem.correct, problem.claim, problem.symbols, problem.written)
        searcher = Worker(search_steps, (sides, problem.fixed, kinks.points, points, seed), clock.left(GRACE),
                          here=True)
        found = clock.needed(searcher, "found", "finish the numeric search for a counterexample")
        proof = prover.get("proof") if found.counterexample is None else None
        display.get("latex")
    return found, proof, display.results, _notes(prover, display, clock.time_limit)


def _distinct(a, b, relative: float) -> tuple:
    """a and b with enough digits to tell them apart (10 to 17), and how far apart when that is small.

    >>> import mpmath
    >>> _distinct(mpmath.mpf(0), mpmath.mpf("1e-400"), 1.0)       # as floats both would be 0
    ('0', '1.0e-400')
    """
    for digits in range(10, 18):
        shown = _shown(a, digits), _shown(b, digits)
        if shown[0] != shown[1]:
            break
    note = f" (a relative difference of {relative:.1e})" if relative < 1e-6 else ""
    if 1e-19 < relative < 1e-15:                    # what a decimal rounded to a float's digits gives
        note = note[:-1] + "; is a number in the claim rounded? write it exactly, as 1/3 for 0.333...)"
    return shown[0], shown[1] + note


def _shown(x, digits: int) -> str:
    """``x`` to ``digits`` significant digits: as a float if it is one, or if a float holds it (not 0 or
    ±inf for a number that is neither), else in mpmath's notation (``1.0e-400``)."""
    number = float(x)
    if isinstance(x, float) or (number != 0 or x == 0) and math.isfinite(number):
        return f"{number:.{digits}g}"
    import mpmath

    return mpmath.nstr(x, digits)


def _notes(prover: Worker, display: Worker, time_limit) -> list:
    if prover.timed_out or display.timed_out:
        return [f"(the symbolic step stopped after {time_limit:g} s; pass time_limit= to allow more)"]
    if prover.skipped:
        return [f"(the symbolic step was skipped: {prover.skipped}; the verdict is the numeric one)"]
    errors = [worker.error for worker in (prover, display) if worker.error]
    return [f"(the symbolic step failed: {error})" for error in errors[:1]]


def _phrase(method: str) -> str:
    return {"identity": "as written (the two are the same expression)", "simplify": "by sympy's simplify",
            "piecewise": "piece by piece (abs, sign and relu written out)",
            "equals": "by sympy's equals"}.get(method, method)


def _kink_notes(proof, name: str) -> list:
    return [f"except at the kink {name} = {at:g}, where the function has no derivative: microbp takes "
            f"{_number(convention)}, the claim gives {_number(given)}" for at, given, convention in proof.kinks]


def _number(value) -> str:
    return "no value" if value is None else f"{value:g}"
