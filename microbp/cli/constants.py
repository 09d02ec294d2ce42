"""What ``microbp codegen`` checks before it prints: the constants it writes in keep every domain.

A name given a value is written into the code as a constant. A part of the
expression computed from constants alone has the same value on every call: if
it is outside its operation's domain (``log(y)`` with ``y=-1``) or not finite,
every call of the printed code would give NaN or raise. So does an operation
outside its domain whatever its other operands are (``x/y`` with ``y=0``).
Both are refused here, as ``microbp grad`` refuses them, with a ``DomainError``.

>>> from microbp import Value
>>> from microbp.core.engine import derivative_formulas
>>> x, y = Value(2.0, label="x"), Value(-1.0, label="y")
>>> check_constants(x * y.exp(), [x])
>>> with derivative_formulas():              # as codegen builds it: domains are checked here instead
...     quotient = x / (y + 1)
>>> check_constants(quotient, [x])
Traceback (most recent call last):
  ...
microbp.errors.DomainError: truediv: division by zero (0.5 / 0.0), whatever the arguments' values; change the given values
"""

from __future__ import annotations

import math

from ..core.graph import topological_order
from ..errors import DomainError
from .terminal import UsageError

SAMPLES = (0.5, 1.5, -0.5, -2.0, 3.0)
"""Values tried for the operands computed from the arguments: a domain no sample is in is refused."""


def check_constants(root, wrt: list) -> None:
    """A ``DomainError`` for the first node outside its domain whatever the arguments (``wrt``) are,
    or a ``UsageError`` for a part computed from constants alone that is not finite."""
    from_arguments = set(wrt)
    for node in topological_order(root):
        if node.op is None:
            continue
        varying = [type(p) is not float and p in from_arguments for p in node.parents]
        _check_domain(node, varying)
        if any(varying):
            from_arguments.add(node)
        elif not math.isfinite(node.data):
            raise UsageError(f"a part computed from the given values alone is {node.data}, beyond floating "
                             "point (about ±1.8e308); use values that keep every number finite")


def _check_domain(node, varying: list) -> None:
    if node.op.domain is None:
        return
    problems = []
    for sample in SAMPLES if any(varying) else (None,):
        inputs = [sample if vary else (p if type(p) is float else p.data) for p, vary in zip(node.parents, varying)]
        problems.append(node.op.domain(*inputs))
        if not problems[-1]:
            return
    whatever = ", whatever the arguments' values; change the given values" if any(varying) else ""
    raise DomainError(f"{node.op.name}: {problems[0]}{whatever}")
