"""grad and value_and_grad on plain Python functions, against sympy."""

import math

import pytest
import sympy

from microbp import grad, value_and_grad


def test_grad_returns_one_partial_per_argument():
    dx, dy = grad(lambda x, y: x * y + x.tanh())(2.0, 3.0)
    x, y = sympy.symbols("x y", real=True)
    f = x * y + sympy.tanh(x)
    assert math.isclose(dx, float(sympy.diff(f, x).subs({x: 2, y: 3})), rel_tol=1e-12)
    assert dy == 2.0


def test_value_and_grad_and_single_argument():
    value, (dw,) = value_and_grad(lambda w: (w * w).log())(3.0)
    assert math.isclose(value, math.log(9)) and math.isclose(dw, 2 / 3)
    assert grad(lambda x: x ** 3)(2.0) == (12.0,)


def test_leaves_are_labelled_by_parameter_names():
    seen = []

    def f(weight, bias):
        seen.extend([weight.label, bias.label])
        return weight * bias
    grad(f)(1.0, 2.0)
    assert seen == ["weight", "bias"]


def test_constant_functions_and_bad_returns():
    assert value_and_grad(lambda x: 5)(1.0) == (5.0, (0.0,))
    with pytest.raises(TypeError, match="must return a Value or a number, got 'x'"):
        grad(lambda x: "x")(1.0)
    with pytest.raises(TypeError, match="needs a function"):
        grad(3)
    with pytest.raises(TypeError, match=r"Value\(data\) needs a real number"):
        grad(lambda x: x)("1")
