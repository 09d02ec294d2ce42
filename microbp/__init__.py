"""microbp: a scalar autodiff engine that draws its graph and checks itself against sympy.

>>> from microbp import Value
>>> x = Value(2.0, label="x"); w = Value(-3.0, label="w"); b = Value(6.8813735870195432, label="b")
>>> o = (x * w + b).tanh(); o.backward()
>>> round(x.grad, 6), round(w.grad, 6)
(-1.5, 1.0)
"""

import builtins as _builtins

from .core import engine as _engine
from .core.autodiff import grad, gradients, value_and_grad, zero_grad
from .core.engine import Value, apply
from .core.functions import PUBLIC_FUNCTIONS
from .core.graph import Graph, scope, topological_order
from .core.jacobians import hessian, hvp
from .core.ops import OPS, TABLE, Op
from .errors import (
    BrowserNotFoundError,
    DomainError,
    DotFailedError,
    ExpressionError,
    GradientAccumulationWarning,
    GraphTooLargeError,
    GraphvizNotFoundError,
    MicrobpError,
    NotANetworkError,
    OptimizerStateWarning,
    OutputError,
    OverflowWarning,
    TimeLimitError,
    TypeSizeWarning,
    UnknownVariableError,
    UnreadableSlidesWarning,
)

globals().update(PUBLIC_FUNCTIONS)             # microbp.tanh, microbp.dot, ...: one per row of the table

__version__ = "0.1.0"

# Loaded on first use, so that ``import microbp`` stays fast (no sympy, no graphviz).
_LAZY = {
    "draw": "drawing", "render": "drawing",
    "lecture_neuron": "demo", "walkthrough_network": "demo",
    "parse": "text.parser", "to_text": "text.notation",
    "to_sympy": "check.sympy_bridge", "symbols": "check.sympy_bridge",
    "verify": "check.verification", "check_derivation": "check.derivations",
    "steps": "lecture.steps", "render_steps": "lecture.steps", "slideshow": "lecture.slideshow",
    "stepper": "lecture.notebook", "check_projector": "lecture.slideshow_check",
    "live": "lecture.live", "playground": "lecture.playground",
    "codegen": "programs.codegen", "compile": "programs.compiled",
    "jvp": "core.forward", "jacfwd": "core.jacobians", "jacrev": "core.jacobians", "jacobian": "core.jacobians",
}


def _display(value) -> dict:
    """What Jupyter shows for a Value: ``draw(value)`` (the auto view: a network's circles, or the graph)."""
    from .drawing import draw
    from .figures.render import mimebundle
    return mimebundle(value, draw)


_engine.display = _display


def __getattr__(name):
    if name in _LAZY:
        import importlib
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'microbp' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


# The table's functions and the lazy names join ``__all__``, except those named like a
# builtin (``sum``, ``abs``, ``compile``), so that ``from microbp import *`` does not
# shadow the builtins.
__all__ = [
    "Value", "Graph", "scope", "topological_order", "apply", "OPS", "TABLE", "Op",
    "gradients", "grad", "value_and_grad", "hessian", "hvp", "zero_grad",
    *[name for name in PUBLIC_FUNCTIONS if not hasattr(_builtins, name)],
    *[name for name in _LAZY if not hasattr(_builtins, name)],
    "MicrobpError", "DomainError", "ExpressionError", "GraphvizNotFoundError", "GraphTooLargeError",
    "NotANetworkError", "BrowserNotFoundError", "OutputError", "DotFailedError", "TimeLimitError",
    "UnknownVariableError", "GradientAccumulationWarning", "OverflowWarning", "OptimizerStateWarning",
    "UnreadableSlidesWarning", "TypeSizeWarning",
]
