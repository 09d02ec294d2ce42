"""verify: "disagrees" means something is wrong, and nothing wrong passes; no false alarm from rounding."""

import math
import random

import pytest

import microbp
from microbp import Value, lecture_neuron, verify
from microbp.core.ops import OPS, Op


def test_the_neuron_agrees_and_its_grads_are_left_alone():
    o = lecture_neuron(backward=False)
    report = verify(o)
    assert report.ok and bool(report)
    assert {check.name: round(check.engine, 9) for check in report.leaves} == {
        "x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}
    assert all(node.grad == 0 for node in microbp.topological_order(o))
    text = str(report)
    assert text.splitlines()[0].split() == ["leaf", "value", "engine", "sympy", "finite", "diff.", "ok"]
    assert text.endswith("all gradients agree (rtol 1e-06)")
    assert report._repr_markdown_().startswith("| leaf | value |")


@pytest.mark.parametrize("constant", [1e7, 2e6, 1e8, 1e15])
def test_a_large_constant_is_no_false_alarm(constant):
    """The finite difference's step and tolerance scale with the values: f ~ 1e8 is no reason to disagree."""
    rng = random.Random(int(math.log10(constant)))
    for _ in range(20):
        x = Value(rng.uniform(-3, 3), label="x")
        report = verify(x * x + constant)
        assert report.ok, str(report)
    assert verify(Value(0.5, label="x") + constant).ok


@pytest.mark.parametrize("k", [3e4, 1e5, 1e6, 1e9])
def test_a_fast_oscillation_is_no_false_alarm(k):
    x = Value(math.pi / k, label="x")
    report = verify((x * k).sin())
    assert report.ok, str(report)
    assert report.leaves[0].finite_difference == pytest.approx(-k, rel=1e-9)


@pytest.mark.parametrize("scale", [1.0, 1e-5, 1e-9, 1e-300])
def test_a_convention_that_makes_the_gradient_wrong_is_caught_at_any_scale(scale):
    """(relu(x) - relu(-x))·s is s·x: slope s at 0; the convention relu'(0) = 0 gives the engine 0."""
    x = Value(0.0, label="x")
    report = verify((x.relu() - (-x).relu()) * scale)
    check = report.leaves[0]
    assert not report.ok and (check.engine, check.sympy) == (0.0, 0.0)
    assert check.finite_difference == scale and "kink" in check.note
    assert "DISAGREE" in str(report) and "kink" in report._repr_markdown_()


def test_a_broken_local_derivative_is_caught(monkeypatch):
    tanh = OPS["tanh"]
    broken = Op("tanh", 1, "tanh", tanh.notation, tanh.forward, lambda m, out, x: (1 - out,), tanh.sympy)
    monkeypatch.setitem(OPS, "tanh", broken)
    x = Value(0.7, label="x")
    report = verify(microbp.core.engine._unary(broken)(x) * 2)
    check = report.leaves[0]
    assert not report.ok and not check.ok
    assert math.isclose(check.sympy, check.finite_difference, rel_tol=1e-6)
    assert "not sympy's derivative" in check.note


def test_a_local_derivative_off_by_one_part_in_ten_thousand_is_caught(monkeypatch):
    """The tolerance is relative to the gradient's scale, not absolute: a small error still shows."""
    tanh = OPS["tanh"]
    slightly = Op("tanh", 1, "tanh", tanh.notation, tanh.forward,
                  lambda m, out, x: ((1 - out * out) * (1 + 1e-4),), tanh.sympy)
    x = Value(3.0, label="x")
    assert not verify(microbp.core.engine._unary(slightly)(x) * 1e-6).ok


def test_float_rounding_in_the_forward_pass_is_no_disagreement_but_is_said():
    """sin(x + 1e16): the float x + 1e16 is off by up to 1, so the float gradient is not the exact one;
    the engine computed the exact derivative of what it evaluated, which is all it can do."""
    x = Value(0.5, label="x")
    report = verify((x + 1e16).sin())
    check = report.leaves[0]
    assert report.ok and not report.accurate and str(report).startswith("ILL-CONDITIONED: x's float gradient")
    assert check.inaccuracy > 0.1
    assert check.engine == pytest.approx(math.cos(0.5 + 1e16), rel=1e-12)
    assert check.sympy == pytest.approx(check.finite_difference, rel=1e-6)
    assert abs(check.engine - check.sympy) > 0.1


def test_verify_never_crashes_inside_sympy():
    """relu(log(relu(1))) is relu at log 1 = 0: sympy once compared zoo with 0 here."""
    report = verify(Value(1.0).relu().log().relu())
    assert report.ok and "kink" in report.leaves[0].note


def test_a_subnormal_leaf_is_judged_at_high_precision():
    x = Value(5e-324, label="x")
    assert verify(x.log()).ok                       # 1/x overflows to inf, and d(log x)/dx is 2e323 > 1.8e308
    report = verify(x.log() * 1e-300)               # the exact gradient is 2e23, but 1/x overflowed on the way
    check = report.leaves[0]
    assert not report.ok and check.engine == math.inf and "overflowed" in check.note
    assert check.sympy == pytest.approx(1e-300 / 5e-324) == check.finite_difference


def test_a_leaf_the_root_is_and_a_leaf_it_does_not_reach():
    x = Value(2.0, label="x")
    assert [(c.engine, c.ok) for c in verify(x).leaves] == [(1.0, True)]
    y, z = Value(1.0, label="y"), Value(3.0, label="z")
    assert [(c.name, c.engine, c.ok) for c in verify(y * 0 + z).leaves] == [("y", 0.0, True), ("z", 1.0, True)]


def test_an_undefined_gradient_agrees_with_an_undefined_reference():
    """x ** y at x = -2, y = 3: ∂/∂y would need log(-2); the engine says nan, and so does the reference."""
    x, y = Value(-2.0, label="x"), Value(3.0, label="y")
    report = verify(x ** y)
    assert report.ok
    assert [math.isnan(c.engine) for c in report.leaves] == [False, True]


def test_verify_refuses_a_graph_over_its_limit():
    x = Value(1.0)
    y = x
    for _ in range(10):
        y = y * 1.5
    with pytest.raises(microbp.GraphTooLargeError, match=r"verify: the graph has 11 nodes.*pass max_nodes=11"):
        verify(y, max_nodes=10)
    assert verify(y, max_nodes=11).ok


# --- no wrong number passes without a word (issue #22, item 2) ------------------------------------

def test_cancelling_paths_are_not_called_agreement():
    """(x + 1e15)(x - 1e15): two paths of 1e15 cancel to 2x = 0.6; the float gradient is 0.5. A tolerance
    scaled by the sum over paths (2e15) once absorbed it and the report said "all gradients agree"."""
    x = Value(0.3, label="x")
    report = verify((x + 1e15) * (x - 1e15))
    first = str(report).splitlines()[0]
    assert report.ok and not report.accurate and "all gradients agree" not in str(report)
    assert first.startswith("ILL-CONDITIONED") and "0.5" in first and "0.6" in first and "0.17 relative" in first
    assert report.leaves[0].finite_difference == pytest.approx(0.6, rel=1e-9)


def test_exp_minus_one_over_x_at_a_tiny_x_says_first_that_it_is_ill_conditioned():
    x = Value(1e-8, label="x")
    report = verify((x.exp() - 1) / x)
    assert report.leaves[0].engine == pytest.approx(1.6077, rel=1e-4)
    assert str(report).startswith("ILL-CONDITIONED: x's float gradient 1.607747093 is off the exact 0.5")
    assert "all gradients agree" not in str(report)


def test_a_graph_whose_value_is_nan_is_never_ok():
    x = Value(1.0, label="x")
    big = x * 1e300 * 1e300
    report = verify(big - big + x)
    assert not report.ok and str(report).startswith("NOT OK: the graph's value is nan")
    assert "overflowed to inf" in str(report).splitlines()[0]


@pytest.mark.parametrize("make, at, cause", [
    (lambda x: x.exp().log(), 800.0, "the exp node overflowed to inf in floats (its exact value is 2.7264e+347)"),
    (lambda x: (x * x).sqrt(), 1e-300, "the mul node underflowed to 0 in floats (its exact value is 1.0e-600)"),
])
def test_an_overflow_or_underflow_is_named_as_the_cause(make, at, cause):
    """Not "a step with no real value": the float intermediate went out of range, and the note names it."""
    x = Value(at, label="x")
    report = verify(make(x))
    assert not report.ok
    assert cause in report.leaves[0].note and "no real value" not in report.leaves[0].note


def test_cancellation_in_the_function_is_no_kink():
    """cosh(x)**2 - sinh(x)**2 at 20 is 1 from terms of 5.9e16: the finite difference's rounding is
    bounded by those terms, not by the result, so it is no 'kink' (it was)."""
    x = Value(20.0, label="x")
    report = verify(x.cosh() ** 2 - x.sinh() ** 2)
    assert "kink" not in str(report)
    assert abs(report.leaves[0].finite_difference) < 1e-9
