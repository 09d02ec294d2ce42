"""What a compiled function keeps of its graph (``Trace``), and the engine's replay of it.

Compiled code hands over to the engine where a number is not finite or an
operation raises: ``replay`` makes the traced graph again with ``apply``, from
new leaf values, so the engine decides. Both ``compile``'s reverse mode and
its forward mode (``microbp.programs.tangent``) keep a ``Trace``.
"""

from __future__ import annotations

from typing import NamedTuple

from ..core.engine import Value, apply, as_float, derivative_formulas
from ..core.graph import Graph
from .program import Program

_FLOATS = {float}


class Trace(NamedTuple):
    """What a compiled function keeps of its graph: enough to make it again with the engine, or print it.

    The Program (texts of every formula) is dropped once compiled, so that a
    compiled function holding a big graph costs Python's cycle collector little.
    """

    graph: Graph
    wrt: list
    inputs: list
    constants: dict
    checked: frozenset            # the nodes whose domain is checked (not made inside derivative formulas)

    @classmethod
    def of(cls, program: Program) -> "Trace":
        return cls(program.graph, program.wrt, program.inputs, program.constants,
                   frozenset(step.node for step in program.steps if step.checked))


def replay(trace: Trace, leaves: dict) -> Value:
    """The traced graph made again by the engine, from the given leaves (constants as compiled)."""
    made = {leaf: leaves[leaf] if leaf in leaves else Value(trace.constants[leaf]) for leaf in trace.graph.leaves}
    for node in trace.graph.computed:
        operands = [p if type(p) is float else made[p] for p in node.parents]
        if node in trace.checked or node.op.domain is None:
            made[node] = apply(node.op, operands)
        else:                                   # made inside derivative formulas: no domain check
            with derivative_formulas():
                made[node] = apply(node.op, operands)
    return made[trace.graph.root]


def numbers(values, count: int, what: str) -> list:
    """``values`` as a list of ``count`` floats, or an error naming the argument and the position."""
    if type(values) is not list:
        try:
            values = list(values)
        except TypeError:
            raise TypeError(f"compile: {what} needs a list of numbers, got {values!r}") from None
    if len(values) != count:
        raise ValueError(f"compile: {what} needs {count} numbers, one per leaf it was compiled with, "
                         f"got {len(values)}")
    if not _FLOATS.issuperset(map(type, values)):
        values = [as_float(v, f"compile: {what}[{i}]") for i, v in enumerate(values)]
    return values
