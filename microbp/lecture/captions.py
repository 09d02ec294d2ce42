"""What a lecture step says: the formula with names, then with numbers, in the figure's names.

A total derivative is written ``do/dn`` (upright d: the derivative of the output
``o`` along every path), a local one ``∂o/∂n`` (one operation, its row's
formula from the table of operations, via ``microbp.text.notation``; with
``derivatives="simplified"`` as sympy simplifies it, ``microbp.lecture.simplify``). A backward
caption gives each local derivative with its formula and number, then the
chain rule: the total as the sum of upstream total × local derivative.

>>> from microbp import Value, Graph
>>> x = Value(0.5, label="x"); y = x.sigmoid(); y.label = "y"
>>> text = Captions(Graph(y), ".4g")
>>> print(text.backward([x], [(y, 1.0, y.local_grads[0])], 0.235))
∂y/∂x = y × (1 − y) = 0.235
dy/dx = dy/dy · ∂y/∂x = 1 × 0.235 = 0.235
"""

from __future__ import annotations

import re

from ..core.ops import ATOM
from ..text.naming import node_names
from ..text.notation import Style, Written, as_factor, local_formulas, number, write
from ..text.plural import count


class Captions:
    """Names and numbers as captions write them, for one graph."""

    def __init__(self, graph, number_format: str, names: dict | None = None, derivatives: str = "chain"):
        self.graph, self.number_format, self.derivatives = graph, number_format, derivatives
        self.style = Style(False, number_format)
        self.names = names if names is not None else node_names(graph)
        self.root_name = self.operand(graph.root)
        self._locals = {}
        self.blocks = {}            # a loss block's root -> its captions (microbp.lecture.loss_captions)

    def operand(self, node) -> str:
        """A name fit to stand in a formula: wrapped in parentheses unless it is one word."""
        name = self.names[node]
        return name if re.fullmatch(r"\w+", name) else f"({name})"

    def number(self, x: float) -> str:
        return str(number(x, self.style))

    def factor(self, x: float) -> str:
        """A number as a factor of a product: ``(−3)`` in parentheses when negative."""
        return as_factor(x, self.style)

    def total(self, node) -> str:
        """The total derivative of the output by ``node``: ``do/dn``."""
        return f"d{self.root_name}/d{self.operand(node)}"

    def partial(self, child, parent) -> str:
        """The local derivative of ``child`` by its operand ``parent``: ``∂o/∂n``."""
        return f"∂{self.operand(child)}/∂{self.operand(parent)}"

    def formula(self, node, operand_text) -> str:
        """``node``'s operation written over ``operand_text(parent)`` (names or numbers), from the table."""
        args = [operand_text(p) if type(p) is not float else number(p, self.style) for p in node.parents]
        return str(write(node.op, args, self.style))

    def forward(self, group) -> str:
        node = group[-1]
        name, result = self.names[node], self.number(node.data)
        if len(group) > 1:
            return f"{self.holds(group)}: {name} = {result}"
        symbolic = self.formula(node, lambda p: Written(self.operand(p), ATOM, self.style))
        numeric = self.formula(node, lambda p: number(p.data, self.style))
        return f"{name} = {symbolic} = {numeric} = {result}"

    def holds(self, group) -> str:
        """What a collapsed scope holds: ``L1 / N1 (2 operations, 3 parameters)``."""
        operations = sum(1 for node in group if node.op is not None)
        counts = [count(operations, "operation"), count(len(group) - operations, "parameter")]
        return f"{' / '.join(group[-1].scope)} ({', '.join(count for count in counts if count)})"

    def local(self, child, parent) -> str:
        """``∂child/∂parent = formula = number``, the formula from the table (summed where parent is
        several operands of child)."""
        formulas = self._local_formulas(child)
        texts = [(str(formulas[i]), local) for i, (p, local) in enumerate(zip(child.parents, child.local_grads))
                 if p is parent]
        value = self.number(sum(local for _, local in texts))
        formula = " + ".join(text for text, _ in texts)
        return f"{self.partial(child, parent)} = {formula}" + (f" = {value}" if formula != value else "")

    def _local_formulas(self, child) -> tuple:
        """The row's formulas over ``child``'s names: simplified by sympy, unless ``derivatives="chain"`` or
        the simplified form is not plain maths (a kink's ``Piecewise``)."""
        if child not in self._locals:
            table = tuple(map(str, local_formulas(child, self.operand, self.style)))
            if self.derivatives == "simplified":
                from .simplify import simplified_locals
                table = tuple(simple if "Piecewise" not in simple and "Heaviside" not in simple else text
                              for simple, text in zip(simplified_locals(child, self.operand), table))
            self._locals[child] = table
        return self._locals[child]

    def backward(self, group, terms, value: float) -> str:
        """The caption of a backward step; ``terms`` are (child, upstream total, local), one per edge.

        Edges to the same child are one term: ∂(a × a)/∂a = a + a.
        """
        node, total = group[-1], self.number(value)
        if len(group) > 1:
            return (f"{self.holds(group)}: {self.total(node)} = {total}, passed back through its operations "
                    "to its parameters and inputs")
        if not terms:
            return f"{self.total(node)} = {total}"
        per_child = {}
        for child, upstream, local in terms:
            per_child[child] = (upstream, per_child.get(child, (0, 0.0))[1] + local)
        locals_line = "; ".join(self.blocks[child].local(node) if child in self.blocks else self.local(child, node)
                                for child in per_child)
        symbolic = " + ".join(f"{self.total(child)} · {self.partial(child, node)}" for child in per_child)
        numeric = " + ".join(f"{self.factor(up)} × {self.factor(local)}" for up, local in per_child.values())
        return f"{locals_line}\n{self.total(node)} = {symbolic} = {numeric} = {total}"

