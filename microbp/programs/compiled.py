"""``microbp.compile``: trace a graph once, then compute its value and gradient on floats, fast.

Training builds the same graph at every step. ``compile`` writes that graph's
forward and backward pass once as straight-line Python (``microbp.programs.emit``) and
runs it on plain floats: the same numbers as the engine, bit for bit, at a
fraction of the cost. Like ``jax.jit``, it traces: the Python that built the
graph ran once, so an ``if`` on a value took the branch it took then.

Bit for bit means: the same operations in the same order (a gradient's terms
added as backward adds them), the same domain checks and ``DomainError``s, and,
wherever something is not finite or an operation raises (an overflow, 0 × inf,
a derivative with no real value), the answer of the engine itself: the
compiled code stops and the graph is rebuilt with the engine, with the new
values, to compute it (``gradients``).
"""

from __future__ import annotations

from functools import cached_property

from ..core.autodiff import gradients
from ..core.engine import Value, apply, as_value
from ..core.graph import Graph
from ..core.ops import OPS
from ..errors import GraphTooLargeError
from . import emit
from .program import Names, Program, chained, wrapped
from .trace import Trace, numbers, replay

MAX_COMPILE_NODES = 200_000
MAX_COMPILE_EDGES = 500_000          # about 300 MB and 5 s to compile (see benchmarks/compile.py)
BATCHES = (None, "sum", "mean")
_FLOATS = {float}


def compile(root, wrt, inputs=(), *, batch=None, plus=None, max_nodes=MAX_COMPILE_NODES,
            max_edges=MAX_COMPILE_EDGES, mode="reverse"):
    """Compile ``root``'s value and gradient: ``f(wrt_values, input_values=()) -> (value, grads)``.

    ``wrt`` and ``inputs`` are leaves, whose values ``f`` takes as lists, in their
    order; ``grads`` are ∂root/∂x for each x of ``wrt``. Every other leaf is a
    constant at the value it has now. The graph is traced: Python that built it
    ran once, so ``f`` keeps the branches it took then. ``f`` gives the engine's
    numbers bit for bit, its ``DomainError``s included; where something is not
    finite or an operation raises, it hands over to the engine itself
    (``f.dynamic``). ``f.source`` is the code that runs, ``f.codegen`` the same
    program as ``microbp.codegen`` prints it.

    >>> import microbp
    >>> x, w, b = microbp.Value(2.0, label="x"), microbp.Value(-3.0, label="w"), microbp.Value(1.0, label="b")
    >>> y = (x * w + b).tanh()
    >>> f = microbp.compile(y, wrt=[w, b], inputs=[x])
    >>> f([-3.0, 1.0], [2.0]) == (y.data, list(microbp.gradients(y, [w, b]).values()))
    True
    >>> f([0.5, 0.0], [1.0])[0] == microbp.tanh(1.0 * 0.5 + 0.0)
    True

    With ``batch="mean"`` (or ``"sum"``), ``root`` is one example's loss and ``f``
    takes rows of input values, one per example: it computes the mean (or sum)
    of the loss over the rows, plus ``plus``, a term of the wrt leaves alone
    (an L2 penalty), in one loop, compiled once whatever the number of rows.
    It gives what the engine gives for ``microbp.sum(losses) * (1.0 / len(rows)) + plus``
    (``microbp.losses.hinge(...) + plus``), each example's graph made anew;
    ``f(values, rows, each=True)`` gives each row's loss too:

    >>> target = microbp.Value(1.0, label="t")
    >>> margin = (1 - target * (w * x + b)).relu()
    >>> step = microbp.compile(margin, wrt=[w, b], inputs=[x, target], batch="mean", plus=1e-4 * (w * w))
    >>> step([-3.0, 1.0], [(2.0, 1.0), (-1.0, -1.0)], each=True)
    (5.5009, [-1.5006, 0.0], [6.0, 5.0])

    With ``mode="forward"``, ``f(wrt_values, tangents, input_values=()) -> (value, tangent)`` runs the
    tangent program (``codegen(..., mode="forward")``): the derivative along ``tangents``, bit for bit as
    ``microbp.jvp`` gives it:

    >>> g = microbp.compile(y, wrt=[w, b], inputs=[x], mode="forward")
    >>> g([-3.0, 1.0], [1.0, 0.0], [2.0]) == microbp.jvp(y, [w, b], [1.0, 0.0])
    True

    A graph of more than ``max_nodes`` nodes or ``max_edges`` edges is refused
    with a ``GraphTooLargeError`` (compiling takes about 10 µs a line, a line per
    node and per edge); pass a higher limit to compile it anyway.
    """
    if batch not in BATCHES:
        raise ValueError(f"compile: batch must be None, 'sum' or 'mean', got {batch!r}")
    if plus is not None and batch is None:
        raise ValueError("compile: plus= adds a global term to a batch; without batch=, build root + plus instead")
    if mode not in ("reverse", "forward"):
        raise ValueError(f"compile: mode must be 'reverse' or 'forward', got {mode!r}")
    if mode == "forward" and batch is not None:
        raise ValueError("compile: batch= sums a loss over examples for reverse mode; mode='forward' takes none")
    graphs = [Graph.of(_value(root, "root"))] + ([Graph.of(_value(plus, "plus"))] if plus is not None else [])
    _check_size(graphs, max_nodes, max_edges)
    if mode == "forward":
        from .tangent import compile_tangent
        return compile_tangent(graphs[0], wrt, inputs)
    names = Names()
    program = Program(graphs[0], wrt, inputs, names, caller="compile")
    if batch is None:
        return Compiled(_single(program), program)
    if not program.inputs:
        raise ValueError("compile: a batch needs inputs, the leaves that take each example's values")
    extra = None
    if plus is not None:
        extra = Program(graphs[1], program.wrt, (), names, caller="compile")
        used = [i for i, leaf in enumerate(program.inputs) if leaf in graphs[1]]
        if used:
            raise ValueError(f"compile: plus depends on inputs[{used[0]}] ({program.name(program.inputs[used[0]])}); "
                             "the global term must not depend on one example's inputs")
    return Compiled(_batched(program, extra, batch), program, extra, batch)


def _value(root, what: str):
    return as_value(root, f"compile: {what}")


def _check_size(graphs, max_nodes: int, max_edges: int) -> None:
    nodes = sum(len(graph.order) for graph in graphs)
    edges = sum(len(node.parents) for graph in graphs for node in graph.computed)
    for count, limit, what, option in ((nodes, max_nodes, "nodes", "max_nodes"), (edges, max_edges, "edges", "max_edges")):
        if count > limit:
            raise GraphTooLargeError(
                f"compile: the graph has {count:,} {what}, over the limit of {limit:,} (compiling takes about "
                f"10 µs and a few KB a line, and the code has a line per node and per edge); pass {option}={count} "
                "to compile it anyway, or compile one example's graph with batch='mean'",
                option=option, needed=count, limit=limit)


def _single(program: Program) -> emit.Code:
    """One evaluation: forward, then each gradient pulled once."""
    backward = emit.pull_blocks(program)
    known = {name for block in backward for name in block.defines}
    grads = [program.names.of_grad(x) if program.names.grad.get(x) in known else "0.0" for x in program.wrt]
    sections = [("lines", emit.unpack([program.name(x) for x in program.wrt], "wrt")
                 + emit.unpack([program.name(x) for x in program.inputs], "inputs") + ["# forward: one line per node"]),
                ("blocks", emit.constant_blocks(program) + emit.forward_blocks(program)),
                ("lines", ["# backward: each gradient once, its terms added in the order backward adds them"]),
                ("blocks", backward),
                ("lines", wrapped(f"return {program.name(program.root)}, [", grads, ", ", "]"))]
    return emit.assemble("f(wrt, inputs)", sections, program.names.variables)


def _batched(program: Program, plus: Program | None, batch: str) -> emit.Code:
    """The plus term's value and gradient, then a loop over the rows, last row first (as backward goes)."""
    names = program.names
    wrt = [names.value[x] for x in program.wrt]
    accumulators = [names.of_grad(x) for x in program.wrt]
    constants = emit.constant_blocks(program)
    if plus is not None:
        constants += [block for block in emit.constant_blocks(plus) if block not in constants]
    sections = [("lines", emit.unpack(wrt, "wrt")), ("blocks", constants), ("lines", chained(accumulators, "0.0"))]
    value = "sum(losses)" + (" * seed" if batch == "mean" else "")
    if plus is not None:
        sections += [("lines", ["# the global term, and its gradient (backward reaches it first)"]),
                     ("blocks", emit.forward_blocks(plus) + emit.push_blocks(plus, "1.0", set(plus.wrt)))]
        value += f" + {plus.name(plus.root)}"
    loop = f"for {''.join(names.value[x] + ', ' for x in program.inputs)}in rows:"
    example = emit.forward_blocks(program) + emit.push_blocks(program, "seed", set(program.wrt))
    sections += [("lines", ["# one example at a time, the last row first, as backward goes; a node's block",
                            "# runs only where its gradient is not 0, as in backward",
                            "losses = []"]),
                 ("loop", loop, example, [f"losses.append({program.name(program.root)})"]),
                 ("lines", ["losses.reverse()"] + wrapped(f"return {value}, [", accumulators, ", ", "], losses"))]
    return emit.assemble("f(wrt, rows, seed)", sections, names.variables | {"seed"})


class Compiled:
    """A compiled value and gradient: call it with the wrt values (and input values, or rows)."""

    def __init__(self, code: emit.Code, program: Program, plus: Program | None = None, batch=None):
        self._function, self.source = code.function, code.source
        self.trace, self.plus = Trace.of(program), plus and Trace.of(plus)
        self.batch = batch
        self.wrt, self.inputs = program.wrt, program.inputs

    def __repr__(self):
        shape = f"a loop over rows of {len(self.inputs)} inputs ({self.batch})" if self.batch else \
            f"{len(self.inputs)} inputs"
        return (f"<compiled value and gradient of a graph of {len(self.trace.graph.order)} nodes: "
                f"{len(self.wrt)} wrt, {shape}; {self.source.count(chr(10))} lines>")

    @cached_property
    def codegen(self) -> str:
        """The program as ``microbp.codegen`` prints it (for a batch: one example's)."""
        trace = self.trace
        return Program(trace.graph, trace.wrt, trace.inputs, constants=trace.constants).source()

    def __call__(self, wrt_values, input_values=(), *, each: bool = False):
        """``(value, grads)`` for these values; for a batch with ``each=True``, ``(value, grads, losses)``,
        with each row's loss, in order."""
        wrt = numbers(wrt_values, len(self.wrt), "wrt_values")
        if each and not self.batch:
            raise ValueError("compile: each=True gives each example's loss, so it needs a batch (batch='mean')")
        if self.batch:
            rows = _rows(input_values, len(self.inputs))
            seed = 1.0 / len(rows) if self.batch == "mean" else 1.0
            run = lambda: self._function(wrt, rows[::-1], seed)         # noqa: E731
        else:
            inputs = numbers(input_values, len(self.inputs), "input_values")
            run = lambda: self._function(wrt, inputs) + (None,)        # noqa: E731
        try:
            value, grads, losses = run()
        except (ArithmeticError, ValueError, TypeError):   # a DomainError too: the engine raises it again
            return self.dynamic(wrt, input_values, each=each)
        total = value + sum(grads)                         # inf or nan anywhere: the engine decides
        if type(total) is not float or total - total != 0.0:
            return self.dynamic(wrt, input_values, each=each)
        return (value, grads, losses) if each else (value, grads)

    def dynamic(self, wrt_values, input_values=(), *, each: bool = False) -> tuple:
        """What the engine computes for these values: the graph rebuilt and differentiated.

        The compiled code gives the same numbers; it hands over to this where
        something is not finite or an operation raises.
        """
        wrt = [Value(v) for v in numbers(wrt_values, len(self.wrt), "wrt_values")]
        given = dict(zip(self.wrt, wrt))
        losses = None
        if not self.batch:
            inputs = numbers(input_values, len(self.inputs), "input_values")
            root = replay(self.trace, {**given, **dict(zip(self.inputs, map(Value, inputs)))})
        else:
            rows = _rows(input_values, len(self.inputs))
            losses = [replay(self.trace, {**given, **dict(zip(self.inputs, map(Value, row)))}) for row in rows]
            root = apply(OPS["sum"], losses)
            if self.batch == "mean":
                root = apply(OPS["mul"], (root, 1.0 / len(rows)))
            if self.plus is not None:
                root = apply(OPS["add"], (root, replay(self.plus, given)))
        grads = gradients(root, wrt)
        result = root.data, [grads[x] for x in wrt]
        return result + ([loss.data for loss in losses],) if each else result


def _rows(rows, count: int) -> list:
    """The rows of a batch, each ``count`` floats."""
    if type(rows) is not list:
        try:
            rows = list(rows)
        except TypeError:
            raise TypeError(f"compile: a batch needs a list of rows of input values, got {rows!r}") from None
    if not rows:
        raise ValueError("compile: a batch needs at least one row of input values")
    if any(type(row) is not tuple and type(row) is not list or len(row) != count for row in rows) or \
            not _FLOATS.issuperset(v_type for row in rows for v_type in map(type, row)):
        rows = [numbers(row, count, f"input_values[{i}]") for i, row in enumerate(rows)]
    return rows
