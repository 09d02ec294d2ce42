"""Optimizers and learning-rate schedules, with the update equations of the original papers.

The equations are written once, in ``microbp.update_rules``: ``step()`` runs
them on floats, and the same rules write the lecture captions and the live
page's JavaScript.

Every argument is checked when the optimizer or schedule is made, and ``step()``
checks every gradient before it changes anything: an error names the class, the
argument (or parameter) and the value.

>>> from microbp import Value
>>> w = Value(3.0)
>>> optimizer = SGD([w], lr=0.1)
>>> for _ in range(50):
...     optimizer.zero_grad(); loss = (w - 1) ** 2; loss.backward(); optimizer.step()
>>> round(w.data, 3)
1.0
"""

from __future__ import annotations

import math
import numbers
import operator
from types import SimpleNamespace

from .core.engine import Value, is_real
from .errors import shown
from .optim_checks import as_float, scheduled_lr, warn_if_not_finite
from .update_rules.python import compiled
from .update_rules.rules import FLOATS, RULES, run


def _real(owner: str, name: str, value, *, above=None, at_least=None, below=None) -> float:
    """``value`` as a float if it is a finite real number (not a bool) within the bounds given.

    Otherwise a TypeError (not a number) or ValueError (out of range) naming the
    class, the argument, the value and what is allowed.

    >>> _real("SGD", "momentum", 0.9, at_least=0, below=1)
    0.9
    >>> _real("SGD", "lr", float("inf"), above=0)
    Traceback (most recent call last):
      ...
    ValueError: SGD: lr must be a finite number > 0, got inf
    """
    limits = [(sign, holds, limit) for sign, holds, limit in
              ((">", operator.gt, above), (">=", operator.ge, at_least), ("<", operator.lt, below))
              if limit is not None]
    allowed = " and ".join(f"{sign} {limit}" for sign, _, limit in limits)
    if not is_real(value):
        raise TypeError(f"{owner}: {name} must be a real number {allowed}, got {shown(value)} "
                        f"({type(value).__name__})")
    number = as_float(value)
    if not (math.isfinite(number) and all(holds(number, limit) for _, holds, limit in limits)):
        raise ValueError(f"{owner}: {name} must be a finite number {allowed}, got {shown(value)}")
    return number


def _count(owner: str, name: str, value) -> int:
    """``value`` if it is a positive int (not a bool), else an error naming the class, the argument and the value."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{owner}: {name} must be a positive int, got {shown(value)} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{owner}: {name} must be a positive int, got {shown(value)}")
    return int(value)


class Optimizer:
    """Holds the parameters and the learning rate ``lr`` (which schedules change).

    ``step()`` checks every gradient, then carries out the subclass's ``rule`` (from
    ``microbp.update_rules``, compiled to Python once): its hyperparameters, state
    lists and step counter are attributes of the optimizer, under the rule's names.
    """

    rule = None

    def __init__(self, params, lr: float):
        owner = type(self).__name__
        params = list(params)
        if not params:
            raise ValueError(f"{owner}: got no parameters to optimize; pass model.parameters() or a list of Values")
        first_index = {}
        for i, p in enumerate(params):
            if not isinstance(p, Value):
                raise TypeError(f"{owner}: params[{i}] must be a Value, got {p!r} ({type(p).__name__})")
            if first_index.setdefault(id(p), i) != i:
                raise ValueError(f"{owner}: params[{i}] is params[{first_index[id(p)]}] again, so step() would "
                                 "update it twice; pass each parameter once")
        self.params = params
        self.lr = _real(owner, "lr", lr, above=0)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter, or raise ValueError (changing nothing) if a gradient is inf or nan."""
        for i, p in enumerate(self.params):
            if not math.isfinite(p.grad):
                name = f"params[{i}]" + (f" ({p.label!r})" if p.label else "")
                raise ValueError(f"{type(self).__name__}.step: the gradient of {name} is {p.grad!r}; no parameter "
                                 "was changed (look for an overflow, log 0 or a division by zero in the loss, "
                                 "or lower the learning rate)")
        self._update()
        warn_if_not_finite(self)

    def _update(self) -> None:
        if self.rule is None:
            raise NotImplementedError(f"{type(self).__name__}: give the class a rule from microbp.update_rules "
                                      "or write its own _update()")
        compiled(self.rule)(self)


class SGD(Optimizer):
    """Gradient descent, with momentum and L2 weight decay as in PyTorch:

    g = ∂L/∂p + weight_decay·p;  v = momentum·v + g;  p = p − lr·v   (v = g without momentum).

    >>> w = Value(1.0); optimizer = SGD([w], lr=0.1)
    >>> ((w - 3) ** 2).backward(); optimizer.step(); w.data      # 1 − 0.1·(−4)
    1.4
    """

    def __init__(self, params, lr: float, momentum: float = 0.0, weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.momentum = _real("SGD", "momentum", momentum, at_least=0, below=1)
        self.weight_decay = _real("SGD", "weight_decay", weight_decay, at_least=0)
        self.velocity = [0.0] * len(self.params)

    @property
    def rule(self):
        return RULES["sgd_momentum"] if self.momentum else RULES["sgd"]


class Adagrad(Optimizer):
    """Duchi et al. 2011: s = s + g²;  p = p − lr·g / (√s + eps).

    >>> w = Value(1.0); optimizer = Adagrad([w], lr=0.5)
    >>> ((w - 3) ** 2).backward(); optimizer.step(); round(w.data, 6)   # 1 − 0.5·(−4)/4
    1.5
    """

    rule = RULES["adagrad"]

    def __init__(self, params, lr: float = 0.01, eps: float = 1e-10):
        super().__init__(params, lr)
        self.eps = _real("Adagrad", "eps", eps, above=0)
        self.sum_of_squares = [0.0] * len(self.params)


class Adam(Optimizer):
    """Kingma & Ba 2015, bias-corrected:

    m = β₁m + (1−β₁)g;  v = β₂v + (1−β₂)g²;  m̂ = m/(1−β₁ᵗ);  v̂ = v/(1−β₂ᵗ);  p = p − lr·m̂/(√v̂ + eps).

    ``weight_decay`` is L2 regularisation in the gradient, as in ``torch.optim.Adam``:
    g = ∂L/∂p + weight_decay·p, so the decay goes through m and v and is scaled
    down for parameters with large gradients. For decoupled weight decay, use ``AdamW``.

    >>> w = Value(1.0); optimizer = Adam([w], lr=0.1)
    >>> ((w - 3) ** 2).backward(); optimizer.step(); round(w.data, 6)   # the first step is lr
    1.1
    """

    decoupled_weight_decay = False

    @property
    def rule(self):
        return RULES["adamw"] if self.decoupled_weight_decay else RULES["adam"]

    def __init__(self, params, lr: float = 0.001, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        owner = type(self).__name__
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"{owner}: betas must be a pair (beta1, beta2), got {betas!r}")
        self.beta1, self.beta2 = (_real(owner, f"betas[{i}]", beta, at_least=0, below=1)
                                  for i, beta in enumerate(betas))
        self.eps = _real(owner, "eps", eps, above=0)
        self.weight_decay = _real(owner, "weight_decay", weight_decay, at_least=0)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)
        self.t = 0


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter 2019), as ``torch.optim.AdamW``:

    p = p − lr·weight_decay·p, then Adam's step with g = ∂L/∂p alone, so every
    parameter decays at the same rate whatever its gradient (Adam's L2 would not).

    >>> w = Value(1.0); optimizer = AdamW([w], lr=0.1, weight_decay=0.5)
    >>> ((w - 3) ** 2).backward(); optimizer.step(); round(w.data, 6)   # 1·(1 − 0.1·0.5), then + lr
    1.05
    """

    decoupled_weight_decay = True

    def __init__(self, params, lr: float = 0.001, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.01):
        super().__init__(params, lr, betas, eps, weight_decay)


class _Schedule:
    """Sets ``optimizer.lr = base_lr · factor(epoch)``; call ``step()`` once per epoch.

    The factor is the subclass's ``rule`` (from ``microbp.update_rules``), run on floats.
    """

    rule = None

    def __init__(self, optimizer: Optimizer):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(self).__name__}: optimizer must be an optimizer from microbp.optim "
                            f"(SGD, Adam, ...), got {optimizer!r}")
        self.optimizer, self.base_lr, self.epoch = optimizer, optimizer.lr, 0

    def _variables(self, epoch: int) -> SimpleNamespace:
        return SimpleNamespace(base_lr=self.base_lr, epoch=epoch,
                               **{name: getattr(self, name) for name, _ in self.rule.hyperparameters})

    def factor(self, epoch: int) -> float:
        s = self._variables(epoch)
        run(FLOATS, self.rule.update, s)
        return s.factor

    def step(self) -> None:
        self.optimizer.lr = scheduled_lr(self, self.epoch + 1)
        self.epoch += 1


class StepLR(_Schedule):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs.

    >>> from microbp import Value
    >>> optimizer = SGD([Value(0.0)], lr=1.0); schedule = StepLR(optimizer, step_size=2, gamma=0.5)
    >>> for _ in range(4): schedule.step()
    >>> optimizer.lr
    0.25
    """

    rule = RULES["step_lr"]

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1):
        super().__init__(optimizer)
        self.step_size = _count("StepLR", "step_size", step_size)
        self.gamma = _real("StepLR", "gamma", gamma, above=0)


class ExponentialLR(_Schedule):
    """Multiply the learning rate by ``gamma`` every epoch.

    >>> from microbp import Value
    >>> optimizer = SGD([Value(0.0)], lr=1.0); schedule = ExponentialLR(optimizer, gamma=0.9)
    >>> schedule.step(); optimizer.lr
    0.9
    """

    rule = RULES["exponential_lr"]

    def __init__(self, optimizer, gamma: float):
        super().__init__(optimizer)
        self.gamma = _real("ExponentialLR", "gamma", gamma, above=0)


class LinearLR(_Schedule):
    """Go linearly from ``start_factor`` to ``end_factor`` over ``total_iters`` epochs, then stay.

    micrograd's demo, ``lr = 1.0 - 0.9 * k / 100``, is ``LinearLR(opt, 1.0, 0.1, 100)``.

    >>> from microbp import Value
    >>> schedule = LinearLR(SGD([Value(0.0)], lr=1.0), 1.0, 0.1, 100)
    >>> for _ in range(50): schedule.step()
    >>> round(schedule.optimizer.lr, 6)
    0.55
    """

    rule = RULES["linear_lr"]

    def __init__(self, optimizer, start_factor: float = 1.0, end_factor: float = 0.0, total_iters: int = 100):
        super().__init__(optimizer)
        self.start_factor = _real("LinearLR", "start_factor", start_factor, above=0)
        self.end_factor = _real("LinearLR", "end_factor", end_factor, at_least=0)
        self.total_iters = _count("LinearLR", "total_iters", total_iters)
        optimizer.lr = self.base_lr * self.start_factor
