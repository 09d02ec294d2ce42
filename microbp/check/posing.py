"""Reading what ``check_derivation`` was asked: the expression, the variable, the claim, fixed values.

Strings go through the safe parser, sympy expressions are taken with every
symbol made real (matched by name), numbers are exact. Every name the user
gives must occur: a ``wrt`` that is not in the expression, or a fixed value
for a name in neither side, is an ``UnknownVariableError`` naming the
variables that are there.

>>> problem = pose("x * y", "x", "y", None, {"y": 2.0}, None, None)
>>> problem.correct, [s.name for s in problem.symbols], problem.fixed
(y, ['x', 'y'], {y: 2.0})
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

from ..errors import UnknownVariableError
from .limits import check_expression_size, sympy_recursion_error
from .sympy_bridge import by_name, combine_exactly, exact, exact_of


class Problem(NamedTuple):
    """The question, in real symbols: ∂expression/∂variable against claim."""

    expression: object
    claim: object
    correct: object             # sympy.diff(expression, variable)
    variable: object
    symbols: list               # the variable, then the others by name
    fixed: dict                 # symbol -> float, from the keyword arguments
    written: tuple              # WrittenDomain of each side given as text (None for a sympy expression)
    given: tuple                # (expr, claimed) as the user gave them
    theirs: object              # maps an expression in real symbols to the user's symbols


def pose(expr, wrt, claimed, symbols, at: dict, max_nodes, max_depth) -> Problem:
    """Parse and check everything ``check_derivation`` was given (see its docstring)."""
    import sympy

    mine = by_name(symbols)
    expression, expression_names, expression_written = _read(expr, "expr", mine)
    claim, claim_names, claim_written = _read(claimed, "claimed", mine)
    name = _name_of(wrt)
    names = expression_names | claim_names
    _check_names(expr, name, expression_names, names, at)
    for part, what in ((expression, "check_derivation (expr)"), (claim, "check_derivation (claimed)")):
        check_expression_size(part, what, max_nodes, max_depth)
    real = {n: sympy.Symbol(n, real=True) for n in names}
    variable = real[name]
    try:
        correct = sympy.diff(expression, variable)
    except RecursionError:
        raise sympy_recursion_error("check_derivation", "max_depth") from None
    ordered = [variable] + [real[n] for n in sorted(names - {name})]
    fixed = {real[n]: _fixed_value(n, value) for n, value in at.items()}
    back = {real[n]: mine[n] for n in names if n in mine}
    return Problem(expression, claim, correct, variable, ordered, fixed, (expression_written, claim_written),
                   (expr, claimed),
                   lambda e: e.xreplace(back) if back else e)


def _check_names(expr, name: str, expression_names: set, names: set, at: dict) -> None:
    """``name`` must occur in the expression, and every fixed name in it or the claim (but not ``name``)."""
    if name not in expression_names:
        raise UnknownVariableError(f"check_derivation: {name} does not appear in the expression {expr!r}; "
                                   f"its variables are {', '.join(sorted(expression_names)) or 'none'}")
    if name in at:
        raise ValueError(f"check_derivation: {name} is the variable of differentiation; it is sampled, "
                         f"not fixed (fix only the other variables; to check one point use microbp.verify)")
    unknown = sorted(set(at) - names)
    if unknown:
        raise UnknownVariableError(f"check_derivation: {', '.join(unknown)} given a value but not in the expression "
                                   f"or the claim; their variables are {', '.join(sorted(names))}")


def _name_of(wrt) -> str:
    import sympy

    if isinstance(wrt, sympy.Symbol):
        return wrt.name
    if not isinstance(wrt, str) or not wrt:
        raise TypeError(f"check_derivation: wrt needs a variable's name or a sympy Symbol, got {wrt!r}")
    return wrt


def _read(x, what: str, mine: dict) -> tuple:
    """(sympy expression in real symbols, the names it uses, its ``WrittenDomain`` or None) from a
    string (parsed once), a sympy expression or a number; a sympy expression's symbols join ``mine``."""
    import sympy

    if isinstance(x, str):
        return read_text(x)
    if isinstance(x, sympy.Expr):
        mine.update({s.name: mine.get(s.name, s) for s in x.free_symbols})
        real = {s: sympy.Symbol(s.name, real=True) for s in x.free_symbols}
        return x.xreplace(real), {s.name for s in x.free_symbols}, None
    if isinstance(x, numbers.Real) and not isinstance(x, bool) and what == "claimed":
        return exact(float(x)), set(), None
    raise TypeError(f"check_derivation takes strings or sympy expressions (or a number as the claim), "
                    f"got {what}={x!r} ({type(x).__name__})")


class _Both(NamedTuple):
    """A part of an expression read once, two ways: exactly (for sympy) and as a graph (as written)."""

    exact: object
    node: object


def read_text(text: str) -> tuple:
    """(sympy expression, the names used, ``WrittenDomain``) of ``text``, from ONE walk of the parser.

    The names include those sympy would cancel (``x + y - y`` uses y); the graph keeps
    the domain as written (sympy reads ``sqrt(x)**2`` as x).

    >>> expression, names, written = read_text("sqrt(x)**2 + y - y")
    >>> expression, sorted(names), written({"x": -1.0, "y": 0.0})
    (x, ['x', 'y'], False)
    """
    import sympy

    from ..core.engine import Value, apply, derivative_formulas
    from ..text.parser import build

    leaves = {}

    def leaf(name, node):
        if name not in leaves:
            leaves[name] = _Both(sympy.Symbol(name, real=True), Value(1.0, label=name))
        return leaves[name]

    def combine(op, args):
        return _Both(combine_exactly(op, [getattr(a, "exact", a) for a in args]),
                     apply(op, [getattr(a, "node", a) for a in args]))
    try:
        with derivative_formulas():            # any values will do to build it: it is evaluated again
            result = build(text, leaf, combine)
    except RecursionError:
        raise sympy_recursion_error("check_derivation", "the nesting of the expression") from None
    root = getattr(result, "node", None)
    return exact_of(getattr(result, "exact", result)), set(leaves), WrittenDomain(root)


class _Outside(Exception):
    pass


def _forward_in_domain(row, *inputs):
    if row.domain is not None and row.domain(*inputs):
        raise _Outside
    return row.forward(*inputs)


class WrittenDomain:
    """A test ``{name: value} -> bool``: is every operation of a text, as written, inside its domain?

    sympy may simplify a restriction away (``sqrt(x)**2`` is ``x``); the text's own graph, built
    once by ``read_text`` and evaluated through the table's domain checks, keeps it. It pickles
    (a worker process proves with it). ``WrittenDomain(None)``: always true.
    """

    def __init__(self, root):
        from ..core.engine import Value

        self.root = root if isinstance(root, Value) else None
        self._graph = None

    def __getstate__(self):
        return {"root": self.root, "_graph": None}      # the graph is walked again where it is used

    def __call__(self, point: dict) -> bool:
        if self.root is None:
            return True
        if self._graph is None:
            from ..core.graph import Graph

            self._graph = Graph(self.root)
        try:
            self._graph.evaluate(_forward_in_domain, lambda leaf: point.get(leaf.label, leaf.data))
        except _Outside:
            return False
        return True


def written_domain(text) -> WrittenDomain:
    """The ``WrittenDomain`` of ``text`` (a string), or ``text`` itself when it is one already (or None).

    >>> defined = written_domain("sqrt(x)**2 + y")
    >>> defined({"x": 4.0, "y": 1.0}), defined({"x": -1.0, "y": 1.0})
    (True, False)
    """
    if text is None or isinstance(text, WrittenDomain):
        return text or WrittenDomain(None)
    return read_text(text)[2]


def _fixed_value(name: str, value) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not math.isfinite(float(value)):
        raise TypeError(f"check_derivation: {name}= needs a finite real number, got {value!r}")
    return float(value)
