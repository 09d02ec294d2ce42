"""The update rules written as JavaScript, for the live page: one update on plain JS numbers.

The formulas are the ones ``microbp.optim`` runs; ``+ − × ÷`` and ``Math.sqrt``
are correctly rounded in both languages, so SGD, momentum and Adagrad give the
same bits as Python; ``Math.pow`` (Adam's bias correction, the schedules) may
differ from Python's ``**`` in the last bit.

>>> print(javascript("sgd"))
function updateSgd(s) {
  // gradient descent: one update; s holds p, g, lr, weight_decay
  s.g = s.g + s.weight_decay * s.p;
  s.p = s.p - s.lr * s.g;
  return s;
}
"""

from __future__ import annotations

from types import SimpleNamespace

from ..text.notation import PYTHON, Written
from .rules import SYMBOLS
from .writing import call_writer, rule_for

JAVASCRIPT = SimpleNamespace(**{name: call_writer(f"Math.{name}", PYTHON) for name in ("sqrt", "pow", "min")},
                             floor_divide=lambda a, b: call_writer("Math.floor", PYTHON)(a / b))
"""The JavaScript interpreter of the rules' functions; ``+ - * /`` are written as in Python, which JS shares."""


def javascript(optimizer, name: str | None = None) -> str:
    """A JavaScript function that carries out one update of ``optimizer``'s rule on an object ``s``.

    ``s`` holds every variable by name (``p``, ``g``, the hyperparameters, the
    state and the counter); the function updates it in place and returns it. The
    counter (Adam's ``t``, a schedule's ``epoch``) goes up by one each call, so
    keep one ``s`` per parameter and update every parameter each step.

    >>> print(javascript("exponential_lr").splitlines()[3])
      s.factor = Math.pow(s.gamma, s.epoch);
    """
    rule = rule_for("javascript", optimizer)
    name = name or "update" + "".join(word.capitalize() for word in rule.name.split("_"))
    if not name.isidentifier():
        raise ValueError(f"javascript: name must be a JavaScript identifier, got {name!r}")
    s = SimpleNamespace(**{variable: Written(f"s.{variable}") for variable in SYMBOLS})
    names = [*rule.inputs, *(n for n, _ in rule.hyperparameters), *rule.state, *([rule.counter] if rule.counter else [])]
    lines = [f"function {name}(s) {{", f"  // {rule.title}: one update; s holds {', '.join(names)}"]
    for target, formula in rule.once + rule.update:
        text = str(formula(JAVASCRIPT, s))
        if "**" in text:                       # JS refuses -a ** 2; the rules use m.pow
            raise TypeError(f"malformed update rule {rule.name!r}: {target} uses **; write m.pow(a, b)")
        lines.append(f"  s.{target} = {text};")
    return "\n".join([*lines, "  return s;", "}"])
