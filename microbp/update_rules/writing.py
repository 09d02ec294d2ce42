"""The update rules written in maths, for lecture captions: the equations, and the equations with numbers.

``update_lines`` gives the lines of one update of one parameter: each line's
equation, the same equation with the numbers put in, and its value, computed by
the floats interpreter that ``microbp.optim`` runs, so a caption's numbers are
the optimizer's.

>>> for line in update_lines("adam", p=1.0, g=-4.0, lr=0.1)[2:4]:
...     print(line.equation, "   ", line.numbers)
m = β₁ × m + (1 − β₁) × g     m = 0.9 × 0 + (1 − 0.9) × (−4) = −0.4
v = β₂ × v + (1 − β₂) × g × g     v = 0.999 × 0 + (1 − 0.999) × (−4) × (−4) = 0.016
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

from ..core.engine import is_real
from ..core.ops import ATOM
from ..text.notation import MATH, MATH_TEXT, Written, call, number
from .rules import FLOATS, REQUIRED, RULES, SYMBOLS, Rule


def call_writer(function: str, style=MATH):
    """A function that writes ``function(a, b)`` in ``style``: the rules' functions in generated code."""
    return lambda *args: call(function, args, style)


def _floor_divide(a, b) -> Written:
    return Written(("⌊", a / b, "⌋"), ATOM, MATH)


MATHS = SimpleNamespace(sqrt=MATH_TEXT.sqrt, pow=MATH_TEXT.pow, min=MATH_TEXT.min, floor_divide=_floor_divide)
"""The maths interpreter of the rules' functions: ``m.sqrt(v̂)`` writes ``√(v̂)``."""


class Line(NamedTuple):
    """One assignment of an update: ``m = β₁ × m + (1 − β₁) × g``, with numbers, and its value."""

    equation: str
    numbers: str
    value: float


def rule_for(function: str, optimizer) -> Rule:
    """The rule of ``optimizer``: a ``Rule``, a name (``"adam"``, ``"StepLR"``), or an optimizer or
    schedule from ``microbp.optim``; otherwise a TypeError or ValueError naming ``function``.

    >>> rule_for("update_lines", "StepLR").name
    'step_lr'
    """
    if isinstance(optimizer, Rule):
        return optimizer
    if isinstance(getattr(optimizer, "rule", None), Rule):
        return optimizer.rule
    names = {name.replace("_", ""): rule for name, rule in RULES.items()}
    if isinstance(optimizer, str) and optimizer.lower().replace("_", "") in names:
        return names[optimizer.lower().replace("_", "")]
    error = ValueError if isinstance(optimizer, str) else TypeError
    raise error(f"{function}: optimizer must be one of {', '.join(map(repr, RULES))}, an optimizer or a schedule "
                f"from microbp.optim, or a Rule; got {optimizer!r}")


def equations(optimizer) -> list:
    """The equations of one update, in maths: what a caption writes.

    >>> equations("sgd_momentum")
    ['g = g + λ × p', 'v = μ × v + g', 'p = p − η × v']
    """
    rule = rule_for("equations", optimizer)
    names = SimpleNamespace(**{name: Written(symbol, ATOM, MATH) for name, symbol in SYMBOLS.items()})
    return [f"{SYMBOLS[target]} = {formula(MATHS, names)}" for target, formula in rule.once + rule.update]


def update_lines(optimizer, parameter=None, **variables) -> list:
    """The lines of one update: ``(equation, numbers, value)`` for each assignment, in order.

    ``optimizer`` is a name, a ``Rule``, or an optimizer or schedule from
    ``microbp.optim``, whose hyperparameters, counter and (for a schedule)
    ``base_lr`` are used. ``parameter``, a Value among the optimizer's parameters,
    gives ``p``, ``g`` and its state. ``variables`` give or override any variable
    by name (``p=1.0, g=-4.0, m=0.1, t=3, lr=0.1``); hyperparameters not given take
    their defaults, state 0 and the counter 0. Nothing is changed: the lines show
    the update that ``step()`` would make next.

    >>> update_lines("sgd", p=1.0, g=-4.0, lr=0.1)[-1]
    Line(equation='p = p − η × g', numbers='p = 1 − 0.1 × (−4) = 1.4', value=1.4)
    """
    rule = rule_for("update_lines", optimizer)
    s = SimpleNamespace(**_variables(rule, optimizer, parameter, variables))
    lines = []
    for target, formula in rule.once + rule.update:
        names = SimpleNamespace(**{name: Written(SYMBOLS[name], ATOM, MATH) for name in vars(s)})
        numbers = SimpleNamespace(**{name: number(value, MATH) for name, value in vars(s).items()})
        value = formula(FLOATS, s)
        symbol = SYMBOLS[target]
        lines.append(Line(f"{symbol} = {formula(MATHS, names)}",
                          f"{symbol} = {formula(MATHS, numbers)} = {number(value, MATH)}", value))
        setattr(s, target, value)
    return lines


def _variables(rule: Rule, optimizer, parameter, given: dict) -> dict:
    """Every variable the update reads: given, else read from the optimizer and parameter, else the default."""
    allowed = {name for name, _ in rule.hyperparameters} | set(rule.state) | set(rule.inputs)
    allowed |= {rule.counter} - {""}
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise TypeError(f"update_lines: {rule.name} has no variable {unknown[0]!r}; its variables are "
                        f"{', '.join(sorted(allowed))}")
    for name, value in given.items():
        if not is_real(value):
            raise TypeError(f"update_lines: {name} must be a real number, got {value!r} ({type(value).__name__})")
    found = {name: default for name, default in rule.hyperparameters}
    found.update({name: 0.0 for name in rule.state}, **({rule.counter: 0} if rule.counter else {}))
    found.update({name: getattr(optimizer, name) for name in allowed if is_real(getattr(optimizer, name, None))})
    if parameter is not None:
        found.update(_parameter_variables(rule, optimizer, parameter))
    found.update(given)
    missing = sorted(name for name in allowed if found.get(name, REQUIRED) is REQUIRED)
    if missing:
        raise TypeError(f"update_lines: {rule.name} needs a value for {', '.join(missing)}; pass it by name, "
                        f"as in update_lines({rule.name!r}, {missing[0]}=...)")
    return found


def _parameter_variables(rule: Rule, optimizer, parameter) -> dict:
    """``p``, ``g`` and the state of ``parameter``, one of ``optimizer``'s parameters."""
    params = getattr(optimizer, "params", ())
    index = next((i for i, p in enumerate(params) if p is parameter), None)
    if index is None:
        raise ValueError(f"update_lines: parameter must be one of the optimizer's parameters, got {parameter!r}; "
                         "pass the optimizer object and one of the Values you gave it")
    return {"p": parameter.data, "g": parameter.grad, **{name: getattr(optimizer, name)[index] for name in rule.state}}
