"""The built-in examples: the lecture neuron, and the backpropagation walkthrough's network.

>>> from microbp import topological_order
>>> o = lecture_neuron()
>>> round(o.data, 4), {v.label: round(v.grad, 4) for v in topological_order(o) if v.op is None}
(0.7071, {'x1': -1.5, 'w1': 1.0, 'x2': 0.5, 'w2': 0.0, 'b': 0.5})
>>> E = walkthrough_network()
>>> round(E.data, 5), E.label
(0.05942, 'E')
"""

from .core.engine import Value
from .core.functions import sum as total
from .core.graph import scope

LAYERS = (("1", "2"), ("3", "4"), ("5",))         # unit names, layer by layer; unit 0 is the input
WEIGHTS = {("0", "1"): 0.5, ("0", "2"): -0.3,
           ("1", "3"): 0.8, ("2", "3"): -0.6, ("1", "4"): 0.2, ("2", "4"): 0.9,
           ("3", "5"): 1.1, ("4", "5"): -0.7}


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


def walkthrough_network(backward: bool = True, input_value: float = 1.0, target: float = 0.2) -> Value:
    """The network of the classic backpropagation walkthrough, and its squared error E = ½(y5 − t)².

    1 input, two hidden layers of 2 sigmoid units, 1 sigmoid output. Unit j has
    the net input ``x{j}`` = Σᵢ wᵢⱼ·yᵢ and the output ``y{j}`` = σ(xⱼ); the weights
    are labelled ``w{i}{j}``, and each layer is a scope, so ``view="network"``
    draws it as the walkthrough does.

    >>> E = walkthrough_network()
    >>> from microbp import topological_order
    >>> {n.label: round(n.grad, 5) for n in topological_order(E) if n.label in ("w35", "y3")}
    {'w35': 0.04791, 'y3': 0.09404}
    """
    weights = {key: Value(v, label=f"w{key[0]}{key[1]}") for key, v in WEIGHTS.items()}
    outputs = {"0": Value(input_value, label="y0")}
    previous = ["0"]
    for depth, layer in enumerate(LAYERS, start=1):
        with scope(f"layer {depth}"):
            for j in layer:
                x = total([weights[(i, j)] * outputs[i] for i in previous])
                x.label = f"x{j}"
                outputs[j] = x.sigmoid()
                outputs[j].label = f"y{j}"
        previous = layer
    error = (outputs[LAYERS[-1][0]] - target) ** 2 * 0.5
    error.label = "E"
    if backward:
        error.backward()
    return error
