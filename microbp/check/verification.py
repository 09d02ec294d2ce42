"""verify: every gradient of a graph three ways — the engine, sympy's exact derivative, finite differences.

The three are independent. The engine uses the table's derivative formulas
on floats. The exact derivative uses none of them: it is ``sympy.diff`` of
each row's sympy form, chained at 50 digits with mpmath (``highprecision``),
in time linear in the graph. The finite difference uses no derivative at all
(``finite_differences``). Tolerances are relative, scaled by the sum over
paths of |local derivative products| (what float rounding in backward is
proportional to), so ``x + 1e7`` and ``sin(30000 x)`` are judged as fairly
as ``x * x``.

>>> from microbp import Value
>>> x = Value(0.5, label="x")
>>> print(verify(x * x + 1e7))
leaf  value  engine  sympy  finite diff.  ok
x     0.5    1       1      1             yes
all gradients agree (rtol 1e-06)
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field

from ..core.engine import Value
from ..core.graph import Graph
from .evidence import gather
from .high_precision import to_float
from .limits import check_graph_size

MAX_VERIFY_NODES = 20_000
"""verify's default size limit; time grows with nodes × leaves (finite differences per leaf)."""


@dataclass
class LeafCheck:
    """One leaf's gradient three ways, whether they agree, and why not (``note``)."""

    name: str
    value: float
    engine: float
    sympy: float
    finite_difference: float
    ok: bool
    note: str = ""


@dataclass
class Report:
    """The result of ``verify``: one ``LeafCheck`` per leaf; true when all agree."""

    leaves: list = field(default_factory=list)
    rtol: float = 1e-6

    @property
    def ok(self) -> bool:
        return all(leaf.ok for leaf in self.leaves)

    def __bool__(self) -> bool:
        return self.ok

    def rows(self) -> list:
        header = ["leaf", "value", "engine", "sympy", "finite diff.", "ok"]
        return [header] + [[c.name, f"{c.value:.6g}", f"{c.engine:.10g}", f"{c.sympy:.10g}",
                            f"{c.finite_difference:.6g}", "yes" if c.ok else "NO"] for c in self.leaves]

    def notes(self) -> list:
        return [f"{c.name}: {c.note}" for c in self.leaves if c.note]

    def __str__(self) -> str:
        rows = self.rows()
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
        verdict = "all gradients agree" if self.ok else "some gradients DISAGREE"
        return "\n".join(lines + self.notes() + [f"{verdict} (rtol {self.rtol:g})"])

    def _repr_markdown_(self) -> str:
        rows = self.rows()
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * len(rows[0])]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        notes = "".join(f"\n- {note}" for note in self.notes())
        verdict = "all gradients agree" if self.ok else "some gradients disagree"
        return "\n".join(lines) + f"\n{notes}\n\n**{verdict}** (rtol {self.rtol:g})"


def verify(root: Value, rtol: float = 1e-6, max_nodes: int = MAX_VERIFY_NODES) -> Report:
    """Check every leaf's gradient: the engine's, sympy's exact derivative, a central difference.

    "Disagrees" means something is wrong: the engine's gradient is not sympy's
    derivative (beyond float rounding), or sympy's derivative is not the
    function's slope (at a kink, where a convention such as relu'(0) = 0 is
    not the slope). The engine's gradients are computed afresh; the graph's
    ``.grad`` values are left as they were. Graphs over ``max_nodes`` nodes
    are refused with ``GraphTooLargeError`` before any work.

    >>> from microbp import Value
    >>> x = Value(0.5, label="x")
    >>> report = verify((x * x).sigmoid())
    >>> bool(report), report.leaves[0].name
    (True, 'x')
    >>> zero = Value(0.0, label="z")
    >>> verify((zero.relu() - (-zero).relu()) * 1e-9).ok       # it is 1e-9 z: the slope is 1e-9, not 0
    False
    """
    graph = Graph.of(root, "verify")
    check_graph_size(graph, "verify", max_nodes)
    evidence = gather(graph, rtol)
    report = Report(rtol=rtol)
    for leaf in graph.leaves:
        report.leaves.append(_judge(graph.names[leaf], leaf, evidence[leaf], rtol))
    return report


def _judge(name: str, leaf: Value, evidence, rtol: float) -> LeafCheck:
    """One leaf's verdict from its evidence (``references.Evidence``): the engine against sympy's
    derivative at the engine's values (or the slope, where that is undefined), and the slope against
    sympy's derivative at the leaves' values."""
    engine, exact, slope = evidence.engine, evidence.exact, evidence.slope
    engine_ok, why = _engine_check(evidence, rtol)
    slope_ok = not (_number(exact) and _number(slope.value)) or _close(
        slope.value, exact, rtol * max(abs(exact), abs(slope.value), evidence.scale) + 4 * slope.error)
    note = why if not engine_ok else _note(evidence, slope_ok, rtol)
    return LeafCheck(name, leaf.data, engine, _float(exact), _float(slope.value), engine_ok and slope_ok, note)


def _engine_check(evidence, rtol: float) -> tuple:
    """(whether the engine's gradient is right, what to say if not)."""
    engine, along, slope = evidence.engine, evidence.along_engine, evidence.slope
    if _number(along):
        return _close(engine, along, rtol * max(abs(along), evidence.scale_along)), _engine_wrong(engine, along)
    if _number(slope.value):
        return (_close(engine, slope.value, rtol * max(abs(slope.value), abs(engine)) + 4 * slope.error),
                f"the chain rule meets a step with no real value (as ∂(a**b)/∂b for a < 0), through which the "
                f"engine's gradient and sympy's are nan; but the function's slope is {float(slope.value):.10g}")
    return True, ""


def _note(evidence, slope_ok: bool, rtol: float) -> str:
    """What to say about a leaf whose engine gradient is right: a kink, or ill-conditioning."""
    exact, along = evidence.exact, evidence.along_engine
    if not slope_ok:
        return ("the finite difference is not sympy's derivative: at a kink, a convention (relu'(0) = 0, "
                "abs'(0) = 0) is not the slope of the function")
    if evidence.slope.kink:
        return "a kink: finite differences cannot judge here (the one-sided slopes differ)"
    if _number(exact) and _number(along) and not _close(exact, along, rtol * max(abs(exact), evidence.scale)):
        return (f"ill-conditioned: float rounding in the forward pass moves the derivative from "
                f"{float(exact):.10g} to {float(along):.10g}; the engine agrees with the latter")
    return ""


def _engine_wrong(engine: float, along) -> str:
    if engine != engine or abs(engine) == math.inf:
        return (f"the engine's gradient is {engine} but the exact one is {float(along):.10g}: a float "
                f"intermediate overflowed, or met an undefined step that the exact derivative avoids")
    return f"the engine's gradient is not sympy's derivative at the engine's values ({float(along):.10g})"


def _number(x) -> bool:
    return x == x and abs(x) != math.inf


def _close(a, b, tolerance) -> bool:
    """|a - b| <= tolerance, or both below the float range's normal numbers (2.2e-308: gradients there
    have lost their precision to underflow); an infinite or nan one must be the other as a float
    (2e323 is inf)."""
    if not (_number(a) and _number(b)):
        a, b = _float(a), _float(b)
        return a == b or (a != a and b != b)
    return abs(a - b) <= tolerance + sys.float_info.min


def _float(x) -> float:
    return x if isinstance(x, float) else to_float(x)
