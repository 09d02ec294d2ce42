"""Jacobians in forward mode (a pass per input) and in reverse mode (a pass per output).

``jacfwd`` seeds one input at a time and reads every output's tangent: a
column per forward pass. ``jacrev`` runs backward from one output at a time:
a row per backward pass. Both read the same local derivatives, so they agree;
what differs is the work, which each ``Jacobian`` reports as it was measured:
the passes made and the products (local derivative × tangent or gradient)
computed. ``jacobian`` picks the mode with fewer passes for the shape.

>>> f = lambda x, y: [x * y, x + y, x.exp()]            # 2 inputs, 3 outputs
>>> J = jacobian(f)(1.0, 2.0)
>>> J, J.mode, J.passes
([[2.0, 1.0], [1.0, 1.0], [2.718281828459045, 0.0]], 'forward', 2)
>>> jacrev(f)(1.0, 2.0) == J, jacrev(f)(1.0, 2.0).passes
(True, 3)
"""

from __future__ import annotations

import functools

from .autodiff import check_function, gradients, parameter_names, variables_for
from .engine import Value, as_float
from .forward import merged_order, tangents
from .graph import chain_rule

MODES = ("auto", "forward", "reverse")


class Jacobian(list):
    """The matrix ∂outputᵢ/∂inputⱼ as a list of rows (one per output), and how it was computed.

    ``mode`` is ``"forward"`` or ``"reverse"``; ``passes`` the number of forward or
    backward passes; ``products`` the local-derivative products they computed
    (None where the entries are graphs, nested in another derivative).
    """

    def __init__(self, rows, mode: str, passes: int, products):
        super().__init__(rows)
        self.mode, self.passes, self.products = mode, passes, products


class _Counter:
    """``local * x``, counting the products (the work a pass does)."""

    def __init__(self):
        self.count = 0

    def __call__(self, local, x):
        self.count += 1
        return local * x


def forward_columns(outputs: list, variables: list, nested: bool = False) -> Jacobian:
    """The Jacobian of ``outputs`` (Values or numbers) by ``variables``: a forward pass per variable."""
    roots = [y for y in outputs if isinstance(y, Value)]
    order = merged_order(roots) if roots else []
    counter = None if nested else _Counter()
    zero = Value(0.0) if nested else 0.0
    columns = []
    for x in variables:
        found = tangents(order, {x: 1.0}, create_graph=nested, product=counter) if roots else {}
        columns.append([found.get(y, zero) if isinstance(y, Value) else zero for y in outputs])
    rows = [list(row) for row in zip(*columns)] if variables else [[] for _ in outputs]
    return Jacobian(rows, "forward", len(variables), counter and counter.count)


def reverse_rows(outputs: list, variables: list, nested: bool = False) -> Jacobian:
    """The Jacobian of ``outputs`` by ``variables``: a backward pass per output (``chain_rule``)."""
    counter = None if nested else _Counter()
    zero = Value(0.0) if nested else 0.0
    rows = []
    for y in outputs:
        if not isinstance(y, Value):
            rows.append([zero for _ in variables])
        elif nested:
            found = gradients(y, variables, create_graph=True)
            rows.append([found[x] for x in variables])
        else:
            found = chain_rule(merged_order([y]), y, 1.0, lambda node: node.local_grads, product=counter)
            rows.append([found.get(x, 0.0) for x in variables])
    return Jacobian(rows, "reverse", len(outputs), counter and counter.count)


def jacfwd(f):
    """The Jacobian of ``f`` in forward mode: a pass per argument, each giving a column.

    ``f`` takes numbers (called with a Value each) and returns a Value, a number,
    or a list of them (the outputs). The answer is a ``Jacobian``: a row per output.

    >>> J = jacfwd(lambda x, y: [x * y, y.sin()])(3.0, 0.0)
    >>> J, J.passes
    ([[0.0, 3.0], [0.0, 1.0]], 2)
    """
    return _jacobian_function(f, "jacfwd", "forward")


def jacrev(f):
    """The Jacobian of ``f`` in reverse mode: a backward pass per output, each giving a row.

    >>> J = jacrev(lambda x, y: [x * y, y.sin()])(3.0, 0.0)
    >>> J, J.passes
    ([[0.0, 3.0], [0.0, 1.0]], 2)
    """
    return _jacobian_function(f, "jacrev", "reverse")


def jacobian(f, mode: str = "auto"):
    """The Jacobian of ``f``, in the mode with fewer passes for its shape; ``J.mode`` says which.

    Forward mode costs a pass per input, reverse mode a pass per output: a loss
    of many weights (one output) is reverse mode's case, a curve of one
    parameter (one input) forward mode's. At a tie, reverse mode, the engine's own.

    >>> jacobian(lambda t: [t.cos(), t.sin(), t])(0.0).mode      # 1 input, 3 outputs
    'forward'
    >>> jacobian(lambda w1, w2, w3: w1 * w2 * w3)(1.0, 2.0, 3.0).mode
    'reverse'
    """
    if mode not in MODES:
        raise ValueError(f"jacobian: mode must be 'auto', 'forward' or 'reverse', got {mode!r}")
    return _jacobian_function(f, "jacobian", mode)


def _jacobian_function(f, caller: str, mode: str):
    check_function(f, caller)
    names = parameter_names(f)

    @functools.wraps(f)
    def wrapped(*args):
        nested = any(isinstance(arg, Value) for arg in args)
        variables = variables_for(args, names)
        out = f(*variables)
        outputs = list(out) if isinstance(out, (list, tuple)) else [out]
        for i, y in enumerate(outputs):
            if not isinstance(y, Value):
                as_float(y, f"{caller}: output {i} of {getattr(f, '__name__', 'f')}")
        chosen = mode if mode != "auto" else ("forward" if len(variables) < len(outputs) else "reverse")
        build = forward_columns if chosen == "forward" else reverse_rows
        return build(outputs, variables, nested)
    return wrapped


HESSIAN_MODES = ("reverse-over-reverse", "forward-over-reverse")


def hessian(f, mode: str = "reverse-over-reverse"):
    """The matrix of second derivatives of ``f`` by all its arguments, as a nested list.

    The gradient is built as a graph (one backward pass), then differentiated
    again: by a backward pass per gradient (``"reverse-over-reverse"``), or by a
    forward pass per argument through the gradient's graph (``"forward-over-reverse"``,
    a column each). The two give the same matrix.

    >>> hessian(lambda x, y: x ** 2 * y + y ** 3)(1.0, 2.0)    # [[2y, 2x], [2x, 6y]]
    [[4.0, 2.0], [2.0, 12.0]]
    >>> hessian(lambda x, y: x ** 2 * y + y ** 3, mode="forward-over-reverse")(1.0, 2.0)
    [[4.0, 2.0], [2.0, 12.0]]
    """
    check_function(f, "hessian")
    if mode not in HESSIAN_MODES:
        raise ValueError(f"hessian: mode must be 'reverse-over-reverse' or 'forward-over-reverse', got {mode!r}")

    @functools.wraps(f)
    def wrapped(*args):
        first = _first_derivatives(f, args)
        if first is None:
            return [[0.0] * len(args) for _ in args]
        variables, slopes = first
        if mode == "forward-over-reverse":
            return list(forward_columns(slopes, variables))
        return [list(gradients(slope, variables).values()) for slope in slopes]
    return wrapped


def hvp(f):
    """The Hessian of ``f`` times a vector, without building the Hessian: ``hvp(f)(point, vector)``.

    Two backward passes (through the gradient's graph), whatever the number of arguments.

    >>> hvp(lambda x, y: x ** 2 * y + y ** 3)([1.0, 2.0], [1.0, 0.0])   # first column of the Hessian
    [4.0, 2.0]
    """
    check_function(f, "hvp")

    @functools.wraps(f)
    def wrapped(point, vector):
        point, vector = list(point), [as_float(v, "hvp(vector)") for v in vector]
        if len(point) != len(vector):
            raise ValueError(f"hvp: the vector has {len(vector)} entries, the point {len(point)}")
        first = _first_derivatives(f, point)
        if first is None:
            return [0.0] * len(point)
        variables, slopes = first
        directional = sum((slope * v for slope, v in zip(slopes, vector)), Value(0.0))
        return list(gradients(directional, variables).values())
    return wrapped


def _first_derivatives(f, args):
    """(the argument leaves, ∂f/∂argument as graphs), or None when f gives a number."""
    names = parameter_names(f)
    variables = [Value(as_float(arg, "argument"), label=names[i] if i < len(names) else f"x{i}")
                 for i, arg in enumerate(args)]
    out = f(*variables)
    if not isinstance(out, Value):
        return None
    return variables, list(gradients(out, variables, create_graph=True).values())
