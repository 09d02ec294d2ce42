"""The text interpreter of the table: formulas written out, in Python or in maths.

A ``Written`` is a piece of text with its precedence; its operators and the
functions of ``interpreter(style)`` write each row the way the row's
``notation`` says, with only the parentheses needed. The rows' derivative
formulas evaluated on ``Written`` names give the chain rule as text, which
lecture captions (maths) and generated code (Python) print. Texts are kept as
trees of parts and joined once, so writing a long chain takes linear memory.

>>> x, w = Written("x"), Written("w")
>>> str(x * w + 1), str(MATH_TEXT.sigmoid(MATH_TEXT.mul(x, w)))
('x * w + 1', 'σ(x × w)')
>>> o = Written("o")
>>> str(OPS["tanh"].grads(PYTHON_TEXT, o, x)[0])           # ∂tanh(x)/∂x, from the table
'1 - o * o'
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from typing import NamedTuple

from ..core.graph import Graph
from ..core.names import FreshNames
from ..core.ops import ATOM, OPS, TABLE, Op, interpreter, special_methods  # noqa: F401 (OPS: the doctests)
from .parser import RESERVED


class Style(NamedTuple):
    """Python (``to_text``, generated code) or maths (captions).

    Another target (``microbp.text.javascript``) is a class with the same two
    fields and the two methods below: it may spell Python's numbers its own way
    and write a row its own way (an operator as a call), and ``write`` does the rest.
    """

    python: bool
    number_format: str = "r"

    def literal(self, text: str) -> str:
        """A number as this target reads it, from Python's repr (``inf``, ``-0.0``, ``1e-05``)."""
        return text

    def notation(self, row: Op):
        """How this target writes ``row``: the row's own notation (in maths, its ``in_maths`` one if it has one)."""
        if not self.python and row.notation.in_maths is not None:
            return row.notation.in_maths
        return row.notation


PYTHON, MATH = Style(True), Style(False, ".4g")


class Written:
    """Text with its precedence, combined by the table's operators: ``Written("x") * 2``.

    >>> str((-(Written("a") - Written("b"))) ** 2), str(-Written("a") ** 2)
    ('(-(a - b)) ** 2', '-a ** 2')
    """

    __slots__ = ("parts", "precedence", "style")

    def __init__(self, parts, precedence: int = ATOM, style: Style = PYTHON):
        self.parts = (parts,) if isinstance(parts, str) else tuple(parts)
        self.precedence, self.style = precedence, style

    def __str__(self) -> str:
        pieces, stack = [], [self]
        while stack:                        # iterative: a long chain needs no recursion
            item = stack.pop()
            if isinstance(item, str):
                pieces.append(item)
            else:
                stack.extend(reversed(item.parts))
        return "".join(pieces)

    def __repr__(self) -> str:
        return f"Written({str(self)!r})"


def number(x, style: Style = PYTHON) -> Written:
    """A number as text: Python reads ``2``, ``0.1``, ``-inf``, ``nan`` back; maths rounds it.

    >>> str(number(2.0)), str(number(-0.5)), str(number(float("inf"))), str(number(-3.0, MATH))
    ('2', '-0.5', 'inf', '−3')
    """
    x = float(x)
    if style.python:
        whole = x.is_integer() and abs(x) < 1e15 and str(x) != "-0.0"      # -0.0 keeps its sign
        text = style.literal(repr(int(x)) if whole else repr(x))
    else:
        text = format(x, style.number_format)
        text = text.replace("-", "−") if text.startswith("-") else text
    if text.startswith(("-", "−")):             # a negative number is an operand of unary minus
        return Written(text, 0 if not style.python else 3, style)
    return Written(text, ATOM, style)


def float_literal(x, style: Style = PYTHON) -> Written:
    """A float as ``style`` reads it back bit for bit, the sign of zero included (``2.0``, ``-0.0``, ``inf``).

    >>> str(float_literal(2.0)), str(float_literal(-0.0)), str(float_literal(float("inf")))
    ('2.0', '-0.0', 'inf')
    """
    text = style.literal(repr(float(x)))
    return Written(text, 3 if text.startswith("-") else ATOM, style)


def as_factor(x, style: Style = MATH) -> str:
    """A number as a factor of a product: in parentheses when negative, as captions write it.

    >>> as_factor(-3.0), as_factor(0.5)
    ('(−3)', '0.5')
    """
    text = str(number(x, style))
    return f"({text})" if text.startswith(("−", "-")) else text


WHOLE = re.compile(r"−?[0-9]+")
SUPERSCRIPTS = str.maketrans("0123456789−-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻")


def write(row: Op, args, style: Style = PYTHON) -> Written:
    """``row`` applied to ``args`` (Written texts or numbers), written in ``style``.

    >>> str(write(OPS["dot"], [Written("w1"), Written("w2"), Written("x1"), Written("x2")], MATH))
    'w1·x1 + w2·x2'
    >>> y, t = Written("y", style=MATH), Written("t", style=MATH)
    >>> [str(write(OPS["pow"], [y - t, n], MATH)) for n in (2.0, -1.0, 0.5)]
    ['(y − t)²', '(y − t)⁻¹', '(y − t) ^ 0.5']
    >>> str(write(OPS["pow"], [Written("y") - Written("t"), 2.0]))      # Python
    '(y - t) ** 2'
    """
    args = [a if isinstance(a, Written) else number(a, style) for a in args]
    notation = style.notation(row)
    if notation.form == "power" and WHOLE.fullmatch(str(args[1])):       # maths: x², (y − t)², x⁻¹
        base = _wrap(args[0], args[0].precedence <= notation.precedence)
        return Written((base, str(args[1]).translate(SUPERSCRIPTS)), notation.precedence, style)
    if notation.form in ("infix", "power"):
        token = notation.token if style.python else row.symbol
        left, right = args
        p, right_first = notation.precedence, notation.right
        return Written((_wrap(left, left.precedence < p or (right_first and left.precedence <= p)),
                        f" {token} ",
                        _wrap(right, right.precedence < p or (not right_first and right.precedence <= p))), p, style)
    if notation.form == "prefix":
        token = notation.token if style.python else row.symbol
        return Written((token, _wrap(args[0], args[0].precedence <= notation.precedence)), notation.precedence, style)
    if notation.form == "lists":
        return _write_lists(row, args, style)
    if not style.python and notation.math:
        before, after = notation.math.split("{}")
        return Written((before, args[0], after), ATOM, style)
    return call(row.name if style.python else row.symbol, args, style)


def call(function: str, args, style: Style = PYTHON) -> Written:
    """``function(a, b)``: a call of ``function`` with ``args`` (Written texts or numbers), in ``style``.

    >>> str(call("Math.min", [Written("a"), 2.0]))
    'Math.min(a, 2)'
    """
    args = [a if isinstance(a, Written) else number(a, style) for a in args]
    return Written((function, "(", *_joined(args, ", "), ")"), ATOM, style)


def _write_lists(row: Op, args, style: Style) -> Written:
    lists, singles = row.groups(args)
    if style.python:                          # sum([a, b]), dot([w1, w2], [x1, x2]), affine(..., b)
        written = [("[", *_joined(items, ", "), "]") for items in lists] + [(s,) for s in singles]
        return Written((row.name, "(", *_joined([Written(w) for w in written], ", "), ")"), ATOM, style)
    if len(lists) == 1:                       # a + b + c
        terms = [_wrap(item, item.precedence <= 1) for item in lists[0]]
    else:                                     # w1·x1 + w2·x2 (+ b)
        terms = [Written((_wrap(w, w.precedence < 2), "·", _wrap(x, x.precedence <= 2)), 2, style)
                 for w, x in zip(*lists)]
    terms += [_wrap(s, s.precedence <= 1) for s in singles]
    return Written(_joined(terms, " + "), 1, style)


def _wrap(text: Written, needed: bool):
    return Written(("(", text, ")"), ATOM, text.style) if needed else text


def _joined(items, separator: str) -> list:
    parts = []
    for i, item in enumerate(items):
        parts.extend((separator, item) if i else (item,))
    return parts


def _operator_method(row: Op, reflected: bool):
    def method(self, *other):
        args = (other[0], self) if reflected else (self, *other)
        return write(row, args, self.style)
    return method


for _row in TABLE:
    for _name, _reflected in special_methods(_row):
        setattr(Written, _name, _operator_method(_row, _reflected))
del _row, _name, _reflected


def text_interpreter(style: Style):
    """The table as functions that write text (``m.tanh(x)`` gives ``tanh(x)``)."""
    return interpreter(lambda row, *args: write(row, args, style))


PYTHON_TEXT, MATH_TEXT = text_interpreter(PYTHON), text_interpreter(MATH)


def formula(node, name, style: Style = MATH) -> Written:
    """``node``'s operation written over its operands' names (``name(parent)``) and constants."""
    args = [number(p, style) if type(p) is float else Written(name(p), ATOM, style) for p in node.parents]
    return write(node.op, args, style)


def local_formulas(node, name, style: Style = MATH) -> tuple:
    """∂node/∂parent per parent, as text: the row's derivative formula over the names.

    >>> from microbp import Value
    >>> x = Value(0.5, label="x"); y = x.sigmoid(); y.label = "y"
    >>> [str(f) for f in local_formulas(y, lambda n: n.label)]
    ['y × (1 − y)']
    """
    text = MATH_TEXT if not style.python else PYTHON_TEXT
    args = [number(p, style) if type(p) is float else Written(name(p), ATOM, style) for p in node.parents]
    return tuple(f if isinstance(f, Written) else number(f, style)
                 for f in node.op.grads(text, Written(name(node), ATOM, style), *args))


# --- to_text: a graph as an expression that ``parse`` reads back -------------------

INLINE_NESTING = 40      # deeper nesting is given a name of its own (the parser limits nesting)


def to_text(root) -> str:
    """An expression for a graph, which ``microbp.parse`` reads back.

    Leaves are named by their labels; a label that is not a Python name is
    written as a string (``'L1.N1.w1' * 2``), which the parser reads as a name.
    A computed node that is used twice, or is labelled with a Python name, or
    sits deeper than the parser allows, becomes an assignment of its own
    (``n = x * w + b; tanh(n)``), so the text grows linearly with the graph.

    >>> from microbp import Value
    >>> x = Value(2.0, label="x")
    >>> to_text((x * 3 - 1).tanh() ** 2)
    'tanh(x * 3 - 1) ** 2'
    >>> h = x * x
    >>> to_text(h * h + Value(1.0, label="a.b"))
    "v1 = x * x; v1 * v1 + 'a.b'"
    """
    graph = Graph.of(root, "to_text")
    named, fresh = _statement_names(graph)
    statements, depth = [], {}
    texts = {}
    for node in graph.order:
        if node.op is None:
            texts[node] = _name_text(graph.names[node])
            depth[node] = 0
            continue
        args = [texts[p] if type(p) is not float else number(p) for p in node.parents]
        depth[node] = 1 + max((depth[p] for p in node.parents if type(p) is not float), default=0)
        text = write(node.op, args)
        if node is not graph.root and (node in named or depth[node] > INLINE_NESTING):
            name = named[node] = named.get(node) or fresh.fresh("v")
            statements.append(Written((name, " = ", text)))
            text, depth[node] = Written(name), 0
        texts[node] = text
    return "; ".join(str(part) for part in statements + [texts[graph.root]])


def _statement_names(graph: Graph) -> tuple:
    """(node -> its name, for computed nodes written as statements: shared ones and Python-named
    ones; the ``FreshNames`` that names the shared ones, in order, when they are written)."""
    uses = {}
    for node in graph.computed:
        for parent in node.parents:
            if type(parent) is not float and parent.op is not None:
                uses[parent] = uses.get(parent, 0) + 1
    fresh = FreshNames(given=graph.names.values())
    named = {}
    for node in graph.computed:
        label = node.label
        if label and plain_name(label) and not fresh.taken(label) and node is not graph.root:
            named[node] = fresh.take(label)
        elif uses.get(node, 0) > 1:
            named[node] = None                          # a fresh name, given in order when written
    return named, fresh


def _name_text(name: str) -> Written:
    """A leaf's name: itself when Python reads it as that name, else a quoted string."""
    return Written(name if plain_name(name) else repr(name))


def plain_name(name: str) -> bool:
    """Whether Python reads ``name`` as exactly that name, free for a variable: not a keyword, not
    a function or constant of expressions, and unchanged by Python's NFKC normalisation (``ｘ`` is ``x``).

    >>> plain_name("w1"), plain_name("L1.N1.w1"), plain_name("if"), plain_name("tanh"), plain_name("ｘ")
    (True, False, False, False, False)
    """
    return (name.isidentifier() and name not in RESERVED and not keyword.iskeyword(name)
            and unicodedata.normalize("NFKC", name) == name)


