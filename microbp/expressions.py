"""A safe expression parser: text in, a graph of Values (or a sympy expression) out.

Python's ``ast`` reads the text; only numbers, names, ``+ - * / **``, unary
minus, parentheses and calls to the op table's functions are accepted. Nothing
is ever passed to ``eval``, ``exec`` or sympy's string parsers. Numbers are
floats, so ``9**9**9**9`` is an overflow error, not a hang.

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

from .engine import Value, apply, topological_order
from .functions import leaf_names
from .errors import DomainError, ExpressionError
from .ops import OPS

MAX_LENGTH = 10_000
MAX_DEPTH = 100

# Python operator -> op table row, and back (for printing an expression).
BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "truediv", ast.Pow: "pow"}
TOKENS = {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "pow": "**", "neg": "-"}
FUNCTIONS = {row.name for row in OPS.values() if not row.infix and row.name != "neg"}


def parse(text: str, **values) -> Value:
    """Build the graph of ``text``; each name is a labelled leaf bound to ``values[name]``.

    >>> y = parse("x * x + sum([x, 1])", x=3)
    >>> y.backward(); y.data
    13.0
    >>> [node.grad for node in topological_order(y) if node.label == "x"]   # 2x + 1
    [7.0]

    Raises:
        ExpressionError: the text is not an expression of numbers, names and
            the op table's functions; the message points at the column.
        DomainError: an operation is outside its domain (``log(0)``, overflow).
    """
    leaves = {}

    def leaf(name, node):
        if name not in values:
            raise _error(text, node, f"no value for {name!r}: pass {name}=...")
        if name not in leaves:
            leaves[name] = Value(values[name], label=name)
        return leaves[name]
    return _build(text, leaf, lambda op, args: apply(op, args))


def parse_sympy(text: str):
    """The sympy expression of ``text``: names become real symbols.

    >>> parse_sympy("sigmoid(z) * (1 - sigmoid(z))")
    (1 - 1/(1 + exp(-z)))/(1 + exp(-z))
    """
    import sympy

    from .symbolic import exact

    symbols = {}

    def leaf(name, node):
        return symbols.setdefault(name, sympy.Symbol(name, real=True))

    def combine(op, args):
        if all(isinstance(arg, float) for arg in args):
            return apply(op, args)          # fold numbers as floats: no giant exact powers
        return op.sympy(sympy, *(exact(arg) for arg in args))
    return _build(text, leaf, combine)


def to_text(root) -> str:
    """An expression string for a graph, which ``parse`` reads back.

    >>> x = Value(2.0, label="x")
    >>> to_text((x * 3 - 1).tanh() ** 2)
    'tanh(x * 3 - 1) ** 2'
    """
    order = topological_order(root)
    named = leaf_names(order)
    texts = {}                                    # node -> (text, precedence)
    for node in order:
        texts[node] = (named[node], ATOM) if node.op is None else _format(node, texts)
    return texts[root][0]


ATOM = 10
PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "truediv": 2, "neg": 3, "pow": 4}


def _format(node, texts) -> tuple:
    """(text, precedence) of one operation, with only the parentheses Python needs."""
    args = [_number_text(p) if type(p) is float else texts[p] for p in node.parents]
    op = node.op
    if op.arity is None:                # sum([a, b]), dot([w1, w2], [x1, x2]), affine([...], [...], b)
        lists, singles = op.groups([text for text, _ in args])
        written = [f"[{', '.join(items)}]" for items in lists] + singles
        return f"{op.name}({', '.join(written)})", ATOM
    if not op.infix and op.name != "neg":
        return f"{op.name}({', '.join(t for t, _ in args)})", ATOM
    mine = PRECEDENCE[op.name]
    if op.name == "neg":
        return "-" + _wrap(args[0], args[0][1] < mine), mine
    (left, left_rank), (right, right_rank) = args
    right_associative = op.name == "pow"
    left_text = _wrap(args[0], left_rank < mine or (right_associative and left_rank <= mine))
    right_text = _wrap(args[1], right_rank < mine or (not right_associative and right_rank <= mine))
    return f"{left_text} {TOKENS[op.name]} {right_text}", mine


def _example(op) -> str:
    """How to write an n-ary row: ``sum([a, b, c])``, ``dot([w1, w2], [x1, x2])``, ``affine(..., b)``."""
    lists, singles = op.shape
    written = ["[a, b, c]"] if lists == 1 else ["[w1, w2]", "[x1, x2]"][:lists]
    return f"{op.name}({', '.join(written + ['b'] * singles)})"


def _wrap(text_and_rank, needed: bool) -> str:
    return f"({text_and_rank[0]})" if needed else text_and_rank[0]


def _number_text(x: float) -> tuple:
    text = repr(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)
    return (text, PRECEDENCE["neg"]) if text.startswith("-") else (text, ATOM)


def _build(text: str, leaf, combine):
    tree = _syntax_tree(text)
    return _Builder(text, leaf, combine).visit(tree.body)


def _syntax_tree(text: str) -> ast.Expression:
    if not isinstance(text, str):
        raise TypeError(f"parse needs a str, got {text!r} ({type(text).__name__})")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is {len(text)} characters long, over the limit of {MAX_LENGTH}")
    depth = deepest = 0
    for column, char in enumerate(text):
        depth += (char in "([") - (char in ")]")
        if depth > MAX_DEPTH:
            raise ExpressionError(_pointing(f"brackets nested more than {MAX_DEPTH} deep", text, column))
        deepest = max(deepest, depth)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        offset = (error.offset or 1) - 1 + (len(text) - len(text.lstrip()))
        raise ExpressionError(_pointing(error.msg, text, offset)) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError(f"expression is nested too deeply (limit {MAX_DEPTH})") from None
    _check_depth(tree)
    return tree


def _check_depth(tree) -> None:
    """Refuse syntax trees deeper than MAX_DEPTH (long chains of unary minus, say), iteratively."""
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH * 2:
            raise ExpressionError(f"expression is nested more than {MAX_DEPTH * 2} levels deep")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


class _Builder:
    """Walks the syntax tree; anything not listed here is refused."""

    def __init__(self, text, leaf, combine):
        self.text, self.leaf, self.combine = text, leaf, combine

    def visit(self, node):
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise _error(self.text, node, f"{_describe(node)} is not allowed in an expression")
        return method(node)

    def visit_Constant(self, node):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise _error(self.text, node, f"only numbers are allowed, not {node.value!r}")
        return float(node.value)

    def visit_Name(self, node):
        if node.id in FUNCTIONS:
            raise _error(self.text, node, f"{node.id!r} is a function: call it, as in {node.id}(x)")
        return self.leaf(node.id, node)

    def visit_BinOp(self, node):
        name = BINARY.get(type(node.op))
        if name is None:
            raise _error(self.text, node, f"the operator {_describe(node.op)} is not supported")
        return self.apply(name, [self.visit(node.left), self.visit(node.right)], node)

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.UAdd):
            return self.visit(node.operand)
        if isinstance(node.op, ast.USub):
            return self.apply("neg", [self.visit(node.operand)], node)
        raise _error(self.text, node, f"the operator {_describe(node.op)} is not supported")

    def visit_Call(self, node):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else None
            allowed = ", ".join(sorted(FUNCTIONS))
            what = f"unknown function {name!r}" if name else "only named functions can be called"
            raise _error(self.text, node, f"{what} (allowed: {allowed})")
        if node.keywords:
            raise _error(self.text, node.keywords[0].value, "keyword arguments are not allowed")
        op = OPS[node.func.id]
        if op.arity is None:
            return self.apply(op.name, self.lists(node, op), node)
        if len(node.args) != op.arity:
            raise _error(self.text, node, f"{op.name} takes {op.arity} argument(s), got {len(node.args)}")
        return self.apply(op.name, [self.visit(arg) for arg in node.args], node)

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

    def apply(self, name, args, node):
        try:
            return self.combine(OPS[name], args)
        except DomainError as error:
            raise DomainError(_pointing(str(error), self.text, node.col_offset)) from None


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
    offset = (len(text) - len(text.lstrip())) + getattr(node, "col_offset", 0)
    return ExpressionError(_pointing(message, text, offset))


def _pointing(message: str, text: str, offset: int) -> str:
    """The message, the column (1-based), then the text with a caret under that column."""
    line, column = text.replace("\n", " "), offset + 1
    if len(line) > 80:                       # show a window around the column
        start = max(0, min(offset - 40, len(line) - 80))
        line, offset = line[start:start + 80], offset - start
    return f"{message} at column {column}\n  {line}\n  {' ' * offset}^"
