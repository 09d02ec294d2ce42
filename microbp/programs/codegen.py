"""``microbp.codegen``: a graph's program printed as Python, its backward pass or its forward mode.

``mode="reverse"`` prints ``microbp.programs.program.Program`` (a line per node
forward, a line per edge backward); ``mode="forward"`` prints the tangent
program of ``microbp.programs.tangent`` (a line per node, its speed).
"""

from __future__ import annotations

from .program import Program
from .tangent import TangentProgram


def codegen(root, wrt, inputs=(), name: str = "f", mode: str = "reverse", checks: bool = False) -> str:
    """The value and gradient of ``root``'s graph as a Python function a student can read and run.

    ``wrt`` and ``inputs`` are leaves of the graph; they become the function's
    arguments (``wrt`` first), and it returns ``(value, [∂root/∂x for x in wrt])``.
    Every other leaf is written in as a constant at its current value. Forward
    is one line per node; backward starts every gradient at 0 and applies the
    chain rule one line per edge, last node first, under a comment giving each
    node's formula. The code imports the table's functions from
    ``microbp.runtime``, so it runs as it is; ``microbp.compile`` runs it fast,
    and bit for bit as the engine computes (this printed form leaves out the
    engine's rule that a zero gradient passes nothing on, even through an
    infinite or NaN local derivative). The engine's domain checks
    (``check_log(x)``: a ``DomainError`` where the row has no real value) are
    left out, for reading; ``checks=True`` writes them in (``compile`` always does).

    >>> import microbp
    >>> o = microbp.lecture_neuron()
    >>> source = codegen(o, wrt=[])
    >>> print(source.split("# forward")[1].split("# backward")[0])
    : one line per node
        x1_w1 = x1 * w1
        x2_w2 = x2 * w2
        x1_w1_x2_w2 = x1_w1 + x2_w2
        n = x1_w1_x2_w2 + b
        o = tanh(n)
    <BLANKLINE>
    >>> scope = {}; exec(source, scope); scope["f"]() == (o.data, [])
    True
    >>> x = microbp.Value(2.0, label="x")
    >>> "check_log(x)" in codegen(x.log(), [x]), "check_log(x)" in codegen(x.log(), [x], checks=True)
    (False, True)

    With ``mode="forward"``, the tangent program instead (``microbp.programs.tangent``): the same
    forward lines, then how fast each node moves, one line per node, first node first; the function
    takes the wrt leaves' tangents after the inputs and returns ``(value, tangent)``:

    >>> tangent_program = codegen(o, wrt=microbp.topological_order(o)[:2], mode="forward")
    >>> for line in tangent_program.splitlines()[-5:]:
    ...     print(line)
        tangent_x1_w1 = w1 * tangent_x1 + x1 * tangent_w1
        tangent_x1_w1_x2_w2 = tangent_x1_w1
        tangent_n = tangent_x1_w1_x2_w2
        tangent_o = (1 - o * o) * tangent_n
        return o, tangent_o
    """
    if mode not in ("reverse", "forward"):
        raise ValueError(f"codegen: mode must be 'reverse' or 'forward', got {mode!r}")
    if not isinstance(checks, bool):
        raise TypeError(f"codegen: checks is True (write the domain checks) or False, got {checks!r}")
    if mode == "forward":
        return TangentProgram(root, wrt, inputs, checks=checks).source(name)
    return Program(root, wrt, inputs, checks=checks).source(name)
