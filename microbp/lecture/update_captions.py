"""The weight updates of a lecture, in the optimizer's own equations with their numbers.

``optimizer`` is a name (``"adam"``, ``"sgd_momentum"``), an optimizer from
``microbp.optim`` (its hyperparameters, its state for each weight and its step
counter are read, nothing changed), or a schedule from ``microbp.optim`` (its
learning rate at this epoch comes first, then its optimizer's update with it).
The lines and numbers are ``microbp.update_rules.writing.update_lines``': the
floats that ``step()`` computes, so a frame's numbers are the optimizer's.

>>> updates = Updates("adam", learning_rate=0.1)
>>> updates.header().split("; ")[2]
'm = β₁ × m + (1 − β₁) × g'
>>> caption, value = updates.weight("w₀₁", None, 1.0, -4.0, "dE/dw₀₁")
>>> caption.split("; ")[1], round(value, 6)
('m = 0.9 × 0 + (1 − 0.9) × (−4) = −0.4', 1.1)
"""

from __future__ import annotations

from ..update_rules.writing import equations, rule_for, update_lines


class Updates:
    """How one lecture updates its weights: the rule, and the learning rate (a schedule's, if given)."""

    def __init__(self, optimizer, learning_rate: float | None = None):
        self.schedule = optimizer if hasattr(optimizer, "optimizer") and hasattr(optimizer, "base_lr") else None
        self.optimizer = self.schedule.optimizer if self.schedule else optimizer
        self.rule = rule_for("steps", self.optimizer)
        named = not hasattr(self.optimizer, "params")
        self.given = {"lr": learning_rate} if named and learning_rate is not None else {}
        if self.schedule:
            self.schedule_lines = update_lines(self.schedule)
            self.given["lr"] = self.schedule_lines[-1].value

    def header(self) -> str:
        """The equations once: the schedule's with its numbers, then the optimizer's, and its step counter's
        numbers (``t = 0 + 1 = 1``), which belong to the whole step."""
        schedule = "; ".join(line.numbers for line in self.schedule_lines) if self.schedule else ""
        lines = [f"{rule_for('steps', self.schedule).title}: {schedule}"] if self.schedule else []
        counter = update_lines(self.optimizer, p=0.0, g=0.0, **self.given)[:len(self.rule.once)]
        return "\n".join(lines + [f"{self.rule.title}: {'; '.join(equations(self.rule))}"]
                         + ["; ".join(line.numbers for line in counter)] * bool(counter))

    def weight(self, name: str, node, value: float, gradient: float, total: str) -> tuple:
        """(caption line, new value) of one weight: its numbers put into each equation, in order."""
        owned = node is not None and any(p is node for p in getattr(self.optimizer, "params", ()))
        parameter = node if owned else None
        if hasattr(self.optimizer, "params") and not owned:
            return f"{name}: not among the optimizer's parameters, unchanged", value
        lines = update_lines(self.optimizer, parameter, p=value, g=gradient, **self.given)
        once, unchanged = {a.target for a in self.rule.once}, {"g": gradient}    # L2 decay of 0 leaves g as is
        numbers = "; ".join(line.numbers for target, line in zip(self._targets(), lines)
                            if target not in once and unchanged.get(target) != line.value)
        return f"{name}: g = {total} = {_short(gradient)}; {numbers}", lines[-1].value


    def _targets(self) -> list:
        return [assignment.target for assignment in self.rule.once + self.rule.update]


def _short(x: float) -> str:
    from ..text.notation import MATH, number
    return str(number(x, MATH))
