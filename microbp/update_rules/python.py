"""The optimizer rules compiled to Python functions: what ``microbp.optim``'s ``step()`` runs.

Each formula is written as Python over plain local names and compiled once, so a
step costs what hand-written code costs. The text is the formula with only the
parentheses Python needs, which Python reads back into the same operations in
the same order; the functions it calls are the floats interpreter's, so the
results are ``rules.run(FLOATS, ...)``'s, bit for bit (the tests hold them equal).

>>> print(python_source(RULES["sgd_momentum"]))
def update_sgd_momentum(optimizer):
    lr, momentum, weight_decay = optimizer.lr, optimizer.momentum, optimizer.weight_decay
    velocity_state = optimizer.velocity
    for i, parameter in enumerate(optimizer.params):
        p, g, velocity = parameter.data, parameter.grad, velocity_state[i]
        g = g + weight_decay * p
        velocity = momentum * velocity + g
        p = p - lr * velocity
        parameter.data, velocity_state[i] = p, velocity
"""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace

from ..text.notation import PYTHON, Written
from .rules import FLOATS, RULES, Rule  # noqa: F401 (RULES: the doctest)
from .writing import call_writer

PYTHON_FUNCTIONS = SimpleNamespace(**{name: call_writer(name, PYTHON) for name in vars(FLOATS)})
"""The rules' functions written as calls of the floats interpreter's functions (``sqrt(v_hat)``)."""

_OWN_NAMES = {"optimizer", "parameter", "i", "enumerate", *vars(FLOATS)}


def python_source(rule: Rule) -> str:
    """The text of a Python function that updates every parameter of an optimizer by ``rule``.

    The optimizer holds the hyperparameters, the counter and one list per state
    variable as attributes under the rule's names, and ``params``.
    """
    names = [name for name, _ in rule.hyperparameters] + [rule.counter] * bool(rule.counter)
    clash = (set(names) | set(rule.state) | set(rule.inputs)) & _OWN_NAMES
    if clash or rule.inputs != ("p", "g"):
        raise TypeError(f"python_source: rule {rule.name!r} is not an optimizer's rule over p and g, or uses the "
                        f"names {sorted(clash)}")
    local = SimpleNamespace(**{name: Written(name) for name in _variables(rule)})
    lines = [f"def update_{rule.name}(optimizer):", f"    {_unpack(names, 'optimizer.{}')}"]
    lines += [f"    {target} = {formula(PYTHON_FUNCTIONS, local)}" for target, formula in rule.once]
    lines += [f"    optimizer.{rule.counter} = {rule.counter}"] * bool(rule.counter)
    if rule.state:
        lines.append(f"    {_unpack([f'{name}_state' for name in rule.state], 'optimizer.{}', rule.state)}")
    lines.append("    for i, parameter in enumerate(optimizer.params):")
    lines.append(f"        p, g{''.join(f', {name}' for name in rule.state)} = parameter.data, parameter.grad"
                 + "".join(f", {name}_state[i]" for name in rule.state))
    lines += [f"        {target} = {formula(PYTHON_FUNCTIONS, local)}" for target, formula in rule.update]
    lines.append("        parameter.data" + "".join(f", {name}_state[i]" for name in rule.state)
                 + " = p" + "".join(f", {name}" for name in rule.state))
    return "\n".join(lines)


def _variables(rule: Rule) -> list:
    names = [name for name, _ in rule.hyperparameters] + list(rule.state) + list(rule.inputs)
    return names + [rule.counter] * bool(rule.counter) + [a.target for a in rule.once + rule.update]


def _unpack(targets: list, template: str, sources: list | None = None) -> str:
    return f"{', '.join(targets)} = {', '.join(template.format(name) for name in sources or targets)}"


@cache
def compiled(rule: Rule):
    """``rule``'s update as a Python function of an optimizer, compiled once."""
    namespace = dict(vars(FLOATS))
    exec(compile(python_source(rule), f"<update rule {rule.name}>", "exec"), namespace)
    return namespace[f"update_{rule.name}"]
