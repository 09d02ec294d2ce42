"""The table of operations: every differentiable operation microbp knows, one row each.

Everything else reads this table: the operators and methods of ``Value``, the
module functions (``microbp.tanh``), the expression parser's allowed names,
``to_sympy``, the renderer's labels, the lecture captions and the tests.
Adding a row adds the operation everywhere, tested against ``sympy.diff``.

A row's formulas take a namespace ``m`` of elementary functions first, so the
same formula evaluates on floats (``FLOAT_MATH``), on sympy symbols (the tests
and ``microbp.symbolic``) or on ``Value``s. Local derivatives are
``local_grads(m, out, *inputs)``: one entry per input, ∂out/∂input.

This module imports only the standard library.

>>> OPS["tanh"].symbol, OPS["mul"].symbol
('tanh', '×')
>>> OPS["mul"].local_grads(FLOAT_MATH, 6.0, 2.0, 3.0)   # ∂(a·b)/∂a = b, ∂(a·b)/∂b = a
(3.0, 2.0)
"""

from __future__ import annotations

import math
import operator
from types import SimpleNamespace


class Op:
    """One row of the table.

    >>> OPS["log"].domain(0.0)
    'needs x > 0, got x = 0.0'

    Attributes:
        name: the function name (``"tanh"``), also the method and parser name.
        arity: number of inputs, or ``None`` for n-ary (``sum``, ``dot``, ``affine``).
        symbol: what the renderer draws in the operation's node.
        infix: True for the binary operators written between operands.
        forward: the operation on floats.
        local_grads: ``(m, out, *inputs) -> tuple``, ∂out/∂input per input.
        sympy: ``(sympy_module, *inputs) -> expression``.
        domain: ``(*inputs) -> message or None``; a message means "outside the domain".
        shape: for n-ary rows, how the inputs are written: ``(lists, singles)``, that
            many equally long lists, then that many single inputs (``dot``: two lists,
            weights and inputs; ``affine``: the same and a bias). ``None`` otherwise.
    """

    __slots__ = ("name", "arity", "symbol", "infix", "forward", "local_grads", "sympy", "domain", "shape")

    def __init__(self, name, arity, symbol, infix, forward, local_grads, sympy, domain=None, shape=None):
        self.name, self.arity, self.symbol, self.infix = name, arity, symbol, infix
        self.forward, self.local_grads, self.sympy, self.domain = forward, local_grads, sympy, domain
        self.shape = shape

    def groups(self, inputs) -> tuple:
        """An n-ary row's inputs as ``(lists, singles)``, following its ``shape``.

        >>> OPS["affine"].groups(["w1", "w2", "x1", "x2", "b"])
        ([['w1', 'w2'], ['x1', 'x2']], ['b'])
        """
        lists, singles = self.shape
        size = (len(inputs) - singles) // lists
        return [inputs[i * size:(i + 1) * size] for i in range(lists)], inputs[lists * size:]

    def __repr__(self):
        return f"Op({self.name!r}, arity={self.arity}, symbol={self.symbol!r})"


# --- elementary functions on floats, as the formulas below use them ----------

def _sigmoid(x: float) -> float:
    """Logistic function, finite for any x: sigmoid(±1000) is 1.0 / 0.0."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _log_or_nan(x: float) -> float:
    """log(x) for x > 0, else nan: where ∂(a**b)/∂b has no real value."""
    return math.log(x) if x > 0 else math.nan


def _step(x: float) -> float:
    """Derivative of relu: 1 for x > 0, and 0 at the kink by convention."""
    return 1.0 if x > 0 else 0.0


def _sign(x: float) -> float:
    """Derivative of abs: sign(x), and 0 at the kink by convention."""
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


def _power(a: float, b: float) -> float:
    """a ** b on floats, refusing the complex results Python would give."""
    result = a ** b
    if isinstance(result, complex):
        raise ValueError("complex result")
    return result


FLOAT_MATH = SimpleNamespace(
    exp=math.exp, log=_log_or_nan, sqrt=math.sqrt, tanh=math.tanh, sigmoid=_sigmoid,
    sin=math.sin, cos=math.cos, step=_step, sign=_sign,
)


# --- domain checks: a message says what is wrong ------------------------------

def _positive(x: float) -> str | None:
    return None if x > 0 else f"needs x > 0, got x = {x!r}"


def _non_negative(x: float) -> str | None:
    return None if x >= 0 else f"needs x >= 0, got x = {x!r}"


def _nonzero_divisor(a: float, b: float) -> str | None:
    return None if b != 0 else f"division by zero ({a!r} / {b!r})"


def _real_power(a: float, b: float) -> str | None:
    if a == 0 and b < 0:
        return f"0 ** {b!r} divides by zero"
    if a < 0 and b != int(b):
        return f"{a!r} ** {b!r} is not a real number (negative base, fractional exponent)"
    return None


def _even_arity(*inputs: float) -> str | None:
    return None if len(inputs) % 2 == 0 else f"needs as many weights as inputs, got {len(inputs)} operands"


def _odd_arity(*inputs: float) -> str | None:
    return None if len(inputs) % 2 == 1 else f"needs n weights, n inputs and a bias, got {len(inputs)} operands"


# --- the weighted sums: n weights, then n inputs, then (affine only) a bias ---
# engine.weighted_sum computes the same numbers on its fast path; a test holds them equal.

def _weighted_sum(*operands: float) -> float:
    """Σ wᵢ·xᵢ, plus the bias when there is one (an odd number of operands)."""
    n = len(operands) // 2
    total = sum(map(operator.mul, operands[:n], operands[n:2 * n]))
    return total + operands[-1] if len(operands) % 2 else total


def _weighted_sum_grads(m, out: float, *operands: float) -> tuple:
    """∂(Σ wᵢ·xᵢ)/∂wᵢ = xᵢ and ∂/∂xᵢ = wᵢ: the inputs, then the weights (then 1 for a bias)."""
    n = len(operands) // 2
    grads = operands[n:2 * n] + operands[:n]
    return grads + (1.0,) if len(operands) % 2 else grads


def _products(operands: tuple) -> list:
    """[w₁·x₁, w₂·x₂, ...] in any arithmetic (floats, sympy symbols)."""
    n = len(operands) // 2
    return [w * x for w, x in zip(operands[:n], operands[n:2 * n])]


# --- the table -----------------------------------------------------------------

TABLE = (
    # arithmetic operators
    Op("add", 2, "+", True, operator.add,
       lambda m, out, a, b: (1.0, 1.0), lambda s, a, b: a + b),
    Op("sub", 2, "−", True, operator.sub,
       lambda m, out, a, b: (1.0, -1.0), lambda s, a, b: a - b),
    Op("mul", 2, "×", True, operator.mul,
       lambda m, out, a, b: (b, a), lambda s, a, b: a * b),
    Op("truediv", 2, "÷", True, operator.truediv,
       lambda m, out, a, b: (1.0 / b, -out / b), lambda s, a, b: a / b, _nonzero_divisor),
    Op("pow", 2, "^", True, _power,
       lambda m, out, a, b: (b * a ** (b - 1), out * m.log(a)), lambda s, a, b: a ** b, _real_power),
    Op("neg", 1, "−", False, operator.neg,
       lambda m, out, x: (-1.0,), lambda s, x: -x),
    # elementary functions
    Op("exp", 1, "exp", False, math.exp,
       lambda m, out, x: (out,), lambda s, x: s.exp(x)),
    Op("log", 1, "log", False, math.log,
       lambda m, out, x: (1.0 / x,), lambda s, x: s.log(x), _positive),
    Op("sqrt", 1, "√", False, math.sqrt,
       lambda m, out, x: (0.5 / out,), lambda s, x: s.sqrt(x), _non_negative),
    Op("sin", 1, "sin", False, math.sin,
       lambda m, out, x: (m.cos(x),), lambda s, x: s.sin(x)),
    Op("cos", 1, "cos", False, math.cos,
       lambda m, out, x: (-m.sin(x),), lambda s, x: s.cos(x)),
    # activations
    Op("tanh", 1, "tanh", False, math.tanh,
       lambda m, out, x: (1 - out * out,), lambda s, x: s.tanh(x)),
    Op("sigmoid", 1, "σ", False, _sigmoid,
       lambda m, out, x: (out * (1 - out),), lambda s, x: 1 / (1 + s.exp(-x))),
    Op("relu", 1, "relu", False, lambda x: x if x > 0 else 0.0,
       lambda m, out, x: (m.step(x),), lambda s, x: s.Piecewise((x, x > 0), (0, True))),
    Op("abs", 1, "abs", False, abs,
       lambda m, out, x: (m.sign(x),), lambda s, x: s.Abs(x)),
    # n-ary: one node however many inputs (dot: n weights then n inputs; affine: and a bias)
    Op("sum", None, "Σ", False, lambda *xs: sum(xs),
       lambda m, out, *xs: (1.0,) * len(xs), lambda s, *xs: s.Add(*xs), shape=(1, 0)),
    Op("dot", None, "·", False, _weighted_sum, _weighted_sum_grads,
       lambda s, *wx: s.Add(*_products(wx)), _even_arity, shape=(2, 0)),
    Op("affine", None, "w·x+b", False, _weighted_sum, _weighted_sum_grads,
       lambda s, *wxb: s.Add(*_products(wxb), wxb[-1]), _odd_arity, shape=(2, 1)),
)


def _check_row(row: Op) -> None:
    """Fail at import, naming the row, when a row is malformed."""
    problems = []
    if not row.name.isidentifier():
        problems.append("name must be an identifier")
    if row.arity is not None and not (isinstance(row.arity, int) and row.arity >= 1):
        problems.append("arity must be a positive int or None")
    if not row.symbol:
        problems.append("symbol must not be empty")
    if row.infix and row.arity != 2:
        problems.append("only binary operations can be infix")
    for field in ("forward", "local_grads", "sympy"):
        if not callable(getattr(row, field)):
            problems.append(f"{field} must be callable")
    if row.domain is not None and not callable(row.domain):
        problems.append("domain must be callable or None")
    if (row.arity is None) != (row.shape is not None):
        problems.append("n-ary rows, and only they, need a shape")
    elif row.shape is not None and not (row.shape[0] >= 1 and row.shape[1] >= 0):
        problems.append("shape must be (lists >= 1, singles >= 0)")
    if problems:
        raise TypeError(f"malformed op-table row {row.name!r}: " + "; ".join(problems))


def _index(table: tuple) -> dict:
    """Check every row and index the table by name (names must be unique)."""
    index = {}
    for row in table:
        _check_row(row)
        if row.name in index:
            raise TypeError(f"malformed op-table row {row.name!r}: the name is used twice")
        index[row.name] = row
    return index


OPS: dict[str, Op] = _index(TABLE)
