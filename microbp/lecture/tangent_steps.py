"""Forward mode as a lecture: what both views share (``graph_tangents``, ``network_tangents``).

One leaf, the seed, moves at speed 1 (ẋ = 1); every other leaf stays still
(tangent 0). Then each node in topological order gets its value and its
tangent ṅ = Σ ∂n/∂p · ṗ over its parents p, the ∂n/∂p written with the
table's formulas (``microbp.text.notation``) and the numbers those of
``microbp.jvp`` (``microbp.core.forward.tangents``), so a step's ``value`` is
its node's tangent bit for bit. A term whose tangent is 0 passes nothing, as
in ``jvp``, and is left out of the caption; one whose local derivative is 0
(relu below 0) is written, since it is what stops the motion. The lecture ends
with a comparison of what each mode costs on this graph (``mode_costs``).
Here: the checks of the seed, and the tangent captions.

>>> from microbp.text.notation import MATH
>>> print(TangentWriter(MATH).tangent("y₃", [("y₃ × (1 − y₃)", 0.2464, "x₃", 0.138)], 0.034))
ẏ₃ = y₃ × (1 − y₃) · ẋ₃ = 0.2464 × 0.138 = 0.034
"""

from __future__ import annotations

from ..core.engine import Value
from ..text.naming import dotted
from ..text.notation import Style, number


def check_seed(graph, lecture, caller: str) -> None:
    """Refuse a forward lecture without a seed leaf of ``graph``, a seed in backward mode, and collapse."""
    seed = lecture.seed
    if lecture.mode != "forward":
        if seed is not None:
            raise ValueError(f"{caller}: seed is the leaf that moves in forward mode; pass mode='forward' too, "
                             "or leave seed out")
        return
    if seed is None:
        raise ValueError(f"{caller}: mode='forward' needs seed=, the leaf that moves at speed 1 "
                         "(an input or a weight the root depends on)")
    if not isinstance(seed, Value):
        raise TypeError(f"{caller}: seed must be a Value, a leaf of the graph, got {seed!r} ({type(seed).__name__})")
    if seed not in graph or seed.op is not None:
        where = "is computed by the graph" if seed in graph else "is not in the graph of root"
        raise ValueError(f"{caller}: seed must be a leaf the root depends on (an input or a weight); "
                         f"{seed!r} {where}")
    if lecture.collapse is not None:
        raise ValueError(f"{caller}: collapse is for the backward lecture; forward mode shows each node's "
                         "tangent, so leave collapse out")


def moves(tangent) -> bool:
    """Whether a parent moves: a tangent that is not 0 (a term whose tangent is 0 is left out, as ``jvp``
    leaves it out; one whose local derivative is 0 is written, to show that it stops the motion)."""
    return tangent is not None and not (type(tangent) is float and tangent == 0.0)


class TangentWriter:
    """Tangent captions: ``ẏ₃ = y₃ × (1 − y₃) · ẋ₃ = 0.2464 × 0.1 = 0.02464``."""

    def __init__(self, style: Style):
        self.style = style

    def number(self, x: float) -> str:
        return str(number(x, self.style))

    def factor(self, x: float) -> str:
        text = self.number(x)
        return f"({text})" if text.startswith("−") else text

    def seed(self, name: str, others: str) -> str:
        return f"{dotted(name)} = 1: {name} moves at speed 1; every other {others} stays still (tangent 0)"

    def tangent(self, name: str, terms: list, value: float) -> str:
        """``ṅ = Σ formula · ṗ = Σ numbers = value``; ``terms``: (formula, local, parent's name, its tangent)."""
        if not terms:
            return f"{dotted(name)} = 0: nothing it depends on moves"
        symbolic = " + ".join(dotted(p) if formula == "1" else f"{wrapped(formula)} · {dotted(p)}"
                              for formula, _, p, _ in terms)
        numeric = " + ".join(self.factor(t) if formula == "1" else f"{self.factor(local)} × {self.factor(t)}"
                             for formula, local, _, t in terms)
        parts = [dotted(name), symbolic, numeric, self.number(value)]
        return " = ".join(part for i, part in enumerate(parts) if i == 0 or part != parts[i - 1])


def wrapped(formula: str) -> str:
    """A formula as a factor of ``·``: in parentheses when it is a sum or difference, or negative.

    >>> wrapped("y × (1 − y)"), wrapped("y₅ − 0.2"), wrapped("−1"), wrapped("(a + b) × c")
    ('y × (1 − y)', '(y₅ − 0.2)', '(−1)', '(a + b) × c')
    """
    depth, top_level_sum = 0, False
    for i, char in enumerate(formula):
        depth += (char == "(") - (char == ")")
        if depth == 0 and char in "+−" and 0 < i < len(formula) - 1 and formula[i - 1] == formula[i + 1] == " ":
            top_level_sum = True
    return f"({formula})" if top_level_sum or formula.startswith(("−", "-")) else formula
