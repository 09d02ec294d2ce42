"""Every exception microbp raises on purpose; each subclasses a builtin too.

>>> from microbp import Value
>>> Value(0.0).log()
Traceback (most recent call last):
  ...
microbp.errors.DomainError: log: needs x > 0, got x = 0.0
"""


class MicrobpError(Exception):
    """Base class: ``except microbp.MicrobpError`` catches all of microbp's own errors."""


class DomainError(MicrobpError, ValueError):
    """An operation was applied outside its domain (``log(0)``, ``sqrt(-1)``, ``x / 0``)."""


class ExpressionError(MicrobpError, ValueError):
    """An expression string could not be parsed; the message shows the column with a caret."""


class GraphvizNotFoundError(MicrobpError, RuntimeError):
    """Graphviz's ``dot`` executable is needed to render but is not installed."""


class GraphTooLargeError(MicrobpError, ValueError):
    """A graph has more nodes than the renderer's limit."""
