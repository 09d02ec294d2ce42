"""Captions of a loss block as the textbook writes them: E = ½Σ(y − t)², p = softmax(z), L = −log pₖ.

The block (``microbp.network.loss_block``) is one forward step; backward, each
prediction's derivative is the textbook's: ∂E/∂yᵢ simplified by sympy from the
block's formula (``yᵢ − tᵢ`` when n = 2), and for cross-entropy ∂L/∂zᵢ = pᵢ − yᵢ,
with the numbers. A target given as a labelled Value is written by its label; a
number target is named (``t``, or ``t₁, t₂, ...``) and its number shown beside.
The numbers that result are the engine's.

>>> from microbp import Value, Graph, losses
>>> from microbp.network.loss_block import loss_blocks
>>> y = Value(0.6, label="y"); graph = Graph(losses.mse(y, 0.2))
>>> text = LossCaptions(loss_blocks(graph)[0], lambda node: node.label, "E", ".4g")
>>> print(text.forward())
E = (y − t)² = (0.6 − 0.2)² = 0.16
>>> print(text.local(y))
∂E/∂y = 2(y − t) = 2 × (0.6 − 0.2) = 0.8
"""

from __future__ import annotations

import math
from fractions import Fraction

from ..core.graph import chain_rule
from ..text.naming import indexed
from ..text.notation import Style, as_factor, number
from .simplify import best, fraction_text, maths


class LossCaptions:
    """The captions of one block; ``name(node)`` names a prediction (a logit), ``loss`` names the block."""

    def __init__(self, block, name, loss: str, number_format: str, target: str = "t"):
        self.block, self.name, self.loss = block, name, loss
        self.style = Style(False, number_format)
        self.symbol = target          # the target's letter: t in the walkthrough, y in the textbook
        size = len(block.predictions)
        self.targets = [self._target_name(t, i, size) for i, t in enumerate(block.targets)]
        self.locals = chain_rule(block.nodes, block.root, 1.0, lambda node: node.local_grads)

    def _target_name(self, target, i: int, size: int) -> str:
        if type(target) is not float and getattr(target, "label", ""):
            return target.label
        return self.symbol if size == 1 else indexed(self.symbol, i + 1)

    def number(self, x: float) -> str:
        return str(number(x, self.style))

    def factor(self, x: float) -> str:
        """A number as a factor of a product: ``(−3)`` in parentheses when negative."""
        return as_factor(x, self.style)

    def value_of(self, x) -> float:
        return x if type(x) is float else x.data

    def forward(self) -> str:
        return self._mse_forward() if self.block.kind == "mse" else self._softmax_forward()

    def local(self, prediction) -> str:
        """∂loss/∂prediction: the textbook's formula, with numbers, then its value (the engine's)."""
        if self.block.kind == "mse":
            return self._mse_local(prediction)
        return self._softmax_local(prediction)

    def local_value(self, prediction) -> float:
        return self.locals.get(prediction, 0.0)

    # --- mean squared error --------------------------------------------------------------------------

    def _squares(self, numbers: bool) -> list:
        pairs = zip(self.block.predictions, self.block.targets, self.targets)
        if numbers:
            return [f"({self.number(self.value_of(p))} − {self.factor(self.value_of(t))})²" for p, t, _ in pairs]
        return [f"({self.name(p)} − {name})²" for p, _, name in pairs]

    def _mean(self, squares: list) -> str:
        if len(squares) == 1:
            return squares[0]
        return f"{fraction_text(Fraction(1, len(squares)))}[{' + '.join(squares)}]"

    def _mse_forward(self) -> str:
        return (f"{self.loss} = {self._mean(self._squares(False))} = {self._mean(self._squares(True))} = "
                f"{self.number(self.block.root.data)}")

    def mse_derivative(self, name: str):
        """∂E/∂(the value called ``name``) as sympy simplifies it from E = (1/n)Σ(y − t)²."""
        import sympy
        names = [sympy.Symbol(self.name(p) if type(p) is not float else str(p)) for p in self.block.predictions]
        targets = [sympy.Symbol(t) for t in self.targets]
        loss = sympy.Rational(1, len(names)) * sum((y - t) ** 2 for y, t in zip(names, targets))
        return best(sympy.diff(loss, sympy.Symbol(name)))

    def _mse_local(self, node) -> str:
        """∂E/∂node for a prediction (or a target given as a Value): the formula, the numbers, the value."""
        i = _position(self.block.predictions, node)
        sign = "" if i is not None else "−"
        i = i if i is not None else _position(self.block.targets, node)
        n, target = len(self.block.predictions), self.value_of(self.block.targets[i])
        scale = f"{fraction_text(Fraction(2, n))} × " if n != 2 else ""
        difference = f"{self.number(self.value_of(self.block.predictions[i]))} − {self.factor(target)}"
        numbers = f"{sign}{scale}({difference})" if sign or scale else difference
        name = self.name(node) if _position(self.block.predictions, node) is not None else self.targets[i]
        return (f"∂{self.loss}/∂{name} = {maths(self.mse_derivative(name))} = {numbers} = "
                f"{self.number(self.local_value(node))}")

    # --- cross-entropy of the softmax ----------------------------------------------------------------

    def probabilities(self) -> list:
        values = [p.data for p in self.block.predictions]
        shift = max(values)
        exps = [math.exp(v - shift) for v in values]
        return [e / sum(exps) for e in exps]

    def _softmax_forward(self) -> str:
        logits = ", ".join(self.name(p) for p in self.block.predictions)
        p = ", ".join(self.number(x) for x in self.probabilities())
        k = self.block.target + 1
        chosen = self.probabilities()[self.block.target]
        return (f"p = softmax({logits}) = ({p})\n"
                f"{self.loss} = −log {indexed('p', k)} = −log {self.number(chosen)} = "
                f"{self.number(self.block.root.data)}")

    def _softmax_local(self, logit) -> str:
        i = _position(self.block.predictions, logit)
        one_hot = 1 if i == self.block.target else 0
        p = self.probabilities()[i]
        return (f"∂{self.loss}/∂{self.name(logit)} = {indexed('p', i + 1)} − {indexed(self.symbol, i + 1)} = "
                f"{self.number(p)} − {one_hot} = {self.number(self.local_value(logit))}")


def _position(items: list, node) -> int | None:
    """Where ``node`` is in ``items``, by identity (a Value's ``==`` builds a graph)."""
    return next((i for i, item in enumerate(items) if item is node), None)
