"""The update rules of the optimizers and schedules: one table, read by several interpreters.

A rule's assignments are formulas over a namespace ``m`` of functions (``m.sqrt``,
``m.pow``, ``m.min``, ``m.floor_divide``) and a namespace ``s`` of variables
(hyperparameters, state, the parameter ``p`` and its gradient ``g``), as the rows
of ``core/ops.py`` are formulas over ``m``. ``microbp.optim`` runs them on floats
(``FLOATS``); ``update_rules.writing`` writes them as maths for lecture captions,
with and without numbers; ``update_rules.javascript`` writes them as a JavaScript
function for the live page. So the three cannot drift.

``once`` runs once per step (the step counter); ``update`` runs for each parameter.

This module imports only the standard library.

>>> from types import SimpleNamespace
>>> s = SimpleNamespace(lr=0.1, weight_decay=0.0, p=1.0, g=-4.0)
>>> run(FLOATS, RULES["sgd"].update, s); s.p            # p = p − η·g
1.4
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from types import SimpleNamespace
from typing import NamedTuple


class Required:
    """The default of a hyperparameter that has none (SGD's ``lr``)."""

    def __repr__(self):
        return "REQUIRED"


REQUIRED = Required()


class Assignment(NamedTuple):
    """``target = formula(m, s)``: one line of an update."""

    target: str
    formula: Callable


class Rule(NamedTuple):
    """An optimizer's or a schedule's update, with its variables.

    ``hyperparameters`` are ``(name, default)`` pairs, with the defaults of
    ``microbp.optim``; ``state`` starts at 0.0 for each parameter; ``counter``
    (``t``, ``epoch``) starts at 0 and belongs to the whole optimizer; ``inputs``
    are given each update, and ``result`` is what the update is for.
    """

    name: str
    title: str
    hyperparameters: tuple
    state: tuple
    counter: str
    inputs: tuple
    result: str
    once: tuple
    update: tuple

    @property
    def defaults(self) -> dict:
        return dict(self.hyperparameters)


FLOATS = SimpleNamespace(sqrt=math.sqrt, pow=operator.pow, min=min, floor_divide=operator.floordiv)
"""The floats interpreter: what ``microbp.optim`` runs, exactly the arithmetic it always ran."""


def run(m, assignments, s) -> None:
    """Carry out ``assignments`` in order on the variables ``s``, with the functions ``m``."""
    for target, formula in assignments:
        setattr(s, target, formula(m, s))


SYMBOLS = {
    "p": "p", "g": "g", "lr": "η", "momentum": "μ", "weight_decay": "λ", "velocity": "v",
    "eps": "ε", "sum_of_squares": "s", "beta1": "β₁", "beta2": "β₂", "m": "m", "v": "v",
    "m_hat": "m̂", "v_hat": "v̂", "t": "t", "epoch": "k", "base_lr": "η₀", "factor": "f",
    "gamma": "γ", "step_size": "S", "start_factor": "f₀", "end_factor": "f₁", "total_iters": "K",
}
"""Each variable's symbol in maths (captions); JavaScript and Python use the names."""

STEP_COUNTER = (Assignment("t", lambda m, s: s.t + 1),)
EPOCH_COUNTER = (Assignment("epoch", lambda m, s: s.epoch + 1),)
L2_DECAY = Assignment("g", lambda m, s: s.g + s.weight_decay * s.p)
ADAM_STEP = (
    Assignment("m", lambda m, s: s.beta1 * s.m + (1 - s.beta1) * s.g),
    Assignment("v", lambda m, s: s.beta2 * s.v + (1 - s.beta2) * s.g * s.g),
    Assignment("m_hat", lambda m, s: s.m / (1 - m.pow(s.beta1, s.t))),
    Assignment("v_hat", lambda m, s: s.v / (1 - m.pow(s.beta2, s.t))),
    Assignment("p", lambda m, s: s.p - s.lr * s.m_hat / (m.sqrt(s.v_hat) + s.eps)),
)
ADAM_HYPERPARAMETERS = (("beta1", 0.9), ("beta2", 0.999), ("eps", 1e-8))
PARAMETER = ("p", "g")
SCHEDULE = ("base_lr",)
SCALE_LR = Assignment("lr", lambda m, s: s.base_lr * s.factor)

TABLE = (
    Rule("sgd", "gradient descent", (("lr", REQUIRED), ("weight_decay", 0.0)), (), "", PARAMETER, "p", (), (
        L2_DECAY,
        Assignment("p", lambda m, s: s.p - s.lr * s.g))),
    Rule("sgd_momentum", "gradient descent with momentum",
         (("lr", REQUIRED), ("momentum", 0.0), ("weight_decay", 0.0)), ("velocity",), "", PARAMETER, "p", (), (
             L2_DECAY,
             Assignment("velocity", lambda m, s: s.momentum * s.velocity + s.g),
             Assignment("p", lambda m, s: s.p - s.lr * s.velocity))),
    Rule("adagrad", "Adagrad (Duchi et al. 2011)", (("lr", 0.01), ("eps", 1e-10)), ("sum_of_squares",), "",
         PARAMETER, "p", (), (
             Assignment("sum_of_squares", lambda m, s: s.sum_of_squares + s.g * s.g),
             Assignment("p", lambda m, s: s.p - s.lr * s.g / (m.sqrt(s.sum_of_squares) + s.eps)))),
    Rule("adam", "Adam (Kingma & Ba 2015), weight decay as L2 in the gradient",
         (("lr", 0.001), *ADAM_HYPERPARAMETERS, ("weight_decay", 0.0)), ("m", "v"), "t", PARAMETER, "p",
         STEP_COUNTER, (L2_DECAY, *ADAM_STEP)),
    Rule("adamw", "AdamW (Loshchilov & Hutter 2019), decoupled weight decay",
         (("lr", 0.001), *ADAM_HYPERPARAMETERS, ("weight_decay", 0.01)), ("m", "v"), "t", PARAMETER, "p",
         STEP_COUNTER, (Assignment("p", lambda m, s: s.p * (1 - s.lr * s.weight_decay)), *ADAM_STEP)),
    Rule("step_lr", "StepLR: η times γ every S epochs", (("step_size", REQUIRED), ("gamma", 0.1)), (), "epoch",
         SCHEDULE, "lr", EPOCH_COUNTER, (
             Assignment("factor", lambda m, s: m.pow(s.gamma, m.floor_divide(s.epoch, s.step_size))),
             SCALE_LR)),
    Rule("exponential_lr", "ExponentialLR: η times γ every epoch", (("gamma", REQUIRED),), (), "epoch",
         SCHEDULE, "lr", EPOCH_COUNTER, (
             Assignment("factor", lambda m, s: m.pow(s.gamma, s.epoch)),
             SCALE_LR)),
    Rule("linear_lr", "LinearLR: from f₀·η₀ to f₁·η₀ in K epochs",
         (("start_factor", 1.0), ("end_factor", 0.0), ("total_iters", 100)), (), "epoch", SCHEDULE, "lr",
         EPOCH_COUNTER, (
             Assignment("factor", lambda m, s: s.start_factor + (s.end_factor - s.start_factor)
                        * (m.min(s.epoch, s.total_iters) / s.total_iters)),
             SCALE_LR)),
)


class _Strict(SimpleNamespace):
    """Variables for checking a rule: reading an unknown one names the rule and the variable."""

    def __getattr__(self, name):
        raise TypeError(f"malformed update rule {vars(self)['_rule']!r}: a formula reads {name!r}, which is not "
                        "a hyperparameter, state, input or earlier target of the rule")


def _check(rule: Rule) -> None:
    """Run ``rule`` once on sample floats, so that a formula reading an unknown variable fails at import."""
    if rule.result not in {a.target for a in rule.update}:
        raise TypeError(f"malformed update rule {rule.name!r}: no assignment gives its result {rule.result!r}")
    known = {name: 0.5 for name, _ in rule.hyperparameters}
    known.update({name: 0.25 for name in (*rule.state, *rule.inputs)}, **({rule.counter: 1} if rule.counter else {}))
    s = _Strict(_rule=rule.name, **known)
    run(FLOATS, rule.once + rule.update, s)
    unknown = ({a.target for a in rule.once + rule.update} | set(known)) - set(SYMBOLS)
    if unknown:
        raise TypeError(f"malformed update rule {rule.name!r}: {sorted(unknown)} have no maths symbol in SYMBOLS")


def _index(table: tuple) -> dict:
    for rule in table:
        _check(rule)
    return {rule.name: rule for rule in table}


RULES: dict[str, Rule] = _index(TABLE)
