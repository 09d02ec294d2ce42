"""Gradients of plain Python functions: ``grad(f)`` and ``value_and_grad(f)``.

>>> dx, dy = grad(lambda x, y: x * y + x.tanh())(2.0, 3.0)   # (y + 1 - tanh(x)², x)
>>> round(dx, 6), dy
(3.070651, 2.0)
"""

from __future__ import annotations

import functools
import inspect

from .engine import Value


def value_and_grad(f):
    """``f``'s value and its partial derivatives, as a function of the same numbers.

    ``f`` is called with a ``Value`` per argument (labelled with the parameter
    names) and must return a Value or a number. The partials come as a tuple,
    one per argument, in order.

    >>> value_and_grad(lambda w: (w * w).log())(3.0)   # (log 9, 2/w)
    (2.1972245773362196, (0.6666666666666666,))
    """
    if not callable(f):
        raise TypeError(f"value_and_grad needs a function, got {f!r}")
    names = _parameter_names(f)

    @functools.wraps(f)
    def wrapped(*args):
        leaves = [Value(arg, label=names[i] if i < len(names) else f"x{i}") for i, arg in enumerate(args)]
        out = f(*leaves)
        if isinstance(out, Value):
            out.backward()
            return out.data, tuple(leaf.grad for leaf in leaves)
        if isinstance(out, (int, float)) and not isinstance(out, bool):
            return float(out), tuple(0.0 for _ in leaves)       # f does not depend on its arguments
        raise TypeError(f"{_name(f)} must return a Value or a number, got {out!r} ({type(out).__name__})")
    return wrapped


def grad(f):
    """The tuple of ``f``'s partial derivatives, as a function of the same numbers.

    >>> grad(lambda x: x ** 3)(2.0)
    (12.0,)
    """
    with_value = value_and_grad(f)

    @functools.wraps(f)
    def wrapped(*args):
        return with_value(*args)[1]
    return wrapped


def _parameter_names(f) -> list:
    try:
        return [p.name for p in inspect.signature(f).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return []


def _name(f) -> str:
    return getattr(f, "__name__", repr(f))
