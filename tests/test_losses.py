"""Losses: values by formula, gradients against sympy and the textbook closed forms, stability."""

import math

import pytest

import microbp
from microbp import Value
from microbp.losses import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, hinge,
                            mse, softmax)


def leaves(*values):
    return [Value(v, label=f"z{i}") for i, v in enumerate(values)]


def test_mse_value_and_gradient():
    p = leaves(0.8, 0.1, -0.5)
    loss = mse(p, [1.0, 0.0, 0.5])
    assert loss.data == pytest.approx(((0.2) ** 2 + 0.1 ** 2 + 1.0) / 3)
    loss.backward()
    assert [v.grad for v in p] == pytest.approx([2 * (0.8 - 1) / 3, 2 * 0.1 / 3, 2 * (-1.0) / 3])
    assert microbp.verify(mse(leaves(0.3, 0.4), [1, 0])).ok


def test_binary_cross_entropy_against_sympy_and_closed_form():
    p = leaves(0.9, 0.2)
    loss = binary_cross_entropy(p, [1, 0])
    assert loss.data == pytest.approx(-(math.log(0.9) + math.log(0.8)) / 2)
    assert microbp.verify(binary_cross_entropy(leaves(0.7, 0.4), [0.3, 1])).ok


@pytest.mark.parametrize("z, y", [(0.3, 1), (-2.0, 0), (1.5, 0.25), (0.0, 1), (0.0, 0.3), (-0.0, 0)])
def test_bce_with_logits_gradient_is_sigmoid_minus_target(z, y):
    logit = Value(z, label="z")
    loss = binary_cross_entropy_with_logits(logit, y)
    loss.backward()
    sigmoid = 1 / (1 + math.exp(-z))
    assert loss.data == pytest.approx(-(y * math.log(sigmoid) + (1 - y) * math.log(1 - sigmoid)))
    assert logit.grad == pytest.approx(sigmoid - y)
    assert microbp.verify(binary_cross_entropy_with_logits(Value(z, label="z"), y)).ok


@pytest.mark.parametrize("z", [1000.0, -1000.0])
def test_bce_with_logits_is_finite_at_extremes(z):
    loss = binary_cross_entropy_with_logits(Value(z), 1)
    assert math.isfinite(loss.data) and loss.data == pytest.approx(max(-z, 0.0))


def test_cross_entropy_gradient_is_p_minus_y():
    z = leaves(1.0, -0.5, 2.0)
    loss = cross_entropy(z, 2)
    loss.backward()
    exps = [math.exp(v.data) for v in z]
    p = [e / sum(exps) for e in exps]
    assert loss.data == pytest.approx(-math.log(p[2]))
    assert [v.grad for v in z] == pytest.approx([p[0], p[1], p[2] - 1])
    assert microbp.verify(cross_entropy(leaves(0.1, 0.7), 0)).ok


def test_cross_entropy_and_softmax_at_extreme_logits():
    z = leaves(1000.0, -1000.0, 0.0)
    loss = cross_entropy(z, 1)
    loss.backward()
    assert loss.data == pytest.approx(2000.0)
    assert [v.grad for v in z] == pytest.approx([1.0, -1.0, 0.0])
    assert [p.data for p in softmax(z)] == pytest.approx([1.0, 0.0, 0.0])
    assert sum(p.data for p in softmax(leaves(0.3, 0.1, -2))) == pytest.approx(1.0)


def test_hinge_is_micrographs_max_margin_loss():
    s = leaves(0.5, -2.0, 3.0)
    loss = hinge(s, [1, 1, -1])
    assert loss.data == pytest.approx((0.5 + 3.0 + 4.0) / 3)


@pytest.mark.parametrize("call, message", [
    (lambda: mse([Value(1.0)], [1, 2]), "mse: needs as many targets as predictions"),
    (lambda: cross_entropy([Value(1.0)], 3), "target must be a class index in 0..0"),
    (lambda: hinge([], []), "at least one"),
])
def test_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()
