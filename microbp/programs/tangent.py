"""Forward mode as a program: each node's value, then its tangent, one line per node, first node first.

``codegen(root, wrt, mode="forward")`` prints it, to read beside the backward
program: the same forward lines, then ``tangent_n``, how fast node n moves
when the ``wrt`` leaves move at the speeds given (``tangent_w``, ...), as the
sum over its parents of the local derivative times the parent's tangent. The
local derivatives are the backward program's, from the rows' ``grads``
formulas; the tangents run the other way: first node first, one line per node
(where backward has a line per edge).

>>> from microbp import Value
>>> x = Value(0.5, label="x"); w = Value(-2.0, label="w"); b = Value(1.0, label="b")
>>> y = (x * w + b).tanh(); y.label = "y"
>>> print(TangentProgram(y, wrt=[w, b], inputs=[x]).source(), end="")
from microbp.runtime import tanh
<BLANKLINE>
<BLANKLINE>
def f(w, b, x, tangent_w, tangent_b):
    # forward: one line per node
    v1 = x * w
    v2 = v1 + b
    y = tanh(v2)
    # tangents: how fast each node moves as w, b move, one line per node, first node first
    tangent_v1 = x * tangent_w
    tangent_v2 = tangent_v1 + tangent_b
    tangent_y = (1 - y * y) * tangent_v2
    return y, tangent_y
"""

from __future__ import annotations

import re

from ..runtime import NAMES
from ..text.notation import Written
from . import emit
from .program import Program, import_lines, wrapped
from .trace import Trace, numbers, replay


class TangentProgram:
    """The straight-line program of a graph's value and its tangent along the ``wrt`` leaves.

    ``terms`` maps each node that moves to the terms of its tangent, in the order of
    its parents (``" + x * tangent_w"``, ``" - tangent_b"``): the order ``microbp.jvp`` adds them.
    """

    def __init__(self, root, wrt, inputs=(), names=None, caller: str = "codegen", constants=None,
                 checks: bool = True):
        self.program = program = Program(root, wrt, inputs, names, caller, constants, checks=checks)
        self.names, self.root, self.wrt = program.names, program.root, program.wrt
        self.terms = self._terms()

    def _terms(self) -> dict:
        """node -> [" + term", ...] for every node some wrt leaf reaches (a local derivative of 0: no term)."""
        program, tangent = self.program, self.names.of_tangent
        moving = set(program.wrt)
        terms = {}
        for step in program.steps:
            if step.node not in program.relevant:
                continue
            edges = [(parent, local) for parent, local in
                     program.edges(step.node, Written(step.name), step.args) if parent in moving]
            if edges:
                moving.add(step.node)
                terms[step.node] = [f" - {tangent(p)}" if local == -1 else f" + {emit.product_term(local, tangent(p))}"
                                    for p, local in edges]
        return terms

    def tangent_of_root(self) -> str:
        return self.names.of_tangent(self.root) if self.root in self.terms or self.root in self.wrt else "0.0"

    def tangent_blocks(self) -> list:
        """A block per moving node, first node first: ``tangent_n = t1 + t2 ...`` (running totals past
        ``emit.TERMS`` terms, in the same order)."""
        return [emit.sum_block(self.names.of_tangent(node), terms, start=None) for node, terms in self.terms.items()]

    def source(self, name: str = "f") -> str:
        """The program as ``name(*wrt, *inputs, *tangents of wrt) -> (value, tangent)``."""
        program = self.program
        body = program.opening(name)
        moved = ", ".join(program.name(x) for x in self.wrt) or "nothing"
        body.append(f"# tangents: how fast each node moves as {moved} move, one line per node, first node first")
        body += [line for block in self.tangent_blocks() for line in block.lines]
        body.append(f"return {program.name(self.root)}, {self.tangent_of_root()}")
        arguments = [program.name(x) for x in self.wrt + program.inputs] + [self.names.of_tangent(x) for x in self.wrt]
        head = wrapped(f"def {name}(", arguments, ", ", "):")
        used = sorted(set(re.findall(r"[A-Za-z_]\w*", "\n".join(body))) & set(NAMES))
        imports = import_lines(used) + ["", ""] if used else []
        return "\n".join(imports + head + ["    " + line for line in body]) + "\n"


# --- compiled: the same program, run fast, bit for bit as jvp ------------------------------

def compile_tangent(graph, wrt, inputs=()) -> CompiledTangent:
    """``compile(root, wrt, inputs, mode="forward")``: the value and the tangent, as ``microbp.jvp`` gives them."""
    program = TangentProgram(graph, wrt, inputs, caller="compile")
    inner = program.program
    sections = [("lines", emit.unpack([inner.name(x) for x in inner.wrt], "wrt")
                 + emit.unpack([program.names.of_tangent(x) for x in inner.wrt], "tangents")
                 + emit.unpack([inner.name(x) for x in inner.inputs], "inputs") + ["# forward: one line per node"]),
                ("blocks", emit.constant_blocks(inner) + emit.forward_blocks(inner)),
                ("lines", ["# tangents: one line per node, first node first, terms in the order jvp adds them"]),
                ("blocks", program.tangent_blocks()),
                ("lines", [f"return {inner.name(inner.root)}, {program.tangent_of_root()}"])]
    code = emit.assemble("f(wrt, tangents, inputs)", sections, program.names.variables)
    return CompiledTangent(code, program)


class CompiledTangent:
    """A compiled value and tangent: ``f(wrt_values, tangents, input_values=()) -> (value, tangent)``."""

    def __init__(self, code, program: TangentProgram):
        self._function, self.source = code.function, code.source
        self.trace = Trace.of(program.program)
        self.wrt, self.inputs = program.wrt, program.program.inputs

    def __repr__(self):
        return (f"<compiled value and tangent of a graph of {len(self.trace.graph.order)} nodes: "
                f"{len(self.wrt)} wrt, {len(self.inputs)} inputs; {self.source.count(chr(10))} lines>")

    @property
    def codegen(self) -> str:
        """The program as ``microbp.codegen(..., mode="forward")`` prints it."""
        trace = self.trace
        return TangentProgram(trace.graph, trace.wrt, trace.inputs, constants=trace.constants).source()

    def __call__(self, wrt_values, tangents, input_values=()):
        wrt = numbers(wrt_values, len(self.wrt), "wrt_values")
        speeds = numbers(tangents, len(self.wrt), "tangents")
        inputs = numbers(input_values, len(self.inputs), "input_values")
        try:
            value, tangent = self._function(wrt, speeds, inputs)
        except (ArithmeticError, ValueError, TypeError):   # a DomainError too: the engine raises it again
            return self.dynamic(wrt, speeds, inputs)
        total = value + tangent                            # inf or nan anywhere: jvp decides
        if type(total) is not float or total - total != 0.0:
            return self.dynamic(wrt, speeds, inputs)
        return value, tangent + 0.0                        # jvp's sums start at 0.0: never -0.0

    def dynamic(self, wrt_values, tangents, input_values=()) -> tuple:
        """What ``microbp.jvp`` gives for these values: the graph made again by the engine, then its
        tangents. The compiled code gives the same numbers; it hands over to this where something is
        not finite or an operation raises (a term 0 × inf that jvp skips, say)."""
        from ..core.engine import Value
        from ..core.forward import jvp
        wrt = [Value(v) for v in wrt_values]
        leaves = {**dict(zip(self.wrt, wrt)), **dict(zip(self.inputs, map(Value, input_values)))}
        return jvp(replay(self.trace, leaves), wrt, list(tangents))

