"""Optimizers: one step by hand on a quadratic, convergence, and the schedules."""

import copy
import math

import pytest

import microbp
from microbp import Value
from microbp.losses import mse
from microbp.nn import MLP
from microbp.optim import SGD, Adagrad, Adam, AdamW, ExponentialLR, LinearLR, StepLR


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




# --- Adam's weight decay is L2 in the gradient; AdamW's is decoupled ---------------------------------

def adam_by_hand(steps, lr, weight_decay, decoupled, b1=0.9, b2=0.999, eps=1e-8):
    """w after ``steps`` steps on (w - 3)² from w = 1, written out from the papers."""
    w, m, v = 1.0, 0.0, 0.0
    for t in range(1, steps + 1):
        g = 2 * (w - 3)
        if decoupled:
            w -= lr * weight_decay * w          # Loshchilov & Hutter: shrink p, leave g alone
        else:
            g += weight_decay * w               # L2: the decay goes through m and v
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        w -= lr * (m / (1 - b1 ** t)) / (math.sqrt(v / (1 - b2 ** t)) + eps)
    return w


@pytest.mark.parametrize("optimizer_class, decoupled", [(Adam, False), (AdamW, True)])
def test_adam_and_adamw_weight_decay_by_hand(optimizer_class, decoupled):
    expected = adam_by_hand(3, lr=0.1, weight_decay=0.5, decoupled=decoupled)
    assert quadratic_step(optimizer_class, steps=3, lr=0.1, weight_decay=0.5) == pytest.approx(expected, rel=1e-12)


def test_adamw_is_not_adam_with_l2():
    assert quadratic_step(AdamW, lr=0.1, weight_decay=0.5) == pytest.approx(1.05)    # 1·(1 − 0.05), then + lr
    assert quadratic_step(Adam, lr=0.1, weight_decay=0.5) == pytest.approx(1.1)      # first Adam step is lr
    assert AdamW([Value(1.0)]).weight_decay == 0.01 and AdamW([Value(1.0)]).lr == 0.001
    assert "L2" in Adam.__doc__ and "AdamW" in Adam.__doc__


def test_adamw_matches_pytorch():
    torch = pytest.importorskip("torch")
    start = [1.0, -2.0, 0.5]
    ours = [Value(x) for x in start]
    theirs = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = AdamW(ours, lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)
    reference = torch.optim.AdamW([theirs], lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)
    for _ in range(5):
        optimizer.zero_grad()
        microbp.sum([(w - 3) ** 2 * (i + 1) for i, w in enumerate(ours)]).backward()
        optimizer.step()
        reference.zero_grad()
        (((theirs - 3) ** 2) * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum().backward()
        reference.step()
    assert [w.data for w in ours] == pytest.approx(theirs.tolist(), rel=1e-12)


# --- every numeric argument is checked up front -------------------------------------------------------

def one():
    return [Value(1.0)]


@pytest.mark.parametrize("call, error, message", [
    (lambda: SGD([], lr=0.1), ValueError, "SGD: got no parameters"),
    (lambda: SGD([1.0], lr=0.1), TypeError, r"SGD: params\[0\] must be a Value, got 1.0 \(float\)"),
    (lambda: SGD(one() * 2, lr=0.1), ValueError, r"SGD: params\[1\] is params\[0\] again"),
    (lambda: Adam(one(), lr=-1), ValueError, "Adam: lr must be a finite number > 0, got -1"),
    (lambda: SGD(one(), lr=math.inf), ValueError, "SGD: lr must be a finite number > 0, got inf"),
    (lambda: SGD(one(), lr=math.nan), ValueError, "SGD: lr must be a finite number > 0, got nan"),
    (lambda: SGD(one(), lr=True), TypeError, r"SGD: lr must be a real number > 0, got True \(bool\)"),
    (lambda: SGD(one(), lr="0.1"), TypeError, "SGD: lr must be a real number > 0, got '0.1'"),
    (lambda: SGD(one(), lr=0.1, momentum=1.0), ValueError, "SGD: momentum must be a finite number >= 0 and < 1"),
    (lambda: SGD(one(), lr=0.1, momentum=-0.5), ValueError, "SGD: momentum must be"),
    (lambda: SGD(one(), lr=0.1, weight_decay=-1e-4), ValueError, "SGD: weight_decay must be a finite number >= 0"),
    (lambda: Adagrad(one(), eps=0), ValueError, "Adagrad: eps must be a finite number > 0, got 0"),
    (lambda: Adam(one(), betas=(1, 1)), ValueError, r"Adam: betas\[0\] must be a finite number >= 0 and < 1, got 1"),
    (lambda: Adam(one(), betas=(0.9, 1.0)), ValueError, r"Adam: betas\[1\] must be"),
    (lambda: Adam(one(), betas=0.9), TypeError, r"Adam: betas must be a pair \(beta1, beta2\), got 0.9"),
    (lambda: Adam(one(), eps=-1e-8), ValueError, "Adam: eps must be"),
    (lambda: Adam(one(), weight_decay=math.inf), ValueError, "Adam: weight_decay must be a finite number >= 0"),
    (lambda: AdamW(one(), weight_decay=-0.01), ValueError, "AdamW: weight_decay must be"),
    (lambda: StepLR(SGD(one(), lr=1.0), step_size=0), ValueError, "StepLR: step_size must be a positive int, got 0"),
    (lambda: StepLR(SGD(one(), lr=1.0), step_size=2.0), TypeError, "StepLR: step_size must be a positive int, got 2.0"),
    (lambda: StepLR(SGD(one(), lr=1.0), step_size=2, gamma=-0.5), ValueError,
     "StepLR: gamma must be a finite number > 0"),
    (lambda: ExponentialLR(SGD(one(), lr=1.0), gamma=0), ValueError, "ExponentialLR: gamma must be"),
    (lambda: LinearLR(SGD(one(), lr=1.0), total_iters=0), ValueError, "LinearLR: total_iters must be a positive int"),
    (lambda: LinearLR(SGD(one(), lr=1.0), start_factor=-1.0), ValueError, "LinearLR: start_factor must be"),
    (lambda: LinearLR(SGD(one(), lr=1.0), end_factor=-0.1), ValueError, "LinearLR: end_factor must be"),
    (lambda: LinearLR(object()), TypeError, "LinearLR: optimizer must be"),
])
def test_bad_arguments_name_the_class_the_argument_and_the_value(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_bad_schedule_leaves_the_optimizer_alone():
    optimizer = SGD(one(), lr=0.5)
    with pytest.raises(ValueError):
        LinearLR(optimizer, start_factor=0.1, total_iters=0)
    assert optimizer.lr == 0.5


@pytest.mark.parametrize("make", [
    lambda params: StepLR(SGD(params, lr=1.0), step_size=1), lambda params: LinearLR(SGD(params, lr=1.0), 1.0, 0.5, 1),
])
def test_schedules_with_the_smallest_allowed_arguments_step(make):
    schedule = make(one())
    for _ in range(3):
        schedule.step()
    assert schedule.optimizer.lr in (0.1 ** 3, 0.5)


# --- a gradient that is inf or nan stops step() before anything changes ---------------------------------

OPTIMIZERS = [(SGD, {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1}), (Adagrad, {"lr": 0.5}),
              (Adam, {"lr": 0.1, "weight_decay": 0.1}), (AdamW, {"lr": 0.1})]


@pytest.mark.parametrize("optimizer_class, kwargs", OPTIMIZERS)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_non_finite_gradient_changes_nothing(optimizer_class, kwargs, bad):
    params = [Value(1.0, label="a"), Value(2.0), Value(-1.0, label="c")]
    optimizer = optimizer_class(params, **kwargs)
    for p in params:                               # one good step first, so there is state to keep
        p.grad = 0.5
    optimizer.step()
    data, state = [p.data for p in params], copy.deepcopy({k: v for k, v in vars(optimizer).items() if k != "params"})
    params[1].grad = bad
    with pytest.raises(ValueError, match=rf"{optimizer_class.__name__}.step: the gradient of params\[1\] is {bad!r}"):
        optimizer.step()
    params[1].grad, params[2].grad = 0.5, bad
    with pytest.raises(ValueError, match=rf"params\[2\] \('c'\) is {bad!r}; no parameter was changed"):
        optimizer.step()
    assert [p.data for p in params] == data
    assert {k: v for k, v in vars(optimizer).items() if k != "params"} == state


@pytest.mark.parametrize("make, message", [
    (lambda w: microbp.optim.SGD([w], lr=10 ** 400), "SGD: lr must be a finite number > 0, got an int of 401 digits"),
    (lambda w: microbp.optim.Adam([w], eps=-10 ** 400), "Adam: eps must be a finite number > 0, got an int of 401 digits"),
    (lambda w: microbp.optim.SGD([w], lr=0.1, momentum=10 ** 5000), "SGD: momentum must be a finite number >= 0 and < 1, "
                                                             "got an int of 5001 digits"),
])
def test_numbers_beyond_floating_point_are_refused_by_name(make, message):
    with pytest.raises(ValueError) as error:
        make(Value(1.0))
    assert str(error.value) == message


def test_a_schedule_that_overflows_names_itself_and_the_epoch_and_changes_nothing():
    optimizer = microbp.optim.SGD([Value(0.0)], lr=1.0)
    schedule = microbp.optim.ExponentialLR(optimizer, gamma=10)
    for _ in range(308):
        schedule.step()
    lr = optimizer.lr
    with pytest.raises(ValueError, match=r"^ExponentialLR.step: at epoch 309 the learning rate .* is beyond floating"):
        schedule.step()
    assert optimizer.lr == lr and schedule.epoch == 308
    step = microbp.optim.StepLR(microbp.optim.SGD([Value(0.0)], lr=1.0), step_size=1, gamma=10)
    with pytest.raises(ValueError, match=r"^StepLR.step: at epoch 309"):
        for _ in range(400):
            step.step()


@pytest.mark.parametrize("kind", [Adam, Adagrad, AdamW])
def test_state_that_overflows_is_warned_once_naming_the_parameter(kind):
    """A gradient of 1e200 squares to inf: once, the parameter never moved again and nothing said so."""
    import warnings

    from microbp.errors import OptimizerStateWarning

    w, other = Value(1.0, label="w"), Value(1.0, label="other")
    optimizer = kind([other, w], lr=0.1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        w.grad, other.grad = 1e200, 1.0
        optimizer.step()
        w.grad = 1.0
        optimizer.step()
    messages = [str(warning.message) for warning in caught if warning.category is OptimizerStateWarning]
    assert len(messages) == 1 and f"{kind.__name__}.step: the state of params[1] ('w') is no longer finite" \
        in messages[0]
    assert "= inf" in messages[0] and "'other'" not in messages[0]


def test_plain_training_warns_nothing():
    import warnings

    w = Value(3.0, label="w")
    optimizer = microbp.optim.Adam([w], lr=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(20):
            optimizer.zero_grad(); loss = (w - 1) ** 2; loss.backward(); optimizer.step()
