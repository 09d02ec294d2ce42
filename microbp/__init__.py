"""microbp: a scalar autodiff engine that draws its graph and checks itself against sympy.

>>> from microbp import Value
>>> x = Value(2.0, label="x"); w = Value(-3.0, label="w"); b = Value(6.8813735870195432, label="b")
>>> o = (x * w + b).tanh(); o.backward()
>>> round(x.grad, 6), round(w.grad, 6)
(-1.5, 1.0)
"""

from .engine import Value, apply, scope, topological_order
from .functions import (abs, affine, cos, dot, exp, gradients, leaf_names, log, neg, relu, sigmoid, sin, sqrt, sum,
                        tanh, zero_grad)
from .errors import (DomainError, ExpressionError, GraphTooLargeError, GraphvizNotFoundError,
                     MicrobpError)
from .ops import OPS, TABLE, Op

__version__ = "0.1.0"

# Loaded on first use, so that ``import microbp`` stays fast (no sympy, no graphviz).
_LAZY = {
    "draw": "drawing", "render": "output", "lecture_neuron": "demo",
    "parse": "expressions", "to_text": "expressions",
    "to_sympy": "symbolic", "verify": "symbolic", "check_derivation": "symbolic",
    "grad": "functional", "value_and_grad": "functional",
    "steps": "lecture", "render_steps": "lecture", "slideshow": "slides",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'microbp' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))

# ``microbp.sum`` and ``microbp.abs`` are left out of ``__all__`` so that
# ``from microbp import *`` does not shadow the builtins.
__all__ = [
    "Value", "scope", "topological_order", "zero_grad", "gradients", "apply",
    "neg", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "dot", "affine",
    "OPS", "TABLE", "Op", "draw", "render", "lecture_neuron",
    "parse", "to_text", "to_sympy", "verify", "check_derivation", "grad", "value_and_grad",
    "steps", "render_steps", "slideshow",
    "MicrobpError", "DomainError", "ExpressionError", "GraphvizNotFoundError", "GraphTooLargeError",
]
