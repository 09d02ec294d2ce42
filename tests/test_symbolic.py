"""to_sympy, verify and check_derivation: the oracle itself, and that it can say no."""

import math

import pytest
import sympy

import microbp
from microbp import DomainError, Value, check_derivation, lecture_neuron, to_sympy, verify
from microbp.ops import OPS, Op


def test_to_sympy_of_the_neuron():
    expr = to_sympy(lecture_neuron())
    x1, x2, w1, w2, b = sympy.symbols("x1 x2 w1 w2 b", real=True)
    assert sympy.simplify(expr - sympy.tanh(x1 * w1 + x2 * w2 + b)) == 0


def test_to_sympy_names_unlabelled_leaves_and_keeps_constants_exact():
    a, b = Value(1.0), Value(2.0, label="x0")
    expr = to_sympy(a * 0.1 + b ** 2)
    assert str(expr) == "x0**2 + x1/10"


def test_to_sympy_keeps_same_labelled_leaves_apart():
    first, second = Value(1.0, label="w"), Value(2.0, label="w")
    expr = to_sympy(first * second + first)
    assert sorted(s.name for s in expr.free_symbols) == ["w", "w_2"]


def test_to_sympy_shares_subexpressions():
    x = Value(0.5, label="x")
    y = (x * 3).tanh()
    for _ in range(10):            # as a tree: 2**10 copies of tanh(3x); as built: one, shared
        y = y * 0.5 + y * y
    expr = to_sympy(y)
    assert len(expr.atoms(sympy.tanh)) == 1
    value = expr.subs(sympy.Symbol("x", real=True), sympy.Rational(1, 2)).evalf(30)
    assert math.isclose(float(value), y.data, rel_tol=1e-9)


@pytest.mark.parametrize("method", ["relu", "abs"])
def test_kinks_differentiate_to_the_engine_convention(method):
    x = Value(0.0, label="x")
    out = getattr(x, method)()
    out.backward()
    symbol = sympy.Symbol("x", real=True)
    assert float(sympy.diff(to_sympy(out), symbol).subs(symbol, 0)) == x.grad == 0.0


def test_verify_agrees_on_the_neuron_and_leaves_grads_alone():
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


def test_verify_catches_a_broken_local_derivative(monkeypatch):
    tanh = OPS["tanh"]
    broken = Op("tanh", 1, "tanh", tanh.notation, tanh.forward, lambda m, out, x: (1 - out,), tanh.sympy)
    monkeypatch.setitem(OPS, "tanh", broken)
    x = Value(0.7, label="x")
    out = microbp.engine._unary(broken)(x) * 2
    report = verify(out)
    assert not report.ok and not bool(report)
    check = report.leaves[0]
    assert not check.ok and math.isclose(check.sympy, check.finite_difference, rel_tol=1e-6)
    assert "DISAGREE" in str(report)


def test_verify_does_not_judge_finite_differences_at_a_kink():
    x = Value(0.0, label="x")
    report = verify(x.relu() + x)
    assert report.ok and math.isnan(report.leaves[0].finite_difference)


@pytest.mark.parametrize("expr, claimed", [
    ("sigmoid(z)", "sigmoid(z) * (1 - sigmoid(z))"),
    ("tanh(w*x + b)", "x*(1 - tanh(w*x + b)**2)"),
    ("log(x)", "1/x"),
    ("x**3", "3*x**2"),
])
def test_right_claims_are_accepted_symbolically(expr, claimed):
    wrt = "w" if "w" in expr else ("z" if "z" in expr else "x")
    result = check_derivation(expr, wrt, claimed)
    assert result.ok and bool(result) and result.how == "symbolic"
    assert str(result).startswith("correct (symbolic)")


def test_a_right_claim_simplify_cannot_reduce_is_accepted_numerically():
    result = check_derivation("sqrt(x*x + 2*x + 1)", "x", "(x + 1) / abs(x + 1)")
    assert result.ok and result.how.startswith("numeric")


def test_numeric_fallback_is_used_when_simplify_gives_up(monkeypatch):
    monkeypatch.setattr(sympy, "simplify", lambda expr, **kwargs: expr)
    assert check_derivation("sigmoid(z)", "z", "exp(z) / (1 + exp(z))**2").how.startswith("numeric")
    assert not check_derivation("sigmoid(z)", "z", "exp(z) / (1 + exp(z))").ok


def test_a_wrong_claim_that_agrees_at_some_points_is_caught():
    claim = "3*x**2 + (x - 1)*(x - 2)"          # right at x = 1 and x = 2 only
    result = check_derivation("x**3", "x", claim)
    assert not result.ok and result.how == "numeric"
    x = result.counterexample["x"]
    assert math.isclose(result.correct_value, 3 * x ** 2)
    assert math.isclose(result.claimed_value, 3 * x ** 2 + (x - 1) * (x - 2))
    assert result.correct == sympy.sympify("3*x**2").subs("x", sympy.Symbol("x", real=True))
    assert result.latex == "3 x^{2}"
    assert "WRONG" in str(result) and "3 x^{2}" in str(result)


def test_check_derivation_takes_sympy_expressions_and_fixed_values():
    x, y = sympy.symbols("x y")
    assert check_derivation(x * sympy.sin(y), "y", x * sympy.cos(y)).ok
    assert check_derivation("x * y", "x", "y", y=3.0).ok
    with pytest.raises(ValueError, match="x is the variable of differentiation"):
        check_derivation("x * y", "x", "y", x=3.0)
    with pytest.raises(TypeError, match="strings or sympy expressions"):
        check_derivation(Value(1.0), "x", "1")


def test_check_derivation_outside_every_domain():
    with pytest.raises(DomainError, match="no point where both sides are defined"):
        check_derivation("sqrt(-x*x - 1)", "x", "x")
