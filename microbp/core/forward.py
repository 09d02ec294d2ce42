"""Forward mode: each node's tangent, read off the same table of local derivatives as backward.

The tangent ṅ of a node is how fast it moves when the inputs move along a
direction (their tangents): ṅ = Σ ∂n/∂pᵢ · ṗᵢ over its parents, node by node in
topological order. The ∂n/∂pᵢ are the ones backward multiplies
(``node.local_grads`` on floats; the row's ``grads`` formula on Values for a
tangent that is itself a graph), so forward mode needs no code per operation.
One forward pass gives the derivative of every output along one direction;
one backward pass, of one output along every direction.

>>> from microbp import Value
>>> x = Value(2.0, label="x"); w = Value(-3.0, label="w")
>>> y = x * w + x.exp()
>>> jvp(y, [x, w], [1.0, 0.0])           # (y, ∂y/∂x = w + eˣ)
(1.3890560989306504, 4.38905609893065)
>>> jvp(lambda x, w: x * w, [2.0, -3.0], [1.0, 1.0])    # ∂/∂x + ∂/∂w = w + x
(-6.0, -1.0)

Its conventions are backward's: zero times anything is zero (a zero tangent or
a zero local derivative passes nothing on, even through an infinite or NaN
factor), and the kinks, overflow and domain errors are the engine's own.
"""

from __future__ import annotations

from .autodiff import FORWARD, chain_product, check_function, local_grads_as_values, parameter_names, variables_for
from .engine import Value, as_float, derivative_formulas
from .graph import Graph, scope, topological_order


def tangents(order, seeds: dict, create_graph: bool = False, product=None) -> dict:
    """ṅ for every node of ``order`` that a seeded node reaches: Σ local × parent's tangent.

    ``seeds`` maps nodes (leaves or not) to their tangents; a seeded node keeps its
    seed, as ``gradients`` treats a node of ``wrt`` as an input. A node no seed
    reaches is left out (its tangent is 0). Terms are added in the order of the
    node's parents, starting from 0.0 on floats (so a tangent is never -0.0);
    a term whose local derivative or tangent is the number 0 is skipped. With
    ``create_graph``, tangents are Values whose graphs compute them, made by the
    rows' formulas on Values. ``product(local, tangent)`` makes each term.

    >>> from microbp import Value
    >>> a = Value(3.0); b = a * a
    >>> tangents(topological_order(b), {a: 1.0})[b]
    6.0
    """
    if not create_graph:
        return _tangents(order, seeds, lambda node: node.local_grads, 0.0, product or _multiply)
    with derivative_formulas(), scope(FORWARD):
        return _tangents(order, seeds, local_grads_as_values, None, product or chain_product)


def _tangents(order, seeds: dict, local_grads, zero, product) -> dict:
    result = dict(seeds)
    for node in order:
        if node.op is None or node in seeds:
            continue
        parents = node.parents
        if not any(type(p) is not float and p in result for p in parents):
            continue
        total = zero
        for parent, local in zip(parents, local_grads(node)):
            tangent = None if type(parent) is float else result.get(parent)
            if tangent is None or _is_zero(tangent) or _is_zero(local):
                continue                 # zero times anything is zero: nothing flows
            term = product(local, tangent)
            total = term if total is None else total + term
        if total is not None:
            result[node] = total
    return result


def _multiply(local: float, tangent: float) -> float:
    return local * tangent


def _is_zero(x) -> bool:
    """The number 0 (a Value is never 'zero': its derivative may not be)."""
    return type(x) is float and x == 0.0


def merged_order(roots) -> list:
    """One topological order of the nodes several roots depend on (each root's own order, joined)."""
    if len(roots) == 1:
        return topological_order(roots[0])
    return list(dict.fromkeys(node for root in roots for node in topological_order(root)))


# --- jvp: of a graph, or of a function ---------------------------------------------------

def jvp(f, primals, tangents_):
    """The value of ``f`` and its derivative along ``tangents_``: one forward pass.

    ``f`` is a function of Values (called with a leaf per primal, labelled with
    its parameter name), or a graph: a Value (or ``Graph``) whose chosen nodes
    ``primals`` move with speeds ``tangents_``. ``f`` may give a Value, a number
    or a list of them; then the answer is ``(values, tangents)``, lists. Given
    Values (inside ``grad`` or another ``jvp``), it gives Values, so derivatives
    of both modes nest.

    >>> import microbp
    >>> jvp(lambda x: [x.sin(), x * x], [0.0], [1.0])      # (sin, x²) and (cos, 2x) at 0
    ([0.0, 0.0], [1.0, 0.0])
    >>> microbp.grad(lambda x: jvp(lambda y: y ** 3, [x], [1.0])[1])(2.0)   # d/dx 3x² = 6x
    12.0
    """
    if isinstance(f, (Value, Graph)):
        return _jvp_of_graph(f, primals, tangents_)
    check_function(f, "jvp")
    primals, speeds = _pair(primals, tangents_)
    names = parameter_names(f)
    nested = any(isinstance(x, Value) for x in primals + speeds)
    variables = variables_for(primals, names)
    out = f(*variables)
    outputs = out if isinstance(out, (list, tuple)) else [out]
    values, found = _along(outputs, dict(zip(variables, speeds)), nested, f)
    return (values, found) if isinstance(out, (list, tuple)) else (values[0], found[0])


def _jvp_of_graph(root, nodes, speeds):
    graph = Graph.of(root, "jvp")
    nodes, speeds = _pair(nodes, speeds)
    for i, node in enumerate(nodes):
        if not isinstance(node, Value):
            raise TypeError(f"jvp: primals[{i}] needs a node of the graph (a Value), got {node!r}")
    nested = any(isinstance(x, Value) for x in speeds)
    found = tangents(graph.order, dict(zip(nodes, speeds)), create_graph=nested)
    tangent = found.get(graph.root, 0.0)
    return (graph.root if nested else graph.root.data), tangent


def _along(outputs: list, seeds: dict, nested: bool, f) -> tuple:
    """(values, tangents) of the outputs for these seeds: Values when nested, floats otherwise."""
    roots = [y for y in outputs if isinstance(y, Value)]
    for y in outputs:
        if not isinstance(y, Value):
            as_float(y, f"jvp: {getattr(f, '__name__', 'f')} must return Values or numbers; its result")
    found = tangents(merged_order(roots), seeds, create_graph=nested) if roots else {}
    zero = Value(0.0) if nested else 0.0
    values = [(y if nested else y.data) if isinstance(y, Value) else float(y) for y in outputs]
    return values, [found.get(y, zero) if isinstance(y, Value) else zero for y in outputs]


def _pair(primals, speeds) -> tuple:
    """The primals and the tangents as two lists of the same length, tangents as numbers or Values."""
    primals, speeds = _listed(primals, "primals"), _listed(speeds, "tangents")
    if len(primals) != len(speeds):
        raise ValueError(f"jvp: got {len(primals)} primals and {len(speeds)} tangents; give one tangent per primal")
    return primals, [t if isinstance(t, Value) else as_float(t, f"jvp: tangents[{i}]") for i, t in enumerate(speeds)]


def _listed(values, what: str) -> list:
    if isinstance(values, (Value, str)) or not hasattr(values, "__iter__"):
        raise TypeError(f"jvp: {what} needs a list, got {values!r} ({type(values).__name__})")
    return list(values)
