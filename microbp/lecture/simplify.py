"""Local derivatives as a teacher writes them: the table's formula, simplified by sympy, printed in maths.

The table of operations writes ∂out/∂input as the engine computes it
(``2 × a ^ (2 − 1)``); a caption in ``derivatives="simplified"`` mode shows the
same formula simplified (``2a``). sympy reads the row's own derivative formula
(through ``microbp.core.ops.interpreter``), so nothing is restated. sympy loads
only when a lecture asks for it, and each row is simplified once per shape.

>>> from microbp import Value
>>> a = Value(3.0, label="a")
>>> simplified_locals(a ** 2, lambda node: node.label or "f")[0]
'2a'
>>> x = Value(0.5); y = x.sigmoid()
>>> simplified_locals(y, lambda node: "y" if node is y else "x")
('y(1 − y)',)
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from functools import cache

from ..core.graph import chain_rule
from ..core.ops import interpreter
from ..text.notation import SUPERSCRIPTS

VULGAR = {Fraction(1, 2): "½", Fraction(1, 3): "⅓", Fraction(1, 4): "¼", Fraction(2, 3): "⅔",
          Fraction(3, 4): "¾"}


def sympy_interpreter():
    """The table's functions in sympy: what a derivative formula calls when it is read by sympy."""
    import sympy
    return interpreter(lambda row, *args: row.sympy(sympy, *args))


def constant(x: float):
    """A number as sympy holds it exactly: 0.2 is 1/5, so 2 × 0.5 simplifies to 1."""
    import sympy
    return sympy.Rational(repr(float(x))) if math.isfinite(x) and abs(x) < 1e15 else sympy.Float(x)


@cache
def _row_locals(row, floats: tuple) -> tuple:
    """The row's local derivatives over symbols ``a0, a1, ...`` (a number where ``floats`` gives one) and
    ``out``, simplified: the cache is per row and shape."""
    import sympy
    args = [sympy.Symbol(f"a{i}") if value is None else constant(value) for i, value in enumerate(floats)]
    grads = row.grads(sympy_interpreter(), sympy.Symbol("out"), *args)
    return tuple(best(exact(g)) for g in grads)


def simplified_locals(node, name) -> tuple:
    """∂node/∂parent per parent, simplified, as maths text; ``name(value)`` names a node."""
    import sympy
    floats = tuple(p if type(p) is float else None for p in node.parents)
    names = {sympy.Symbol("out"): sympy.Symbol(name(node))}
    names.update((sympy.Symbol(f"a{i}"), sympy.Symbol(name(p))) for i, p in enumerate(node.parents)
                 if type(p) is not float)
    return tuple(maths(g.xreplace(names)) for g in _row_locals(node.op, floats))


def exact(formula):
    """A formula read by sympy with its float literals (``1.0 / b``) as the exact numbers they stand for."""
    import sympy
    expression = sympy.sympify(formula)
    return expression.xreplace({f: constant(float(f)) for f in expression.atoms(sympy.Float)})


def best(expression):
    """The shortest of the expression simplified and factored, a sum counting longer than a product:
    ``2(y − t)`` rather than ``2y − 2t``, ``y(1 − y)`` rather than ``y − y²``, but ``1 − y²``."""
    import sympy
    candidates = [sympy.simplify(expression), sympy.factor(expression), expression]
    candidates += [_positive_sum(e) for e in candidates[:2]]
    return min(candidates, key=lambda e: (len(maths(e)) + 3 * (len(sympy.Add.make_args(e)) - 1),
                                          candidates.index(e)))


def _positive_sum(expression):
    """``−2(t − y)`` as ``2(y − t)``: a negative factor moved into the sum it multiplies."""
    import sympy
    if expression.is_Mul:
        coefficient, rest = expression.as_coeff_Mul()
        if coefficient < 0 and rest.is_Add:
            return sympy.Mul(-coefficient, -rest, evaluate=False)
    return expression


def region_simplified(top, region: list, names: dict) -> dict:
    """node -> ∂top/∂node simplified (sympy), for the values below ``region`` that ``names`` names.

    ``region`` holds the nodes between them in topological order, ``top`` last; a
    node of the region is written as its formula; a number as itself, unless
    ``names`` names it (by ``id``): a target ``t``.
    """
    import sympy
    ns, expressions = sympy_interpreter(), {}

    def symbol(p):
        if type(p) is float:
            return sympy.Symbol(names[id(p)]) if id(p) in names else constant(p)
        return sympy.Symbol(names[p]) if p in names else expressions[p]

    for node in region:
        expressions[node] = node.op.sympy(sympy, *map(symbol, node.parents))
    def locals_of(node):        # a drawn value in terms of its name: ∂y/∂x = y(1 − y)
        out = sympy.Symbol(names[node]) if node in names else expressions[node]
        return node.op.grads(ns, out, *map(symbol, node.parents))

    partials = chain_rule(region, top, sympy.Integer(1), locals_of, zero=None)
    inside = set(region)
    return {node: best(exact(partial)) for node, partial in partials.items() if node not in inside}


def maths(expression) -> str:
    """A sympy expression as a caption writes it: ``y(1 − y)``, ``2(y − t)``, ``x²``, ``−f/b``."""
    from sympy.printing.precedence import PRECEDENCE
    from sympy.printing.str import StrPrinter

    class Maths(StrPrinter):
        def _print_Rational(self, r):
            return fraction_text(Fraction(int(r.p), int(r.q)))

        def _print_Half(self, r):
            return "½"

        def _print_Exp1(self, e):
            return "e"

        def _print_Add(self, expr, order=None):
            terms = sorted(self._as_ordered_terms(expr, order=order), key=lambda t: t.could_extract_minus_sign())
            text = self.parenthesize(terms[0], PRECEDENCE["Add"])
            for term in terms[1:]:
                negative = term.could_extract_minus_sign()
                text += (" - " if negative else " + ") + self.parenthesize(-term if negative else term,
                                                                           PRECEDENCE["Add"])
            return text

    return polish(Maths().doprint(expression))


def readable(expression) -> bool:
    """Whether the simplified form is plain maths (no ``Piecewise``, ``Heaviside``, ``Derivative``)."""
    return not re.search(r"Piecewise|Heaviside|Derivative|Subs|zoo|nan|DiracDelta", str(expression))


def fraction_text(f: Fraction) -> str:
    """``½``, ``0.2``, ``1/7``: a vulgar fraction, a short decimal, or p/q."""
    sign = "-" if f < 0 else ""
    if abs(f) in VULGAR:
        return sign + VULGAR[abs(f)]
    decimal = float(f)
    if Fraction(repr(decimal)) == f:
        return repr(decimal).removesuffix(".0")
    return f"{f.numerator}/{f.denominator}"


def polish(text: str) -> str:
    """Python's operators as maths: ``**2`` is ``²`` (``**(-2)`` is ``⁻²``), ``*`` a product sign or nothing, ``-`` is ``−``."""
    text = re.sub(r"\*\*(\d+)\b|\*\*\((-\d+)\)", lambda m: (m.group(1) or m.group(2)).translate(SUPERSCRIPTS), text)
    text = text.replace("**", "^")
    text = re.sub(r"(?<=[\d½⅓¼⅔¾])\*(?=[^\d\W]|\()", "", text)      # 2*y, 2*(y - t): juxtaposed
    text = re.sub(r"(?<=[^\d\W])\*\(", "(", text)                  # y*(1 - y)
    text = text.replace(")*(", ")(").replace("*", "·").replace("/", "/")
    return text.replace("sqrt(", "√(").replace("-", "−")
