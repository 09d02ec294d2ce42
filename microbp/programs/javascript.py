"""A graph's forward and backward passes as JavaScript, for a page that recomputes them offline.

``javascript(root)`` is a self-contained script: the table's runtime
(``js_runtime``), then ``const graph = ...``. A page that shows several graphs
embeds the runtime once and each graph with ``javascript_graph(root)``, an
expression that reads ``microbp``. The graph object has:

- ``names``: one name per node, the names figures and captions show (``x``, ``v1``,
  ``f``), in topological order; ``labels``: the user's labels (``null`` where none);
- ``index``: ``{name or label: node index}`` (a name wins over another node's label);
- ``leaves``: the node index of each leaf, in the order ``run`` takes their values;
  ``values``: the leaves' values when the graph was written;
- ``run(inputs)``: given the leaves' values, ``{data, grad}``, every node's value and
  gradient, by node index, as the engine computes them after ``root.backward()``.

``run`` is straight-line code, one line per node forward and one line per edge
backward, from ``Program`` and the table's JavaScript text; it checks domains
as the engine does (``microbp.DomainError``), and keeps the engine's rules: an
upstream gradient or a local derivative that is exactly 0 passes nothing on,
and gradients add up in backward's order, so graphs of ``+ − × ÷ √`` give the
engine's numbers bit for bit (other functions within an ulp or so: JavaScript's
``Math`` is not Python's ``math``).

Labels are data, never code: they reach the script only as JSON strings in
which ``<``, ``>``, ``&`` and every character outside ASCII are escaped.

>>> from microbp import Value
>>> x = Value(0.5, label="x"); w = Value(-2.0, label="w")
>>> y = (x * w).tanh(); y.label = "y"
>>> print(javascript_graph(y).split("function run")[1].split("return")[0])
(inputs) {
    const [x, w] = leafValues(inputs, 2);
    // forward: one line per node
    const v1 = x * w;
    const y = tanh(v1);
    // backward: gradients start at 0; the chain rule, one line per edge, last node first
    let grad_x = 0, grad_w = 0, grad_v1 = 0, grad_y = 0;
    grad_y = 1;
    // y = tanh(v1)
    if (grad_y !== 0) {
      grad_v1 += chain(1 - y * y, grad_y);
    }
    // v1 = x × w
    if (grad_v1 !== 0) {
      grad_x += chain(w, grad_v1);
      grad_w += chain(x, grad_v1);
    }
<BLANKLINE>
"""

from __future__ import annotations

from ..core.graph import Graph
from ..text.javascript import RESERVED, js_number, name, script_json
from ..text.naming import node_names
from ..text.notation import MATH, Written, formula
from .identifiers import Names
from .js_runtime import calls, forward_text, javascript_runtime, library_functions, local_texts, unexpressed
from .program import Program, wrapped


class JavaScriptNames(Names):
    """``Names`` that also keep clear of JavaScript's reserved words and globals (``var``, ``Math``)
    and of the runtime's functions (``leafValues``)."""

    def __init__(self):
        super().__init__()
        self.names.avoid |= RESERVED | library_functions()


class JavaScriptProgram(Program):
    """The ``Program`` of a graph with every leaf an argument, written in JavaScript."""

    literal = staticmethod(js_number)

    def __init__(self, root, caller: str = "javascript"):
        graph = Graph.of(root, f"{caller}(root)")
        for row in dict.fromkeys(node.op for node in graph.computed):
            reason = unexpressed(row)
            if reason:
                raise ValueError(f"{caller}: the JavaScript runtime cannot compute this graph: {reason}")
        super().__init__(graph, wrt=graph.leaves, names=JavaScriptNames(), caller=caller)

    def edges(self, node, text: Written, args: list) -> list:
        """(parent, local) per edge a gradient flows along: the formula in JavaScript, or ``local[i]``
        when the formula may raise in Python (then the runtime's ``grads`` reads it as the engine does)."""
        floats, ieee = local_texts(node.op, name(str(text)), args)
        if ieee is not None and node.op.arity is None:
            raise ValueError(f"javascript: the derivative of the n-ary row {node.op.name!r} may raise in "
                             "Python; the JavaScript runtime reads only fixed-arity rows twice")
        edges = []
        for i, (parent, local) in enumerate(zip(node.parents, floats)):
            if type(parent) is float or parent not in self.relevant:
                continue
            if not isinstance(local, Written):
                if local == 0:               # zero times anything is zero: nothing flows
                    continue
                local = local if local in (1, -1) else js_number(local)
            edges.append((parent, name(f"local[{i}]") if ieee is not None else local))
        return edges

    def run_function(self) -> list:
        """``function run(inputs) {...}``: the forward lines, the backward blocks, every value and gradient."""
        order, count = self.graph.order, len(self.wrt)
        body = wrapped("const [", [self.name(x) for x in self.wrt], ", ", f"] = leafValues(inputs, {count});")
        body += self._forward() + self._backward() + ["return {"]
        body += ["  " + line for line in wrapped("data: [", [self.name(node) for node in order], ", ", "],", 96)]
        body += ["  " + line for line in wrapped("grad: [", [self.names.of_grad(n) for n in order], ", ", "],", 96)]
        return ["function run(inputs) {"] + ["  " + line for line in body + ["};"]] + ["}"]

    def _forward(self) -> list:
        """A line per node (after its domain check, where the engine checked it)."""
        lines = ["// forward: one line per node"]
        for step in self.steps:
            if step.checked:
                lines.append(f"check_{step.node.op.name}({', '.join(map(str, step.args))});")
            lines.append(f"const {step.name} = {forward_text(step.node.op, step.args)};")
        return lines

    def _backward(self) -> list:
        """Every gradient from 0, the root's 1, then a block per node, last node first."""
        gradients = [f"{self.names.of_grad(node)} = 0" for node in self.graph.order]
        lines = ["// backward: gradients start at 0; the chain rule, one line per edge, last node first"]
        lines += [f"let {', '.join(gradients[i:i + 8])};" for i in range(0, len(gradients), 8)]
        lines.append(f"{self.names.of_grad(self.root)} = 1;")
        for step in reversed(self.steps):
            if step.edges:
                lines += self._block(step)
        return lines

    def _block(self, step) -> list:
        """A node's block of the chain rule, under ``if (grad_n !== 0)`` as in backward."""
        upstream = self.names.of_grad(step.node)
        lines = [f"// {step.name} = {formula(step.node, self.name, MATH)}", f"if ({upstream} !== 0) {{"]
        if any(str(local).startswith("local[") for _, local in step.edges):
            args = ", ".join(map(str, [Written(step.name)] + step.args))
            lines.append(f"  const local = grads.{step.node.op.name}({args});")
        for parent, local in step.edges:
            target = self.names.of_grad(parent)
            if not isinstance(local, Written) and local in (1, -1):
                lines.append(f"  {target} {'+=' if local == 1 else '-='} {upstream};")
            else:
                lines.append(f"  {target} += chain({local}, {upstream});")
        return lines + ["}"]


def javascript_graph(root) -> str:
    """The graph of ``root`` as a JavaScript expression (the object described above); it reads
    ``microbp``, the runtime (``javascript_runtime()``), so a page embeds that once."""
    program = JavaScriptProgram(root, "javascript_graph")
    graph, order = program.graph, program.graph.order
    run = program.run_function()
    used = sorted(calls("\n".join(run)) - {"run", "TypeError"} | {"chain"})
    page_names = node_names(graph)
    lines = [f"const {{{', '.join(used + ['grads'])}}} = microbp;",
             f"const names = {script_json([page_names[node] for node in order])};",
             f"const labels = {script_json([node.label for node in order])};",
             f"const leaves = {script_json([order.index(leaf) for leaf in program.wrt])};",
             f"const values = [{', '.join(str(js_number(leaf.data)) for leaf in program.wrt)}];",
             "const index = Object.create(null);",
             "names.forEach((name, i) => { index[name] = i; });",
             "labels.forEach((label, i) => { if (label !== null && !(label in index)) index[label] = i; });",
             *run,
             "return Object.freeze({names, labels, leaves, values, index, run});"]
    return "((microbp) => {\n  \"use strict\";\n" + "".join(f"  {line}\n" for line in lines) + "})(microbp)"


def javascript(root, variable: str = "graph") -> str:
    """A self-contained script: the runtime, then ``const <variable> = `` the graph of ``root``.

    >>> from microbp import Value
    >>> script = javascript(Value(3.0, label="a") * 2)
    >>> script.startswith("const microbp = "), "const graph = ((microbp) =>" in script
    (True, True)
    """
    if not (isinstance(variable, str) and variable.isidentifier() and variable.isascii()
            and variable not in RESERVED):
        raise ValueError(f"javascript: variable must be an ASCII identifier that is not a JavaScript "
                         f"reserved word, got {variable!r}")
    return javascript_runtime() + f"const {variable} = {javascript_graph(root)};\n"
