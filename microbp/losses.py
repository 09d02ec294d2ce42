"""Loss functions, built from the op table's operations (so sympy can check them).

Each takes predictions (Values or numbers) and targets (numbers), one example
or a list of them, and returns the mean loss as a Value.

>>> from microbp import Value
>>> p = [Value(0.8), Value(0.1)]
>>> round(mse(p, [1.0, 0.0]).data, 6)        # ((0.8-1)² + 0.1²) / 2
0.025
"""

from __future__ import annotations

from .engine import Value
from .functions import dot, sum as total


def _pairs(predictions, targets, what: str) -> tuple:
    """Both arguments as equally long lists (a single prediction becomes a list of one)."""
    if not isinstance(predictions, (list, tuple)):
        predictions, targets = [predictions], [targets]
    predictions, targets = list(predictions), list(targets)
    if len(predictions) != len(targets) or not predictions:
        raise ValueError(f"{what}: needs as many targets as predictions (and at least one), "
                         f"got {len(predictions)} and {len(targets)}")
    return predictions, targets


def mse(predictions, targets) -> Value:
    """Mean squared error, (1/n) Σ (pᵢ − yᵢ)²; ∂/∂pᵢ = 2(pᵢ − yᵢ)/n. For regression.

    >>> from microbp import Value
    >>> p = Value(2.5); loss = mse(p, 3.0); loss.backward()
    >>> loss.data, p.grad
    (0.25, -1.0)
    """
    predictions, targets = _pairs(predictions, targets, "mse")
    errors = [p - y for p, y in zip(predictions, targets)]
    return dot(errors, errors) * (1.0 / len(errors))


def binary_cross_entropy(probabilities, targets) -> Value:
    """Mean of −[y log p + (1 − y) log(1 − p)], for p in (0, 1); ∂/∂p = (p − y) / (p(1 − p)) / n.

    >>> from microbp import Value
    >>> round(binary_cross_entropy(Value(0.9), 1).data, 6)      # −log 0.9
    0.105361
    """
    probabilities, targets = _pairs(probabilities, targets, "binary_cross_entropy")
    terms = [_log_likelihood(p, y) for p, y in zip(probabilities, targets)]
    return total(terms) * (-1.0 / len(terms))


def _log_likelihood(p, y):
    """y log p + (1 − y) log(1 − p), leaving out a term whose weight is 0 (so p = 1 with y = 1 is fine)."""
    if y == 1:
        return p.log()
    if y == 0:
        return (1 - p).log()
    return y * p.log() + (1 - y) * (1 - p).log()


def binary_cross_entropy_with_logits(logits, targets) -> Value:
    """Binary cross-entropy of sigmoid(z), computed stably for any z.

    Uses (1 − y)·z + log(1 + e^−z) for z ≥ 0 and −y·z + log(1 + e^z) for z < 0: the
    same function, each form smooth and free of overflow on its side, so the gradient
    is (σ(z) − y) / n everywhere, z = 0 included.

    >>> from microbp import Value
    >>> binary_cross_entropy_with_logits(Value(1000.0), 1).data
    0.0
    """
    logits, targets = _pairs(logits, targets, "binary_cross_entropy_with_logits")
    terms = [(1 - y) * z + (1 + (-z).exp()).log() if _data(z) >= 0 else -y * z + (1 + z.exp()).log()
             for z, y in zip(logits, targets)]
    return total(terms) * (1.0 / len(terms))


def softmax(logits) -> list:
    """exp(zᵢ − m) / Σⱼ exp(zⱼ − m) with m = max z (a constant), so logits of ±1000 are fine.

    >>> from microbp import Value
    >>> [round(p.data, 4) for p in softmax([Value(1000.0), Value(0.0)])]
    [1.0, 0.0]
    """
    logits = list(logits)
    shift = max(_data(z) for z in logits)
    exps = [(z - shift).exp() for z in logits]
    denominator = total(exps)
    return [e / denominator for e in exps]


def cross_entropy(logits, target: int) -> Value:
    """−log softmax(z)[target] via log-sum-exp: m + log Σ exp(zⱼ − m) − z_target.

    ∂/∂zᵢ = pᵢ − [i = target]. Finite for logits of ±1000.

    >>> from microbp import Value
    >>> cross_entropy([Value(1000.0), Value(-1000.0)], 1).data
    2000.0
    """
    logits = list(logits)
    if not isinstance(target, int) or not 0 <= target < len(logits):
        raise ValueError(f"cross_entropy: target must be a class index in 0..{len(logits) - 1}, got {target!r}")
    shift = max(_data(z) for z in logits)
    log_sum_exp = total([(z - shift).exp() for z in logits]).log() + shift
    return log_sum_exp - logits[target]


def hinge(scores, labels) -> Value:
    """micrograd's max-margin loss: mean of relu(1 − yᵢ·sᵢ) for labels ±1.

    >>> from microbp import Value
    >>> hinge([Value(0.5), Value(-2.0)], [1, -1]).data        # (0.5 + 0) / 2
    0.25
    """
    scores, labels = _pairs(scores, labels, "hinge")
    return total([(1 - y * s).relu() for s, y in zip(scores, labels)]) * (1.0 / len(scores))


def _data(x) -> float:
    return x.data if isinstance(x, Value) else float(x)
