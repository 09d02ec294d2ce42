"""Forward mode (jvp, jacfwd, jacrev, jacobian, forward-over-reverse Hessians) on random DAGs over every row.

The oracles: PyTorch's ``torch.func.jvp`` in float64, with sympy's exact derivative (30 digits, through
mpmath) as the referee where the two disagree; reverse mode itself (``gradients`` contracted with the
tangent, and ``jacrev``, ``hessian``). Recipes are those of tests/test_random_graphs.py.
"""

import math
import os
import random
import sys
from pathlib import Path

import pytest
import sympy
from hypothesis import assume, given, settings, strategies as st
from oracles import finite_real, sympy_value
from test_random_graphs import build, recipes, replay

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "programs"))
from test_codegen import build as edge_build, recipes as edge_recipes

import microbp
from microbp import DomainError, Graph, Value, grad, gradients, hessian
from microbp.core.forward import jvp, tangents
from microbp.core.jacobians import jacfwd, jacobian, jacrev


@pytest.fixture(scope="module")
def torch():
    try:
        import torch
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("torch is not installed, but it is in the test extra: under CI=true it must run")
        pytest.skip("torch is not installed: no comparison with PyTorch")
    torch.set_num_threads(1)
    return torch


def torch_replay(torch, leaves, steps):
    """The recipe on float64 tensors, each row as PyTorch computes it (test_edge_grid's functions)."""
    from test_edge_grid import torch_functions
    functions = torch_functions(torch)
    pool = list(leaves)
    for row, operands in steps:
        args = [pool[i] if kind == "node" else torch.tensor(i, dtype=torch.float64) for kind, i in operands]
        if row.arity is None:
            lists, singles = row.groups(args)
            stacked = [torch.stack(group) for group in lists]
            pool.append(stacked[0].sum() if len(stacked) == 1 else torch.dot(*stacked) + sum(singles, 0.0))
        else:
            pool.append(functions[row.name](*args))
    return pool[-1]


def same(a: float, b: float) -> bool:
    return (a != a and b != b) or a == b


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return same(a, b) or math.isclose(a, b, rel_tol=rel, abs_tol=rel)


directions = st.lists(st.sampled_from([1.0, -1.0, 0.5, 0.0, 2.0, -0.25]), min_size=4, max_size=4)


@settings(max_examples=150)
@given(recipes(), directions)
def test_jvp_equals_pytorch_s_and_sympy_referees_where_they_differ(torch, recipe, direction):
    root, leaves = build(recipe)
    assume(root is not None)
    agree_with_pytorch_or_the_exact_derivative(torch, recipe, root, leaves, direction)


@settings(max_examples=150)
@given(edge_recipes(), directions)
def test_at_the_edges_too_kinks_zeros_inf_and_nan(torch, recipe, direction):
    """test_codegen's recipes: leaves at 0, ±1, ±inf, nan, 1e±300, kinks hit exactly. Where PyTorch and
    microbp differ and the function has no real derivative (0 ** 0 by the exponent), a convention decides."""
    root, leaves = edge_build(*recipe)
    assume(root is not None)
    agree_with_pytorch_or_the_exact_derivative(torch, recipe, root, leaves, direction)


def agree_with_pytorch_or_the_exact_derivative(torch, recipe, root, leaves, direction):
    point, steps = recipe
    direction = direction[:len(leaves)]
    tangent = jvp(root, leaves, direction)[1]
    tensors = tuple(torch.tensor(x, dtype=torch.float64) for x in point)
    speeds = tuple(torch.tensor(t, dtype=torch.float64) for t in direction)
    theirs = torch.func.jvp(lambda *xs: torch_replay(torch, xs, steps), tensors, speeds)[1].item()
    assume(math.isfinite(tangent) or math.isfinite(theirs))
    if close(tangent, theirs):
        return
    symbols = sympy.symbols(f"x0:{len(point)}", real=True)
    exact = replay(list(symbols), steps)
    slope = sum((sympy.diff(exact, s) * sympy.Float(t) for s, t in zip(symbols, direction) if t), sympy.S.Zero)
    referee = sympy_value(slope, dict(zip(symbols, point)))
    assume(finite_real(referee))             # no real derivative: the conventions, not the maths, decide
    assert close(tangent, referee.real, rel=1e-8), f"microbp {tangent}, torch {theirs}, exact {referee.real}"


def contracted(root, leaves, direction) -> float:
    """Σ ∂root/∂xⱼ · ẋⱼ from reverse mode, leaves in order, skipping zero factors as the chain rule does."""
    return _contraction(root, leaves, direction)[0]


def _contraction(root, leaves, direction) -> tuple:
    """(Σ ∂root/∂xⱼ · ẋⱼ, Σ |∂root/∂xⱼ · ẋⱼ|): the sum, and the size of what it adds, which bounds
    the rounding where terms cancel."""
    grads = gradients(root, leaves)
    total = size = 0.0
    for leaf, t in zip(leaves, direction):
        if t != 0 and grads[leaf] != 0:
            total += grads[leaf] * t
            size += abs(grads[leaf] * t)
    return total, size


@settings(max_examples=200)
@given(recipes(), directions)
def test_jvp_equals_gradients_contracted_with_the_tangent_where_both_are_finite(recipe, direction):
    """To rounding: forward multiplies along a path leaves first, reverse root first, so products
    associate differently (``bit_for_bit_share`` below measures how often the bits agree)."""
    root, leaves = build(recipe)
    assume(root is not None)
    direction = direction[:len(leaves)]
    forward, (reverse, size) = jvp(root, leaves, direction)[1], _contraction(root, leaves, direction)
    assume(math.isfinite(forward) and math.isfinite(reverse))
    # Where terms cancel to 0 (2 − 2), rounding in another order leaves ~1e-16 of their size, not of 0:
    # the size is the largest of what either side adds up (the terms, every node's tangent on the way).
    speeds = tangents(Graph(root).order, dict(zip(leaves, direction))).values()
    size = max([size, *(abs(s) for s in speeds if math.isfinite(s))])
    assert math.isclose(forward, reverse, rel_tol=1e-12, abs_tol=max(1e-12 * size, 1e-300))


def test_a_single_tangent_of_one_through_a_chain_of_two_is_bit_for_bit_the_gradient():
    """Where the products are the same ones (a path of at most two edges, one seed of 1), the bits agree."""
    x = Value(0.37)
    y = (x.tanh() * 3.1).sin()
    assert jvp(y, [x], [1.0])[1] == gradients(y, [x])[x]


def test_a_zero_tangent_passes_nothing_on_even_through_an_infinite_local_derivative():
    """The named difference from reverse mode contracted naively: ∂√x/∂x is inf at 0, and inf·0 is nan."""
    x, w = Value(0.0), Value(2.0)
    y = x.sqrt() + w * w
    assert jvp(y, [x, w], [0.0, 1.0]) == (4.0, 4.0)
    assert math.isnan(gradients(y, [x])[x] * 0.0)
    assert jvp(y, [x, w], [1.0, 0.0])[1] == math.inf            # moving x itself: the slope is infinite


def test_nan_overflow_kinks_and_domain_errors_are_the_engine_s():
    assert jvp(Value(math.nan).tanh(), [Value(1.0)], [1.0])[1] == 0.0     # a leaf outside the graph moves nothing
    nan = Value(math.nan)
    assert math.isnan(jvp(nan * 2, [nan], [1.0])[0]) and jvp(nan * 2, [nan], [1.0])[1] == 2.0
    assert jvp(lambda x: x.exp(), [1000.0], [1.0]) == (math.inf, math.inf)
    assert jvp(lambda x: x.relu() + abs(x), [0.0], [1.0]) == (0.0, 0.0)       # kinks: slope 0, as backward
    assert jvp(lambda a, b: microbp.max(a, b), [1.0, 1.0], [1.0, 0.0])[1] == 0.5   # a tie shares, as backward
    with pytest.raises(DomainError, match="log: needs x > 0"):
        jvp(lambda x: x.log(), [-1.0], [1.0])


# --- nesting: forward inside reverse, reverse inside forward ----------------------------------

def derivative(f):
    """d/dx in forward mode: one jvp with tangent 1."""
    return lambda x: jvp(f, [x], [1.0])[1]


def test_perturbation_confusion_does_not_happen_in_either_mode_or_mixed():
    """Siskind and Pearlmutter's example, d/dx [x · (d/dy (x + y))] = 1 (confusion gives 2), and the
    reverse-mode test's d/dx [x · (d/dy x·y)] = 2x, with every mix of the two modes."""
    for outer in (derivative, grad):
        for inner in (derivative, grad):
            assert outer(lambda x, d=inner: x * d(lambda y: x + y)(1.0))(1.0) == 1.0, (outer, inner)
            assert outer(lambda x, d=inner: x * d(lambda y: x * y)(x))(3.0) == 6.0, (outer, inner)
            assert outer(lambda x, d=inner: d(lambda y: x * y)(x))(3.0) == 1.0, (outer, inner)


@pytest.mark.parametrize("modes", [(derivative,) * 4, (grad,) * 4, (derivative, grad) * 2, (grad, derivative) * 2])
def test_fourth_derivatives_in_any_mix_of_modes(modes):
    f = lambda x: (x * 0.7).tanh() * x.exp()                 # noqa: E731
    t = sympy.Symbol("t", real=True)
    exact = float(sympy.diff(sympy.tanh(t * sympy.Rational(7, 10)) * sympy.exp(t), t, 4).subs(t, 0.4))
    for mode in modes:
        f = mode(f)
    assert math.isclose(f(0.4), exact, rel_tol=1e-12)


def test_jvp_nested_in_grad_gives_values_made_in_the_tangents_scope():
    seen = []
    grad(lambda x: seen.append(jvp(lambda y: y.sin(), [x], [1.0])) or seen[0][1])(0.5)
    _, tangent = seen[0]
    assert isinstance(tangent, Value) and tangent.data == math.cos(0.5)
    assert "tangents" in {part for node in microbp.topological_order(tangent) for part in (node.scope or ())}


# --- Jacobians and Hessians ---------------------------------------------------------------------

@settings(max_examples=100)
@given(recipes(), st.integers(1, 3))
def test_jacfwd_equals_jacrev_on_random_functions_of_several_outputs(recipe, count):
    point, steps = recipe

    def f(*xs):
        pool = list(xs)
        try:
            replay(pool, steps)
        except DomainError:
            return list(xs)
        return [replay(list(xs), steps[:len(steps) - k]) if len(steps) > k else xs[0] for k in range(count)]
    forward, reverse = jacfwd(f)(*point), jacrev(f)(*point)
    assert len(forward) == len(reverse) and forward.passes == len(point) and reverse.passes == len(reverse)
    for row_f, row_r in zip(forward, reverse):
        for a, b in zip(row_f, row_r):
            assert same(a, b) or math.isclose(a, b, rel_tol=1e-12) or not (math.isfinite(a) and math.isfinite(b))


def test_jacobian_picks_the_mode_with_fewer_passes_and_says_which():
    many_inputs = jacobian(lambda a, b, c: a * b + c)(1.0, 2.0, 3.0)
    many_outputs = jacobian(lambda t: [t, t * t, t.sin()])(1.0)
    assert (many_inputs.mode, many_inputs.passes, many_outputs.mode, many_outputs.passes) == ("reverse", 1, "forward", 1)
    assert jacobian(lambda t: [t, t * t], mode="reverse")(1.0) == many_outputs[:2]
    assert jacobian(lambda t: [t, t * t], mode="reverse")(1.0).passes == 2
    with pytest.raises(ValueError, match="jacobian: mode must be"):
        jacobian(lambda t: t, mode="sideways")


@settings(max_examples=60)
@given(recipes())
def test_forward_over_reverse_hessians_equal_reverse_over_reverse(recipe):
    point, steps = recipe

    def f(*xs):
        return replay(list(xs), steps)
    try:
        reverse = hessian(f)(*point)
    except DomainError:
        assume(False)
    forward = hessian(f, mode="forward-over-reverse")(*point)
    for row_f, row_r in zip(forward, reverse):
        for a, b in zip(row_f, row_r):
            assert same(a, b) or math.isclose(a, b, rel_tol=1e-10, abs_tol=1e-12) or not (
                math.isfinite(a) and math.isfinite(b)), (forward, reverse)


def test_the_walkthrough_network_s_hessian_both_ways():
    weights = [0.5, -0.3, 0.8, -0.6, 0.2, 0.9, 1.1, -0.7]

    def error(w01, w02, w13, w23, w14, w24, w35, w45):
        y1, y2 = (w01 * 1.0).sigmoid(), (w02 * 1.0).sigmoid()
        y3, y4 = (w13 * y1 + w23 * y2).sigmoid(), (w14 * y1 + w24 * y2).sigmoid()
        return ((w35 * y3 + w45 * y4).sigmoid() - 0.2) ** 2 * 0.5
    reverse, forward = hessian(error)(*weights), hessian(error, mode="forward-over-reverse")(*weights)
    assert all(math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15) for r, f in zip(reverse, forward) for a, b in zip(r, f))


# --- bad input: one clear error, naming the function and the argument ---------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda: jvp(lambda x: x, [1.0], [1.0, 2.0]), ValueError, "jvp: got 1 primals and 2 tangents"),
    (lambda: jvp(lambda x: x, 1.0, [1.0]), TypeError, "jvp: primals needs a list"),
    (lambda: jvp(lambda x: x, [1.0], ["1"]), TypeError, r"jvp: tangents\[0\] needs a real number"),
    (lambda: jvp(3, [1.0], [1.0]), TypeError, "jvp needs a function"),
    (lambda: jvp(Value(1.0), [2.0], [1.0]), TypeError, r"jvp: primals\[0\] needs a node of the graph"),
    (lambda: jvp(lambda x: "y", [1.0], [1.0]), TypeError, "jvp: <lambda> must return Values or numbers"),
    (lambda: jacfwd(lambda x: [x, "y"])(1.0), TypeError, "jacfwd: output 1 of <lambda>"),
])
def test_bad_input_gets_one_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_tangents_of_a_graph_with_a_seeded_inner_node_treat_it_as_an_input():
    x = Value(2.0)
    h = x * x
    y = h + x
    assert tangents(microbp.topological_order(y), {h: 1.0})[y] == 1.0
    assert jvp(y, [x], [1.0])[1] == 5.0


def bit_for_bit_share(samples: int = 2000, seed: int = 1) -> float:
    """How often jvp and gradients contracted with the tangent agree to the last bit, where finite."""
    rng, agree, total = random.Random(seed), 0, 0
    rows = microbp.TABLE
    for _ in range(samples):
        leaves = [Value(rng.uniform(-2, 2)) for _ in range(3)]
        pool = list(leaves)
        try:
            for _ in range(6):
                row = rng.choice([r for r in rows if r.arity in (1, 2)])
                pool.append(microbp.apply(row, [rng.choice(pool) for _ in range(row.arity)]))
        except DomainError:
            continue
        direction = [rng.choice([1.0, 0.5, -2.0, 0.0]) for _ in leaves]
        forward, reverse = jvp(pool[-1], leaves, direction)[1], contracted(pool[-1], leaves, direction)
        if math.isfinite(forward) and math.isfinite(reverse):
            total += 1
            agree += forward == reverse
    return agree / total


def test_bit_for_bit_agreement_with_reverse_mode_is_measured_not_assumed():
    share = bit_for_bit_share(400)
    assert 0.5 < share < 1.0          # most agree; products that associate differently do not
