"""The JavaScript runtime of the table: every row on IEEE doubles, as the engine computes it.

``javascript_runtime()`` is one script, to embed once in a page, that defines
``microbp``: the hand-written part (``runtime.js``: Python's float semantics
where JavaScript's differ, the rows' forwards that are functions, the domain
checks' messages) and the part generated here from the table:

- ``forward.<row>``: each row written over its parameters in the JavaScript
  style of the text interpreter (``(a, b) => a * b``, ``(x) => tanh(x)``);
- ``grads.<row>``: each fixed-arity row's derivative formula, read as the engine reads it
  (``microbp.core.ops.float_grads``): on floats first, and where Python would
  have raised (``x / 0``, ``0 ** -1``, overflow in ``**``) once more in IEEE
  arithmetic, where zero times anything is zero; a formula that cannot raise is
  read once;
- ``check_<row>``: the domain checks, throwing ``microbp.DomainError`` with the
  engine's own message.

>>> script = javascript_runtime()
>>> "grads.tanh = (out, x) => [1 - out * out];" in script
True
>>> unexpressed_rows()
[]
"""

from __future__ import annotations

import functools
import inspect
import re
from pathlib import Path

from ..core.ops import TABLE, Op
from ..runtime import checks_values
from ..text.javascript import FLOATS_PASS, IEEE_PASS, JAVASCRIPT, JS_FLOATS, JS_IEEE, js_number, name, script_json
from ..text.notation import Written, write
from .emit import SUM_ADDS_IN_ORDER

LIBRARY = Path(__file__).with_name("runtime.js")
MARKER = "/* THE TABLE */"
RAISING = [row.name for row in TABLE if row.notation.form in ("infix", "prefix")
           and row.notation.token not in FLOATS_PASS.operators]
"""The runtime's functions that note where Python raises: the operators written as calls on floats."""
RAISES = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, RAISING)) + r")\(")


@functools.cache
def library() -> str:
    return LIBRARY.read_text(encoding="utf-8")


@functools.cache
def library_functions() -> frozenset:
    """The functions ``runtime.js`` defines, by name."""
    return frozenset(re.findall(r"^function (\w+)\(", library(), re.MULTILINE))


def parameters(row: Op) -> list:
    """The names of ``row``'s inputs in its derivative formula (``a, b``; ``x``), for the generated functions."""
    names = list(inspect.signature(row.grads).parameters)[2:]
    plain = all(re.fullmatch(r"[a-z]\w*", n) and n not in library_functions() | {"out"} for n in names)
    if row.arity is None or len(names) != row.arity or not plain:
        names = [f"x{i}" for i in range(row.arity or 0)]
    return names


def calls(text: str) -> set:
    """The functions a JavaScript text calls (``tanh(x) * pow(a, b)`` calls tanh and pow)."""
    return set(re.findall(r"(?<![\w.])([A-Za-z_]\w*)\(", text))


def forward_text(row: Op, args) -> Written:
    """``row`` over ``args`` in readable JavaScript: ``a * b``, ``tanh(x)``, ``dot([w1], [x1])``."""
    return write(row, args, JAVASCRIPT)


def local_texts(row: Op, out: Written, args) -> tuple:
    """``(floats, ieee)``: the row's local derivatives as JavaScript texts (or numbers) for the engine's
    two readings; ``ieee`` is None when the formula cannot raise in Python (then ``floats`` is plain,
    readable JavaScript)."""
    floats = _locals(row, JS_FLOATS, FLOATS_PASS, out, args)
    if not any(RAISES.search(str(g)) for g in floats):
        return floats, None
    return floats, _locals(row, JS_IEEE, IEEE_PASS, out, args)


def _locals(row: Op, interpreter, style, out: Written, args) -> list:
    """The row's formula written in ``style`` over ``out`` and ``args`` (names or numbers)."""
    restyled = [Written(a.parts, a.precedence, style) for a in (out, *args)]
    return list(row.grads(interpreter, *restyled))


def _texts(locals_: list) -> str:
    return ", ".join(str(g if isinstance(g, Written) else js_number(g)) for g in locals_)


def unexpressed(row: Op) -> str | None:
    """Why the runtime cannot express ``row`` (a function it lacks), or None when it can."""
    count = row.arity or sum(row.shape)
    args = [name(f"x{i}") for i in range(count)]
    needed = calls(str(forward_text(row, args)))
    if row.arity is not None:
        floats, ieee = local_texts(row, name("out"), args)
        needed |= calls(_texts(floats + (ieee or [])))
    if checks_values(row):
        needed.add(f"domain_{row.name}")
    missing = sorted(needed - library_functions())
    if missing:
        return f"row {row.name!r} needs {', '.join(missing)}, which {LIBRARY.name} does not define"
    return None


def unexpressed_rows() -> list:
    """The rows the JavaScript runtime cannot express, each with the reason."""
    return [reason for reason in map(unexpressed, TABLE) if reason]


def _row_lines(row: Op) -> list:
    """``forward.row = ...``, ``grads.row = ...`` and ``check_row`` for one fixed-arity row."""
    params = parameters(row)
    signature = ", ".join(params)
    args = [name(p) for p in params]
    lines = [f"forward.{row.name} = ({signature}) => {forward_text(row, args)};"]
    floats, ieee = local_texts(row, name("out"), args)
    first = f"(out, {signature}) => [{_texts(floats)}]"
    if ieee is None:
        lines.append(f"grads.{row.name} = {first};")
    else:
        lines.append(f"grads.{row.name} = twoPass({first}, (out, {signature}) => [{_texts(ieee)}]);")
    if checks_values(row):
        lines.append(f"function check_{row.name}({signature}) {{ const message = domain_{row.name}({signature}); "
                     f"if (message) throw new DomainError({script_json(row.name + ': ')} + message); }}")
    return lines


@functools.cache
def javascript_runtime() -> str:
    """The runtime as one script defining ``const microbp = {...}``: embed it once in a page.

    Rows the runtime cannot express are left out (``unexpressed_rows`` names them);
    a graph that uses one is refused by ``microbp.programs.javascript``.
    """
    generated = [f"const SUM_ADDS_IN_ORDER = {'true' if SUM_ADDS_IN_ORDER else 'false'};",
                 "const forward = Object.create(null);", "const grads = Object.create(null);"]
    exported = set(library_functions())
    for row in TABLE:
        if row.arity is None or unexpressed(row):
            continue
        generated += _row_lines(row)
        if checks_values(row):
            exported.add(f"check_{row.name}")
    exports = ", ".join(["DomainError", "forward", "grads"] + sorted(exported))
    generated += ["Object.freeze(forward);", "Object.freeze(grads);", f"return Object.freeze({{{exports}}});"]
    body = library().replace(MARKER, "\n".join(generated))
    return "const microbp = (() => {\n" + body + "})();\n"
