"""The built-in example: the lecture neuron, o = tanh(x1·w1 + x2·w2 + b).

>>> from microbp import topological_order
>>> o = lecture_neuron()
>>> round(o.data, 4), {v.label: round(v.grad, 4) for v in topological_order(o) if v.op is None}
(0.7071, {'x1': -1.5, 'w1': 1.0, 'x2': 0.5, 'w2': 0.0, 'b': 0.5})
"""

from .engine import Value
from .graph import scope


def lecture_neuron(backward: bool = True) -> Value:
    """Build (and by default backpropagate) the neuron of the classic lecture.

    x1 = 2, x2 = 0, w1 = -3, w2 = 1, b = 6.8813735870195432 (chosen so o = 1/√2).

    >>> lecture_neuron(backward=False)
    Value(data=0.7071, grad=?, label='o')
    """
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    with scope("neuron"):
        x1w1 = x1 * w1
        x1w1.label = "x1·w1"
        x2w2 = x2 * w2
        x2w2.label = "x2·w2"
        weighted = x1w1 + x2w2
        weighted.label = "x1·w1 + x2·w2"
        n = weighted + b
        n.label = "n"
    o = n.tanh()
    o.label = "o"
    if backward:
        o.backward()
    return o
