"""The scalar engine: ``Value``, the one graph traversal, and backward.

A ``Value`` remembers how it was made: its operation (a row of ``microbp.ops``),
its operands (``parents``) and ∂self/∂parent for each (``local_grads``), stored
when the node is made. ``backward()`` then applies one rule, node by node in
reverse topological order: ``parent.grad += local * node.grad``.

>>> from microbp import Value
>>> x = Value(2.0, label="x"); w = Value(-3.0, label="w")
>>> y = x * w + 1
>>> y.backward()
>>> x.grad, w.grad
(-3.0, 2.0)

Python numbers mixed in (the ``1`` above) are constants: stored among the
parents as plain floats, drawn as constants, and given no gradient.
"""

from __future__ import annotations

import contextlib
import gc
import numbers
from itertools import filterfalse
from operator import mul as _mul

from .errors import DomainError
from .ops import FLOAT_MATH, OPS, Op

ADD, SUB, MUL, TRUEDIV, POW, NEG, DOT, AFFINE = (
    OPS[name] for name in ("add", "sub", "mul", "truediv", "pow", "neg", "dot", "affine"))
_new_object = object.__new__
_FLOATS = {float}
_current_scope = None


def _operator(op: Op, reflected: bool = False):
    """The method for a binary table row: ``self op other``, or ``other op self`` when reflected.

    Binary operators are most of any graph, so the method evaluates its row
    directly (two inputs, no argument tuples) instead of through ``_node``.
    """
    forward, local_grads, domain = op.forward, op.local_grads, op.domain

    def method(self, other):
        if type(other) is float:
            b = other
        elif isinstance(other, Value):
            b = other.data
        else:
            other = b = _constant(op, other)
        a = self.data
        first, second = (other, self) if reflected else (self, other)
        if reflected:
            a, b = b, a
        if domain is not None and domain(a, b):
            raise _outside_domain(op, (a, b))
        try:
            out = forward(a, b)
            da, db = local_grads(FLOAT_MATH, out, a, b)
        except (ArithmeticError, ValueError) as error:
            raise _outside_domain(op, (a, b), error) from None
        return _make(op, out, first, da, second, db)
    method.__name__ = f"__r{op.name}__" if reflected else f"__{op.name}__"
    method.__doc__ = f"{'other ' + op.symbol + ' self' if reflected else 'self ' + op.symbol + ' other'}: a {op.name} node."
    return method


class Value:
    """A scalar in a computational graph, with its gradient.

    Args:
        data: a real number (int or float; not bool, str, complex, None, ...).
        label: an optional name, shown by the renderer and used by ``to_sympy``.

    >>> a = Value(3.0, label="a")
    >>> b = a * a + 2 * a          # a appears three times among the parents
    >>> b.backward(); a.grad       # d(a² + 2a)/da = 2a + 2
    8.0
    >>> Value("3")
    Traceback (most recent call last):
      ...
    TypeError: Value(data) needs a real number, got '3' (str)
    """

    # ``parents`` and ``local_grads`` read as tuples, but a node with one or two
    # operands (nearly every node) stores them in slots: operands ``_a`` and ``_b``
    # (``None`` when unary), ∂self/∂a and ∂self/∂b in ``_da`` and ``_db``. A node is
    # then one object, not three: graphs take less memory, and Python's cycle
    # collector, which scans every object that can hold others, has half as many
    # to scan (a tuple of floats only is dropped from its list at its first pass).
    # The n-ary nodes (sum, dot, affine) keep tuples in ``_many`` and ``_dmany``,
    # and, when no operand is a constant, the same two in ``_a`` and ``_da`` too:
    # backward then walks them without checking each operand for a constant.
    __slots__ = ("data", "grad", "op", "label", "scope", "_a", "_b", "_da", "_db", "_many", "_dmany",
                 "__weakref__")

    def __init__(self, data, label=None):
        self.data = _number(data, "Value(data)")
        self.grad = 0.0
        self._a = self._b = self._da = self._db = self._many = self._dmany = None
        self.op = None
        if label is not None and not isinstance(label, str):
            raise TypeError(f"Value(label) needs a str or None, got {label!r} ({type(label).__name__})")
        self.label = label
        self.scope = _current_scope

    def __repr__(self):
        label = "" if self.label is None else f", label={self.label!r}"
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g}{label})"

    @property
    def parents(self) -> tuple:
        """The operands, in order: Values, and plain floats for constants; ``()`` for a leaf."""
        return self._as_tuple(self._many, self._a, self._b)

    @property
    def local_grads(self) -> tuple:
        """∂self/∂parent for each parent, in the order of ``parents``."""
        return self._as_tuple(self._dmany, self._da, self._db)

    def _as_tuple(self, many, a, b) -> tuple:
        """An n-ary node's tuple, or the one or two slot values (none for a leaf)."""
        if self._many is not None:
            return many
        if self._b is not None:
            return (a, b)
        return () if self._a is None else (a,)

    def _repr_mimebundle_(self, include=None, exclude=None):
        """Jupyter shows a Value as its graph (falling back to the repr without Graphviz)."""
        from .output import mimebundle
        return mimebundle(self)

    # operators: one line each, pointing at a table row
    __add__, __radd__ = _operator(ADD), _operator(ADD, reflected=True)
    __sub__, __rsub__ = _operator(SUB), _operator(SUB, reflected=True)
    __mul__, __rmul__ = _operator(MUL), _operator(MUL, reflected=True)
    __truediv__, __rtruediv__ = _operator(TRUEDIV), _operator(TRUEDIV, reflected=True)
    __pow__, __rpow__ = _operator(POW), _operator(POW, reflected=True)

    def __neg__(self): return _unary(NEG, self)
    def __abs__(self): return _unary(OPS["abs"], self)
    # c += 1 rebinds c to a new node (Python falls back to __add__), as in micrograd.

    # elementary functions and activations, as methods
    def exp(self):
        """e ** self."""
        return _unary(OPS["exp"], self)

    def log(self):
        """Natural logarithm; needs data > 0."""
        return _unary(OPS["log"], self)

    def sqrt(self):
        """Square root; needs data >= 0."""
        return _unary(OPS["sqrt"], self)

    def sin(self):
        """Sine (radians)."""
        return _unary(OPS["sin"], self)

    def cos(self):
        """Cosine (radians)."""
        return _unary(OPS["cos"], self)

    def tanh(self):
        """Hyperbolic tangent."""
        return _unary(OPS["tanh"], self)

    def sigmoid(self):
        """Logistic sigmoid 1 / (1 + e^-x)."""
        return _unary(OPS["sigmoid"], self)

    def relu(self):
        """max(0, x); the derivative at 0 is taken as 0."""
        return _unary(OPS["relu"], self)

    def abs(self):
        """|x|; the derivative at 0 is taken as 0."""
        return _unary(OPS["abs"], self)

    def backward(self, gradient=1.0):
        """Add ∂self/∂node to ``.grad`` of every node this value depends on.

        Non-leaf nodes of the graph are reset first, so they show this pass's
        gradients; leaves accumulate across calls (as in PyTorch), until
        ``zero_grad`` resets them. A local derivative with no real value
        (∂(a**b)/∂b for a < 0) is nan, and so is every gradient that flows
        through it, even where it is multiplied by 0 (as in PyTorch).

        >>> w = Value(2.0)
        >>> loss = w * w
        >>> loss.backward(); w.grad
        4.0
        >>> loss.backward(); w.grad          # accumulates: 4 + 4
        8.0
        >>> from microbp import zero_grad
        >>> zero_grad([w]); loss.backward(); w.grad
        4.0
        """
        gradient = _number(gradient, "backward(gradient)")
        with _cycle_collector_paused():
            order = topological_order(self, leaves=False) if self.op is not None else []
            for node in order:
                node.grad = 0.0
            self.grad += gradient
            for node in reversed(order):      # the chain rule: parent.grad += local * node.grad
                upstream = node.grad
                if node._many is None:        # one or two operands, in slots
                    a, b = node._a, node._b
                    if type(a) is not float:
                        a.grad += node._da * upstream
                    if b is not None and type(b) is not float:
                        b.grad += node._db * upstream
                elif node._a is not None:     # n-ary, every operand a Value
                    for parent, local in zip(node._a, node._da):
                        parent.grad += local * upstream
                else:                         # n-ary, with constants
                    for parent, local in zip(node._many, node._dmany):
                        if type(parent) is not float:
                            parent.grad += local * upstream


def topological_order(root: Value, leaves: bool = True) -> list:
    """Every ``Value`` that ``root`` depends on, each after all its parents, root last.

    With ``leaves=False``, only the computed nodes (what backward walks through).

    Iterative (a chain of a million nodes needs no recursion) and deterministic:
    parents are visited in order, so the same graph always gives the same list.
    A depth-first search that keeps, for each node on its stack, an iterator over
    the parents it has yet to visit; a node is placed once they all are.
    Backward, the renderer, ``to_sympy`` and the lecture steps all use it.

    >>> a = Value(1.0, label="a"); b = Value(2.0, label="b")
    >>> [node.label or node.op.name for node in topological_order(a * b + a)]
    ['a', 'b', 'mul', 'add']
    >>> [node.op.name for node in topological_order(a * b + a, leaves=False)]
    ['mul', 'add']
    """
    order = []
    seen = {None}                       # None: a unary node's missing second operand
    is_seen = seen.__contains__
    stack = [(None, iter((root,)))]     # start from a stand-in node whose one parent is root
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if parent not in seen:
                seen.add(parent)
                if type(parent) is not float and (leaves or parent.op is not None):
                    many = parent._many     # n-ary: its parents are mostly seen, skip those in C
                    stack.append((parent, iter((parent._a, parent._b)) if many is None
                                  else filterfalse(is_seen, many)))
                    break               # place that parent (and its parents) first
        else:                           # every parent placed: now the node
            stack.pop()
            order.append(node)
    order.pop()                         # the stand-in
    return order


@contextlib.contextmanager
def _cycle_collector_paused():
    """Pause Python's cycle collector for a traversal that creates no cycles.

    Otherwise the collector rescans the whole live graph every few thousand
    allocations: on a million-node graph that is most of backward's time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class scope:
    """Group the nodes made inside the block; the renderer draws a group as a cluster.

    Scopes nest; a node remembers the innermost one (``node.scope.path``). A
    ``scope`` object can be kept and entered again (as each neuron does); it
    then reuses its ``Scope`` when the outer scope is the same as last time.

    >>> with scope("neuron 1"):
    ...     with scope("pre-activation"):
    ...         z = Value(1.0) * 2
    >>> z.scope.path
    ('neuron 1', 'pre-activation')
    """

    __slots__ = ("name", "outers", "last")

    def __init__(self, name: str):
        if not isinstance(name, str) or not name:
            raise TypeError(f"scope(name) needs a non-empty str, got {name!r}")
        self.name = name
        self.outers = []
        self.last = None

    def __enter__(self) -> "Scope":
        global _current_scope
        outer = _current_scope
        self.outers.append(outer)
        if self.last is None or self.last.parent is not outer:
            self.last = Scope(self.name, outer)
        _current_scope = self.last
        return _current_scope

    def __exit__(self, *exception) -> None:
        global _current_scope
        _current_scope = self.outers.pop()


class Scope:
    """A named group of nodes; ``path`` lists the names from the outermost scope in."""

    __slots__ = ("name", "parent", "path")

    def __init__(self, name: str, parent: "Scope | None"):
        self.name = name
        self.parent = parent
        self.path = (parent.path if parent else ()) + (name,)

    def __repr__(self):
        return f"Scope({' / '.join(self.path)!r})"


# --- applying a row of the table ------------------------------------------------

def _is_real(x) -> bool:
    """int, float and other real numbers; not bool (``Value(True)`` is a mistake)."""
    return type(x) is float or type(x) is int or (isinstance(x, numbers.Real) and not isinstance(x, bool))


def _number(x, what: str) -> float:
    """``x`` as a float, or a TypeError naming ``what`` and the value."""
    if _is_real(x):
        return float(x)
    raise TypeError(f"{what} needs a real number, got {x!r} ({type(x).__name__})")


def _operand(op: Op, x):
    """A Value (of any subclass) stays itself; a number becomes a float constant."""
    return x if isinstance(x, Value) else _constant(op, x)


def _constant(op: Op, x) -> float:
    """A number operand as a float constant, or a TypeError naming the op."""
    if _is_real(x):
        return float(x)
    raise TypeError(f"{op.name}: cannot use {x!r} ({type(x).__name__}) as an operand; "
                    "use a Value or a real number")


def _unary(op: Op, x: Value) -> Value:
    return _node(op, (x,), (x.data,))


def apply(op: Op, operands):
    """Apply a table row to operands (Values and numbers) and make the node.

    Returns a plain float when every operand is a number.

    >>> apply(OPS["sub"], (Value(5.0), 2))
    Value(data=3, grad=0)
    >>> apply(OPS["sub"], (5.0, 2))
    3.0
    """
    operands = tuple(operands)
    if op.arity is not None and len(operands) != op.arity:
        raise TypeError(f"{op.name}: takes {op.arity} operand(s), got {len(operands)}")
    inputs = [x.data if type(x) is Value else x for x in operands]
    if not _FLOATS.issuperset(map(type, inputs)):   # ints, Value subclasses or wrong types: convert
        operands = tuple([_operand(op, x) for x in operands])
        inputs = [x if type(x) is float else x.data for x in operands]
    if _FLOATS.issuperset(map(type, operands)):     # every operand a number: no graph to build
        return _node(op, (), inputs)
    return _node(op, operands, inputs)


_VALUES, _VALUES_AND_FLOATS = {Value}, {Value, float}   # the operand types weighted_sum takes as they are


def weighted_sum(op: Op, weights, inputs, *bias) -> "Value | float":
    """A ``dot`` or ``affine`` node: Σ wᵢ·xᵢ (+ b); parents are the weights, the inputs, the bias.

    The fast path of ``apply`` for these two rows, which are most of a neural
    network's forward pass: the same numbers as the rows' ``forward`` and
    ``local_grads`` (a test holds them equal), without the generic calls.
    Operands that need converting or refusing, or that are all numbers, go
    through ``apply``.

    >>> weighted_sum(DOT, [Value(2.0), Value(-1.0)], [3.0, 4.0]).data
    2.0
    """
    operands = (*weights, *inputs, *bias)
    n = len(weights)
    if len(operands) != 2 * n + len(bias):
        raise ValueError(f"{op.name}: needs as many weights as inputs, "
                         f"got {n} and {len(operands) - n - len(bias)}")
    kinds = set(map(type, operands))
    if kinds == _VALUES:                # every operand a Value (a hidden layer's neuron)
        data = [x.data for x in operands]
    elif kinds == _VALUES_AND_FLOATS:   # some constants (the first layer's inputs)
        data = [x.data if type(x) is Value else x for x in operands]
    else:                               # numbers only, or operands to convert or refuse
        return apply(op, operands)
    weights, inputs = data[:n], data[n:2 * n]
    out = sum(map(_mul, weights, inputs))
    if len(data) > 2 * n:               # affine: plus the bias, whose local derivative is 1
        return _nary(op, out + data[-1], operands, (*inputs, *weights, 1.0), float in kinds)
    return _nary(op, out, operands, (*inputs, *weights), float in kinds)


def _node(op: Op, operands: tuple, inputs) -> "Value | float":
    """Check the domain, compute forward and local derivatives, and make the node."""
    if op.domain is not None and op.domain(*inputs):
        raise _outside_domain(op, inputs)
    try:
        out = op.forward(*inputs)
        local_grads = op.local_grads(FLOAT_MATH, out, *inputs)
    except (ArithmeticError, ValueError) as error:
        raise _outside_domain(op, inputs, error) from None
    if not operands:                    # constants only: the number
        return out
    if op.arity is None:
        return _nary(op, out, operands, local_grads, float in map(type, operands))
    if len(operands) == 1:
        return _make(op, out, operands[0], local_grads[0])
    return _make(op, out, operands[0], local_grads[0], operands[1], local_grads[1])


def _nary(op: Op, out: float, operands: tuple, local_grads: tuple, constants: bool) -> Value:
    """An n-ary node; ``constants`` tells whether any operand is a (float) constant."""
    if constants:                       # backward skips them one by one
        return _make(op, out, many=operands, dmany=local_grads)
    return _make(op, out, operands, local_grads, many=operands, dmany=local_grads)


def _make(op: Op, out: float, a=None, da=None, b=None, db=None, many=None, dmany=None) -> Value:
    """The one place a computed node is built (``Value.__init__`` makes leaves).

    Operands ``a`` (and ``b``) with their local derivatives, or, for n-ary
    rows, the tuples ``many`` and ``dmany`` (given again as ``a`` and ``da``
    when every operand is a Value).
    """
    node = _new_object(Value)
    node.data = out
    node.grad = 0.0
    node.op = op
    node.label = None
    node.scope = _current_scope
    node._a = a
    node._b = b
    node._da = da
    node._db = db
    node._many = many
    node._dmany = dmany
    return node


def _outside_domain(op: Op, inputs, error: Exception | None = None) -> DomainError:
    """The error for inputs outside ``op``'s domain: the row's own message, or what Python raised."""
    if error is None:
        return DomainError(f"{op.name}: {op.domain(*inputs)}")
    shown = ", ".join(repr(x) for x in inputs)
    return DomainError(f"{op.name}: not defined or not differentiable at ({shown}): {error}")
