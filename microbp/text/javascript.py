"""JavaScript as a target of the text interpreter, beside Python and maths.

JavaScript's numbers are IEEE doubles, as Python's floats are, and its ``+ - * /``
give the same bits; what differs is spelling and where Python raises. So a
JavaScript style is the Python style with three changes:

- numbers: ``inf`` and ``nan`` are spelled ``Infinity`` and ``NaN``;
- an operator JavaScript has not (``**``: JavaScript's own differs, ``1 ** NaN``
  is NaN there, 1 in Python) is written as a call of the runtime's function
  named after the row (``pow(a, b)``);
- a style may write more operators as calls, for the runtime's two readings of
  a derivative formula (Python's floats, which raise at ``x / 0``, and the IEEE
  pass after a raise, where zero times anything is zero; see ``microbp.programs.js_runtime``).

Calls are the runtime's functions, named after the rows (``tanh(x)``), and n-ary
rows take arrays, as in Python: ``dot([w1, w2], [x1, x2])``.

A formula's operators are written in the style of their operands, so names are
made in the target's style (``name``) and the formula read with its interpreter:

>>> from microbp.core.ops import OPS
>>> x, w = name("x"), name("w")
>>> str(OPS["pow"].grads(JS_TEXT, name("o"), x, w)[0])          # ∂(x ** w)/∂x, from the table
'times(w, pow(x, w - 1))'
>>> str(JS_TEXT.truediv(x, float("inf"))), str(JS_FLOATS.truediv(x, w)), str(JS_IEEE.mul(x, w))
('x / Infinity', 'truediv(x, w)', 'mul(x, w)')

Labels are data, never code: ``script_json`` writes any value as JSON that is
also safe inside an HTML ``<script>`` element.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from ..core.ops import CALL, Op
from .notation import Written, float_literal, text_interpreter

OPERATORS = frozenset({"+", "-", "*", "/"})
"""Python's operator tokens that mean the same on IEEE doubles in JavaScript (binary and unary)."""

SPELLING = {"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}

RESERVED = frozenset({
    "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do",
    "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "implements",
    "import", "in", "instanceof", "interface", "let", "new", "null", "package", "private",
    "protected", "public", "return", "static", "super", "switch", "this", "throw", "true", "try",
    "typeof", "var", "void", "while", "with", "yield", "await", "async", "of", "get", "set",
    "arguments", "eval", "undefined", "NaN", "Infinity", "Math", "Object", "Array", "Number",
    "String", "JSON", "Error", "Symbol", "globalThis", "window", "document", "self", "constructor",
    "prototype", "microbp", "forward", "grads", "DomainError", "data", "grad", "values", "names",
    "labels", "leaves", "index", "run", "local", "inputs",
})
"""Names a generated JavaScript program must not give a variable: JavaScript's reserved words and
globals, and the names the runtime and the program use themselves."""


class JavaScriptStyle(NamedTuple):
    """A JavaScript target for ``notation.write``: Python's operators where they mean the same,
    calls of the runtime's functions elsewhere.

    ``operators``: the tokens written as operators; any other row is a call named after it.
    """

    python: bool = True
    number_format: str = "r"
    operators: frozenset = OPERATORS

    def literal(self, text: str) -> str:
        """Python's repr of a number as JavaScript reads it, bit for bit: ``inf`` is ``Infinity``.

        >>> JAVASCRIPT.literal("-inf"), JAVASCRIPT.literal("-0.0"), JAVASCRIPT.literal("1e-05")
        ('-Infinity', '-0.0', '1e-05')
        """
        return SPELLING.get(text, text)

    def notation(self, row: Op):
        """The row's own notation for an operator JavaScript shares, else a call (``pow(a, b)``)."""
        notation = row.notation
        if notation.form in ("infix", "prefix") and notation.token not in self.operators:
            return CALL
        return notation


JAVASCRIPT = JavaScriptStyle()
"""Readable JavaScript: forward lines, and derivative formulas that cannot raise in Python."""
FLOATS_PASS = JavaScriptStyle(operators=OPERATORS - {"/"})
"""Derivative formulas as Python's floats compute them: ``/`` is the runtime's ``truediv``, which notes
a division by zero, where Python raises."""
IEEE_PASS = JavaScriptStyle(operators=OPERATORS - {"*"})
"""Derivative formulas again after Python raised: ``*`` is the runtime's ``mul``, where zero times anything
is zero (as ``microbp.core.ops.IEEEFloat``)."""

JS_TEXT, JS_FLOATS, JS_IEEE = (text_interpreter(style) for style in (JAVASCRIPT, FLOATS_PASS, IEEE_PASS))


def js_number(x: float) -> Written:
    """A float as a JavaScript literal that reads back bit for bit, the sign of zero included.

    >>> [str(js_number(v)) for v in (2.0, -0.0, 0.1, float("inf"), float("nan"), 1e300)]
    ['2.0', '-0.0', '0.1', 'Infinity', 'NaN', '1e+300']
    """
    return float_literal(x, JAVASCRIPT)


def name(text: str, style: JavaScriptStyle = JAVASCRIPT) -> Written:
    """A variable's name as a JavaScript text."""
    return Written(text, 10, style)


_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value) -> str:
    """``value`` as JSON that reads the same in JavaScript and cannot end a ``<script>`` element:
    ``<``, ``>`` and ``&`` are escaped, and every character outside ASCII (U+2028 and U+2029 too).

    >>> print(script_json(["</script>", 'a"b', "\\u2028"]))
    ["\\u003c/script\\u003e", "a\\"b", "\\u2028"]
    """
    text = json.dumps(value, ensure_ascii=True, allow_nan=False)
    for character, escaped in _UNSAFE.items():
        text = text.replace(character, escaped)
    return text
