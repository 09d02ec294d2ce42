"""microbp: a scalar autodiff engine that draws its graph and checks itself against sympy.

>>> from microbp import Value
>>> x = Value(2.0, label="x"); w = Value(-3.0, label="w"); b = Value(6.8813735870195432, label="b")
>>> o = (x * w + b).tanh(); o.backward()
>>> round(x.grad, 6), round(w.grad, 6)
(-1.5, 1.0)
"""

from .engine import (Value, abs, apply, cos, dot, exp, log, neg, relu, scope, sigmoid, sin,
                     sqrt, sum, tanh, topological_order, zero_grad)
from .errors import (DomainError, ExpressionError, GraphTooLargeError, GraphvizNotFoundError,
                     MicrobpError)
from .ops import OPS, TABLE, Op

__version__ = "0.1.0"

__all__ = [
    "Value", "scope", "topological_order", "zero_grad", "apply",
    "neg", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "sum", "dot",
    "OPS", "TABLE", "Op",
    "MicrobpError", "DomainError", "ExpressionError", "GraphvizNotFoundError", "GraphTooLargeError",
]
