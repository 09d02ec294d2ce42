"""What generated code calls: the table's functions on floats, and its domain checks.

``microbp.codegen`` writes ``from microbp.runtime import tanh, step`` at the top of
the program it prints, and ``microbp.compile`` runs its code in a namespace holding
``NAMES`` and nothing else (not even Python's builtins). Every name comes from a
row of the table:

- ``tanh``, ``relu``, ``step``, ...: each row's ``forward``, the total function on
  floats the engine uses (``step(0.0)`` is 0, ``log(0.0)`` is -inf); the n-ary rows
  take lists, as code writes them: ``dot([w1, w2], [x1, x2])``;
- ``check_log``, ``check_truediv``, ...: each row's domain check, raising the
  engine's own ``DomainError``;
- ``inf`` and ``nan``, which constants may need.

>>> tanh(0.0), step(0.0), dot([2.0, 3.0], [4.0, 5.0]), sum([1.0, 2.0])
(0.0, 0.0, 23.0, 3.0)
>>> check_log(0.0)
Traceback (most recent call last):
  ...
microbp.errors.DomainError: log: needs x > 0, got x = 0.0
"""

from __future__ import annotations

import math

from .core.ops import TABLE, Op
from .errors import DomainError


def _lists_form(row: Op):
    """An n-ary row's forward taking lists, as code writes it: ``affine([w1, w2], [x1, x2], b)``."""
    lists, _ = row.shape
    forward = row.forward

    def function(*groups):
        return forward(*[x for group in groups[:lists] for x in group], *groups[lists:])
    function.__name__ = function.__qualname__ = row.name
    function.__doc__ = row.doc
    return function


def _check(row: Op):
    """Raise the engine's ``DomainError`` when ``row``'s domain check has a message."""
    domain, name = row.domain, row.name

    def check(*inputs):
        message = domain(*inputs)
        if message:
            raise DomainError(f"{name}: {message}")
    check.__name__ = check.__qualname__ = f"check_{name}"
    check.__doc__ = f"Refuse inputs outside {name}'s domain, as the engine does."
    return check


def checks_values(row: Op) -> bool:
    """Whether ``row``'s domain check depends on the values, so compiled code must run it.

    The n-ary rows' checks look only at how many operands there are (their
    ``shape``), which a traced node has already passed.

    >>> from microbp.core.ops import OPS
    >>> checks_values(OPS["log"]), checks_values(OPS["tanh"]), checks_values(OPS["dot"])
    (True, False, False)
    """
    return row.domain is not None and row.arity is not None


FLOAT_FUNCTIONS = {row.name: _lists_form(row) if row.arity is None else row.forward for row in TABLE}
"""name -> the row's forward on floats, as generated code calls it (n-ary rows take lists)."""
CHECKS = {f"check_{row.name}": _check(row) for row in TABLE if checks_values(row)}
NAMES = {**FLOAT_FUNCTIONS, **CHECKS, "inf": math.inf, "nan": math.nan}
"""Everything generated code may name: a function per row, a check per domain, inf and nan."""

globals().update(NAMES)
__all__ = sorted(NAMES)


def namespace() -> dict:
    """A fresh namespace for running generated code: ``NAMES``, and no builtins.

    >>> scope = namespace()
    >>> exec("y = tanh(0.5) * 2", scope); round(scope["y"], 6)
    0.924234
    >>> exec("open('x')", namespace())
    Traceback (most recent call last):
      ...
    NameError: name 'open' is not defined
    """
    return {"__builtins__": {}, **NAMES}
