"""The backward pass as code: ``codegen`` prints it, ``compile`` runs it, bit for bit as the engine.

Random DAGs over every row of the table (shared subexpressions, constants on
either side, kinks hit exactly, inf and nan among the values) are compiled
and compared with the engine at the traced point and at a new one, value and
gradients, with NaN-aware equality that tells 0.0 from -0.0. The compiled
function is checked twice: as it is (it may hand over to the engine), and its
generated code alone, which must either agree exactly or flag the case (raise,
or give something not finite).
"""

import contextlib
import math

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

import microbp
from microbp import DomainError, GraphTooLargeError, Value, gradients
from microbp import emit
from microbp.engine import apply, derivative_formulas
from microbp.graph import topological_order
from microbp.ops import OPS, TABLE
from microbp.program import Program, codegen, is_safe
from microbp.runtime import namespace
from oracles import call_public, operand_counts

INF, NAN = math.inf, math.nan
EXACT = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0]
EXTREME = [INF, -INF, NAN, 1e300, -1e300, 1e-300]


def same(a, b) -> bool:
    """Equal as the engine's results are compared: NaN equals NaN, and 0.0 is not -0.0."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    return type(a) is type(b) and (a == b or (a != a and b != b))


def same_results(got, expected) -> bool:
    (value, grads), (value2, grads2) = got, expected
    return same(value, value2) and len(grads) == len(grads2) and all(map(same, grads, grads2))


# --- random graphs ------------------------------------------------------------------------

values = st.one_of(st.sampled_from(EXACT), st.floats(-3, 3, allow_subnormal=False),
                   st.sampled_from(EXACT + EXTREME))


@st.composite
def recipes(draw, max_steps=8):
    """(leaf values, steps): a step is (row, operands), an operand ("node", index) or ("const", number)."""
    leaves = draw(st.lists(values, min_size=1, max_size=4))
    steps, pool = [], len(leaves)
    for _ in range(draw(st.integers(1, max_steps))):
        row = draw(st.sampled_from(TABLE))
        count = draw(st.sampled_from(operand_counts(row)[:2]))
        operands = []
        for _ in range(count):
            if draw(st.booleans()) and draw(st.booleans()):
                operands.append(("const", draw(st.sampled_from(EXACT + [3.0, -0.25]))))
            else:
                operands.append(("node", draw(st.integers(0, pool - 1))))
        if all(kind == "const" for kind, _ in operands):
            operands[draw(st.integers(0, count - 1))] = ("node", pool - 1)
        steps.append((row, operands))
        pool += 1
    return leaves, steps


def build(leaf_values, steps):
    """The recipe through the public API; (root, leaves), root None where a step leaves its domain."""
    leaves = [Value(v, label=f"x{i}") for i, v in enumerate(leaf_values)]
    pool = list(leaves)
    try:
        for row, operands in steps:
            pool.append(call_public(row, [pool[i] if kind == "node" else i for kind, i in operands]))
    except DomainError:
        return None, leaves
    return (pool[-1] if isinstance(pool[-1], Value) else None), leaves


def engine(root, wrt, replaced=None):
    """What the engine computes: the graph made again node by node with ``apply`` in topological
    order (leaves replaced as given; nodes of gradient graphs inside derivative formulas), then
    ``gradients``; or the DomainError it raises."""
    made = {}
    try:
        for node in topological_order(root):
            if node.op is None:
                made[node] = (replaced or {}).get(node, node)
                continue
            operands = [p if type(p) is float else made[p] for p in node.parents]
            if node.scope and node.scope[-1] == "backward":
                with derivative_formulas():
                    made[node] = apply(node.op, operands)
            else:
                made[node] = apply(node.op, operands)
    except DomainError as error:
        return error
    grads = gradients(made[root], [made.get(x, x) for x in wrt])
    return made[root].data, [grads[made.get(x, x)] for x in wrt]


@contextlib.contextmanager
def cut(tiny: bool):
    """With ``tiny``, parts and sums so small that every random graph's code is cut into pieces."""
    with pytest.MonkeyPatch.context() as patch:
        if tiny:
            patch.setattr(emit, "PART_SIZE", 40)
            patch.setattr(emit, "TERMS", 2)
        yield


def split(leaves, choice):
    """wrt, inputs and baked leaves from a list of 0/1/2 choices."""
    wrt = [leaf for leaf, c in zip(leaves, choice) if c == 0]
    inputs = [leaf for leaf, c in zip(leaves, choice) if c == 1]
    return wrt, inputs


def assert_generated_code_exact_or_flagged(f, call, expected):
    """The generated function alone: the engine's numbers, or an exception, or something not finite."""
    try:
        value, grads = call(f._function)
    except (ArithmeticError, ValueError, TypeError):
        return
    total = value + sum(grads)
    if type(total) is float and total - total == 0.0:
        assert same_results((value, grads), expected), ((value, grads), expected, f.source)


def check_compiled(f, wrt_values, input_values, expected):
    if isinstance(expected, DomainError):
        with pytest.raises(DomainError) as raised:
            f(wrt_values, input_values)
        assert str(raised.value) == str(expected)
        return
    assert same_results(f(wrt_values, input_values), expected), (f(wrt_values, input_values), expected, f.source)
    assert_generated_code_exact_or_flagged(f, lambda fn: fn(list(wrt_values), list(input_values)), expected)


@pytest.mark.parametrize("tiny", [False, True], ids=["whole", "cut"])
@settings(max_examples=200, suppress_health_check=[HealthCheck.filter_too_much])
@given(recipes(), st.lists(st.integers(0, 2), min_size=4, max_size=4), st.lists(values, min_size=4, max_size=4))
def test_compiled_graphs_agree_with_the_engine_bit_for_bit(tiny, recipe, choice, new_values):
    leaf_values, steps = recipe
    root, leaves = build(leaf_values, steps)
    assume(root is not None)
    wrt, inputs = split(leaves, choice)
    with cut(tiny):
        f = microbp.compile(root, wrt, inputs)
    here = ([x.data for x in wrt], [x.data for x in inputs])
    expected = engine(root, wrt)
    check_compiled(f, *here, expected)
    root.zero_grad()
    root.backward()
    assert all(same(x.grad, g) for x, g in zip(wrt, expected[1]))
    there = dict(zip(wrt + inputs, new_values))
    moved = {leaf: Value(v) for leaf, v in there.items()}
    check_compiled(f, [there[x] for x in wrt], [there[x] for x in inputs], engine(root, wrt, moved))


# --- batches: one example's graph, compiled into a loop -----------------------------------------

def replayed(root, replaced):
    """The graph made again by the engine with some leaves replaced (a DomainError propagates)."""
    made = {}
    for node in topological_order(root):
        if node.op is None:
            made[node] = replaced.get(node, node)
        else:
            made[node] = apply(node.op, [p if type(p) is float else made[p] for p in node.parents])
    return made[root]


def engine_batch(root, wrt, inputs, rows, mean, plus):
    """The engine's ``sum(losses) * (1.0 / n) + plus``, each example's graph made anew."""
    shared = {x: Value(x.data) for x in wrt}
    try:
        losses = [replayed(root, {**shared, **{x: Value(v) for x, v in zip(inputs, row)}}) for row in rows]
        total = microbp.sum(losses)
        if mean:
            total = total * (1.0 / len(rows))
        if plus is not None:
            total = total + replayed(plus, shared)
    except DomainError as error:
        return error
    grads = gradients(total, [shared[x] for x in wrt])
    return total.data, [grads[shared[x]] for x in wrt]


@pytest.mark.parametrize("tiny", [False, True], ids=["whole", "cut"])
@settings(max_examples=150, suppress_health_check=[HealthCheck.filter_too_much])
@given(recipes(), st.lists(st.integers(0, 2), min_size=4, max_size=4), st.booleans(),
       st.one_of(st.none(), recipes(max_steps=3)), st.lists(st.lists(values, min_size=4, max_size=4), min_size=1,
                                                            max_size=4))
def test_batches_agree_with_the_engine_s_sum_over_examples(tiny, recipe, choice, mean, plus_recipe, rows):
    leaf_values, steps = recipe
    root, leaves = build(leaf_values, steps)
    assume(root is not None)
    wrt, inputs = split(leaves, choice)
    assume(inputs)
    plus = None
    if plus_recipe is not None and wrt:
        pool = list(wrt)
        try:
            for row, operands in plus_recipe[1]:
                pool.append(call_public(row, [pool[i % len(pool)] if kind == "node" else i for kind, i in operands]))
        except DomainError:
            pool = []
        plus = pool[-1] if pool and isinstance(pool[-1], Value) else None
    with cut(tiny):
        f = microbp.compile(root, wrt, inputs, batch="mean" if mean else "sum", plus=plus)
    rows = [[x.data for x in inputs]] + [row[:len(inputs)] for row in rows]    # the traced values first
    wrt_values = [x.data for x in wrt]
    expected = engine_batch(root, wrt, inputs, rows, mean, plus)
    if isinstance(expected, DomainError):
        with pytest.raises(DomainError) as raised:
            f(wrt_values, rows)
        assert str(raised.value) == str(expected)
        return
    assert same_results(f(wrt_values, rows), expected), (f(wrt_values, rows), expected, f.source)
    seed = 1.0 / len(rows) if mean else 1.0
    assert_generated_code_exact_or_flagged(f, lambda fn: fn(wrt_values, rows[::-1], seed), expected)


# --- second derivatives: compiling a gradient's graph ---------------------------------------------

@settings(max_examples=150, suppress_health_check=[HealthCheck.filter_too_much])
@given(recipes(max_steps=6), st.lists(st.integers(0, 2), min_size=4, max_size=4), st.integers(0, 3),
       st.lists(values, min_size=4, max_size=4))
def test_compiled_gradient_graphs_give_the_engine_s_second_derivatives(recipe, choice, which, new_values):
    leaf_values, steps = recipe
    root, leaves = build(leaf_values, steps)
    assume(root is not None)
    wrt, inputs = split(leaves, choice)
    assume(wrt)
    x = wrt[which % len(wrt)]
    slope = gradients(root, wrt, create_graph=True)[x]
    f = microbp.compile(slope, wrt, inputs)
    check_compiled(f, [v.data for v in wrt], [v.data for v in inputs], engine(slope, wrt))
    # At a new point: the gradient's graph replayed by the engine (its derivative nodes inside
    # derivative formulas, as gradients() made them), which is what the engine gives when it
    # makes the gradient's graph again there, wherever the forward pass is inside its domain.
    moved = {leaf: Value(v) for leaf, v in zip(wrt + inputs, new_values)}
    expected = engine(slope, wrt, moved)
    check_compiled(f, [moved[v].data for v in wrt], [moved[v].data for v in inputs], expected)
    try:
        again = replayed(root, moved)
    except DomainError:
        return
    moved_wrt = [moved[v] for v in wrt]
    slope_there = gradients(again, moved_wrt, create_graph=True)[moved[x]]
    grads = gradients(slope_there, moved_wrt)
    assert same_results((slope_there.data, [grads[v] for v in moved_wrt]), expected)
