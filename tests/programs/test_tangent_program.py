"""Forward mode as code: ``codegen(mode="forward")`` prints the tangent program, ``compile(mode="forward")``
runs it, bit for bit as ``microbp.jvp``.

The random DAGs of test_codegen (every row, kinks hit exactly, inf and nan among the values) are compiled
and compared with ``jvp`` on the graph the engine makes again, at the traced point and at new values, with
equality that tells 0.0 from -0.0 and NaN-aware.
"""

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st
from oracles import rebuilt_by_engine
from test_codegen import build, cut, run_printed, same, split, values

import microbp
from microbp import DomainError, Value
from microbp.core.forward import jvp
from microbp.core.graph import topological_order
from microbp.programs.codegen import codegen

speeds = st.lists(st.sampled_from([1.0, -1.0, 0.0, -0.0, 0.5, 2.0, math.inf, math.nan]), min_size=4, max_size=4)


def engine_jvp(root, wrt, tangents, replaced=None):
    """What jvp gives on the graph made again by the engine (leaves replaced as given), or its DomainError."""
    made = rebuilt_by_engine(root, replaced)
    if isinstance(made, DomainError):
        return made
    return jvp(made[root], [made.get(x, x) for x in wrt], tangents)


def same_pair(got, expected) -> bool:
    return same(got[0], expected[0]) and same(got[1], expected[1])


def check(f, wrt_values, tangents, input_values, expected):
    if isinstance(expected, DomainError):
        with pytest.raises(DomainError) as raised:
            f(wrt_values, tangents, input_values)
        assert str(raised.value) == str(expected)
        return
    got = f(wrt_values, tangents, input_values)
    assert same_pair(got, expected), (got, expected, f.source)
    try:                                  # the generated code alone: exact, or it says so (raises, inf, nan)
        value, tangent = f._function(list(wrt_values), list(tangents), list(input_values))
    except (ArithmeticError, ValueError, TypeError):
        return
    if math.isfinite(value + tangent):
        assert same_pair((value, tangent + 0.0), expected), ((value, tangent), expected, f.source)


@pytest.mark.parametrize("tiny", [False, True], ids=["whole", "cut"])
@settings(max_examples=200, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.data(), st.lists(st.integers(0, 2), min_size=4, max_size=4), speeds, st.lists(values, min_size=4, max_size=4))
def test_the_compiled_tangent_program_is_bit_identical_to_jvp(tiny, data, choice, direction, new_values):
    from test_codegen import recipes
    root, leaves = build(*data.draw(recipes()))
    assume(root is not None)
    wrt, inputs = split(leaves, choice)
    direction = direction[:len(wrt)]
    with cut(tiny):
        f = microbp.compile(root, wrt, inputs, mode="forward")
    check(f, [x.data for x in wrt], direction, [x.data for x in inputs], engine_jvp(root, wrt, direction))
    there = dict(zip(wrt + inputs, new_values))
    moved = {leaf: Value(v) for leaf, v in there.items()}
    check(f, [there[x] for x in wrt], direction, [there[x] for x in inputs], engine_jvp(root, wrt, direction, moved))


@settings(max_examples=150, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.data(), st.lists(st.integers(0, 2), min_size=4, max_size=4))
def test_the_printed_tangent_program_computes_what_jvp_does_where_all_is_finite(data, choice):
    from test_codegen import recipes
    root, leaves = build(*data.draw(recipes()))
    assume(root is not None)
    wrt, inputs = split(leaves, choice)
    direction = [1.0 + i for i in range(len(wrt))]
    expected = jvp(root, wrt, direction)
    try:
        value, tangent = run_printed(codegen(root, wrt, inputs, mode="forward"),
                                     *[x.data for x in wrt + inputs], *direction)
    except (ArithmeticError, ValueError, TypeError):
        return
    if math.isfinite(value + tangent):
        assert value == expected[0] or value != value
        assert tangent == expected[1], (tangent, expected)


def test_the_lecture_neuron_s_tangent_program_has_a_line_per_node_beside_the_backward_program():
    o = microbp.lecture_neuron()
    order = topological_order(o)
    leaves = [node for node in order if node.op is None]
    forward = codegen(o, wrt=leaves, mode="forward")
    backward = codegen(o, wrt=leaves)
    tangent_lines = [line.strip() for line in forward.splitlines() if line.strip().startswith("tangent_")]
    assert len(tangent_lines) == len(order) - len(leaves)              # one per computed node
    assert tangent_lines[0] == "tangent_x1_w1 = w1 * tangent_x1 + x1 * tangent_w1"
    assert tangent_lines[-1] == "tangent_o = (1 - o * o) * tangent_n"
    assert "grad_n = (1 - o * o) * grad_o" in backward                 # the same local derivative
    speeds = [0.0] * len(leaves)
    speeds[[leaf.label for leaf in leaves].index("w1")] = 1.0
    value, tangent = run_printed(forward, *[leaf.data for leaf in leaves], *speeds)
    assert (value, tangent) == jvp(o, leaves, speeds)
    assert math.isclose(tangent, microbp.gradients(o)[leaves[1]], rel_tol=1e-15)


def test_a_node_that_moves_no_one_gets_no_line_and_a_root_that_does_not_move_has_tangent_zero():
    x, z = Value(2.0, label="x"), Value(3.0, label="z")
    y = (x * 0.0).step() * z + z
    source = codegen(y, wrt=[x], inputs=[z], mode="forward")
    assert "tangent_v1 = 0.0 * tangent_x" in source and "tangent_v2" not in source   # step's derivative: 0
    assert source.rstrip().endswith(", 0.0")
    f = microbp.compile(y, wrt=[x], inputs=[z], mode="forward")
    assert f([5.0], [1.0], [1.0]) == (1.0, 0.0)
    g = microbp.compile(x, wrt=[x], mode="forward")
    assert g([4.0], [3.0]) == (4.0, 3.0)


def test_labels_named_like_the_program_s_own_names_stay_apart():
    a, b = Value(1.5, label="tangents"), Value(2.0, label="tangent_tangents")
    y = a * b
    f = microbp.compile(y, wrt=[a, b], mode="forward")
    assert f([1.5, 2.0], [1.0, 1.0]) == jvp(y, [a, b], [1.0, 1.0]) == (3.0, 3.5)


def test_a_zero_tangent_through_an_infinite_local_derivative_is_jvp_s_zero():
    x, w = Value(0.0, label="x"), Value(2.0, label="w")
    y = x.sqrt() + w * w
    f = microbp.compile(y, wrt=[x, w], mode="forward")
    assert f([0.0, 2.0], [0.0, 1.0]) == jvp(y, [x, w], [0.0, 1.0]) == (4.0, 4.0)   # the code: 0 × inf, handed over


@pytest.mark.parametrize("call, error, message", [
    (lambda y, x: microbp.compile(y, [x], mode="sideways"), ValueError, "compile: mode must be 'reverse' or 'forward'"),
    (lambda y, x: microbp.compile(y, [x], mode="forward", batch="mean"), ValueError, "mode='forward' takes none"),
    (lambda y, x: codegen(y, [x], mode="both"), ValueError, "codegen: mode must be"),
    (lambda y, x: microbp.compile(y, [x], mode="forward")([1.0], [1.0, 2.0]), ValueError,
     "compile: tangents needs 1 numbers"),
])
def test_bad_modes_and_arguments_are_refused_naming_them(call, error, message):
    x = Value(1.0, label="x")
    with pytest.raises(error, match=message):
        call(x.exp(), x)


def test_the_docs_show_the_lecture_neuron_s_tangent_program_as_codegen_prints_it():
    from pathlib import Path
    page = (Path(__file__).resolve().parents[2] / "docs" / "forward-and-reverse.md").read_text(encoding="utf-8")
    shown = page.split("<!-- the lecture neuron's tangent program")[1].split("```text\n")[1].split("```")[0]
    o = microbp.lecture_neuron()
    assert shown == codegen(o, wrt=[node for node in topological_order(o) if node.op is None], mode="forward")


def test_a_gradient_graph_compiles_in_forward_mode_too_bit_for_bit_as_jvp():
    """Forward over reverse as code: the tangent program of ∂y/∂x's graph (made without domain checks)."""
    x, w = Value(0.7, label="x"), Value(-1.3, label="w")
    y = (x * w).tanh() * x.log() + w ** 3
    slope = microbp.gradients(y, [x], create_graph=True)[x]
    f = microbp.compile(slope, wrt=[x, w], mode="forward")
    for point in ([0.7, -1.3], [2.0, 0.5], [1e-300, 3.0]):
        moved = {x: Value(point[0]), w: Value(point[1])}
        expected = engine_jvp(slope, [x, w], [1.0, 0.5], moved)
        assert same_pair(f(point, [1.0, 0.5]), expected), (point, f(point, [1.0, 0.5]), expected)
