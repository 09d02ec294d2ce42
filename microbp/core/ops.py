"""The table of operations: every differentiable operation microbp knows, one row each.

Everything else reads this table, and nothing outside it names an operation:
``Value``'s operators and methods, the module functions (``microbp.tanh``),
``__all__``, the expression parser's names, ``to_sympy``, the printer, the
renderer's labels, the lecture captions, the code generator and the tests.

A row's derivative formulas (``grads``) take a namespace ``m`` first: one function
per row of this table. Three interpreters read the same formula:

=============  ====================================  ==================================
interpreter    ``m.tanh`` is                         the formula gives
=============  ====================================  ==================================
floats         the row's ``forward`` (``FLOATS``)    the engine's local derivatives
Values         a function that makes a tanh node     derivatives as graphs (``create_graph``)
text           a function that writes ``tanh(x)``    captions and generated Python
=============  ====================================  ==================================

sympy does not read ``grads``: it is the independent oracle. It reads the row's
``sympy`` form and differentiates that itself (``sympy.diff``), so a wrong
formula in ``grads`` is caught, not copied. Its evaluators (``check.high_precision``,
``check.intervals``, ``check.kinks``) know sympy's functions by name; a test walks
every row's form and derivatives through each of them.

``relu``'s derivative is ``step`` and ``abs``'s is ``sign``: rows too, whose own
derivative is 0, so the table is closed under differentiation.

Numbers follow IEEE 754 as Python floats and PyTorch do: a result too large
for a float is ±inf (``exp(1000)``, ``1e200 ** 2``, ``1e200 * 1e200`` alike),
never an error; a NaN input gives NaN. Inputs outside an operation's real
domain (``log(0)``, ``sqrt(-1)``, ``x / 0``) are refused by the row's
``domain`` check with a message; ``forward`` alone is total and gives NaN or
±inf there, which is what derivative formulas rely on.

This module imports only the standard library.

>>> OPS["tanh"].symbol, OPS["mul"].symbol
('tanh', '×')
>>> OPS["mul"].grads(FLOATS, 6.0, 2.0, 3.0)   # ∂(a·b)/∂a = b, ∂(a·b)/∂b = a
(3.0, 2.0)
>>> FLOATS.exp(1000.0), FLOATS.log(-1.0)       # total: overflow is inf, outside the domain nan
(inf, nan)
"""

from __future__ import annotations

import math
import operator
import pickle
from types import SimpleNamespace


class Notation:
    """How a row is written, in Python (``to_text``, generated code) and in maths (captions).

    ``form`` is ``"infix"`` (``a + b``), ``"prefix"`` (``-a``), ``"call"`` (``tanh(a)``)
    or ``"lists"`` (``dot([w1, w2], [x1, x2])``, written ``w1·x1 + w2·x2`` in maths).
    ``token`` is Python's operator; the maths form uses the row's ``symbol``, or
    ``math``, a format string, when given (``"|{}|"`` for abs). ``precedence`` is
    Python's: 1 for ``+ -``, 2 for ``* /``, 3 for unary minus, 4 for ``**``.
    ``in_maths``: another notation for maths alone, when the row is written as a
    call in Python but as an operator in captions (``times``: ``b × a``), or as a
    ``"power"``: ``x²`` when the exponent is a whole number, else ``x ^ y`` (``pow``).
    """

    __slots__ = ("form", "token", "precedence", "right", "math", "in_maths")

    def __init__(self, form: str, token: str | None = None, precedence: int = 10, right: bool = False,
                 math: str | None = None, in_maths: "Notation | None" = None):
        self.form, self.token, self.precedence, self.right, self.math = form, token, precedence, right, math
        self.in_maths = in_maths

    def __repr__(self):
        return f"Notation({self.form!r}, {self.token!r}, precedence={self.precedence})"


ATOM = 10                                    # a name, a number or a call: never needs parentheses


def infix(token: str, precedence: int, right: bool = False) -> Notation:
    return Notation("infix", token, precedence, right)


def prefix(token: str, precedence: int) -> Notation:
    return Notation("prefix", token, precedence)


CALL = Notation("call")
LISTS = Notation("lists")


class Op:
    """One row of the table.

    >>> OPS["log"].domain(0.0)
    'needs x > 0, got x = 0.0'

    Attributes:
        name: the function name (``"tanh"``), also the method and parser name.
        arity: number of inputs, or ``None`` for n-ary (``sum``, ``dot``, ``affine``).
        symbol: what the renderer draws in the operation's node, and captions write.
        notation: how text writes it (a ``Notation``).
        forward: the operation on floats; total (NaN or ±inf where it has no real value).
        grads: ``(m, out, *inputs) -> tuple``, ∂out/∂input per input, over a namespace ``m``.
        sympy: ``(sympy_module, *inputs) -> expression``.
        domain: ``(*inputs) -> message or None``; a message means "outside the domain".
        shape: for n-ary rows, how the inputs are written: ``(lists, singles)``, that
            many equally long lists, then that many single inputs (``dot``: two lists,
            weights and inputs; ``affine``: the same and a bias). ``None`` otherwise.
        doc: one line saying what it is, for the generated methods and help.
    """

    __slots__ = ("name", "arity", "symbol", "notation", "forward", "grads", "sympy", "domain", "shape", "doc")

    def __init__(self, name, arity, symbol, notation, forward, grads, sympy, domain=None, shape=None, doc=""):
        self.name, self.arity, self.symbol, self.notation = name, arity, symbol, notation
        self.forward, self.grads, self.sympy, self.domain = forward, grads, sympy, domain
        self.shape, self.doc = shape, doc

    @property
    def infix(self) -> bool:
        """True for the binary operators written between their operands (``a + b``)."""
        return self.notation.form == "infix"

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

    def __reduce__(self):
        """Pickled by name: a node's op is its table row. An Op that is not a row cannot be pickled
        (by name it would come back as the row of that name, a different operation)."""
        if not is_row(self):
            raise pickle.PicklingError(f"pickle: the operation {describe(self)} is not a row of microbp's op "
                                       "table, so it cannot be pickled by name; only graphs of table operations "
                                       "can be pickled")
        return _row, (self.name,)


def _row(name: str) -> Op:
    return OPS[name]


def is_row(op) -> bool:
    """True when ``op`` is a row of the table itself: the same object, not an Op of the same name.

    >>> is_row(OPS["tanh"]), is_row(Op("tanh", 1, "tanh", CALL, abs, abs, abs))
    (True, False)
    """
    return id(op) in _ROW_IDS


def describe(op) -> str:
    """An operation for an error message: its name, shown with repr and cut short (it may be anything).

    >>> describe(Op("tanh", 1, "tanh", CALL, abs, abs, abs))
    "Op('tanh')"
    """
    name = getattr(op, "name", None)
    shown = repr(name) if isinstance(name, str) else f"<{type(name).__name__}>"
    return f"Op({shown[:60] + '…' if len(shown) > 60 else shown})"


# --- elementary functions on floats: total, IEEE results where math would raise ---

def _divide(a: float, b: float) -> float:
    """a / b, with ±inf or nan for b = 0 (IEEE 754), as the domain check's fallback needs."""
    try:
        return a / b
    except ZeroDivisionError:
        if a != a or a == 0:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _power(a: float, b: float) -> float:
    """a ** b, with ±inf on overflow or for 0 ** negative, nan for a complex result."""
    try:
        result = a ** b
    except (ZeroDivisionError, OverflowError):
        odd = math.isfinite(b) and b.is_integer() and b % 2 == 1
        return -math.inf if odd and math.copysign(1.0, a) < 0 else math.inf
    return math.nan if isinstance(result, complex) else result


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _log(x: float) -> float:
    """log x; -inf at 0 and nan below, where a derivative formula may still ask."""
    if x > 0:
        return math.log(x)
    return -math.inf if x == 0 else math.nan


def _sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0 else math.nan


def _periodic(function):
    """sin or cos, nan at ±inf (where math raises)."""
    def total(x: float) -> float:
        return function(x) if math.isfinite(x) else math.nan
    total.__name__ = function.__name__
    return total


def _sinh(x: float) -> float:
    try:
        return math.sinh(x)
    except OverflowError:
        return math.copysign(math.inf, x)


def _cosh(x: float) -> float:
    try:
        return math.cosh(x)
    except OverflowError:
        return math.inf


def _sech(x: float) -> float:
    """1 / cosh x, 0 where cosh overflows."""
    return 1.0 / _cosh(x)


def _maximum(a: float, b: float) -> float:
    """The larger of a and b; nan if either is nan (as PyTorch's maximum)."""
    return math.nan if a != a or b != b else (a if a >= b else b)


def _minimum(a: float, b: float) -> float:
    """The smaller of a and b; nan if either is nan (as PyTorch's minimum)."""
    return math.nan if a != a or b != b else (a if a <= b else b)


def _softplus(x: float) -> float:
    """log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|): no overflow, no loss for large |x|."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x))) if x == x else x


def _log1p(x: float) -> float:
    """log(1 + x), exact for tiny x; -inf at -1 and nan below."""
    if x > -1:
        return math.log1p(x)
    return -math.inf if x == -1 else math.nan


def _sigmoid(x: float) -> float:
    """Logistic function, finite for any x: sigmoid(±1000) is 1.0 / 0.0."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _relu(x: float) -> float:
    """max(0, x), and nan for nan (a NaN input is never hidden)."""
    return 0.0 if x <= 0 else x


def _step(x: float) -> float:
    """Derivative of relu: 1 for x > 0, and 0 at the kink by convention (nan for nan)."""
    return 1.0 if x > 0 else (0.0 if x <= 0 else x)


def _sign(x: float) -> float:
    """Derivative of abs: sign(x), and 0 at the kink by convention (nan for nan)."""
    return 1.0 if x > 0 else (-1.0 if x < 0 else x * 0.0)


def _xlogy(x: float, y: float) -> float:
    """x · log y; 0 where x = 0, and 0 where y = 0 (nan stays nan): so ∂(a ** b)/∂b = xlogy(a ** b, a)
    is 0 at a = 0 for every b >= 0, b = 0 included, as in PyTorch (y = 0 is outside xlogy's own domain:
    only derivative formulas reach it)."""
    if (x == 0 and y == y) or (y == 0 and x == x):
        return 0.0
    return x * _log(y)


def _times(a: float, b: float) -> float:
    """a × b, and 0 where either is 0, even times inf or nan: the chain rule's product (0 passes nothing)."""
    return 0.0 if a == 0 or b == 0 else a * b


def _kinked(pieces, fallback):
    """A sympy form by cases (its derivative at the kink follows the engine's convention), or
    ``fallback`` where sympy cannot compare the argument with 0 (it may be log 0 = zoo)."""
    def sympy_form(s, x):
        try:
            return s.Piecewise(*pieces(s, x))
        except TypeError:
            return fallback(s, x)
    return sympy_form


# --- domain checks: a message says what is wrong (NaN passes: NaN in, NaN out) ---

def _positive(x: float) -> str | None:
    return None if x > 0 or x != x else f"needs x > 0, got x = {x!r}"


def _above_minus_one(x: float) -> str | None:
    return None if x > -1 or x != x else f"needs x > -1, got x = {x!r}"


def _non_negative(x: float) -> str | None:
    return None if x >= 0 or x != x else f"needs x >= 0, got x = {x!r}"


def _nonzero_divisor(a: float, b: float) -> str | None:
    return None if b != 0 else f"division by zero ({a!r} / {b!r})"


def _real_power(a: float, b: float) -> str | None:
    if a == 0 and b < 0:
        return f"0 ** {b!r} divides by zero"
    if a < 0 and math.isfinite(b) and not b.is_integer():
        return f"{a!r} ** {b!r} is not a real number (negative base, fractional exponent)"
    return None


def _log_argument(x: float, y: float) -> str | None:
    return None if y > 0 or y != y else f"needs y > 0, got y = {y!r}"


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


def _weighted_sum_grads(m, out, *operands) -> tuple:
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
    # arithmetic: Python's operators
    Op("add", 2, "+", infix("+", 1), operator.add,
       lambda m, out, a, b: (1.0, 1.0), lambda s, a, b: a + b, doc="a + b"),
    Op("sub", 2, "−", infix("-", 1), operator.sub,
       lambda m, out, a, b: (1.0, -1.0), lambda s, a, b: a - b, doc="a − b"),
    Op("mul", 2, "×", infix("*", 2), operator.mul,
       lambda m, out, a, b: (b, a), lambda s, a, b: a * b, doc="a × b"),
    Op("truediv", 2, "÷", infix("/", 2), _divide,
       lambda m, out, a, b: (1.0 / b, -out / b), lambda s, a, b: a / b, _nonzero_divisor, doc="a ÷ b"),
    Op("pow", 2, "^", Notation("infix", "**", 4, right=True, in_maths=Notation("power", "**", 4, right=True)), _power,
       lambda m, out, a, b: (m.times(b, a ** (b - 1)), m.xlogy(out, a)), lambda s, a, b: a ** b, _real_power,
       doc="a to the power b"),
    Op("neg", 1, "−", prefix("-", 3), operator.neg,
       lambda m, out, x: (-1.0,), lambda s, x: -x, doc="−x"),
    Op("pos", 1, "+", prefix("+", 3), operator.pos,
       lambda m, out, x: (1.0,), lambda s, x: x, doc="+x, the identity: a new node with the same value"),
    # elementary functions
    Op("exp", 1, "exp", CALL, _exp,
       lambda m, out, x: (out,), lambda s, x: s.exp(x), doc="e ** x"),
    Op("log", 1, "log", CALL, _log,
       lambda m, out, x: (1.0 / x,), lambda s, x: s.log(x), _positive, doc="Natural logarithm; needs x > 0."),
    Op("sqrt", 1, "√", CALL, _sqrt,
       lambda m, out, x: (0.5 / out,), lambda s, x: s.sqrt(x), _non_negative,
       doc="Square root; needs x >= 0 (its derivative at 0 is inf)."),
    Op("log1p", 1, "log1p", CALL, _log1p,
       lambda m, out, x: (1.0 / (1 + x),), lambda s, x: s.log(1 + x), _above_minus_one,
       doc="log(1 + x), accurate for tiny x; needs x > -1."),
    Op("sin", 1, "sin", CALL, _periodic(math.sin),
       lambda m, out, x: (m.cos(x),), lambda s, x: s.sin(x), doc="Sine (radians)."),
    Op("cos", 1, "cos", CALL, _periodic(math.cos),
       lambda m, out, x: (-m.sin(x),), lambda s, x: s.cos(x), doc="Cosine (radians)."),
    Op("sinh", 1, "sinh", CALL, _sinh,
       lambda m, out, x: (m.cosh(x),), lambda s, x: s.sinh(x), doc="Hyperbolic sine."),
    Op("cosh", 1, "cosh", CALL, _cosh,
       lambda m, out, x: (m.sinh(x),), lambda s, x: s.cosh(x), doc="Hyperbolic cosine."),
    Op("sech", 1, "sech", CALL, _sech,
       lambda m, out, x: (-out * m.tanh(x),), lambda s, x: s.sech(x), doc="Hyperbolic secant, 1 / cosh x."),
    Op("max", 2, "max", CALL, _maximum,
       lambda m, out, a, b: (0.5 * (1 + m.sign(a - b)), 0.5 * (1 - m.sign(a - b))), lambda s, a, b: s.Max(a, b),
       doc="The larger of a and b; at a tie each gets half the gradient (as PyTorch's maximum)."),
    Op("min", 2, "min", CALL, _minimum,
       lambda m, out, a, b: (0.5 * (1 - m.sign(a - b)), 0.5 * (1 + m.sign(a - b))), lambda s, a, b: s.Min(a, b),
       doc="The smaller of a and b; at a tie each gets half the gradient (as PyTorch's minimum)."),
    # activations
    Op("tanh", 1, "tanh", CALL, math.tanh,
       lambda m, out, x: (1 - out * out,), lambda s, x: s.tanh(x), doc="Hyperbolic tangent."),
    Op("sigmoid", 1, "σ", CALL, _sigmoid,
       lambda m, out, x: (out * (1 - out),), lambda s, x: 1 / (1 + s.exp(-x)),
       doc="Logistic sigmoid 1 / (1 + e^-x)."),
    Op("softplus", 1, "softplus", CALL, _softplus,
       lambda m, out, x: (m.sigmoid(x),), lambda s, x: s.log(1 + s.exp(x)),
       doc="log(1 + e^x), a smooth relu; stable for any x."),
    Op("relu", 1, "relu", CALL, _relu,
       lambda m, out, x: (m.step(x),), _kinked(lambda s, x: ((x, x > 0), (0, True)), lambda s, x: s.Max(x, 0)),
       doc="max(0, x); the derivative at 0 is taken as 0."),
    Op("abs", 1, "abs", Notation("call", math="|{}|"), abs,
       lambda m, out, x: (m.sign(x),), lambda s, x: s.Abs(x), doc="|x|; the derivative at 0 is taken as 0."),
    # the derivatives of the kinks, whose own derivative is 0
    Op("step", 1, "step", CALL, _step,
       lambda m, out, x: (0.0,), _kinked(lambda s, x: ((1, x > 0), (0, True)), lambda s, x: s.Heaviside(x, 0)),
       doc="1 for x > 0, else 0: the derivative of relu."),
    Op("sign", 1, "sign", CALL, _sign,
       lambda m, out, x: (0.0,), _kinked(lambda s, x: ((1, x > 0), (-1, x < 0), (0, True)), lambda s, x: s.sign(x)),
       doc="1, 0 or −1 by the sign of x: the derivative of abs."),
    Op("xlogy", 2, "xlogy", CALL, _xlogy,
       lambda m, out, x, y: (m.log(y), x / y), lambda s, x, y: x * s.log(y),
       _log_argument, doc="x · log y, needing y > 0; 0 where x = 0 or y = 0 (in derivatives): ∂(a ** b)/∂b."),
    # the chain rule's product: gradients as graphs multiply with it, so they pass nothing through a 0
    Op("times", 2, "×", Notation("call", in_maths=infix("*", 2)), _times,
       lambda m, out, a, b: (b, a), lambda s, a, b: a * b,
       doc="a × b, and 0 where a or b is 0, even times inf or nan: the chain rule's product, in gradient "
           "graphs."),
    # n-ary: one node however many inputs (dot: n weights then n inputs; affine: and a bias)
    Op("sum", None, "Σ", LISTS, lambda *xs: sum(xs),
       lambda m, out, *xs: (1.0,) * len(xs), lambda s, *xs: s.Add(*xs), shape=(1, 0),
       doc="Σ values as ONE node with a parent per value (builtin sum makes n − 1 nodes)."),
    Op("dot", None, "·", LISTS, _weighted_sum, _weighted_sum_grads,
       lambda s, *wx: s.Add(*_products(wx)), _even_arity, shape=(2, 0),
       doc="Σ wᵢ·xᵢ as ONE node with 2n parents (weights, then inputs): a neuron's weighted sum."),
    Op("affine", None, "w·x+b", LISTS, _weighted_sum, _weighted_sum_grads,
       lambda s, *wxb: s.Add(*_products(wxb), wxb[-1]), _odd_arity, shape=(2, 1),
       doc="Σ wᵢ·xᵢ + b as ONE node with 2n + 1 parents (weights, inputs, bias): a neuron before "
           "its activation."),
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
    if not isinstance(row.notation, Notation) or row.notation.form not in ("infix", "prefix", "call", "lists"):
        problems.append("notation must be a Notation: infix, prefix, call or lists")
    elif (row.notation.form == "infix") != (row.arity == 2 and row.notation.token is not None):
        problems.append("only binary operations can be infix, and an infix one needs a token")
    elif (row.notation.form == "lists") != (row.arity is None):
        problems.append("n-ary rows, and only they, are written as lists")
    for field in ("forward", "grads", "sympy"):
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
_ROW_IDS = frozenset(id(row) for row in TABLE)     # the rows live as long as the module: their ids are theirs


# --- what the table gives everyone: interpreters, operators, names ---------------

def interpreter(apply_row) -> SimpleNamespace:
    """A namespace with one function per row: ``apply_row(row, *args)`` for that row.

    >>> words = interpreter(lambda row, *args: f"{row.name}{args}")
    >>> words.tanh("x")
    "tanh('x',)"
    """
    return SimpleNamespace(**{row.name: _bound(apply_row, row) for row in TABLE})


def _bound(apply_row, row: Op):
    def function(*args):
        return apply_row(row, *args)
    function.__name__ = function.__qualname__ = row.name
    return function


def special_methods(row: Op) -> list:
    """The Python special methods that apply ``row``, as ``(name, reflected)`` pairs.

    Infix rows are binary operators (``__add__`` and ``__radd__``), prefix rows unary
    ones (``__neg__``); a unary call named like a float special method (``abs``) gets it too.

    >>> special_methods(OPS["add"]), special_methods(OPS["abs"]), special_methods(OPS["tanh"])
    ([('__add__', False), ('__radd__', True)], [('__abs__', False)], [])
    """
    form = row.notation.form
    if form == "infix":
        return [(f"__{row.name}__", False), (f"__r{row.name}__", True)]
    if form == "prefix" or (form == "call" and row.arity == 1 and hasattr(float, f"__{row.name}__")):
        return [(f"__{row.name}__", False)]
    return []


FLOATS = SimpleNamespace(**{row.name: row.forward for row in TABLE})
"""The floats interpreter: each row's total ``forward``, what derivative formulas call on floats."""


class IEEEFloat(float):
    """A float whose operators never raise: ``x / 0`` is ±inf or nan, overflow ±inf.

    Derivative formulas are evaluated on plain floats; only when Python raises
    (``0.5 / 0.0`` for √'s derivative at 0) are they evaluated again on these,
    through the rows' total forwards, to give the IEEE 754 result; except that
    zero times anything is zero, as in the chain rule (∂(a**0)/∂a at 0 is 0).

    >>> 0.5 / IEEEFloat(0.0), IEEEFloat(10.0) ** 400.0
    (inf, inf)
    """

    __slots__ = ()


def _ieee_method(row: Op, reflected: bool):
    forward = row.forward

    def method(self, *other):
        args = (float(other[0]), float(self)) if reflected else (float(self), *map(float, other))
        if forward is operator.mul and 0.0 in args:      # zero times anything is zero, as in the chain rule
            return IEEEFloat(0.0)
        return IEEEFloat(forward(*args))
    return method


for _row_ in TABLE:
    for _name_, _reflected_ in special_methods(_row_):
        setattr(IEEEFloat, _name_, _ieee_method(_row_, _reflected_))
del _row_, _name_, _reflected_


def float_grads(row: Op, out: float, inputs) -> tuple:
    """``row``'s local derivatives on floats: IEEE results (±inf, nan) where Python would raise.

    >>> float_grads(OPS["sqrt"], 0.0, (0.0,))     # √ at 0: a value, with an infinite slope
    (inf,)
    """
    try:
        return row.grads(FLOATS, out, *inputs)
    except (ArithmeticError, ValueError):
        grads = row.grads(FLOATS, IEEEFloat(out), *map(IEEEFloat, inputs))
        return tuple(float(g) for g in grads)
