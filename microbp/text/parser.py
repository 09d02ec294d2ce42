"""A safe expression parser: text in, a graph of Values out.

Python's ``ast`` reads the text; only numbers, names, ``+ - * / **``, unary
minus, parentheses, calls to the op table's functions and assignments that
name intermediate results (``n = x*w + b; tanh(n)``) are accepted. Nothing is
ever passed to ``eval``, ``exec`` or sympy's string parsers. Numbers are
floats, so ``9**9**9**9`` is inf, not a hang.

>>> o = parse("tanh(x*w + b)", x=2, w=-3, b=6.8813735870195432)
>>> round(o.data, 4)
0.7071
>>> parse("x +* 2", x=1)
Traceback (most recent call last):
  ...
microbp.errors.ExpressionError: invalid syntax at column 4
  x +* 2
     ^
"""

from __future__ import annotations

import ast
import math
import re
import sys
import unicodedata

from ..core.engine import Value, apply
from ..core.ops import TABLE
from ..errors import DomainError, ExpressionError

MAX_EXPRESSION_LENGTH = 10_000
"""Characters of an expression (docs/limits.md lists every limit)."""
MAX_EXPRESSION_DEPTH = 100
"""Brackets nested in an expression; the syntax tree may nest twice as deep."""

CALLABLE_ROWS = {row.name: row for row in TABLE if row.notation.form in ("call", "lists")}
"""What an expression may call: the table's functions, by name."""
ALIASES = {"ln": "log"}
"""Other names students and sympy write for the same functions."""
CONSTANTS = {"e": math.e, "pi": math.pi, "inf": math.inf, "nan": math.nan}
"""Names an expression reads as numbers."""
RESERVED = set(CALLABLE_ROWS) | set(ALIASES) | set(CONSTANTS)
"""Every name the parser gives a meaning: a variable must be called otherwise (or be quoted)."""
OPERATORS = {row.notation.token: row for row in TABLE if row.notation.form == "infix"}
PREFIXES = {row.notation.token: row for row in TABLE if row.notation.form == "prefix"}
_TOKENS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.USub: "-", ast.UAdd: "+"}


def allowed_names() -> str:
    """The functions and constants an expression may use, for help and errors.

    >>> "tanh" in allowed_names() and "ln" in allowed_names()
    True
    """
    return ", ".join(sorted(CALLABLE_ROWS) + sorted(ALIASES)) + "; constants " + ", ".join(CONSTANTS)


def parse(text: str, **values) -> Value:
    """Build the graph of ``text``; each name is a labelled leaf bound to ``values[name]``.

    ``name = expression`` statements, separated by ``;`` or new lines, name
    intermediate results (their nodes are labelled); the last statement is
    the result. A name that is not a Python name is written as a string:
    ``'L1.N1.w1' * 2``.

    >>> y = parse("x * x + sum([x, 1])", x=3)
    >>> y.backward(); y.data
    13.0
    >>> o = parse("n = x*w + b; o = tanh(n)", x=2, w=-3, b=6.88)
    >>> o.label, o.parents[0].label
    ('o', 'n')

    Raises:
        ExpressionError: the text is not an expression of numbers, names and
            the op table's functions; the message points at the line and column.
        DomainError: an operation is outside its domain (``log(0)``).
    """
    leaves = {}

    def leaf(name, node):
        if name not in leaves:
            leaves[name] = Value(values[_bound_name(name, node, values, text)], label=name)
        return leaves[name]

    def assigned(name, result, created):
        if name in values:
            raise ExpressionError(f"{name!r} is given a value and also assigned; use another name")
        if created and isinstance(result, Value) and result.label is None:
            result.label = name
    return build(text, leaf, lambda op, args: apply(op, args), assigned)


def _bound_name(name: str, node, values: dict, text: str) -> str:
    """The key of ``values`` that a name of the text is bound to.

    A quoted name (``'ｘ'``) is bound only to itself. Python reads an unquoted
    name after NFKC normalisation (``ｘ`` is read as ``x``): it is bound to the
    value given under that name, else to the one value whose name normalises to
    it; two such values are ambiguous, and refused naming both. So
    ``parse("x * 'ｘ'", x=2, ｘ=3)`` is 6: two names, two leaves.
    """
    if name in values:
        return name
    if not isinstance(node, ast.Constant):
        matching = [given for given in values if unicodedata.normalize("NFKC", given) == name]
        if len(matching) == 1:
            return matching[0]
        if matching:
            raise _error(text, node, f"{name!r} could mean any of {', '.join(map(repr, matching))}, which "
                                     "Python reads as one name; quote the one you mean, as in 'ｘ'")
    raise _error(text, node, f"no value for {name!r}: pass {name}=...")


def variables(text: str) -> list:
    """The names ``text`` needs values for, in the order they first appear (nothing is computed).

    >>> variables("n = x*w + b; tanh(n) + x")
    ['x', 'w', 'b']
    """
    names = []

    def leaf(name, node):
        if name not in names:
            names.append(name)
        return 0.0
    build(text, leaf, lambda op, args: 0.0)
    return names


def build(text: str, leaf, combine, assigned=lambda name, result, created: None):
    """Walk ``text`` with ``leaf(name, node)`` for names and ``combine(row, args)`` for operations.

    The one reader of expression text: ``parse`` builds Values with it, the
    sympy bridge builds sympy expressions.
    """
    statements = _syntax_tree(text)
    builder = _Builder(text, leaf, combine)
    result = None
    for statement in statements:
        value = statement.value
        before = len(builder.made)
        result = builder.visit(value)
        if isinstance(statement, ast.Assign):
            name = statement.targets[0].id
            if name in builder.names or name in CONSTANTS or name in CALLABLE_ROWS:
                raise _error(text, statement, f"{name!r} is assigned twice, or is a reserved name")
            assigned(name, result, created=len(builder.made) > before and builder.made[-1] is result)
            builder.names[name] = result
    return result


def _syntax_tree(text: str) -> list:
    """The statements of ``text``: assignments to one name, then a last assignment or expression."""
    if not isinstance(text, str):
        raise TypeError(f"parse needs a str, got {text!r} ({type(text).__name__})")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"expression is {len(text)} characters long, over the limit of {MAX_EXPRESSION_LENGTH}")
    depth = 0
    for column, char in enumerate(text):
        depth += (char in "([") - (char in ")]")
        if depth > MAX_EXPRESSION_DEPTH:
            raise ExpressionError(_pointing(f"brackets nested more than {MAX_EXPRESSION_DEPTH} deep", text, column))
    if not text.strip():
        raise ExpressionError("the expression is empty")
    if "\x00" in text:
        raise ExpressionError(_pointing("a NUL character is not allowed", text, text.index("\x00")))
    try:
        tree = ast.parse(_dedented(text), mode="exec")
    except SyntaxError as error:
        raise _syntax_error(text, error) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError(f"expression is nested too deeply (limit {MAX_EXPRESSION_DEPTH})") from None
    for number, statement in enumerate(tree.body, start=1):
        simple = (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                  and isinstance(statement.targets[0], ast.Name))
        if not (simple or (isinstance(statement, ast.Expr) and number == len(tree.body))):
            raise _error(text, statement, "only 'name = expression' statements and a last expression are allowed")
        _check_depth(statement.value)
    return tree.body


def _syntax_error(text: str, error: SyntaxError) -> ExpressionError:
    """Python's complaint, pointing at the place; an integer literal too long to read is said in microbp's words.

    >>> _syntax_error("x + " + "9" * 5000, SyntaxError("Exceeds the limit (4300 digits)"))  # doctest: +ELLIPSIS
    ExpressionError('a number of 5000 digits is too long to read (at most 4300); ... 1e300 ...')
    """
    long_number = re.search(r"\d{%d,}" % (sys.get_int_max_str_digits() + 1), text)
    if long_number and error.msg.startswith("Exceeds the limit"):
        message = (f"a number of {len(long_number.group())} digits is too long to read (at most "
                   f"{sys.get_int_max_str_digits()}); beyond about 1.8e308 no number is a float anyway: "
                   "write it in scientific notation, such as 1e300")
        return ExpressionError(_pointing(message, text, long_number.start()))
    return ExpressionError(_pointing(error.msg, text, _offset(text, error.lineno or 1, (error.offset or 1) - 1,
                                                              chars=True)))


def _dedented(text: str) -> str:
    """Leading spaces would be an indentation error: strip them (``_offset`` adds them back)."""
    return "\n".join(line.lstrip() if not line[:1].strip() else line for line in text.split("\n"))


def _check_depth(tree) -> None:
    """Refuse syntax trees deeper than 2 × MAX_EXPRESSION_DEPTH, iteratively.

    A chain of the same operator (``x + x + x``, a flat sum as the user wrote it)
    counts as one level, however long.
    """
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_EXPRESSION_DEPTH * 2:
            raise ExpressionError(f"expression is nested more than {MAX_EXPRESSION_DEPTH * 2} levels deep")
        for child in ast.iter_child_nodes(node):
            flat = (isinstance(node, ast.BinOp) and child is node.left and isinstance(child, ast.BinOp)
                    and type(child.op) is type(node.op))
            stack.append((child, depth if flat else depth + 1))


class _Builder:
    """Walks the syntax tree; anything not listed here is refused."""

    def __init__(self, text, leaf, combine):
        self.text, self.leaf, self.combine = text, leaf, combine
        self.names = {}             # assigned in earlier statements
        self.made = []              # the results of operations, in order

    def visit(self, node):
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise _error(self.text, node, f"{_describe(node)} is not allowed in an expression")
        return method(node)

    def visit_Constant(self, node):
        if isinstance(node.value, str):                 # a quoted name: 'L1.N1.w1'
            return self.name(node.value, node)
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise _error(self.text, node, f"only numbers are allowed, not {node.value!r}")
        try:
            return float(node.value)
        except OverflowError:
            raise _error(self.text, node, "a number too large for a float (at most about 1.8e308)") from None

    def visit_Name(self, node):
        if node.id in CALLABLE_ROWS or node.id in ALIASES:
            raise _error(self.text, node, f"{node.id!r} is a function: call it, as in {node.id}(x)")
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        return self.name(node.id, node)

    def name(self, name, node):
        return self.names[name] if name in self.names else self.leaf(name, node)

    def visit_BinOp(self, node):
        chain = []                                      # the left spine, walked without recursion
        while isinstance(node, ast.BinOp):
            chain.append(node)
            node = node.left
        result = self.visit(node)
        for link in reversed(chain):
            token = _TOKENS.get(type(link.op))
            if token not in OPERATORS:
                raise _error(self.text, link, f"the operator {_describe(link.op)} is not supported")
            result = self.apply(OPERATORS[token], [result, self.visit(link.right)], link)
        return result

    def visit_UnaryOp(self, node):
        token = _TOKENS.get(type(node.op))
        if token not in PREFIXES:
            raise _error(self.text, node, f"the operator {_describe(node.op)} is not supported")
        return self.apply(PREFIXES[token], [self.visit(node.operand)], node)

    def visit_Call(self, node):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        name = ALIASES.get(name, name)
        if name not in CALLABLE_ROWS:
            what = f"unknown function {name!r}" if name else "only named functions can be called"
            raise _error(self.text, node, f"{what} (allowed: {allowed_names()})")
        if node.keywords:
            raise _error(self.text, node.keywords[0].value, "keyword arguments are not allowed")
        op = CALLABLE_ROWS[name]
        if op.arity is None:
            return self.apply(op, self.lists(node, op), node)
        if len(node.args) != op.arity:
            raise _error(self.text, node, f"{op.name} takes {op.arity} argument(s), got {len(node.args)}")
        return self.apply(op, [self.visit(arg) for arg in node.args], node)

    def lists(self, node, op) -> list:
        """sum([a, b, c]), dot([w1, w2], [x1, x2]), affine([w1, w2], [x1, x2], b): list literals first."""
        lists, singles = op.shape
        if len(node.args) != lists + singles or not all(isinstance(arg, ast.List) for arg in node.args[:lists]):
            wanted = f"{lists} list(s)" + (f" and {singles} more argument(s)" if singles else "")
            raise _error(self.text, node, f"{op.name} takes {wanted}, as in {_example(op)}")
        items = [[self.visit(item) for item in arg.elts] for arg in node.args[:lists]]
        if lists == 2 and len(items[0]) != len(items[1]):
            raise _error(self.text, node, f"{op.name} needs as many weights as inputs")
        if not items[0]:
            raise _error(self.text, node, f"{op.name} needs at least one item")
        return [item for group in items for item in group] + [self.visit(arg) for arg in node.args[lists:]]

    def apply(self, op, args, node):
        try:
            result = self.combine(op, args)
        except DomainError as error:
            raise DomainError(_pointing(str(error), self.text, _node_offset(self.text, node))) from None
        self.made.append(result)
        return result


def _example(op) -> str:
    """How to write an n-ary row: ``sum([a, b, c])``, ``dot([w1, w2], [x1, x2])``, ``affine(..., b)``."""
    lists, singles = op.shape
    written = ["[a, b, c]"] if lists == 1 else ["[w1, w2]", "[x1, x2]"][:lists]
    return f"{op.name}({', '.join(written + ['b'] * singles)})"


def _describe(node) -> str:
    kinds = {"Attribute": "attribute access", "Subscript": "indexing", "Lambda": "lambda",
             "IfExp": "a conditional expression", "ListComp": "a comprehension", "GeneratorExp": "a generator",
             "SetComp": "a comprehension", "DictComp": "a comprehension", "Compare": "a comparison",
             "BoolOp": "and/or", "List": "a list", "Tuple": "a tuple", "Dict": "a dict", "Set": "a set",
             "Starred": "unpacking", "NamedExpr": "assignment", "JoinedStr": "a string", "Await": "await",
             "Mod": "%", "FloorDiv": "//", "MatMult": "@", "BitAnd": "&", "BitOr": "|", "BitXor": "^ (use **)",
             "LShift": "<<", "RShift": ">>", "Not": "not", "Invert": "~"}
    return kinds.get(type(node).__name__, type(node).__name__)


def _error(text: str, node, message: str) -> ExpressionError:
    return ExpressionError(_pointing(message, text, _node_offset(text, node)))


def _node_offset(text: str, node) -> int:
    """The character offset in ``text`` of an ast node (whose column counts UTF-8 bytes)."""
    return _offset(text, getattr(node, "lineno", 1), getattr(node, "col_offset", 0), chars=False)


def _offset(text: str, line: int, column: int, chars: bool) -> int:
    """Line (1-based) and column to a character offset in ``text``; ``chars``: the column counts characters."""
    lines = text.split("\n")
    line = min(max(line, 1), len(lines))
    source = lines[line - 1]
    indent = len(source) - len(source.lstrip())          # stripped before parsing (``_dedented``)
    if not chars:
        column = len(source[indent:].encode("utf-8")[:column].decode("utf-8", errors="ignore"))
    return sum(len(earlier) + 1 for earlier in lines[:line - 1]) + indent + column


def _pointing(message: str, text: str, offset: int) -> str:
    """The message, where (line and column, 1-based), then that line with a caret under the column."""
    lines = text.split("\n")
    line_number = text.count("\n", 0, offset) + 1
    line = lines[line_number - 1] if line_number <= len(lines) else ""
    column = offset - (text.rfind("\n", 0, offset) + 1)
    where = f"line {line_number}, column {column + 1}" if len(lines) > 1 else f"column {column + 1}"
    if len(line) > 80:                       # show a window around the column
        start = max(0, min(column - 40, len(line) - 80))
        line, column = line[start:start + 80], column - start
    return f"{message} at {where}\n  {line}\n  {' ' * column}^"
