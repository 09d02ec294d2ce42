"""What ``microbp.optim`` checks besides its arguments: numbers beyond floats, state gone non-finite.

A learning rate of ``10**400`` is no float: ``as_float`` makes it inf, so the
argument check refuses it by name. A schedule whose factor overflows (``gamma=10``
for 400 epochs) is refused at that epoch by ``scheduled_lr``. And one gradient of
1e200 squares to inf in Adam's or Adagrad's state, after which the parameter never
moves: ``warn_if_not_finite`` says so, once per parameter, naming it.
"""

from __future__ import annotations

import math
import warnings

from .errors import OptimizerStateWarning


def as_float(value) -> float:
    """``float(value)``, or inf for a number beyond floating point (``10**400``), to be refused as one.

    >>> as_float(10 ** 400), as_float(-10 ** 400), as_float(3)
    (inf, -inf, 3.0)
    """
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def warn_if_not_finite(optimizer) -> None:
    """Warn once per parameter when its value or its state (a list of floats, one per parameter:
    momentum, sums of squares, moments) is no longer finite: the parameter is then stuck or lost.

    >>> import warnings
    >>> from microbp import Value
    >>> from microbp.optim import Adam
    >>> w = Value(1.0, label="w"); optimizer = Adam([w], lr=0.1)
    >>> w.grad = 1e200                       # its square, 1e400, is beyond floating point
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always"); optimizer.step(); optimizer.step()
    >>> [str(warning.message)[:60] for warning in caught]
    ["Adam.step: the state of params[0] ('w') is no longer finite "]
    """
    warned = optimizer.__dict__.setdefault("_warned_not_finite", set())
    states = {name: values for name, values in vars(optimizer).items()
              if isinstance(values, list) and len(values) == len(optimizer.params)
              and all(type(v) is float for v in values)}
    for i, p in enumerate(optimizer.params):
        broken = [f"{name}[{i}] = {values[i]!r}" for name, values in states.items() if not math.isfinite(values[i])]
        broken += [f"its value {p.data!r}"] if not math.isfinite(p.data) else []
        if broken and i not in warned:
            warned.add(i)
            warn_stuck(optimizer, i, p, broken)


def warn_stuck(optimizer, i: int, p, broken: list) -> None:
    name = f"params[{i}]" + (f" ({p.label!r})" if p.label else "")
    warnings.warn(f"{type(optimizer).__name__}.step: the state of {name} is no longer finite "
                  f"({'; '.join(broken)}): a gradient overflowed (its square, or the step, is beyond "
                  "floating point, about 1.8e308), so this parameter will not train from here on; clip the "
                  "gradients or lower the learning rate, and make a new optimizer", OptimizerStateWarning,
                  stacklevel=3)


def scheduled_lr(schedule, epoch: int) -> float:
    """``base_lr · factor(epoch)``, or a ValueError naming the schedule and the epoch where it overflows.

    >>> from microbp import Value
    >>> from microbp.optim import SGD, ExponentialLR
    >>> schedule = ExponentialLR(SGD([Value(0.0)], lr=1.0), gamma=10)
    >>> scheduled_lr(schedule, 400)
    Traceback (most recent call last):
      ...
    ValueError: ExponentialLR.step: at epoch 400 the learning rate (1 × the schedule's factor) is beyond floating point (about 1.8e308); no learning rate was changed. Use a factor that does not grow so fast (gamma <= 1), or stop the schedule sooner
    """
    try:
        lr = schedule.base_lr * schedule.factor(epoch)
    except OverflowError:
        lr = math.inf
    if not math.isfinite(lr):
        raise ValueError(f"{type(schedule).__name__}.step: at epoch {epoch} the learning rate ({schedule.base_lr:g} "
                         "× the schedule's factor) is beyond floating point (about 1.8e308); no learning rate was "
                         "changed. Use a factor that does not grow so fast (gamma <= 1), or stop the schedule sooner")
    return lr
