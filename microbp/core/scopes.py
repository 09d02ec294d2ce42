"""Scopes: names for groups of nodes, as the renderer draws clusters and the network view finds units.

The current scope belongs to the thread (a ``contextvars`` variable), so threads
and async tasks that build graphs do not cross scopes.
"""

from __future__ import annotations

import contextvars

_current_scope: contextvars.ContextVar = contextvars.ContextVar("microbp_scope", default=None)
current_scope = _current_scope.get


class scope:
    """Group the nodes made inside the block; the renderer draws a group as a cluster.

    Scopes nest; a node remembers the names of the scopes it was made in,
    outermost first (``node.scope``, a tuple, or ``None`` outside any). The
    current scope belongs to the thread (a ``contextvars`` variable), so threads
    and async tasks building graphs do not cross scopes. A ``scope`` object can be
    kept and entered again, as each neuron does.

    >>> from microbp import Value
    >>> with scope("neuron 1"):
    ...     with scope("pre-activation") as path:
    ...         z = Value(1.0) * 2
    >>> z.scope, path
    (('neuron 1', 'pre-activation'), ('neuron 1', 'pre-activation'))
    """

    __slots__ = ("name", "tokens", "last")

    def __init__(self, name: str):
        if not isinstance(name, str) or not name:
            raise TypeError(f"scope(name) needs a non-empty str, got {name!r}")
        self.name = name
        self.tokens = []
        self.last = (None, None)            # (outer path, this path): reused when entered again

    def __enter__(self) -> tuple:
        outer = _current_scope.get()
        if self.last[0] != outer or self.last[1] is None:
            self.last = (outer, (outer or ()) + (self.name,))
        self.tokens.append(_current_scope.set(self.last[1]))
        return self.last[1]

    def __exit__(self, *exception) -> None:
        _current_scope.reset(self.tokens.pop())
