"""The update rules: one table, run by microbp.optim on floats, written as maths and as JavaScript.

The oracles: PyTorch's optimizers and schedules (float64), the arithmetic microbp.optim ran before
the rules existed (kept below as a reference, bit for bit), and node running the generated JavaScript.
"""

import inspect
import json
import math
import random
import shutil
import subprocess

import pytest

from microbp import Value
from microbp.optim import SGD, Adagrad, Adam, AdamW, ExponentialLR, LinearLR, Optimizer, StepLR
from microbp.update_rules import RULES, TABLE, Assignment, Rule, equations, javascript, rule_for, update_lines
from microbp.update_rules.python import python_source
from microbp.update_rules.rules import REQUIRED, SYMBOLS, _index

OPTIMIZERS = [   # (class, arguments, the torch class's name): every rule of the table, with and without decay
    (SGD, {"lr": 0.1}, "SGD"),
    (SGD, {"lr": 0.1, "weight_decay": 0.3}, "SGD"),
    (SGD, {"lr": 0.05, "momentum": 0.9}, "SGD"),
    (SGD, {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.2}, "SGD"),
    (Adagrad, {"lr": 0.5}, "Adagrad"),
    (Adagrad, {"lr": 0.3, "eps": 1e-6}, "Adagrad"),
    (Adam, {"lr": 0.1}, "Adam"),
    (Adam, {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1}, "Adam"),
    (AdamW, {"lr": 0.1}, "AdamW"),
    (AdamW, {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.3}, "AdamW"),
]
SCHEDULES = [   # (class, arguments, the torch class's name)
    (StepLR, {"step_size": 3, "gamma": 0.5}, "StepLR"),
    (StepLR, {"step_size": 1}, "StepLR"),
    (ExponentialLR, {"gamma": 0.9}, "ExponentialLR"),
    (LinearLR, {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 7}, "LinearLR"),
    (LinearLR, {"start_factor": 0.25, "end_factor": 1.0, "total_iters": 4}, "LinearLR"),
]
START, WEIGHTS = [1.0, -2.0, 0.5], [1.0, 2.0, 3.0]


def gradient(p: float, c: float) -> float:
    """The gradient of c·(p − 3)² + 0.1·p³, the same arithmetic in Python and in JavaScript."""
    return 2 * c * (p - 3) + 0.3 * p * p


def run_ours(optimizer_class, kwargs, steps):
    params = [Value(x) for x in START]
    optimizer = optimizer_class(params, **kwargs)
    trajectory = []
    for _ in range(steps):
        for p, c in zip(params, WEIGHTS):
            p.grad = gradient(p.data, c)
        optimizer.step()
        trajectory.append([p.data for p in params])
    return trajectory, optimizer


# --- the rules against PyTorch --------------------------------------------------------------------

@pytest.mark.parametrize("optimizer_class, kwargs, torch_name", OPTIMIZERS)
def test_every_optimizer_matches_torch_for_ten_steps(optimizer_class, kwargs, torch_name):
    torch = pytest.importorskip("torch")
    ours, _ = run_ours(optimizer_class, kwargs, 10)
    theirs = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    reference = getattr(torch.optim, torch_name)([theirs], **kwargs)
    for step in range(10):
        theirs.grad = torch.tensor([gradient(p, c) for p, c in zip(theirs.tolist(), WEIGHTS)], dtype=torch.float64)
        reference.step()
        assert ours[step] == pytest.approx(theirs.tolist(), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("schedule_class, kwargs, torch_name", SCHEDULES)
def test_every_schedule_matches_torch_for_ten_epochs(schedule_class, kwargs, torch_name):
    torch = pytest.importorskip("torch")
    optimizer = SGD([Value(0.0)], lr=0.5)
    schedule = schedule_class(optimizer, **kwargs)
    theirs = torch.optim.SGD([torch.zeros(1, dtype=torch.float64, requires_grad=True)], lr=0.5)
    reference = getattr(torch.optim.lr_scheduler, torch_name)(theirs, **kwargs)
    assert optimizer.lr == pytest.approx(theirs.param_groups[0]["lr"], rel=1e-12)
    for _ in range(10):
        schedule.step()
        theirs.step()
        reference.step()
        assert optimizer.lr == pytest.approx(theirs.param_groups[0]["lr"], rel=1e-12)


# --- the rules run by microbp.optim give, bit for bit, what microbp.optim computed before them ----------

class OldSGD(SGD):
    def _update(self):
        for i, p in enumerate(self.params):
            g = p.grad + self.weight_decay * p.data
            if self.momentum:
                g = self.velocity[i] = self.momentum * self.velocity[i] + g
            p.data -= self.lr * g


class OldAdagrad(Adagrad):
    def _update(self):
        for i, p in enumerate(self.params):
            g = p.grad
            self.sum_of_squares[i] += g * g
            p.data -= self.lr * g / (math.sqrt(self.sum_of_squares[i]) + self.eps)


class OldAdam(Adam):
    def _update(self):
        self.t += 1
        correction1, correction2 = 1 - self.beta1 ** self.t, 1 - self.beta2 ** self.t
        for i, p in enumerate(self.params):
            g = p.grad
            if self.decoupled_weight_decay:
                p.data *= 1 - self.lr * self.weight_decay
            else:
                g += self.weight_decay * p.data
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g * g
            p.data -= self.lr * (self.m[i] / correction1) / (math.sqrt(self.v[i] / correction2) + self.eps)


class OldAdamW(OldAdam, AdamW):
    pass


OLD = {SGD: OldSGD, Adagrad: OldAdagrad, Adam: OldAdam, AdamW: OldAdamW}
OLD_FACTORS = {
    StepLR: lambda self, epoch: self.gamma ** (epoch // self.step_size),
    ExponentialLR: lambda self, epoch: self.gamma ** epoch,
    LinearLR: lambda self, epoch: self.start_factor + (self.end_factor - self.start_factor) * (
        min(epoch, self.total_iters) / self.total_iters),
}


@pytest.mark.parametrize("optimizer_class, kwargs, _", OPTIMIZERS)
def test_the_rules_give_what_optim_gave_before_them_bit_for_bit(optimizer_class, kwargs, _):
    rng = random.Random(7)
    new, old = ([Value(rng.uniform(-3, 3)) for _ in range(4)] for _ in range(2))
    for p, q in zip(new, old):
        q.data = p.data
    ours, theirs = optimizer_class(new, **kwargs), OLD[optimizer_class](old, **kwargs)
    for _ in range(20):
        for p, q in zip(new, old):
            p.grad = q.grad = rng.choice([rng.uniform(-5, 5), rng.uniform(-1e-6, 1e-6), 0.0, -0.0, 1e30])
        ours.step()
        theirs.step()
        assert [p.data for p in new] == [q.data for q in old]
    assert {k: v for k, v in vars(ours).items() if k != "params"} == \
        {k: v for k, v in vars(theirs).items() if k != "params"}


@pytest.mark.parametrize("schedule_class, kwargs, _", SCHEDULES)
def test_the_schedule_rules_give_what_optim_gave_before_them_bit_for_bit(schedule_class, kwargs, _):
    schedule = schedule_class(SGD([Value(0.0)], lr=0.3), **kwargs)
    for epoch in range(1, 40):
        schedule.step()
        assert schedule.epoch == epoch
        assert schedule.optimizer.lr == schedule.base_lr * OLD_FACTORS[schedule_class](schedule, epoch)
        assert schedule.factor(epoch) == OLD_FACTORS[schedule_class](schedule, epoch)


def test_the_rules_keep_optims_defaults():
    owners = {"sgd": SGD, "sgd_momentum": SGD, "adagrad": Adagrad, "adam": Adam, "adamw": AdamW,
              "step_lr": StepLR, "exponential_lr": ExponentialLR, "linear_lr": LinearLR}
    assert set(owners) == set(RULES)
    for name, owner in owners.items():
        signature = inspect.signature(owner).parameters
        for hyperparameter, default in RULES[name].hyperparameters:
            if hyperparameter in ("beta1", "beta2"):
                expected = signature["betas"].default[int(hyperparameter[-1]) - 1]
            else:
                expected = signature[hyperparameter].default
            assert default == (REQUIRED if expected is inspect.Parameter.empty else expected), (name, hyperparameter)


# --- maths for the lecture ----------------------------------------------------------------------------

def test_adams_update_written_with_numbers():
    lines = update_lines("adam", p=1.0, g=0.5, m=0.12, v=0.01, t=1, lr=0.1)
    assert [(line.equation, line.numbers) for line in lines] == [
        ("t = t + 1", "t = 1 + 1 = 2"),
        ("g = g + λ × p", "g = 0.5 + 0 × 1 = 0.5"),
        ("m = β₁ × m + (1 − β₁) × g", "m = 0.9 × 0.12 + (1 − 0.9) × 0.5 = 0.158"),
        ("v = β₂ × v + (1 − β₂) × g × g", "v = 0.999 × 0.01 + (1 − 0.999) × 0.5 × 0.5 = 0.01024"),
        ("m̂ = m ÷ (1 − β₁ ^ t)", "m̂ = 0.158 ÷ (1 − 0.9²) = 0.8316"),
        ("v̂ = v ÷ (1 − β₂ ^ t)", "v̂ = 0.01024 ÷ (1 − 0.999²) = 5.123"),
        ("p = p − η × m̂ ÷ (√(v̂) + ε)", "p = 1 − 0.1 × 0.8316 ÷ (√(5.123) + 1e-08) = 0.9633"),
    ]
    m_hat, v_hat = 0.158 / (1 - 0.9 ** 2), 0.01024 / (1 - 0.999 ** 2)          # by hand
    assert lines[-1].value == pytest.approx(1 - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8), rel=1e-12)


def test_every_rule_has_one_equation_per_assignment():
    for rule in TABLE:
        written = equations(rule)
        assert len(written) == len(rule.once) + len(rule.update)
        assert all(" = " in line and "s." not in line for line in written)
    assert equations("linear_lr")[1] == "f = f₀ + (f₁ − f₀) × (min(k, K) ÷ K)"
    assert equations("step_lr")[1] == "f = γ ^ ⌊k ÷ S⌋"


def test_the_lines_of_an_optimizers_next_update_are_its_step_and_torchs():
    torch = pytest.importorskip("torch")
    params = [Value(x) for x in START]
    optimizer = Adam(params, lr=0.05, betas=(0.8, 0.99), weight_decay=0.1)
    theirs = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    reference = torch.optim.Adam([theirs], lr=0.05, betas=(0.8, 0.99), weight_decay=0.1)
    for _ in range(3):
        for p, c in zip(params, WEIGHTS):
            p.grad = gradient(p.data, c)
        theirs.grad = torch.tensor([p.grad for p in params], dtype=torch.float64)
        lines = {line.equation.split(" = ")[0]: line.value for line in update_lines(optimizer, params[1])}
        optimizer.step()
        reference.step()
        assert (lines["t"], lines["m"], lines["v"], lines["p"]) == (optimizer.t, optimizer.m[1], optimizer.v[1],
                                                                    params[1].data)
        assert lines["p"] == pytest.approx(theirs.tolist()[1], rel=1e-12)
        assert lines["m"] == pytest.approx(reference.state[theirs]["exp_avg"].tolist()[1], rel=1e-12)


@pytest.mark.parametrize("optimizer_class, kwargs, _", OPTIMIZERS)
def test_the_lines_give_what_step_gives_bit_for_bit(optimizer_class, kwargs, _):
    params = [Value(x) for x in START]
    optimizer = optimizer_class(params, **kwargs)
    for _ in range(5):
        for p, c in zip(params, WEIGHTS):
            p.grad = gradient(p.data, c)
        lines = [update_lines(optimizer, p) for p in params]
        optimizer.step()
        for i, (p, written) in enumerate(zip(params, lines)):
            final = {line.equation.split(" = ")[0]: line.value for line in written}    # the last value of each
            symbols = {name: SYMBOLS[name] for name in optimizer.rule.state}
            assert final["p"] == p.data
            assert all(final[symbol] == getattr(optimizer, name)[i] for name, symbol in symbols.items())


def test_the_lines_of_a_schedules_next_epoch_are_its_step():
    schedule = LinearLR(SGD([Value(0.0)], lr=0.4), 1.0, 0.1, 10)
    for _ in range(12):
        lines = update_lines(schedule)
        schedule.step()
        assert lines[-1].value == schedule.optimizer.lr and lines[0].value == schedule.epoch


@pytest.mark.parametrize("call, error, message", [
    (lambda: update_lines("rmsprop", p=1.0, g=1.0), ValueError, "update_lines: optimizer must be one of 'sgd'"),
    (lambda: update_lines(3), TypeError, "update_lines: optimizer must be one of"),
    (lambda: update_lines("sgd", p=1.0, g=1.0), TypeError, r"update_lines: sgd needs a value for lr"),
    (lambda: update_lines("adam", p=1.0), TypeError, "update_lines: adam needs a value for g"),
    (lambda: update_lines("adam", p=1.0, g=1.0, betas=(0.9, 0.9)), TypeError, "adam has no variable 'betas'"),
    (lambda: update_lines("sgd", p=Value(1.0), g=1.0, lr=0.1), TypeError, "update_lines: p must be a real number"),
    (lambda: update_lines(Adam([Value(1.0)]), Value(2.0)), ValueError, "parameter must be one of the optimizer's"),
    (lambda: javascript("sgd", name="update-sgd"), ValueError, "javascript: name must be a JavaScript identifier"),
    (lambda: python_source(RULES["step_lr"]), TypeError, "python_source: rule 'step_lr' is not an optimizer's rule"),
    (lambda: Optimizer([Value(1.0)], lr=0.1).step(), NotImplementedError, "Optimizer: give the class a rule"),
])
def test_bad_arguments_name_the_function(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_rule_for_reads_names_rules_optimizers_and_schedules():
    optimizer = SGD([Value(1.0)], lr=0.1, momentum=0.9)
    assert rule_for("f", "AdamW") is RULES["adamw"] and rule_for("f", RULES["sgd"]) is RULES["sgd"]
    assert rule_for("f", optimizer) is RULES["sgd_momentum"] and rule_for("f", StepLR(optimizer, 2)) is RULES["step_lr"]


def test_a_malformed_rule_is_refused_when_the_table_is_read():
    typo = Rule("typo", "typo", (("lr", 0.1),), (), "", ("p", "g"), "p", (),
                (Assignment("p", lambda m, s: s.p - s.learning_rate * s.g),))
    with pytest.raises(TypeError, match="malformed update rule 'typo': a formula reads 'learning_rate'"):
        _index((typo,))
    no_result = typo._replace(update=(Assignment("g", lambda m, s: s.g),))
    with pytest.raises(TypeError, match="no assignment gives its result 'p'"):
        _index((no_result,))


# --- JavaScript for the live page, run by node ---------------------------------------------------------

HARNESS = """
{source}
const states = {starts}.map((p) => Object.assign({{p: p, g: 0}}, {variables}));
const weights = {weights};
const trajectory = [];
for (let step = 0; step < {steps}; step++) {{
  states.forEach((s, i) => {{ {before} {function}(s); }});
  trajectory.push(states.map((s) => s.{result}));
}}
console.log(JSON.stringify(trajectory));
"""


def run_node(rule, variables, starts, before, steps=20):
    source = javascript(rule)
    program = HARNESS.format(source=source, starts=json.dumps(starts), variables=json.dumps(variables),
                             weights=json.dumps(WEIGHTS), steps=steps, before=before,
                             function=source.split("(")[0].split()[-1], result=rule.result)
    done = subprocess.run(["node", "-e", program], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def rule_variables(optimizer, rule):
    """The hyperparameters of ``optimizer``, with its state and counter at their start, as a JS object's fields."""
    variables = {name: getattr(optimizer, name) for name, _ in rule.hyperparameters}
    return {**variables, **{name: 0.0 for name in rule.state}, **({rule.counter: 0} if rule.counter else {})}


needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
ONLY_EXACT_ARITHMETIC = {"sgd", "sgd_momentum", "adagrad", "linear_lr"}      # + − × ÷ √ and min, no pow


@needs_node
@pytest.mark.parametrize("optimizer_class, kwargs, _", OPTIMIZERS)
def test_the_javascript_update_is_the_python_optimizers(optimizer_class, kwargs, _):
    ours, optimizer = run_ours(optimizer_class, kwargs, 20)
    rule = optimizer.rule
    theirs = run_node(rule, rule_variables(optimizer, rule), START,
                      "s.g = 2 * weights[i] * (s.p - 3) + 0.3 * s.p * s.p;")
    if rule.name in ONLY_EXACT_ARITHMETIC:
        assert theirs == ours
    else:
        for mine, node in zip(ours, theirs):
            assert mine == pytest.approx(node, rel=1e-12, abs=0)


@needs_node
@pytest.mark.parametrize("schedule_class, kwargs, _", SCHEDULES)
def test_the_javascript_schedule_is_the_python_schedule(schedule_class, kwargs, _):
    schedule = schedule_class(SGD([Value(0.0)], lr=0.3), **kwargs)
    variables = {**rule_variables(schedule, schedule.rule), "base_lr": 0.3}
    theirs = run_node(schedule.rule, variables, [0.0], "")
    ours = []
    for _ in range(20):
        schedule.step()
        ours.append([schedule.optimizer.lr])
    if schedule.rule.name in ONLY_EXACT_ARITHMETIC:
        assert theirs == ours
    else:
        for mine, node in zip(ours, theirs):
            assert mine == pytest.approx(node, rel=1e-12, abs=0)


def test_the_javascript_has_no_python_power_operator():
    for rule in TABLE:
        source = javascript(rule)
        assert "**" not in source
        assert ("Math.pow(" in source) == (rule.name not in ONLY_EXACT_ARITHMETIC)
