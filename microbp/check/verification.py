"""verify: every gradient of a graph three ways — the engine, sympy's exact derivative, finite differences.

The three are independent. The engine uses the table's derivative formulas
on floats. The exact derivative uses none of them: it is ``sympy.diff`` of
each row's sympy form, chained at 50 digits with mpmath (``highprecision``),
in time linear in the graph. The finite difference uses no derivative at all
(``finite_differences``). The chain rule is judged against sympy's derivative
at the engine's own float values, with a tolerance scaled by the sum over
paths of |local derivative products| (what float rounding in backward is
proportional to), so ``x + 1e7`` and ``sin(30000 x)`` are judged as fairly
as ``x * x``. But "agree" is said only where the engine's gradient is also
within ``rtol`` of the exact derivative, relative to it alone: where the
float forward pass moved it, the report's first line says by how much.

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
import warnings
from dataclasses import dataclass, field

import mpmath

from ..core.engine import Value
from ..core.graph import Graph
from ..errors import OverflowWarning
from .evidence import gather
from .high_precision import exact_values, to_float
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
    inaccuracy: float | None = None     # |engine - exact| / |exact| where the float forward pass moves it


@dataclass
class Report:
    """The result of ``verify``: one ``LeafCheck`` per leaf; true when all agree and the value is a number.

    ``accurate``: every engine gradient is also within ``rtol`` of the exact one. A report can be ok
    (the chain rule is right) and not accurate: the graph is ill-conditioned at these values, and
    float rounding in the forward pass moved the gradient; the first line of the report says so.
    """

    leaves: list = field(default_factory=list)
    rtol: float = 1e-6
    value: float = 0.0
    trouble: str = ""

    @property
    def ok(self) -> bool:
        return self.value == self.value and all(leaf.ok for leaf in self.leaves)

    @property
    def accurate(self) -> bool:
        return self.ok and all(leaf.inaccuracy is None for leaf in self.leaves)

    def warnings(self) -> list:
        """The lines that come first: a nan value, and gradients float rounding moved."""
        lines = [] if self.value == self.value else [
            f"NOT OK: the graph's value is nan, so its gradients mean nothing here{_because(self.trouble)}"]
        lines += [f"ILL-CONDITIONED: {c.name}'s float gradient {c.engine:.10g} is off the exact {c.sympy:.10g} by "
                  f"{c.inaccuracy:.2g} relative: float rounding in the forward pass moved it (the chain rule "
                  f"then differentiates the rounded values exactly)" for c in self.leaves if c.inaccuracy is not None]
        return lines

    def verdict(self) -> str:
        if not self.ok:
            return "some gradients DISAGREE" if any(not c.ok for c in self.leaves) else "NOT OK: the value is nan"
        if not self.accurate:
            count = sum(c.inaccuracy is not None for c in self.leaves)
            return f"the chain rule agrees, but {count} gradient(s) are ill-conditioned here (see the first line)"
        return "all gradients agree"

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
        return "\n".join(self.warnings() + lines + self.notes() + [f"{self.verdict()} (rtol {self.rtol:g})"])

    def _repr_markdown_(self) -> str:
        rows = self.rows()
        lines = [f"**{line}**\n" for line in self.warnings()]
        lines += ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * len(rows[0])]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        notes = "".join(f"\n- {note}" for note in self.notes())
        return "\n".join(lines) + f"\n{notes}\n\n**{self.verdict()}** (rtol {self.rtol:g})"


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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OverflowWarning)       # the report says what went out of range
        evidence = gather(graph, rtol)
    trouble = out_of_range(graph)
    report = Report(rtol=rtol, value=graph.root.data, trouble=trouble)
    for leaf in graph.leaves:
        report.leaves.append(_judge(graph.names[leaf], leaf, evidence[leaf], rtol, trouble))
    return report


def out_of_range(graph: Graph) -> str:
    """The first node whose float value overflowed to ±inf or underflowed to 0 where its exact value is a
    finite nonzero number, described; "" if none."""
    if not any(node.data == 0 or abs(node.data) == math.inf for node in graph.computed):
        return ""
    exact = exact_values(graph)
    for node in graph.computed:
        value = exact[node]
        if _number(value) and value and (abs(node.data) == math.inf or node.data == 0):
            kind = "overflowed to" if node.data else "underflowed to"
            name = f"{node.label!r} ({node.op.name})" if node.label else node.op.name
            return f"the {name} node {kind} {node.data:g} in floats (its exact value is {mpmath.nstr(value, 5)})"
    return ""


def _because(trouble: str) -> str:
    return f": {trouble}" if trouble else ""


def _judge(name: str, leaf: Value, evidence, rtol: float, trouble: str) -> LeafCheck:
    """One leaf's verdict from its evidence (``references.Evidence``): the engine against sympy's
    derivative at the engine's values (or the slope, where that is undefined), and the slope against
    sympy's derivative at the leaves' values; and how far the engine is from the exact derivative."""
    engine, exact, slope = evidence.engine, evidence.exact, evidence.slope
    engine_ok, why = _engine_check(evidence, rtol, trouble)
    slope_ok = not (_number(exact) and _number(slope.value)) or _close(
        slope.value, exact, rtol * max(abs(exact), abs(slope.value)) + 4 * slope.error)
    note = why if not engine_ok else _note(evidence, slope_ok)
    inaccuracy = _inaccuracy(engine, exact, rtol) if engine_ok and slope_ok else None
    return LeafCheck(name, leaf.data, engine, _float(exact), _float(slope.value), engine_ok and slope_ok, note,
                     inaccuracy)


def _inaccuracy(engine: float, exact, rtol: float) -> float | None:
    """|engine - exact| / |exact| when it is over ``rtol`` (inf for exact 0), else None: only relative
    to the exact derivative, never to a sum over paths, which cancelling paths make large."""
    if not (_number(exact) and _number(engine)) or _close(engine, exact, rtol * abs(exact)):
        return None
    return float(abs(engine - exact) / abs(exact)) if exact else math.inf


def _engine_check(evidence, rtol: float, trouble: str) -> tuple:
    """(whether the engine's gradient is right, what to say if not)."""
    engine, along, slope = evidence.engine, evidence.along_engine, evidence.slope
    if _number(along):
        return (_close(engine, along, rtol * max(abs(along), evidence.scale_along)),
                _engine_wrong(engine, along, trouble))
    if _number(slope.value):
        close = _close(engine, slope.value, rtol * max(abs(slope.value), abs(engine)) + 4 * slope.error)
        if trouble:
            return close, (f"the engine's gradient is {engine:.10g}, but the function's slope is "
                           f"{float(slope.value):.10g}: {trouble}, and the chain rule met it")
        return close, (f"the chain rule meets a step with no real value (as ∂(a**b)/∂b for a < 0), through "
                       f"which the engine's gradient and sympy's are nan; but the function's slope is "
                       f"{float(slope.value):.10g}")
    if _number(evidence.exact):                 # only the exact derivative is known: it must be the engine's
        return _close(engine, evidence.exact, rtol * abs(evidence.exact)), _engine_wrong(engine, evidence.exact,
                                                                                         trouble)
    return True, ""


def _note(evidence, slope_ok: bool) -> str:
    """What to say about a leaf whose engine gradient is right: a kink (ill-conditioning comes first)."""
    if not slope_ok:
        return ("the finite difference is not sympy's derivative: at a kink, a convention (relu'(0) = 0, "
                "abs'(0) = 0) is not the slope of the function")
    if evidence.slope.kink:
        return "a kink: finite differences cannot judge here (the one-sided slopes differ)"
    return ""


def _engine_wrong(engine: float, along, trouble: str) -> str:
    if engine != engine or abs(engine) == math.inf:
        cause = trouble or "a float intermediate overflowed, or met an undefined step that the exact derivative avoids"
        return f"the engine's gradient is {engine} but the exact one is {float(along):.10g}: {cause}"
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
