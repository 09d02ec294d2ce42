"""Optimizers and learning-rate schedules, with the update equations of the original papers.

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

from .engine import Value  # noqa: F401  (for the examples)


class Optimizer:
    """Holds the parameters and the learning rate ``lr`` (which schedules change)."""

    def __init__(self, params, lr: float):
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: got no parameters to optimize")
        if not (isinstance(lr, (int, float)) and lr > 0):
            raise ValueError(f"{type(self).__name__}: lr must be a positive number, got {lr!r}")
        self.lr = float(lr)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Gradient descent, with momentum and L2 weight decay as in PyTorch:

    g = ∂L/∂p + weight_decay·p;  v = momentum·v + g;  p = p − lr·v   (v = g without momentum).

    >>> w = Value(1.0); optimizer = SGD([w], lr=0.1)
    >>> ((w - 3) ** 2).backward(); optimizer.step(); w.data      # 1 − 0.1·(−4)
    1.4
    """

    def __init__(self, params, lr: float, momentum: float = 0.0, weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.momentum, self.weight_decay = momentum, weight_decay
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        for i, p in enumerate(self.params):
            g = p.grad + self.weight_decay * p.data
            if self.momentum:
                g = self.velocity[i] = self.momentum * self.velocity[i] + g
            p.data -= self.lr * g


class Adagrad(Optimizer):
    """Duchi et al. 2011: s = s + g²;  p = p − lr·g / (√s + eps).

    >>> w = Value(1.0); optimizer = Adagrad([w], lr=0.5)
    >>> ((w - 3) ** 2).backward(); optimizer.step(); round(w.data, 6)   # 1 − 0.5·(−4)/4
    1.5
    """

    def __init__(self, params, lr: float = 0.01, eps: float = 1e-10):
        super().__init__(params, lr)
        self.eps = eps
        self.sum_of_squares = [0.0] * len(self.params)

    def step(self) -> None:
        for i, p in enumerate(self.params):
            g = p.grad
            self.sum_of_squares[i] += g * g
            p.data -= self.lr * g / (math.sqrt(self.sum_of_squares[i]) + self.eps)


class Adam(Optimizer):
    """Kingma & Ba 2015, bias-corrected:

    m = β₁m + (1−β₁)g;  v = β₂v + (1−β₂)g²;  m̂ = m/(1−β₁ᵗ);  v̂ = v/(1−β₂ᵗ);  p = p − lr·m̂/(√v̂ + eps).

    >>> w = Value(1.0); optimizer = Adam([w], lr=0.1)
    >>> ((w - 3) ** 2).backward(); optimizer.step(); round(w.data, 6)   # the first step is lr
    1.1
    """

    def __init__(self, params, lr: float = 0.001, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.beta1, self.beta2 = betas
        self.eps, self.weight_decay = eps, weight_decay
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)
        self.t = 0

    def step(self) -> None:
        self.t += 1
        correction1, correction2 = 1 - self.beta1 ** self.t, 1 - self.beta2 ** self.t
        for i, p in enumerate(self.params):
            g = p.grad + self.weight_decay * p.data
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g * g
            p.data -= self.lr * (self.m[i] / correction1) / (math.sqrt(self.v[i] / correction2) + self.eps)


class _Schedule:
    """Sets ``optimizer.lr = base_lr · factor(epoch)``; call ``step()`` once per epoch."""

    def __init__(self, optimizer: Optimizer):
        self.optimizer, self.base_lr, self.epoch = optimizer, optimizer.lr, 0

    def factor(self, epoch: int) -> float:
        raise NotImplementedError

    def step(self) -> None:
        self.epoch += 1
        self.optimizer.lr = self.base_lr * self.factor(self.epoch)


class StepLR(_Schedule):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs.

    >>> from microbp import Value
    >>> optimizer = SGD([Value(0.0)], lr=1.0); schedule = StepLR(optimizer, step_size=2, gamma=0.5)
    >>> for _ in range(4): schedule.step()
    >>> optimizer.lr
    0.25
    """

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1):
        super().__init__(optimizer)
        self.step_size, self.gamma = step_size, gamma

    def factor(self, epoch: int) -> float:
        return self.gamma ** (epoch // self.step_size)


class ExponentialLR(_Schedule):
    """Multiply the learning rate by ``gamma`` every epoch.

    >>> from microbp import Value
    >>> optimizer = SGD([Value(0.0)], lr=1.0); schedule = ExponentialLR(optimizer, gamma=0.9)
    >>> schedule.step(); optimizer.lr
    0.9
    """

    def __init__(self, optimizer, gamma: float):
        super().__init__(optimizer)
        self.gamma = gamma

    def factor(self, epoch: int) -> float:
        return self.gamma ** epoch


class LinearLR(_Schedule):
    """Go linearly from ``start_factor`` to ``end_factor`` over ``total_iters`` epochs, then stay.

    micrograd's demo, ``lr = 1.0 - 0.9 * k / 100``, is ``LinearLR(opt, 1.0, 0.1, 100)``.

    >>> from microbp import Value
    >>> schedule = LinearLR(SGD([Value(0.0)], lr=1.0), 1.0, 0.1, 100)
    >>> for _ in range(50): schedule.step()
    >>> round(schedule.optimizer.lr, 6)
    0.55
    """

    def __init__(self, optimizer, start_factor: float = 1.0, end_factor: float = 0.0, total_iters: int = 100):
        super().__init__(optimizer)
        self.start_factor, self.end_factor, self.total_iters = start_factor, end_factor, total_iters
        optimizer.lr = self.base_lr * start_factor

    def factor(self, epoch: int) -> float:
        progress = min(epoch, self.total_iters) / self.total_iters
        return self.start_factor + (self.end_factor - self.start_factor) * progress
