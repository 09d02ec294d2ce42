"""Random expression DAGs through the public API: every leaf's grad against sympy and finite differences.

A recipe (which row, which operands) is drawn once and replayed three ways: on
Values (the engine), on sympy symbols (the exact oracle) and on plain floats
(for central differences). Shared subexpressions, reused leaves and constants
on either side come from drawing operands out of the growing pool.
"""

import math

import sympy
from hypothesis import assume, given, settings, strategies as st

from microbp import DomainError, Value
from microbp.engine import topological_order
from microbp.ops import TABLE
from oracles import call_public, central_difference, close, finite_real, operand_counts, sympy_value

ROWS = [row for row in TABLE]


@st.composite
def recipes(draw):
    """(number of leaves, leaf values, steps): a step is (row, operands) with operands
    ("node", index into the pool so far) or ("const", number)."""
    leaf_count = draw(st.integers(1, 4))
    leaves = draw(st.lists(st.floats(-2, 2).filter(lambda v: abs(v) > 0.05), min_size=leaf_count,
                           max_size=leaf_count))
    steps = []
    pool = leaf_count
    for _ in range(draw(st.integers(1, 8))):
        row = draw(st.sampled_from(ROWS))
        count = draw(st.sampled_from(operand_counts(row)[:2]))     # n-ary: two sizes its shape allows
        operands = []
        for position in range(count):
            use_constant = draw(st.booleans()) and draw(st.booleans())   # a quarter of operands
            if use_constant:
                operands.append(("const", draw(st.sampled_from([-2.0, -0.5, 0.5, 1.0, 2.0, 3.0]))))
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


@settings(max_examples=150)
@given(recipes())
def test_every_leaf_gradient_equals_sympy_and_finite_differences(recipe):
    point, steps = recipe
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(point)]
    try:
        root = replay(leaves, steps)
    except DomainError:
        assume(False)
    assume(isinstance(root, Value) and abs(root.data) < 1e6)
    # The chain rule multiplies local derivatives, so it speaks only where each exists. Where
    # one has no real value (∂(a**b)/∂b for a < 0) the engine's gradient is nan by design, even
    # when that nan is multiplied by 0 and the whole is differentiable (test_engine checks it).
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
