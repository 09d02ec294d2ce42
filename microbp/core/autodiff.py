"""Derivatives as functions and as graphs: ``gradients``, ``grad``, ``hessian``, ``hvp``.

``gradients(root)`` is backward as a pure function: it returns the gradients
and touches no ``.grad``. With ``create_graph=True`` each gradient is a
``Value`` whose graph computes it, built from the table rows' own derivative
formulas evaluated on Values; so it can be drawn, checked against sympy and
differentiated again. ``grad`` composes to any order:

>>> from microbp import Value
>>> d3 = grad(grad(grad(lambda x: x ** 4)))       # 24x
>>> d3(2.0)
48.0
>>> from microbp import hessian
>>> hessian(lambda x, y: x * x * y)(3.0, 2.0)    # [[2y, 2x], [2x, 0]]
[[4.0, 6.0], [6.0, 0.0]]
"""

from __future__ import annotations

import functools

from .engine import VALUES, Value, as_float, derivative_formulas
from .graph import Graph, chain_rule, scope, topological_order


def gradients(root: Value, wrt=None, create_graph: bool = False) -> dict:
    """∂root/∂x for every x of ``wrt`` (default: every leaf), as ``{x: gradient}``; touches no ``.grad``.

    ``wrt`` is a Value or a list of Values, leaves or not (a node's gradient
    treats it as an input, as backward does). With ``create_graph``, each
    gradient is a Value labelled ``∂root/∂x`` whose graph computes it: the
    backward pass as ordinary nodes, grouped in a ``backward`` scope, that
    ``draw``, ``verify``, ``to_sympy`` and ``gradients`` itself read like any
    other graph.

    >>> x = Value(3.0, label="x"); y = x * x * x; y.label = "y"
    >>> gradients(y)[x], x.grad
    (27.0, 0.0)
    >>> dy = gradients(y, x, create_graph=True)[x]      # 3x², as a graph
    >>> dy.label, dy.data, gradients(dy, x)[x]           # d²y/dx² = 6x
    ('∂y/∂x', 27.0, 18.0)
    """
    graph = Graph.of(root, "gradients")
    targets = graph.leaves if wrt is None else _targets(wrt, graph)
    if not create_graph:
        grads = graph.gradients
        return {x: grads.get(x, 0.0) for x in targets}
    with derivative_formulas(), scope(BACKWARD):
        grads = chain_rule(graph.order, graph.root, 1.0, local_grads_as_values, zero=None, product=chain_product)
        return {x: _named(grads.get(x, 0.0), graph, x) for x in targets}


class _GradientScope(str):
    """The name of the scope gradient graphs are made in: ``"backward"`` when shown, and told apart from
    a user's own scope of that name (``microbp.compile`` checks no domain inside it, as the engine did not)."""

    __slots__ = ()


BACKWARD = _GradientScope("backward")
FORWARD = _GradientScope("tangents")
"""The scope of the tangents forward mode makes as graphs (``microbp.jvp`` nested in a derivative)."""


def made_by_gradients(node) -> bool:
    """Whether ``gradients(create_graph=True)`` or forward mode's tangents as graphs made ``node``
    (where the engine checks no domain)."""
    return bool(node.scope) and type(node.scope[-1]) is _GradientScope


def _targets(wrt, graph: Graph) -> list:
    targets = [wrt] if isinstance(wrt, Value) else list(wrt)
    for target in targets:
        if not isinstance(target, Value):
            raise TypeError(f"gradients: wrt needs Values, got {target!r} ({type(target).__name__})")
    return targets


def local_grads_as_values(node: Value) -> tuple:
    """∂node/∂parent per parent as Values: the row's formula evaluated on the nodes themselves."""
    return node.op.grads(VALUES, node, *node.parents)


def chain_product(local, upstream):
    """local × upstream as a ``times`` node, in which zero times anything is zero, as in backward: a 0
    passes nothing on, even through an infinite or nan factor, at this order and every higher one.
    No node for a factor that is the number 1."""
    if type(upstream) is float and upstream == 1.0:
        return local
    if type(local) is float and local == 1.0:
        return upstream
    return VALUES.times(local, upstream)


def _named(gradient, graph: Graph, x: Value) -> Value:
    """The gradient as a new node labelled ∂root/∂x (an existing node is not renamed)."""
    if not isinstance(gradient, Value) or gradient.label is not None or gradient in graph:
        gradient = +gradient if isinstance(gradient, Value) else Value(gradient)
    gradient.label = f"∂{_name(graph, graph.root, 'f')}/∂{_name(graph, x, 'x')}"
    return gradient


def _name(graph: Graph, node: Value, default: str) -> str:
    return graph.names.get(node) or node.label or default


def zero_grad(values) -> None:
    """Set ``.grad`` to 0: of each value in a list, or of every node of one value's graph.

    >>> v = Value(1.0); loss = v * 3; loss.backward(); v.grad
    3.0
    >>> zero_grad(loss); v.grad
    0.0
    >>> zero_grad([v])
    """
    nodes = topological_order(values) if isinstance(values, Value) else values
    for node in nodes:
        if not isinstance(node, Value):
            raise TypeError(f"zero_grad needs a Value or Values, got {node!r} ({type(node).__name__})")
        node.grad = 0.0


# --- derivatives of Python functions ---------------------------------------------------

def value_and_grad(f, argnums=0):
    """``f``'s value and its derivative by argument ``argnums`` (an int, or a tuple of them).

    ``f`` takes numbers (it is called with a ``Value`` for each, labelled with
    its parameter name) and returns a Value or a number. Called with Values
    (inside another ``grad``), it returns Values, so derivatives compose.

    >>> value_and_grad(lambda w: (w * w).log())(3.0)   # (log 9, 2/w)
    (2.1972245773362196, 0.6666666666666666)
    >>> value_and_grad(lambda x, y: x * y, argnums=(0, 1))(2.0, 5.0)
    (10.0, (5.0, 2.0))
    """
    check_function(f, "value_and_grad")
    names = parameter_names(f)

    @functools.wraps(f)
    def wrapped(*args):
        indices = _argnums(argnums, len(args))
        nested = any(isinstance(arg, Value) for arg in args)
        variables = variables_for(args, names)
        out = f(*variables)
        if not isinstance(out, Value):
            value = as_float(out, f"{_describe(f)} must return a Value or a number; its result")
            partials = [Value(0.0) if nested else 0.0 for _ in indices]
        else:
            wanted = [variables[i] for i in indices]
            grads = gradients(out, wanted, create_graph=nested)
            value, partials = (out if nested else out.data), [grads[x] for x in wanted]
        return value, (partials[0] if isinstance(argnums, int) else tuple(partials))
    return wrapped


def grad(f, argnums=0):
    """The derivative of ``f`` by argument ``argnums``, as a function; composes to any order.

    >>> grad(lambda x: x ** 3)(2.0)                     # 3x²
    12.0
    >>> grad(grad(lambda x: x ** 3))(2.0)               # 6x
    12.0
    >>> grad(lambda x, y: x * y + x.tanh(), argnums=(0, 1))(0.0, 3.0)
    (4.0, 0.0)
    """
    with_value = value_and_grad(f, argnums)

    @functools.wraps(f)
    def wrapped(*args):
        return with_value(*args)[1]
    return wrapped


def variable_for(arg, name: str) -> Value:
    """A leaf for a number; for a Value (a nested derivative), a new node ``+arg`` standing for it.

    The new node keeps an inner derivative from mixing with an outer one by the
    same Value (JAX's "perturbation confusion").
    """
    if isinstance(arg, Value):
        variable = +arg
        variable.label = name
        return variable
    return Value(as_float(arg, f"argument {name}"), label=name)


def variables_for(args, names: list) -> list:
    """``variable_for`` each argument, labelled with its parameter's name (``x{i}`` past the names)."""
    return [variable_for(arg, names[i] if i < len(names) else f"x{i}") for i, arg in enumerate(args)]


def _argnums(argnums, count: int) -> list:
    indices = [argnums] if isinstance(argnums, int) else list(argnums)
    for index in indices:
        if not isinstance(index, int) or isinstance(index, bool) or not -count <= index < count:
            raise ValueError(f"argnums: {index!r} is not an argument position (the function got {count})")
    return [index % count for index in indices]


def check_function(f, caller: str) -> None:
    if not callable(f):
        raise TypeError(f"{caller} needs a function, got {f!r}")


def parameter_names(f) -> list:
    import inspect  # here, not at the top: it would double the time of ``import microbp``

    try:
        return [p.name for p in inspect.signature(f).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return []


def _describe(f) -> str:
    return getattr(f, "__name__", repr(f))
