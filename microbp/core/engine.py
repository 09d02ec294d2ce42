"""The scalar engine: ``Value``, nodes made from the table's rows, and backward.

A ``Value`` remembers how it was made: its operation (a row of ``microbp.core.ops``),
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
parents as plain floats, drawn as constants, and given no gradient. Every
operator and method comes from a row of the table (``microbp.core.ops``).
"""

from __future__ import annotations

import contextlib
import contextvars
import gc
import numbers
import warnings
import weakref
from itertools import filterfalse
from operator import mul as _mul

from ..errors import DomainError, GradientAccumulationWarning, OverflowWarning
from .ops import FLOATS, OPS, TABLE, Op, float_grads, interpreter, special_methods
from .scopes import current_scope as _scope

DOT, AFFINE = OPS["dot"], OPS["affine"]
_new_object = object.__new__
_INF = float("inf")
_FLOATS = {float}
_formulas_evaluating = contextvars.ContextVar("microbp_formulas", default=False)
_backpropagated = weakref.WeakSet()          # roots backward has run from (to warn on a repeat)

display = None
"""How Jupyter shows a Value: set by ``microbp/__init__`` to the figures' drawing, so the core imports none of it."""


class _NotComputed(float):
    """The ``grad`` of a node no backward pass has reached: 0.0 in arithmetic, ``?`` when shown."""

    __slots__ = ()


NOT_COMPUTED = _NotComputed(0.0)


class Value:
    """A scalar in a computational graph, with its gradient.

    Args:
        data: a real number (int or float; not bool, str, complex, None, ...).
        label: an optional name, shown by the renderer and used by ``to_sympy``.

    >>> a = Value(3.0, label="a")
    >>> a
    Value(data=3, grad=?, label='a')
    >>> b = a * a + 2 * a          # a appears three times among the parents
    >>> b.backward(); a.grad       # d(a² + 2a)/da = 2a + 2
    8.0
    >>> f"{b:.2f}", float(b), round(b)
    ('15.00', 15.0, 15)
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
        if label is not None and not isinstance(label, str):
            raise TypeError(f"Value(label) needs a str or None, got {label!r} ({type(label).__name__})")
        _make(None, as_float(data, "Value(data)"), node=self)
        self.label = label

    def __repr__(self):
        label = "" if self.label is None else f", label={self.label!r}"
        grad = "?" if self.grad is NOT_COMPUTED else format(self.grad, ".4g")
        return f"Value(data={self.data:.4g}, grad={grad}{label})"

    def __float__(self) -> float:
        return self.data

    def __format__(self, spec: str) -> str:
        """Formats ``data``: ``f"{loss:.4f}"``; an empty spec gives the repr."""
        return format(self.data, spec) if spec else repr(self)

    def __round__(self, digits=None):
        return round(self.data, digits)

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
        return display(self) if display is not None else {"text/plain": repr(self)}

    def __reduce__(self):
        """Pickled flat, in topological order (no recursion, so deep graphs pickle too)."""
        if self.op is None:
            return _leaf, (self.data, _saved(self.grad), self.label, self.scope)
        return _rebuild, (_records(self),)

    # c += 1 rebinds c to a new node (Python falls back to __add__), as in micrograd.

    def zero_grad(self) -> None:
        """Set ``.grad`` of every node of this value's graph to 0.

        >>> w = Value(2.0); loss = w * w; loss.backward(); w.grad
        4.0
        >>> loss.zero_grad(); w.grad
        0.0
        """
        for node in topological_order(self):
            node.grad = 0.0

    def backward(self, gradient=1.0):
        """Add ∂self/∂node to ``.grad`` of every node this value depends on.

        Non-leaf nodes of the graph are reset first, so they show this pass's
        gradients; leaves accumulate across calls (as in PyTorch, for
        mini-batches), until ``zero_grad`` resets them. Calling ``backward`` twice
        from the same value without resetting is usually a mistake: the first
        time it happens, a ``GradientAccumulationWarning`` says how to reset.

        A local derivative with no real value (∂(a**b)/∂b for a < 0) is nan, and
        so is every gradient that flows through it; but zero times anything is
        zero: where a gradient or a local derivative is exactly 0, nothing flows
        on, even through an infinite or nan factor.

        A graph belongs to one thread at a time: two threads running backward
        through one graph (or through graphs that share a parameter) add into
        the same ``.grad`` slots and get wrong gradients, with no error. Give
        each thread its own graphs and parameters. Where that 0 reaches a node
        whose value overflowed to ±inf, it is often only 1/inf (``x.exp().log()``
        at x = 800: the log's local derivative 1/inf is 0, and the exp's is inf),
        so the gradient may be wrong: an ``OverflowWarning`` names the node
        (PyTorch gives nan there). The number stays what the rule gives, so
        ``microbp.compile`` gives the same.

        >>> w = Value(2.0)
        >>> loss = w * w
        >>> loss.backward(); w.grad
        4.0
        >>> from microbp import zero_grad
        >>> zero_grad(loss); loss.backward(); w.grad
        4.0
        """
        gradient = as_float(gradient, "backward(gradient)")
        if self in _backpropagated:
            _warn_if_accumulating(self)
        _backpropagated.add(self)
        with _cycle_collector_paused():
            order = topological_order(self, leaves=False) if self.op is not None else []
            for node in order:
                node.grad = 0.0
            self.grad += gradient
            for node in reversed(order):      # the chain rule: parent.grad += local * node.grad
                upstream = node.grad
                if upstream == 0.0:           # zero times anything is zero: nothing flows on
                    if node.data - node.data:     # inf or nan: an overflow's 0 (1/inf) may be wrong: say so
                        warn_if_overflow_hidden(node)
                    continue
                if upstream - upstream:       # inf or nan: edges whose local derivative is 0 pass nothing
                    _backward_not_finite(node, upstream)
                elif node._many is None:      # one or two operands, in slots
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


# --- the one walk of a graph, over the nodes' own storage -------------------------

def topological_order(root, leaves: bool = True) -> list:
    """Every node that ``root`` depends on, each after all its parents, root last.

    With ``leaves=False``, only the computed nodes (what backward walks through).
    Deterministic: parents are visited in order, so the same graph always gives
    the same list. A depth-first search that keeps, for each node on its stack,
    an iterator over the parents it has yet to visit; a node is placed once
    they all are.

    >>> from microbp import Value
    >>> a = Value(1.0, label="a"); b = Value(2.0, label="b")
    >>> [node.label or node.op.name for node in topological_order(a * b + a)]
    ['a', 'b', 'mul', 'add']
    >>> [node.op.name for node in topological_order(a * b + a, leaves=False)]
    ['mul', 'add']
    """
    as_value(root, "topological_order")
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


def is_value(x) -> bool:
    """Whether ``x`` is a node of a graph (a ``Value``, or a subclass): microbp's one test.

    >>> is_value(Value(1.0)), is_value(1.0), is_value("x")
    (True, False, False)
    """
    return isinstance(x, Value)


def as_value(x, what: str) -> Value:
    """``x`` itself when it is a Value, else a TypeError saying that ``what`` needs one.

    >>> as_value(2.0, "draw(root)")
    Traceback (most recent call last):
      ...
    TypeError: draw(root) needs a Value, got 2.0 (float)
    """
    if isinstance(x, Value):
        return x
    raise TypeError(f"{what} needs a Value, got {x!r} ({type(x).__name__})")


def _backward_not_finite(node: Value, upstream: float) -> None:
    """One node's step of backward when its gradient is inf or nan: a zero local derivative passes 0."""
    for parent, local in zip(node.parents, node.local_grads):
        if type(parent) is not float and local != 0.0:
            parent.grad += local * upstream


def warn_if_overflow_hidden(node: Value) -> None:
    """Warn that a gradient through ``node`` may be wrong: its value overflowed to ±inf, a gradient of 0
    reached it (often 1/inf, from the overflow), and the zero rule passed that 0 on through a local
    derivative that is ±inf or nan, where IEEE 754 (and PyTorch) would give nan."""
    if not (overflowed(node) and any(local - local != 0.0 for local in node.local_grads)):
        return
    name = f"{node.label!r} ({node.op.name})" if node.label else node.op.name
    warnings.warn(
        f"the value of the {name} node overflowed to {node.data}, and the gradient reaching it is 0 "
        f"(often 1/inf, from that overflow): zero times anything is zero, so it passed 0 on through a local "
        f"derivative of {_infinite_local(node)}; the gradients of what it depends on may be wrong (PyTorch "
        f"gives nan). Rescale so that no intermediate overflows (log(exp(x)) is x; use softplus, logsumexp).",
        OverflowWarning, stacklevel=3)


def overflowed(node: Value) -> bool:
    """Whether ``node``'s value is ±inf from finite, nonzero inputs: too large for a float, not a pole
    (``0.5 / 0`` and ``log(0)`` are infinite exactly; ``exp(800)`` is a finite number that overflowed).

    >>> overflowed(Value(800.0).exp()), overflowed(Value(8.0).exp()), overflowed(Value(float("inf")).exp())
    (True, False, False)
    """
    if abs(node.data) != _INF or node.op is None:
        return False
    inputs = [p if type(p) is float else p.data for p in node.parents]
    return all(x - x == 0.0 and x != 0.0 for x in inputs)


def _infinite_local(node: Value) -> float:
    return next(local for local in node.local_grads if local - local != 0.0)


def _warn_if_accumulating(root: Value) -> None:
    if any(leaf.grad for leaf in topological_order(root) if leaf.op is None):
        warnings.warn(
            "backward() ran again from the same value, so the leaves' gradients now add up "
            "both passes (as in PyTorch). If that is not what you want, reset them first: "
            "value.zero_grad(), microbp.zero_grad(value), or optimizer.zero_grad().",
            GradientAccumulationWarning, stacklevel=3)


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


# --- applying a row of the table ------------------------------------------------

def is_real(x) -> bool:
    """int, float and other real numbers; not bool (``Value(True)`` is a mistake): microbp's one test.

    >>> is_real(2), is_real(0.5), is_real(True), is_real("1"), is_real(Value(1.0))
    (True, True, False, False, False)
    """
    return type(x) is float or type(x) is int or (isinstance(x, numbers.Real) and not isinstance(x, bool))


def as_float(x, what: str) -> float:
    """``x`` as a float, or a TypeError naming ``what`` and the value.

    >>> as_float(3, "Value(data)")
    3.0
    >>> as_float("3", "Value(data)")
    Traceback (most recent call last):
      ...
    TypeError: Value(data) needs a real number, got '3' (str)
    """
    if is_real(x):
        try:
            return float(x)
        except OverflowError:
            raise ValueError(f"{what}: {x!r} is too large for a float") from None
    raise TypeError(f"{what} needs a real number, got {x!r} ({type(x).__name__})")


def _constant(op: Op, x) -> float:
    """A number operand as a float constant, or a TypeError naming the op."""
    if is_real(x):
        return as_float(x, f"{op.name}: operand")
    raise TypeError(f"{op.name}: cannot use {x!r} ({type(x).__name__}) as an operand; "
                    "use a Value or a real number")


def _operand(op: Op, x):
    """A Value (of any subclass) stays itself; a number becomes a float constant."""
    return x if isinstance(x, Value) else _constant(op, x)


def apply(op: Op, operands):
    """Apply a table row to operands (Values and numbers) and make the node.

    Returns a plain float when every operand is a number.

    >>> apply(OPS["sub"], (Value(5.0), 2))
    Value(data=3, grad=?)
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


def _node(op: Op, operands: tuple, inputs) -> "Value | float":
    """Check the domain, compute forward and local derivatives, and make the node."""
    if op.domain is not None and op.domain(*inputs) and not _formulas_evaluating.get():
        raise _outside_domain(op, inputs)
    out = op.forward(*inputs)
    local_grads = float_grads(op, out, inputs)
    if not operands:                    # constants only: the number
        return out
    return _link(op, out, operands, local_grads)


def _link(op: Op, out: float, operands: tuple, local_grads: tuple) -> "Value":
    """The node of ``op`` over ``operands``: in slots for one or two operands, in tuples for n-ary rows."""
    if op.arity is None:
        return _nary(op, out, operands, local_grads, float in map(type, operands))
    if len(operands) == 1:
        return _make(op, out, operands[0], local_grads[0])
    return _make(op, out, operands[0], local_grads[0], operands[1], local_grads[1])


def _operator(op: Op, reflected: bool = False):
    """The method for a binary table row: ``self op other``, or ``other op self`` when reflected.

    Binary operators are most of any graph, so the method evaluates its row
    directly (two inputs, no argument tuples) instead of through ``_node``.
    """
    forward, grads = op.forward, op.grads

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
        if op.domain is not None and op.domain(a, b):
            return _node(op, (first, second), (a, b))      # refused, or IEEE inside derivative formulas
        out = forward(a, b)
        try:
            da, db = grads(FLOATS, out, a, b)
        except (ArithmeticError, ValueError):
            da, db = float_grads(op, out, (a, b))
        return _make(op, out, first, da, second, db)
    return method


def _unary(op: Op):
    """The method for a unary table row: ``self.tanh()``, ``-self``."""
    def method(self):
        return _node(op, (self,), (self.data,))
    return method


_VALUES, _VALUES_AND_FLOATS = {Value}, {Value, float}   # the operand types weighted_sum takes as they are


def weighted_sum(op: Op, weights, inputs, *bias) -> "Value | float":
    """A ``dot`` or ``affine`` node: Σ wᵢ·xᵢ (+ b); parents are the weights, the inputs, the bias.

    The fast path of ``apply`` for these two rows, which are most of a neural
    network's forward pass: the same numbers as the rows' ``forward`` and
    ``grads`` (a test holds them equal), without the generic calls.
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


def _nary(op: Op, out: float, operands: tuple, local_grads: tuple, constants: bool) -> Value:
    """An n-ary node; ``constants`` tells whether any operand is a (float) constant."""
    if constants:                       # backward skips them one by one
        return _make(op, out, many=operands, dmany=local_grads)
    return _make(op, out, operands, local_grads, many=operands, dmany=local_grads)


def _make(op, out: float, a=None, da=None, b=None, db=None, many=None, dmany=None, node=None) -> Value:
    """The one place a node's slots are set up: a computed node, or a leaf (``op`` None, from ``__init__``).

    Operands ``a`` (and ``b``) with their local derivatives, or, for n-ary
    rows, the tuples ``many`` and ``dmany`` (given again as ``a`` and ``da``
    when every operand is a Value). ``node``: the leaf ``__init__`` is making;
    a computed node is made here, without ``__init__``'s checks.
    """
    if node is None:
        node = _new_object(Value)
    node.data = out
    node.grad = NOT_COMPUTED
    node.op = op
    node.label = None
    node.scope = _scope()
    node._a = a
    node._b = b
    node._da = da
    node._db = db
    node._many = many
    node._dmany = dmany
    return node


def _outside_domain(op: Op, inputs) -> DomainError:
    """The error for inputs outside ``op``'s domain, with the row's own message."""
    return DomainError(f"{op.name}: {op.domain(*inputs)}")


# --- derivative formulas on Values --------------------------------------------------

VALUES = interpreter(lambda row, *args: apply(row, args))
"""The Values interpreter: each row as a function making its node, for gradients that are graphs."""


@contextlib.contextmanager
def derivative_formulas():
    """Inside, nodes outside their domain get IEEE values (nan, ±inf) instead of raising.

    A derivative formula may ask for ``log(a)`` where ``a`` is negative (∂(a**b)/∂b),
    exactly as it does on floats, where the answer is nan.
    """
    token = _formulas_evaluating.set(True)
    try:
        yield
    finally:
        _formulas_evaluating.reset(token)


# --- pickling: a graph as a flat list, leaves by reference ---------------------------

def _saved(grad):
    return None if grad is NOT_COMPUTED else grad


def _leaf(data, grad, label, scope) -> Value:
    leaf = Value(data, label)
    leaf.grad = NOT_COMPUTED if grad is None else grad
    leaf.scope = scope
    return leaf


def _records(root: Value) -> list:
    """Leaves as themselves; computed nodes as (row, data, grad, label, scope, parents, local grads)."""
    order = topological_order(root)
    position = {node: i for i, node in enumerate(order)}
    return [node if node.op is None else
            (node.op, node.data, _saved(node.grad), node.label, node.scope,
             tuple(p if type(p) is float else position[p] for p in node.parents), node.local_grads)
            for node in order]


def _rebuild(records: list) -> Value:
    nodes = []
    for record in records:
        if isinstance(record, Value):
            nodes.append(record)
            continue
        op, data, grad, label, scope, parents, local_grads = record
        node = _link(op, data, tuple(p if type(p) is float else nodes[p] for p in parents), local_grads)
        node.grad = NOT_COMPUTED if grad is None else grad
        node.label, node.scope = label, scope
        nodes.append(node)
    return nodes[-1]


# --- operators and methods: one per row -----------------------------------------------

for _row in TABLE:
    for _name, _reflected in special_methods(_row):
        method = _operator(_row, _reflected) if _row.arity == 2 else _unary(_row)
        method.__name__ = method.__qualname__ = _name
        method.__doc__ = f"{_row.doc} (a {_row.name} node)."
        setattr(Value, _name, method)
    if _row.notation.form == "call" and _row.arity == 1:
        method = _unary(_row)
        method.__name__, method.__qualname__ = _row.name, f"Value.{_row.name}"
        method.__doc__ = _row.doc
        setattr(Value, _row.name, method)
del _row, _name, _reflected, method
