"""Losses: values by formula, gradients against sympy and the textbook closed forms, stability."""

import math

import pytest

import microbp
from microbp import Value
from microbp.losses import binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, hinge, mse, softmax


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
    (lambda: mse([Value(1.0)], [1, 2]), "mse: needs as many targets as predictions, got 1 and 2"),
    (lambda: cross_entropy([Value(1.0)], 3), "target must be a class index in 0..0"),
])
def test_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- numbers as well as Values (numbers in, float out, as microbp.tanh) ---------------------------

NUMBER_CASES = [
    (lambda: mse(2.5, 3.0), mse, (Value(2.5), 3.0)),
    (lambda: mse([0.8, 0.1], [1.0, 0.0]), mse, ([Value(0.8), Value(0.1)], [1.0, 0.0])),
    (lambda: binary_cross_entropy(0.5, 1), binary_cross_entropy, (Value(0.5), 1)),
    (lambda: binary_cross_entropy([0.9, 0.2], [1, 0.25]), binary_cross_entropy, ([Value(0.9), Value(0.2)], [1, 0.25])),
    (lambda: binary_cross_entropy_with_logits(-0.3, 1), binary_cross_entropy_with_logits, (Value(-0.3), 1)),
    (lambda: cross_entropy([1.0, 2.0], 0), cross_entropy, ([Value(1.0), Value(2.0)], 0)),
    (lambda: cross_entropy([[1.0, 2.0], [3, 1]], [0, 0]), cross_entropy,
     ([[Value(1.0), Value(2.0)], [Value(3.0), Value(1.0)]], [0, 0])),
    (lambda: hinge([0.5, -2], [1, -1]), hinge, ([Value(0.5), Value(-2.0)], [1, -1])),
]


@pytest.mark.parametrize("on_numbers, loss, on_values", NUMBER_CASES)
def test_every_loss_takes_numbers_and_gives_a_float(on_numbers, loss, on_values):
    result = on_numbers()
    assert type(result) is float
    assert result == pytest.approx(loss(*on_values).data, rel=1e-15)


def test_softmax_takes_numbers_and_gives_floats():
    probabilities = softmax([1.0, 2.0])
    assert all(type(p) is float for p in probabilities)
    assert probabilities == pytest.approx([1 / (1 + math.e), math.e / (1 + math.e)])
    assert [type(p) for p in softmax([Value(1.0), 2.0])] == [Value, Value]


@pytest.mark.parametrize("call, message", [
    (lambda: softmax([]), "softmax: logits is empty"),
    (lambda: cross_entropy([], 0), "cross_entropy: logits is empty"),
    (lambda: cross_entropy([[0.0], []], [0, 0]), r"cross_entropy: logits\[1\] is empty"),
    (lambda: cross_entropy([], []), "cross_entropy: logits is empty"),
    (lambda: mse([], []), "mse: predictions is empty"),
    (lambda: binary_cross_entropy([], []), "binary_cross_entropy: probabilities is empty"),
    (lambda: binary_cross_entropy_with_logits([], []), "binary_cross_entropy_with_logits: logits is empty"),
    (lambda: hinge([], []), "hinge: scores is empty"),
])
def test_empty_input_is_one_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: mse("0.5", 1.0), r"mse: predictions\[0\] must be a Value or a real number, got '0.5' \(str\)"),
    (lambda: mse([Value(1.0)], 1.0), "mse: targets must be a list as long as predictions"),
    (lambda: hinge([Value(1.0)], [None]), r"hinge: labels\[0\] must be"),
    (lambda: softmax([Value(1.0), "2"]), r"softmax: logits\[1\] must be a Value or a real number"),
    (lambda: softmax(Value(1.0)), r"softmax: logits must be a list of Values or numbers, got Value\("),
    (lambda: cross_entropy(2.0, 0), "cross_entropy: logits must be a list of Values or numbers, got 2.0"),
])
def test_wrong_types_are_named(call, message):
    with pytest.raises(TypeError, match=message):
        call()


# --- binary cross-entropy checks its probabilities and targets ---------------------------------------

@pytest.mark.parametrize("target", [1.5, -0.1, math.nan, math.inf])
def test_bce_targets_must_be_finite_and_in_0_1(target):
    for loss in (binary_cross_entropy, binary_cross_entropy_with_logits):
        with pytest.raises(ValueError, match=rf"{loss.__name__}: targets\[0\] must be a finite number in \[0, 1\]"):
            loss(Value(0.5), target)


def test_bce_soft_labels_are_allowed():
    assert binary_cross_entropy(0.5, 0.3) == pytest.approx(math.log(2))


@pytest.mark.parametrize("p, y", [(1.5, 1), (-0.2, 0), (math.nan, 1), (math.inf, 0),
                                  (0.0, 1), (1.0, 0), (0.0, 0.5), (1.0, 0.5)])
def test_bce_probability_outside_its_domain_is_a_domain_error(p, y):
    with pytest.raises(microbp.DomainError, match=rf"binary_cross_entropy: probabilities\[0\] = {p!r}"):
        binary_cross_entropy(Value(p), y)


def test_bce_checks_every_example_before_building_anything():
    good = Value(0.5)
    with pytest.raises(microbp.DomainError, match=r"probabilities\[1\] = 1.5"):
        binary_cross_entropy([good, Value(1.5)], [1, 1])
    with pytest.raises(ValueError, match=r"targets\[1\] must be"):
        binary_cross_entropy([Value(2.0), good], [1, 2])          # targets first: the probability is never read


@pytest.mark.parametrize("p, y, expected", [(1.0, 1, 0.0), (0.0, 0, 0.0)])
def test_bce_at_0_or_1_is_fine_where_the_log_has_weight_0(p, y, expected):
    probability = Value(p)
    loss = binary_cross_entropy(probability, y)
    loss.backward()
    assert loss.data == expected and probability.grad == (-1.0 if p == 1 else 1.0)


# --- cross-entropy: shifted before the log-sum-exp, and batches ------------------------------------

def reference_cross_entropy(logits, target):
    """−log softmax(z)[target] in 400-digit arithmetic (enough to keep log 2 next to 1e300)."""
    import mpmath
    with mpmath.workdps(400):
        z = [mpmath.mpf(v) for v in logits]
        return float(mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z)) - z[target])


@pytest.mark.parametrize("logits, target", [
    ([1e16, 1e16], 0), ([1e16, 1e16 + 2], 0), ([1e300, -1e300, 1e300], 2), ([-1e16, -1e16, -1e16], 1),
    ([1e-300, -1e-300], 0), ([1e-16, 0.0, -1e-16], 2), ([5e-324, 0.0], 1), ([1000.0, -1000.0, 0.0], 1),
    ([1.0, -0.5, 2.0], 2), ([3.0, 3.0 + 1e-12], 1),
])
def test_cross_entropy_matches_high_precision(logits, target):
    expected = reference_cross_entropy(logits, target)
    assert cross_entropy([Value(z) for z in logits], target).data == pytest.approx(expected, rel=1e-14, abs=1e-300)
    assert cross_entropy(logits, target) == pytest.approx(expected, rel=1e-14, abs=1e-300)


def test_cross_entropy_of_huge_equal_logits_is_log_2():
    assert cross_entropy([Value(1e16)] * 2, 0).data == pytest.approx(math.log(2), rel=1e-15)


def test_cross_entropy_takes_a_batch_and_returns_the_mean():
    batch = [leaves(1.0, -0.5, 2.0), leaves(0.3, 0.3, -1.0)]
    loss = cross_entropy(batch, [2, 0])
    loss.backward()
    singles = [cross_entropy([Value(v.data) for v in z], t).data for z, t in zip(batch, [2, 0])]
    assert loss.data == pytest.approx(sum(singles) / 2)
    exps = [math.exp(v.data) for v in batch[1]]
    assert [v.grad for v in batch[1]] == pytest.approx([(exps[0] / sum(exps) - 1) / 2, exps[1] / sum(exps) / 2,
                                                        exps[2] / sum(exps) / 2])
    assert microbp.verify(cross_entropy([leaves(0.1, 0.7), leaves(-0.2, 0.4)], [0, 1])).ok


@pytest.mark.parametrize("call, error, message", [
    (lambda: cross_entropy([[1.0, 2.0]], [0, 1]), ValueError,
     "needs one target per example, got 1 logit lists and 2 targets"),
    (lambda: cross_entropy([1.0, 2.0], [0, 1]), TypeError, "a list of targets needs a list of logit lists"),
    (lambda: cross_entropy([[1.0, 2.0], [1.0]], [0, 1]), ValueError, r"targets\[1\] must be a class index in 0..0"),
    (lambda: cross_entropy([1.0, 2.0], True), ValueError, "target must be a class index in 0..1, got True"),
    (lambda: cross_entropy([Value(1.0), Value(math.inf)], 0), microbp.DomainError,
     r"cross_entropy: logits\[1\] = inf is not finite"),
    (lambda: softmax([math.nan]), microbp.DomainError, r"softmax: logits\[0\] = nan is not finite"),
    (lambda: hinge([1.0, 2.0], [1, 0]), ValueError, r"hinge: labels\[1\] must be 1 or -1, got 0"),
])
def test_cross_entropy_and_friends_name_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()


LOGIT_GRID = [-1e3, -700.0, -100.0, -40.0, -36.0, -30.0, -20.0, -5.0, -1e-8, 0.0, 1e-8, 5.0, 20.0, 30.0,
              36.0, 40.0, 100.0, 700.0, 1e3]


@pytest.mark.parametrize("y", [0, 1, 0.25])
@pytest.mark.parametrize("z", LOGIT_GRID)
def test_bce_with_logits_keeps_every_digit_for_large_logits(z, y):
    """Ours agrees with log(1 + e^z) − y·z worked to 400 digits (mpmath) to a few ulps of the loss itself:
    at z = −40, y = 0 the loss is 4.2e-18, not 0. torch's float64 loss rounds to a few ulps of |z| (it
    gives 0 there), so it is the check on the large values, to its own rounding."""
    import mpmath
    import torch
    with mpmath.workdps(400):
        exact = float(mpmath.log1p(mpmath.exp(mpmath.mpf(z))) - mpmath.mpf(y) * mpmath.mpf(z))
    logit = Value(z, label="z")
    loss = binary_cross_entropy_with_logits(logit, y)
    assert loss.data == pytest.approx(exact, rel=1e-14, abs=0)
    reference = torch.nn.functional.binary_cross_entropy_with_logits(
        torch.tensor(z, dtype=torch.float64, requires_grad=True), torch.tensor(float(y), dtype=torch.float64))
    assert loss.data == pytest.approx(reference.item(), rel=1e-12, abs=1e-15 * max(1.0, abs(z)))
    loss.backward()
    with mpmath.workdps(400):
        exact_grad = float(1 / (1 + mpmath.exp(-mpmath.mpf(z))) - mpmath.mpf(y))
    assert logit.grad == pytest.approx(exact_grad, rel=1e-12, abs=1e-300)
