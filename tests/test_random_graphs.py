"""Random expression DAGs through the public API: every leaf's grad against sympy and finite differences.

A recipe (which row, which operands) is drawn once and replayed three ways: on
Values (the engine), on sympy symbols (the exact oracle) and on plain floats
(for central differences). Shared subexpressions, reused leaves and constants
on either side come from drawing operands out of the growing pool.
"""

import math
import sys
import warnings

import sympy
from hypothesis import assume, given, settings, strategies as st
from oracles import call_public, central_difference, close, finite_real, operand_counts, real_throughout, sympy_value

from microbp import DomainError, Value, gradients
from microbp.core.engine import topological_order
from microbp.core.ops import TABLE

ROWS = [row for row in TABLE]


MODERATE = st.floats(-2, 2).filter(lambda v: abs(v) > 0.05)
EDGES = st.one_of(MODERATE, st.sampled_from([0.0, -0.0, 1.0, -1.0, 1e-300, -1e-300, 1e300, -1e300, 800.0]))
"""Leaf values where 0 meets inf: relu's 0 under sqrt's infinite slope, overflow, underflow."""


@st.composite
def recipes(draw, values=MODERATE, constants=(-2.0, -0.5, 0.5, 1.0, 2.0, 3.0)):
    """(number of leaves, leaf values, steps): a step is (row, operands) with operands
    ("node", index into the pool so far) or ("const", number)."""
    leaf_count = draw(st.integers(1, 4))
    leaves = draw(st.lists(values, min_size=leaf_count, max_size=leaf_count))
    steps = []
    pool = leaf_count
    for _ in range(draw(st.integers(1, 8))):
        row = draw(st.sampled_from(ROWS))
        count = draw(st.sampled_from(operand_counts(row)[:2]))     # n-ary: two sizes its shape allows
        operands = []
        for position in range(count):
            use_constant = draw(st.booleans()) and draw(st.booleans())   # a quarter of operands
            if use_constant:
                operands.append(("const", draw(st.sampled_from(list(constants)))))
            else:
                operands.append(("node", draw(st.integers(0, pool - 1))))
        if all(kind == "const" for kind, _ in operands):
            operands[0] = ("node", pool - 1)
        steps.append((row, operands))
        pool += 1
    return leaves, steps


def replay(leaves, steps):
    """Run the recipe on ``leaves`` (Values, sympy symbols or floats); returns the last node."""
    pool = list(leaves)
    for row, operands in steps:
        args = [pool[item] if kind == "node" else item for kind, item in operands]
        symbolic = any(isinstance(arg, sympy.Basic) for arg in args)
        pool.append(row.sympy(sympy, *args) if symbolic else call_public(row, args))
    return pool[-1]


def replay_floats(steps):
    def f(*point):
        return replay(list(point), steps)
    return f


def build(recipe):
    """The recipe on labelled leaves; None where an operation is outside its domain."""
    point, steps = recipe
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(point)]
    try:
        root = replay(leaves, steps)
    except DomainError:
        return None, leaves
    return (root if isinstance(root, Value) else None), leaves


@settings(max_examples=150)
@given(recipes())
def test_every_leaf_gradient_equals_sympy_and_finite_differences(recipe):
    point, steps = recipe
    root, leaves = build(recipe)
    assume(root is not None and abs(root.data) < 1e6)
    # The chain rule multiplies local derivatives, so it speaks only where each exists. Where
    # one has no real value (∂(a**b)/∂b for a < 0) the engine's gradient is nan, unless it is
    # multiplied by an exact 0 (test_engine checks both).
    assume(all(math.isfinite(d) for node in topological_order(root, leaves=False) for d in node.local_grads))
    root.backward()

    symbols = sympy.symbols(f"x0:{len(point)}", real=True)
    exact = replay(list(symbols), steps)
    at = dict(zip(symbols, point))
    assert close(root.data, sympy_value(exact, at).real, rel=1e-9)
    f = replay_floats(steps)
    for i, (leaf, symbol) in enumerate(zip(leaves, symbols)):
        derivative = sympy_value(sympy.diff(exact, symbol), at)
        assume(finite_real(derivative))
        assert close(leaf.grad, derivative.real), f"∂/∂x{i}: engine {leaf.grad}, sympy {derivative.real}"
        try:
            estimate = central_difference(f, point, i)
        except (DomainError, ArithmeticError, ValueError):
            continue          # a step of h leaves the domain: sympy has already decided
        if estimate is not None:                  # None: a kink within h, where differences mean nothing
            assert math.isclose(leaf.grad, estimate, rel_tol=1e-4, abs_tol=1e-5)


@settings(max_examples=150)
@given(recipes())
def test_backward_is_exactly_the_table_s_chain_rule(recipe):
    """Value.backward (the hot path, walking slots) gives bit for bit what the generic chain rule gives,
    nan, inf and the zero-times-anything convention included."""
    root, leaves = build(recipe)
    assume(root is not None)
    generic = gradients(root)
    root.backward()
    for leaf in leaves:
        assert same(leaf.grad, generic.get(leaf, 0.0)), (leaf.label, leaf.grad, generic.get(leaf))


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


@settings(max_examples=80)
@given(recipes(), st.lists(st.integers(0, 3), min_size=2, max_size=3))
def test_second_and_third_derivatives_of_random_graphs_equal_sympy(recipe, path):
    """Gradients as graphs (create_graph), differentiated again, against sympy.diff."""
    point, steps = recipe
    root, leaves = build(recipe)
    assume(root is not None and abs(root.data) < 1e6)
    path = [i % len(leaves) for i in path]
    current = root
    for index in path:
        current = gradients(current, leaves[index], create_graph=True)[leaves[index]]
    symbols = sympy.symbols(f"x0:{len(point)}", real=True)
    at = dict(zip(symbols, point))
    derivative = sympy.diff(replay(list(symbols), steps), *[symbols[i] for i in path])
    exact = sympy_value(derivative, at)
    assume(finite_real(exact) and abs(exact.real) < 1e8)
    if math.isnan(current.data):                      # only where the real function has no derivative
        assert not real_throughout(derivative, at)
        return
    assert math.isclose(current.data, exact.real, rel_tol=1e-9, abs_tol=1e-9), (
        f"∂ by {path}: engine {current.data}, sympy {exact.real}")


def same_number(a: float, b: float) -> bool:
    """Equal as floats (the sign of a zero aside), or both nan."""
    return a == b or (math.isnan(a) and math.isnan(b))


def _build_quietly(recipe):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build(recipe)


@settings(max_examples=300)
@given(recipes(EDGES))
def test_gradients_as_graphs_equal_backward_bit_for_bit(recipe):
    """create_graph=True builds the backward pass as nodes, and its values are backward's numbers:
    zero times anything is zero in both (relu(x).sqrt() at x < 0: 0 × inf passes nothing)."""
    root, leaves = _build_quietly(recipe)
    assume(root is not None)
    floats = gradients(root, leaves)
    graphs = gradients(root, leaves, create_graph=True)
    for leaf in leaves:
        assert same_number(graphs[leaf].data, floats[leaf]), (leaf.label, graphs[leaf].data, floats[leaf])


@settings(max_examples=200)
@given(recipes(EDGES), st.integers(0, 3))
def test_second_derivatives_as_graphs_equal_backward_through_the_gradient_graph(recipe, index):
    """One order up: the gradient graph, differentiated as a graph and on floats, gives the same numbers
    (a Hessian row is nan only where backward's is)."""
    root, leaves = _build_quietly(recipe)
    assume(root is not None)
    x = leaves[index % len(leaves)]
    slope = gradients(root, x, create_graph=True)[x]
    floats = gradients(slope, leaves)
    graphs = gradients(slope, leaves, create_graph=True)
    for leaf in leaves:
        assert same_number(graphs[leaf].data, floats[leaf]), (leaf.label, graphs[leaf].data, floats[leaf])


SCALED = st.builds(lambda sign, power, mantissa: sign * mantissa * 10.0 ** power, st.sampled_from([-1.0, 1.0]),
                   st.integers(-300, 300), st.floats(1, 9.99))
"""Leaf values from 1e-300 to 1e300 in magnitude."""
CANCELLING = [-1e15, 1e15, -1e8, 1e8, 1e-300, 1e300, -2.0, 0.5, 3.0]
"""Constants whose paths cancel: (x + 1e15) * (x - 1e15) has a gradient of 2x from two paths of 1e15."""


@settings(max_examples=60, deadline=None)
@given(recipes(st.one_of(SCALED, MODERATE), constants=CANCELLING))
def test_verify_never_says_agree_where_the_engine_is_off_the_exact_derivative(recipe):
    """Whatever the scale, however paths cancel: where verify's report says "all gradients agree", every
    engine gradient is within rtol of sympy.diff of the same expression, evaluated at 50 digits."""
    from microbp import verify
    from microbp.check.high_precision import RealFunction, to_float

    point, steps = recipe
    root, leaves = _build_quietly(recipe)
    assume(root is not None)
    report = verify(root)
    if "all gradients agree" not in str(report):
        return
    assert report.ok and report.accurate and root.data == root.data
    symbols = sympy.symbols(f"x0:{len(point)}", real=True)
    exact_steps = [(row, [(kind, sympy.Float(item, 60) if kind == "const" else item) for kind, item in operands])
                   for row, operands in steps]        # constants exact too: -1e15 * 1e300 is not -inf
    exact = replay(list(symbols), exact_steps)
    by_name = {symbol.name: symbol for symbol in symbols}
    for check in report.leaves:
        symbol = by_name[check.name]
        reference = RealFunction(sympy.diff(exact, symbol), symbols)(*point)
        if reference is None:
            continue                         # no real derivative here: nothing to hold the engine to
        if not math.isfinite(to_float(reference)):                  # beyond the floats: inf is the nearest
            assert check.engine == to_float(reference), (check.name, check.engine, str(report))
            continue
        assert abs(check.engine - reference) <= report.rtol * abs(reference) + sys.float_info.min, (
            check.name, check.engine, float(reference), str(report))
