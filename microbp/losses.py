"""Loss functions, built from the op table's operations (so sympy can check them).

Each takes predictions (Values or numbers) and targets (numbers), one example
or a list of them, and returns the mean loss: a Value, or a float when every
input is a number (as ``microbp.tanh(0.5)`` is a float). Arguments are checked
before anything is built; an empty list, a wrong type or a value outside its
range is an error that names the loss, the argument and the value.

>>> from microbp import Value
>>> p = [Value(0.8), Value(0.1)]
>>> round(mse(p, [1.0, 0.0]).data, 6)        # ((0.8-1)² + 0.1²) / 2
0.025
>>> mse(0.5, 1.0)                            # numbers in, a float out
0.25
"""

from __future__ import annotations

import math
import numbers

from .core.engine import Value, is_real
from .core.functions import dot, exp, log, relu, softplus, sum as total
from .core.scopes import scope
from .errors import DomainError

BLOCK = "loss: "
"""The scope a loss is built in, ``"loss: mse"``: a lecture shows the block as the textbook writes it
(``microbp.network.loss_block``), while the numerically stable implementation runs underneath."""


def mse(predictions, targets) -> Value | float:
    """Mean squared error, (1/n) Σ (pᵢ − yᵢ)²; ∂/∂pᵢ = 2(pᵢ − yᵢ)/n. For regression.

    >>> from microbp import Value
    >>> p = Value(2.5); loss = mse(p, 3.0); loss.backward()
    >>> loss.data, p.grad
    (0.25, -1.0)
    """
    predictions, targets = _pairs("mse", ("predictions", "targets"), predictions, targets)
    with scope(BLOCK + "mse"):
        errors = [p - y for p, y in zip(predictions, targets)]
        return dot(errors, errors) * (1.0 / len(errors))


def binary_cross_entropy(probabilities, targets) -> Value | float:
    """Mean of −[y log p + (1 − y) log(1 − p)], for p in (0, 1); ∂/∂p = (p − y) / (p(1 − p)) / n.

    Targets are in [0, 1] (soft labels allowed). A probability outside (0, 1) is a
    ``DomainError``, except p = 1 with y = 1 and p = 0 with y = 0 (the infinite log
    has weight 0 there).

    >>> from microbp import Value
    >>> round(binary_cross_entropy(Value(0.9), 1).data, 6)      # −log 0.9
    0.105361
    >>> binary_cross_entropy(Value(1.5), 1)                         # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    microbp.errors.DomainError: binary_cross_entropy: probabilities[0] = 1.5 is not in (0, 1); ...
    """
    function = "binary_cross_entropy"
    probabilities, targets = _pairs(function, ("probabilities", "targets"), probabilities, targets)
    _check_labels_in_0_1(function, targets)
    for i, (p, y) in enumerate(zip(probabilities, targets)):
        _check_probability(i, _data(p), y)
    terms = [_log_likelihood(p, y) for p, y in zip(probabilities, targets)]
    return total(terms) * (-1.0 / len(terms))


def _check_probability(i: int, p: float, y: float) -> None:
    """p in (0, 1), or 0 or 1 where the log that would be infinite has weight 0."""
    where = f"binary_cross_entropy: probabilities[{i}] = {p!r}"
    if not 0 <= p <= 1:
        raise DomainError(f"{where} is not in (0, 1); pass probabilities (such as sigmoid outputs), "
                          "or logits to binary_cross_entropy_with_logits")
    if (p == 0 and y != 0) or (p == 1 and y != 1):
        raise DomainError(f"{where} with target {y!r} puts weight on log 0 (infinite loss); clip the "
                          "probability into (0, 1), or pass logits to binary_cross_entropy_with_logits")


def _log_likelihood(p, y):
    """y log p + (1 − y) log(1 − p), leaving out a term whose weight is 0 (so p = 1 with y = 1 is fine)."""
    if y == 1:
        return log(p)
    if y == 0:
        return log(1 - p)
    return y * log(p) + (1 - y) * log(1 - p)


def binary_cross_entropy_with_logits(logits, targets) -> Value | float:
    """Binary cross-entropy of sigmoid(z), computed stably for any finite z.

    Uses (1 − y)·z + softplus(−z) for z ≥ 0 and −y·z + softplus(z) for z < 0, where
    softplus(t) = log(1 + e^t) is the table's row: the same function, each form free of
    overflow on its side, and the softplus of a very negative t keeps every digit of its
    tiny value (e^t), so a confident right answer is not rounded to 0. The gradient is
    (σ(z) − y) / n everywhere, z = 0 included. Targets are in [0, 1].

    >>> from microbp import Value
    >>> binary_cross_entropy_with_logits(Value(1000.0), 1).data
    0.0
    >>> binary_cross_entropy_with_logits(-40.0, 0)            # log(1 + e^-40), not 0
    4.248354255291589e-18
    """
    function = "binary_cross_entropy_with_logits"
    logits, targets = _pairs(function, ("logits", "targets"), logits, targets)
    _check_finite(function, "logits", logits)
    _check_labels_in_0_1(function, targets)
    terms = [(1 - y) * z + softplus(-z) if _data(z) >= 0 else -y * z + softplus(z)
             for z, y in zip(logits, targets)]
    return total(terms) * (1.0 / len(terms))


def softmax(logits) -> list:
    """exp(zᵢ − m) / Σⱼ exp(zⱼ − m) with m = max z (a constant), so logits of ±1000 are fine.

    >>> from microbp import Value
    >>> [round(p.data, 4) for p in softmax([Value(1000.0), Value(0.0)])]
    [1.0, 0.0]
    >>> softmax([0.0, 0.0])                  # numbers in, floats out
    [0.5, 0.5]
    """
    exps = [exp(s) for s in _shifted(_checked_logits("softmax", "logits", logits))]
    denominator = total(exps)
    return [e / denominator for e in exps]


def cross_entropy(logits, targets) -> Value | float:
    """−log softmax(z)[k] for a class index k; for a batch, the mean over its examples.

    Computed as log Σⱼ exp(zⱼ − m) − (z_k − m) with m = max z: the shift comes first,
    so the loss is right for logits of ±1000 and for huge equal logits (1e16).
    ∂/∂zᵢ = pᵢ − [i = k] (divided by the batch size for a batch).

    Args:
        logits: one example's logits, or a list of them (one list per example).
        targets: the class index of the example, or a list of them.

    >>> from microbp import Value
    >>> cross_entropy([Value(1000.0), Value(-1000.0)], 1).data
    2000.0
    >>> round(cross_entropy([[0.0, 0.0], [5.0, 5.0]], [0, 1]), 6)     # mean of log 2 and log 2
    0.693147
    """
    if not isinstance(targets, (list, tuple)):
        logits = _checked_logits("cross_entropy", "logits", logits)
        target = _class_index("target", targets, len(logits))
        with scope(BLOCK + "cross_entropy"):
            return _negative_log_softmax(logits, target)
    batch = _checked_batch(logits, targets)
    return total([_negative_log_softmax(z, k) for z, k in batch]) * (1.0 / len(batch))


def _negative_log_softmax(logits: list, target: int):
    shifted = _shifted(logits)
    return log(total([exp(s) for s in shifted])) - shifted[target]


def _shifted(logits: list) -> list:
    """zᵢ − max z: at most 0, so exp cannot overflow, and the largest is exactly 0."""
    shift = max(_data(z) for z in logits)
    return [z - shift for z in logits]


def _checked_batch(logits, targets) -> list:
    """(logits, class index) per example, every one checked before any is used."""
    _check_nonempty("cross_entropy", "logits", logits)
    for i, example in enumerate(logits):
        if not isinstance(example, (list, tuple)):
            raise TypeError(f"cross_entropy: a list of targets needs a list of logit lists (one per example), "
                            f"got logits[{i}] = {example!r}; for one example, pass its class index as an int")
    if len(logits) != len(targets):
        raise ValueError(f"cross_entropy: needs one target per example, got {len(logits)} logit lists "
                         f"and {len(targets)} targets")
    examples = [_checked_logits("cross_entropy", f"logits[{i}]", z) for i, z in enumerate(logits)]
    return [(z, _class_index(f"targets[{i}]", k, len(z))) for i, (z, k) in enumerate(zip(examples, targets))]


def _class_index(name: str, target, classes: int) -> int:
    if not (isinstance(target, numbers.Integral) and not isinstance(target, bool) and 0 <= target < classes):
        raise ValueError(f"cross_entropy: {name} must be a class index in 0..{classes - 1}, "
                         f"got {target!r} ({type(target).__name__})")
    return int(target)


def hinge(scores, labels) -> Value | float:
    """micrograd's max-margin loss: mean of relu(1 − yᵢ·sᵢ) for labels ±1.

    >>> from microbp import Value
    >>> hinge([Value(0.5), Value(-2.0)], [1, -1]).data        # (0.5 + 0) / 2
    0.25
    """
    scores, labels = _pairs("hinge", ("scores", "labels"), scores, labels)
    for i, y in enumerate(labels):
        if isinstance(y, Value) or y not in (1, -1):
            raise ValueError(f"hinge: labels[{i}] must be 1 or -1, got {y!r}; map 0/1 labels with 2 * y - 1")
    return total([relu(1 - y * s) for s, y in zip(scores, labels)]) * (1.0 / len(scores))


# --- checking arguments ----------------------------------------------------------------------------

def _pairs(function: str, names: tuple, predictions, targets) -> tuple:
    """Both arguments as equally long, non-empty lists of Values and numbers (one example becomes a list of one)."""
    first, second = names
    if not isinstance(predictions, (list, tuple)):
        predictions, targets = [predictions], [targets]
    elif not isinstance(targets, (list, tuple)):
        raise TypeError(f"{function}: {second} must be a list as long as {first}, got {targets!r}")
    _check_nonempty(function, first, predictions)
    if len(predictions) != len(targets):
        raise ValueError(f"{function}: needs as many {second} as {first}, got {len(predictions)} and {len(targets)}")
    _check_operands(function, first, predictions)
    _check_operands(function, second, targets)
    return list(predictions), list(targets)


def _checked_logits(function: str, name: str, logits) -> list:
    try:
        logits = list(logits)
    except TypeError:
        raise TypeError(f"{function}: {name} must be a list of Values or numbers, got {logits!r}") from None
    _check_nonempty(function, name, logits)
    _check_operands(function, name, logits)
    _check_finite(function, name, logits)
    return logits


def _check_nonempty(function: str, name: str, items) -> None:
    if len(items) == 0:
        raise ValueError(f"{function}: {name} is empty; pass at least one")


def _check_operands(function: str, name: str, items) -> None:
    for i, x in enumerate(items):
        if not (isinstance(x, Value) or is_real(x)):
            raise TypeError(f"{function}: {name}[{i}] must be a Value or a real number, "
                            f"got {x!r} ({type(x).__name__})")


def _check_finite(function: str, name: str, items) -> None:
    for i, x in enumerate(items):
        if not math.isfinite(_data(x)):
            raise DomainError(f"{function}: {name}[{i}] = {_data(x)!r} is not finite; "
                              "look for an overflow or a nan earlier in the model")


def _check_labels_in_0_1(function: str, targets) -> None:
    for i, y in enumerate(targets):
        if not (is_real(y) and 0 <= y <= 1):
            raise ValueError(f"{function}: targets[{i}] must be a finite number in [0, 1] "
                             f"(a class, 0 or 1, or a soft label), got {y!r}")


def _data(x) -> float:
    return x.data if isinstance(x, Value) else float(x)
