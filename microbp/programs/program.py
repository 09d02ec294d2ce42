"""The backward pass as a program: one line per node forward, one line per edge backward.

``codegen(root, wrt)`` prints the derivative of a graph as plain Python that a
student can read, run and step through in a debugger: each node's value, then
the chain rule node by node, last node first, each block under a comment with
the node's formula in the table's notation. Every formula comes from the
table's rows through the text interpreter (``microbp.text.notation``): forward from
a row's notation, local derivatives from its ``grads`` formula written out.

>>> from microbp import Value, codegen
>>> x = Value(0.5, label="x"); w = Value(-2.0, label="w")
>>> y = (x * w).tanh(); y.label = "y"
>>> print(codegen(y, wrt=[w], inputs=[x]), end="")
from microbp.runtime import tanh
<BLANKLINE>
<BLANKLINE>
def f(w, x):
    # forward: one line per node
    v1 = x * w
    y = tanh(v1)
    # backward: gradients start at 0; the chain rule, one line per edge, last node first
    grad_w = 0.0
    grad_y = 1.0
    # y = tanh(v1)
    grad_v1 = (1 - y * y) * grad_y
    # v1 = x × w
    grad_w += x * grad_v1
    return y, [grad_w]

Labels become names only as safe identifiers: ASCII letters, digits and ``_``,
not a keyword or a name the code uses. A label of such words joined by dots,
spaces or arithmetic gives its words joined by ``_`` (``L1.N1.w1`` gives
``L1_N1_w1``); a node left without a name gets a generated one (``v1``, ``x1``).
Nothing else of a label reaches the source, not even in a comment.
``Program`` holds what the text is made of, per node, for other printers.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..core.autodiff import made_by_gradients
from ..core.engine import as_value, is_value
from ..core.graph import Graph
from ..core.ops import OPS, describe, is_row
from ..runtime import NAMES, checks_values
from ..text.notation import MATH, PYTHON_TEXT, Written, float_literal, formula, write
from .identifiers import INTERNAL, RESERVED, SAFE_NAME, Names

MUL = OPS["mul"]


class Step(NamedTuple):
    """One computed node: its name, its operands as text, whether its domain is checked, its edges.

    ``edges`` are ``(parent, local)`` for each edge the gradient flows along to a
    parent that needs one, with the local derivative as text (or the number 1 or -1).
    """

    node: object
    name: str
    args: list
    checked: bool
    edges: list


class NodeLines(NamedTuple):
    """What the printed program says about one node, for printers that show a node at a time.

    ``forward``: the lines computing its value; ``backward``: its block of the
    chain rule (its gradient passed to its parents); ``into``: the lines, in its
    children's blocks, that add into its gradient.
    """

    node: object
    forward: list
    backward: list
    into: list


class Program:
    """The straight-line program of a graph's value and gradient, before it is written out.

    >>> from microbp import Value
    >>> a = Value(3.0, label="a"); b = a * a
    >>> program = Program(b, wrt=[a])
    >>> [(step.name, [(p.label, str(local)) for p, local in step.edges]) for step in program.steps]
    [('v1', [('a', 'a'), ('a', 'a')])]
    """

    literal = staticmethod(float_literal)
    """How a number is written (a target in another language gives its own: ``programs.javascript``)."""

    def __init__(self, root, wrt, inputs=(), names: Names | None = None, caller: str = "codegen",
                 constants: dict | None = None, checks: bool = True):
        self.checks = checks            # write the domain checks (``check_log(x)``) before the nodes they guard
        self.graph = graph = _graph(root, caller)
        table_rows_only(graph, caller)
        self.root = graph.root
        self.wrt, self.inputs = leaves(wrt, "wrt", caller), leaves(inputs, "inputs", caller)
        _distinct(self.wrt, self.inputs, caller)
        arguments = set(self.wrt) | set(self.inputs)
        self.constants = {leaf: (leaf.data if constants is None else constants[leaf])
                          for leaf in graph.leaves if leaf not in arguments}
        self.names = names or Names()
        self.names.add(self.wrt + self.inputs + graph.order)
        self.relevant = _needing_gradients(graph, self.wrt)
        self.steps = self._steps()
        self._texts = {}

    def name(self, node) -> str:
        return self.names.value[node]

    def _steps(self) -> list:
        """A Step per computed node in topological order; edges where a gradient flows."""
        texts = {node: Written(name) for node, name in self.names.value.items()}
        args = {node: [self.literal(p) if type(p) is float else texts[p] for p in node.parents]
                for node in self.graph.computed}
        reached = {self.root} if self.root in self.relevant else set()
        edges = {}
        for node in reversed(self.graph.computed):
            if node in reached:
                edges[node] = self.edges(node, texts[node], args[node])
                reached.update(parent for parent, _ in edges[node])
        self.reached = reached
        return [Step(node, self.name(node), args[node], _checked(node), edges.get(node, []))
                for node in self.graph.computed]

    def edges(self, node, text: Written, args: list) -> list:
        """(parent, local derivative) for the parents that need a gradient, from the row's formula."""
        locals_ = node.op.grads(PYTHON_TEXT, text, *args)
        edges = []
        relevant = self.relevant
        for parent, local in zip(node.parents, locals_):
            if type(parent) is float or parent not in relevant:
                continue
            if not isinstance(local, Written):
                if local == 0:               # zero times anything is zero: nothing flows
                    continue
                local = local if local in (1, -1) else self.literal(local)
            edges.append((parent, local))
        return edges

    def forward_text(self, step: Step) -> Written:
        """The node's value as the row's notation writes it: ``x * w``, ``tanh(n)``, ``dot([w], [x])``."""
        return write(step.node.op, step.args)

    def check_line(self, step: Step) -> str | None:
        """``check_log(x)`` for a node whose domain is checked, as the engine does."""
        if not (step.checked and self.checks):
            return None
        return f"check_{step.node.op.name}({', '.join(str(a) for a in step.args)})"

    # --- the readable program ------------------------------------------------------------

    def source(self, name: str = "f") -> str:
        """The program as a Python function ``name(*wrt, *inputs) -> (value, [gradients])``."""
        return self._texts[name] if name in self._texts else self._write(name)

    def lines(self) -> list:
        """``NodeLines`` for every node, in topological order (as in ``codegen``'s program).

        >>> from microbp import Value
        >>> x = Value(2.0, label="x"); y = x.exp(); y.label = "y"
        >>> [(n.forward, n.backward) for n in Program(y, [x]).lines()]
        [([], []), (['y = exp(x)'], ['grad_x += y * grad_y'])]
        """
        self.source()
        return [NodeLines(node, self._forward.get(node, []), self._block.get(node, []), self._into.get(node, []))
                for node in self.graph.order]

    def opening(self, name: str) -> list:
        """The lines every program of this graph starts with: the constants, then forward, a line per node
        (and its domain check); each node's forward lines are kept in ``_forward``. ``name`` is checked."""
        if not (SAFE_NAME.fullmatch(name) and name not in RESERVED - INTERNAL):
            raise ValueError(f"codegen: name must be an ASCII identifier that is not a keyword or a builtin, "
                             f"got {name!r}")
        self._forward = {}
        body = []
        if self.constants:
            body.append("# constants: the leaves that are neither in wrt nor in inputs")
            body += [f"{self.name(leaf)} = {float_literal(value)}" for leaf, value in self.constants.items()]
        body.append("# forward: one line per node")
        for step in self.steps:
            check = self.check_line(step)
            self._forward[step.node] = ([check] if check else []) + [f"{step.name} = {self.forward_text(step)}"]
            body += self._forward[step.node]
        return body

    def _write(self, name: str) -> str:
        names, grad = self.name, self.names.of_grad
        body = self.opening(name)
        self._block, self._into = {}, {}
        body.append("# backward: gradients start at 0; the chain rule, one line per edge, last node first")
        body += chained([grad(x) for x in self.wrt], "0.0")
        if self.root in self.relevant:
            body.append(f"{grad(self.root)} {'+=' if self.root.op is None else '='} 1.0")
        assigned = set(self.wrt)
        for step in reversed(self.steps):
            if step.edges:
                body.append(f"# {step.name} = {formula(step.node, names, MATH)}")
                block = self._block[step.node] = [self._push(step, parent, local, assigned)
                                                  for parent, local in step.edges]
                body += block
        values = [grad(x) if x in self.relevant else "0.0" for x in self.wrt]
        body += wrapped(f"return {names(self.root)}, [", values, ", ", "]")
        head = wrapped(f"def {name}(", [names(x) for x in self.wrt + self.inputs], ", ", "):")
        used = sorted(set(re.findall(r"[A-Za-z_]\w*", "\n".join(body))) & set(NAMES))
        imports = import_lines(used) + ["", ""] if used else []
        text = "\n".join(imports + head + ["    " + line for line in body]) + "\n"
        self._texts[name] = text
        return text

    def _push(self, step: Step, parent, local, assigned: set) -> str:
        """``grad_p += local * grad_n``: the first edge into a node assigns, later ones add."""
        upstream, target = self.names.of_grad(step.node), self.names.of_grad(parent)
        first = parent not in assigned
        assigned.add(parent)
        if local == -1:
            line = f"{target} = -{upstream}" if first else f"{target} -= {upstream}"
        else:
            term = upstream if local == 1 else str(write(MUL, (local, Written(upstream))))
            line = f"{target} {'=' if first else '+='} {term}"
        self._into.setdefault(parent, []).append(line)
        return line


# --- shared checks ------------------------------------------------------------------------

def _graph(root, caller: str) -> Graph:
    return Graph.of(root, f"{caller}(root)")


def table_rows_only(graph: Graph, caller: str) -> None:
    """A TypeError naming the first node whose operation is not a row of the table (by identity).

    The program is written from the table's rows alone: an ``Op`` made elsewhere, even one
    sharing a row's name, has no row to write it from, so it is refused, never written by name.
    """
    for node in graph.computed:
        if not is_row(node.op):
            raise TypeError(f"{caller}: node {node.label or '(unlabelled)'!r} uses the operation "
                            f"{describe(node.op)}, which is not a row of microbp's op table (microbp.core.ops); "
                            f"{caller} writes code from the table's rows only: build the graph from "
                            "microbp's operations, or use the engine (backward, gradients) for this one")


def import_lines(used: list) -> list:
    one = f"from microbp.runtime import {', '.join(used)}"
    return [one] if len(one) <= 100 else wrapped("from microbp.runtime import (", used, ", ", ")")


def leaves(values, what: str, caller: str) -> list:
    """``values`` as a list of leaf Values, or a TypeError naming the argument and the position."""
    if is_value(values):
        values = [values]
    try:
        values = list(values)
    except TypeError:
        raise TypeError(f"{caller}: {what} needs a list of Values, got {values!r}") from None
    for i, value in enumerate(values):
        as_value(value, f"{caller}: {what}[{i}]")
        if value.op is not None:
            raise TypeError(f"{caller}: {what}[{i}] is a computed node ({value.op.name}), not a leaf; "
                            "arguments must be leaves (Values made with Value(...))")
    return values


def _distinct(wrt: list, inputs: list, caller: str) -> None:
    seen = {}
    for what, values in (("wrt", wrt), ("inputs", inputs)):
        for i, value in enumerate(values):
            if value in seen:
                raise ValueError(f"{caller}: {what}[{i}] is the same leaf as {seen[value]}; "
                                 "each leaf can be one argument only")
            seen[value] = f"{what}[{i}]"


def _needing_gradients(graph: Graph, wrt: list) -> set:
    """The wrt leaves and every node computed from one of them: the nodes whose gradient is needed."""
    return {*wrt, *graph.downstream(wrt)}


def _checked(node) -> bool:
    """Whether compiled code checks the node's domain: the engine did when it made the node.

    It did not inside derivative formulas (``gradients(create_graph=True)``, whose
    nodes are in its ``backward`` scope), where a node may be outside its domain.
    """
    row = node.op
    if not checks_values(row) or made_by_gradients(node):
        return False
    return not row.domain(*[p if type(p) is float else p.data for p in node.parents])


def wrapped(head: str, items, separator: str, tail: str, width: int = 100) -> list:
    """``head`` + items joined by ``separator`` + ``tail``: one line, or one item line after another.

    >>> wrapped("f(", ["a", "b"], ", ", ")")
    ['f(a, b)']
    >>> wrapped("f(", ["alpha", "beta", "gamma"], ", ", ")", width=20)
    ['f(', '    alpha, beta,', '    gamma,', ')']
    """
    items = list(items)
    one = head + separator.join(items) + tail
    if len(one) <= width:
        return [one]
    lines, line = [head], ""
    for item in items:
        piece = item + separator.rstrip()
        if line and len(line) + len(piece) + 5 > width:
            lines.append("    " + line)
            line = piece
        else:
            line = f"{line} {piece}" if line else piece
    return lines + ["    " + line, tail]


def chained(names, value: str, width: int = 100) -> list:
    """``a = b = value`` for every name, in lines of about ``width`` characters.

    >>> chained(["grad_a", "grad_b", "grad_c"], "0.0", width=24)
    ['grad_a = grad_b = 0.0', 'grad_c = 0.0']
    """
    lines, line = [], []
    for name in names:
        if line and len(" = ".join(line + [name, value])) > width:
            lines.append(" = ".join(line + [value]))
            line = []
        line.append(name)
    return lines + ([" = ".join(line + [value])] if line else [])
