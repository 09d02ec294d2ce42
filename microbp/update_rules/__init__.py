"""Optimizer and schedule update rules written once, read by three interpreters.

As ``core/ops.py`` is one table of operations, ``rules.TABLE`` is one table of
updates: SGD, SGD with momentum, Adagrad, Adam, AdamW and the learning-rate
schedules, each a short list of assignments over a namespace. ``microbp.optim``
runs them on floats; ``writing`` writes them as maths for lecture captions, with
the numbers of one update; ``javascript`` writes them as a JavaScript function
for the live page.

>>> from microbp.update_rules import equations, javascript, update_lines
>>> equations("adagrad")
['s = s + g × g', 'p = p − η × g ÷ (√(s) + ε)']
"""

from .javascript import javascript
from .rules import REQUIRED, RULES, TABLE, Assignment, Rule
from .writing import Line, equations, rule_for, update_lines

__all__ = ["REQUIRED", "RULES", "TABLE", "Assignment", "Line", "Rule", "equations", "javascript", "rule_for",
           "update_lines"]
