"""Optimizers: one step by hand on a quadratic, convergence, and the schedules."""

import math

import pytest

from microbp import Value
from microbp.nn import MLP
from microbp.losses import mse
from microbp.optim import SGD, Adagrad, Adam, ExponentialLR, LinearLR, StepLR


def quadratic_step(optimizer_class, steps=1, **kwargs):
    """Minimise L = (w - 3)²; returns w after ``steps`` steps from w = 1."""
    w = Value(1.0)
    optimizer = optimizer_class([w], **kwargs)
    for _ in range(steps):
        optimizer.zero_grad()
        ((w - 3) ** 2).backward()
        optimizer.step()
    return w.data


def test_sgd_step_by_hand():
    # g = 2(w - 3) = -4 at w = 1: w = 1 - 0.1·(-4) = 1.4
    assert quadratic_step(SGD, lr=0.1) == pytest.approx(1.4)
    # weight decay adds 0.5·w: g = -4 + 0.5 = -3.5
    assert quadratic_step(SGD, lr=0.1, weight_decay=0.5) == pytest.approx(1.35)


def test_sgd_momentum_two_steps_by_hand():
    # step 1: v = -4, w = 1.4; step 2: g = 2(1.4 - 3) = -3.2, v = 0.9·(-4) - 3.2 = -6.8, w = 1.4 + 0.68
    assert quadratic_step(SGD, steps=2, lr=0.1, momentum=0.9) == pytest.approx(2.08)


def test_adagrad_step_by_hand():
    # s = 16, w = 1 - 0.5·(-4)/(4 + eps) = 1.5
    assert quadratic_step(Adagrad, lr=0.5) == pytest.approx(1.5)


def test_adam_first_step_moves_by_lr():
    # m̂ = g, v̂ = g², so the first step is lr·g/|g| = -lr·sign(g)
    assert quadratic_step(Adam, lr=0.1) == pytest.approx(1.1, abs=1e-7)


def test_adam_two_steps_by_hand():
    b1, b2, lr = 0.9, 0.999, 0.1
    w, m, v = 1.0, 0.0, 0.0
    for t in (1, 2):
        g = 2 * (w - 3)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        w -= lr * (m / (1 - b1 ** t)) / (math.sqrt(v / (1 - b2 ** t)) + 1e-8)
    assert quadratic_step(Adam, steps=2, lr=lr) == pytest.approx(w)


@pytest.mark.parametrize("optimizer_class, kwargs", [
    (SGD, {"lr": 0.1}), (SGD, {"lr": 0.05, "momentum": 0.9}), (Adagrad, {"lr": 1.0}), (Adam, {"lr": 0.1}),
])
def test_converges_on_the_quadratic(optimizer_class, kwargs):
    assert quadratic_step(optimizer_class, steps=300, **kwargs) == pytest.approx(3.0, abs=1e-3)


def test_an_mlp_fits_xor():
    model = MLP(2, [4, 1], activation="tanh", seed=3)
    data = [([0.0, 0.0], 0.0), ([0.0, 1.0], 1.0), ([1.0, 0.0], 1.0), ([1.0, 1.0], 0.0)]
    optimizer = Adam(model.parameters(), lr=0.05)
    for _ in range(300):
        loss = mse([model(x) for x, _ in data], [y for _, y in data])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert loss.data < 0.01


def test_schedules():
    optimizer = SGD([Value(0.0)], lr=1.0)
    linear = LinearLR(optimizer, 1.0, 0.1, 100)
    rates = []
    for k in range(1, 120):
        linear.step()
        rates.append(optimizer.lr)
    assert rates[49] == pytest.approx(1.0 - 0.9 * 50 / 100) and rates[-1] == pytest.approx(0.1)
    optimizer = SGD([Value(0.0)], lr=1.0)
    step = StepLR(optimizer, step_size=10, gamma=0.5)
    for _ in range(25):
        step.step()
    assert optimizer.lr == 0.25
    optimizer = SGD([Value(0.0)], lr=2.0)
    exponential = ExponentialLR(optimizer, gamma=0.5)
    exponential.step()
    exponential.step()
    assert optimizer.lr == 0.5


@pytest.mark.parametrize("call, message", [
    (lambda: SGD([], lr=0.1), "got no parameters"), (lambda: Adam([Value(1.0)], lr=-1), "lr must be positive"),
])
def test_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message.replace("positive", "a positive number")):
        call()
