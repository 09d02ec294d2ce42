"""Neurons, layers and MLPs with micrograd's signatures, on microbp's n-ary nodes.

Each neuron computes ``affine(w, x, b)``, that is w·x + b as one node (not
2n + 1 binary nodes), and its activation, inside ``microbp.scope`` so a drawn
network clusters by layer and neuron. Parameters are labelled ``L1.N3.w2``,
``L1.N3.b``.

>>> import random
>>> random.seed(1337)
>>> model = MLP(2, [16, 16, 1])
>>> len(model.parameters())
337
>>> type(model([1.0, -1.0])).__name__        # a one-neuron layer returns a Value
'Value'
"""

from __future__ import annotations

import json  # noqa: F401 (the doctests of state_dict read it)
import math
import random
from collections.abc import Mapping

from .core.engine import Value, is_real
from .core.functions import PUBLIC_FUNCTIONS, affine
from .core.graph import scope
from .core.ops import TABLE
from .errors import shown

ACTIVATIONS = {**{row.name: getattr(Value, row.name) for row in TABLE
                  if row.arity == 1 and row.name in PUBLIC_FUNCTIONS},   # the methods: the engine's short way
               "linear": None}
"""A neuron's activation by name: every unary function of the table (relu, tanh, sigmoid, softplus, ...),
or ``"linear"``, none."""


class Module:
    """Base class: ``parameters()``, ``named_parameters()``, ``zero_grad()``, state dicts.

    Parameters are named by their path in the module tree, as in PyTorch: a
    subclass's attributes are found by themselves, in the order they were set.

    >>> class Net(Module):
    ...     def __init__(self):
    ...         self.a, self.b = Layer(2, 2, rng=random.Random(0)), Layer(2, 1, rng=random.Random(1))
    ...         self.k = Value(2.0)
    >>> names = list(Net().state_dict())
    >>> names[:3], names[-1], len(names)
    (['a.L.N1.w1', 'a.L.N1.w2', 'a.L.N1.b'], 'k', 10)
    """

    def parameters(self) -> list:
        return [p for _, p in self.named_parameters()]

    def named_parameters(self) -> list:
        """(name, Value) for every parameter, found by walking the attributes.

        A Value attribute is a parameter named by the attribute; a Module attribute
        gives its own named parameters, prefixed with the attribute (``a.L.N1.w1``);
        lists, tuples and dicts are walked too (``blocks.0.L.N1.b``, ``heads.left``).
        A Value reached twice (a shared layer) is listed once, under its first name.
        ``Neuron``, ``Layer`` and ``MLP`` name theirs by their labels (``L1.N1.w1``).

        >>> class Affine(Module):
        ...     def __init__(self): self.w, self.b = [Value(1.0), Value(2.0)], Value(0.0)
        >>> [name for name, _ in Affine().named_parameters()]
        ['w.0', 'w.1', 'b']
        """
        named, seen = [], set()
        for attribute, item in vars(self).items():
            for name, parameter in _named_values(attribute, item):
                if id(parameter) not in seen:
                    seen.add(id(parameter))
                    named.append((name, parameter))
        return named

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

    def state_dict(self) -> dict:
        """Parameter values by name: a plain dict that ``json.dump`` can write.

        >>> n = Neuron(2, name="N1", rng=random.Random(0))
        >>> list(n.state_dict())
        ['N1.w1', 'N1.w2', 'N1.b']
        """
        return {name: p.data for name, p in self._parameters_by_name("state_dict").items()}

    def load_state_dict(self, state: dict) -> None:
        """Set every parameter from ``state``; checks everything first, so a bad dict changes nothing.

        >>> a, b = Neuron(2, rng=random.Random(0)), Neuron(2, rng=random.Random(1))
        >>> b.load_state_dict(json.loads(json.dumps(a.state_dict())))
        >>> b.state_dict() == a.state_dict()
        True
        """
        named = self._parameters_by_name("load_state_dict")
        _check_state(state)
        missing, unexpected = sorted(set(named) - set(state)), sorted(set(state) - set(named))
        if missing or unexpected:
            raise KeyError(f"load_state_dict: state does not fit this model (missing: {missing or 'none'}; "
                           f"unexpected: {unexpected or 'none'})")
        for name, value in state.items():
            if not is_real(value) or not _finite(value):
                raise ValueError(f"load_state_dict: {name} must be a finite number, got {shown(value)}")
        for name, value in state.items():
            named[name].data = float(value)

    def _parameters_by_name(self, caller: str) -> dict:
        """``named_parameters()`` as a dict, or a ValueError if one name stands for two parameters."""
        named, clashes = {}, set()
        for name, parameter in self.named_parameters():
            if named.setdefault(name, parameter) is not parameter:
                clashes.add(name)
        if clashes:
            raise ValueError(f"{caller}: {len(clashes)} names are used by more than one parameter: "
                             f"{sorted(clashes)}; a saved state would mix them up. Give each layer its own "
                             "name (Layer(..., name='L2')), or let Module.named_parameters name them by "
                             "attribute path")
        return named


def _check_state(state) -> None:
    """A TypeError unless ``state`` is a dict (as ``state_dict()`` gives, or ``json.load`` reads back)."""
    if not isinstance(state, Mapping):
        raise TypeError(f"load_state_dict: state must be a dict of parameter values by name, as state_dict() "
                        f"gives, got {shown(state)} ({type(state).__name__})")


def _finite(number) -> bool:
    """A real number that a float holds and that is finite (``10**400`` is not)."""
    try:
        return math.isfinite(number)
    except OverflowError:
        return False


def _size(owner: str, name: str, value) -> int:
    """A positive int (not a bool: ``True`` is no layer size), or an error naming the class and argument."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{owner}: {name} needs a positive int, got {shown(value)} ({type(value).__name__})")
    return value


def _named_values(name: str, item) -> list:
    """(path, Value) for the Values in an attribute: itself, a Module's parameters, or a container's items."""
    if isinstance(item, Value):
        return [(name, item)]
    if isinstance(item, Module):
        return [(f"{name}.{inner}", p) for inner, p in item.named_parameters()]
    if isinstance(item, dict):
        item = item.items()
    elif isinstance(item, (list, tuple)):
        item = enumerate(item)
    else:
        return []
    return [pair for key, value in item for pair in _named_values(f"{name}.{key}", value)]


class Neuron(Module):
    """``activation(w · x + b)`` with ``nin`` weights drawn from U(-1, 1) and bias 0.

    Args:
        nin: number of inputs.
        nonlin: micrograd's switch; ``False`` means a linear neuron.
        activation: ``"relu"`` (default, as micrograd), any other unary function of the table
            (``"tanh"``, ``"sigmoid"``, ``"softplus"``, ...: ``ACTIVATIONS``) or ``"linear"``.
        rng: where weights come from: ``random`` (default, so ``random.seed`` reproduces
            micrograd) or a ``random.Random``.
        name: prefix of the parameter labels and name of the neuron's scope.

    >>> n = Neuron(2, activation="tanh", name="N1", rng=random.Random(0))
    >>> [p.label for p in n.parameters()]
    ['N1.w1', 'N1.w2', 'N1.b']
    >>> n([1.0, 2.0]).op.name
    'tanh'
    """

    def __init__(self, nin: int, nonlin: bool = True, activation: str = "relu", rng=None, name: str = "N"):
        _size("Neuron", "nin", nin)
        if activation not in ACTIVATIONS:
            raise ValueError(f"Neuron: activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        rng = random if rng is None else rng
        self.name = name
        self.w = [Value(rng.uniform(-1, 1), label=f"{name}.w{i + 1}") for i in range(nin)]
        self.b = Value(0, label=f"{name}.b")
        self.activation = activation if nonlin else "linear"
        self.nonlin = self.activation != "linear"
        self.scope = scope(name.rsplit(".", 1)[-1])

    def __call__(self, x):
        if len(x) != len(self.w):
            raise ValueError(f"{self.name}: expects {len(self.w)} inputs, got {len(x)}")
        with self.scope:
            act = affine(self.w, x, self.b)
            function = ACTIVATIONS[self.activation]
            return function(act) if function else act

    def named_parameters(self) -> list:
        return [(p.label, p) for p in self.w + [self.b]]

    def __repr__(self):
        kind = {"relu": "ReLU", "linear": "Linear"}.get(self.activation, self.activation.capitalize())
        return f"{kind}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons on the same inputs; returns a list, or a Value when ``nout == 1``.

    >>> layer = Layer(3, 2, activation="tanh", rng=random.Random(0))
    >>> len(layer([1.0, 2.0, 3.0])), len(layer.parameters())
    (2, 8)
    """

    def __init__(self, nin: int, nout: int, name: str = "L", **kwargs):
        _size("Layer", "nout", nout)
        self.name = name
        self.scope = scope(name)
        self.neurons = [Neuron(nin, name=f"{name}.N{j + 1}", **kwargs) for j in range(nout)]

    def __call__(self, x):
        with self.scope:
            out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def named_parameters(self) -> list:
        return [pair for n in self.neurons for pair in n.named_parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: hidden layers use ``activation``, the last layer is linear.

    ``MLP(2, [16, 16, 1])`` is micrograd's demo network: 337 parameters.

    >>> model = MLP(3, [4, 4, 1], seed=0)
    >>> model
    MLP of [Layer of [ReLUNeuron(3), ReLUNeuron(3), ReLUNeuron(3), ReLUNeuron(3)], Layer of [ReLUNeuron(4), ReLUNeuron(4), ReLUNeuron(4), ReLUNeuron(4)], Layer of [LinearNeuron(4)]]
    """

    def __init__(self, nin: int, nouts, activation: str = "relu", rng=None, seed: int | None = None):
        if seed is not None:
            rng = random.Random(seed)
        sizes = [_size("MLP", "nin", nin)] + _sizes(nouts)
        self.layers = [Layer(sizes[i], sizes[i + 1], name=f"L{i + 1}", rng=rng,
                             activation=activation if i != len(nouts) - 1 else "linear")
                       for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x if isinstance(x, (list, tuple)) else [x])
        return x

    def named_parameters(self) -> list:
        return [pair for layer in self.layers for pair in layer.named_parameters()]

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


def _sizes(nouts) -> list:
    """MLP's layer sizes: a non-empty list of positive ints, each checked (``[True]`` is no layer)."""
    if isinstance(nouts, (str, bytes)) or not hasattr(nouts, "__iter__"):
        raise TypeError(f"MLP: nouts must be a list of layer sizes, as in MLP(2, [16, 16, 1]), got {shown(nouts)}")
    sizes = list(nouts)
    if not sizes:
        raise ValueError("MLP: nouts is empty, so the network would have no layers; pass at least one size, "
                         "as in MLP(2, [1])")
    return [_size("MLP", f"nouts[{i}]", size) for i, size in enumerate(sizes)]
