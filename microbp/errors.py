"""Every exception microbp raises on purpose; each subclasses a builtin too.

>>> from microbp import Value
>>> Value(0.0).log()
Traceback (most recent call last):
  ...
microbp.errors.DomainError: log: needs x > 0, got x = 0.0
"""


class MicrobpError(Exception):
    """Base class: ``except microbp.MicrobpError`` catches all of microbp's own errors.

    >>> issubclass(DomainError, MicrobpError) and issubclass(ExpressionError, MicrobpError)
    True
    """


class DomainError(MicrobpError, ValueError):
    """An operation was applied outside its domain (``log(0)``, ``sqrt(-1)``, ``x / 0``).

    >>> from microbp import Value
    >>> Value(1.0) / 0
    Traceback (most recent call last):
      ...
    microbp.errors.DomainError: truediv: division by zero (1.0 / 0.0)
    """


class ExpressionError(MicrobpError, ValueError):
    """An expression string could not be parsed; the message shows the column with a caret.

    >>> from microbp import parse
    >>> parse("x.data", x=1)
    Traceback (most recent call last):
      ...
    microbp.errors.ExpressionError: attribute access is not allowed in an expression at column 1
      x.data
      ^
    """


class GraphvizNotFoundError(MicrobpError, RuntimeError):
    """Graphviz's ``dot`` executable is needed to render but is not installed.

    The message says how to install Graphviz on each platform.

    >>> issubclass(GraphvizNotFoundError, RuntimeError)
    True
    """


class GraphTooLargeError(MicrobpError, ValueError):
    """A graph has more nodes than the renderer's limit; the message says how to raise it.

    >>> from microbp import Value, draw
    >>> draw(Value(1.0) * 2, max_nodes=1)
    Traceback (most recent call last):
      ...
    microbp.errors.GraphTooLargeError: draw: the graph has 2 nodes, over the limit of 1 (dot would be slow and the picture unreadable); pass max_nodes=2 to draw it anyway
    """


class GradientAccumulationWarning(UserWarning):
    """``backward()`` ran twice from the same value without resetting: the gradients add up.

    Accumulating is what PyTorch does too, and what mini-batches need; running it
    twice by mistake is micrograd's most reported confusion, hence the warning.

    >>> issubclass(GradientAccumulationWarning, UserWarning)
    True
    """


class UnknownVariableError(ExpressionError):
    """A name given as an argument (``wrt=``, a fixed value) does not occur in the expression.

    The message names the variables that do.

    >>> from microbp import check_derivation
    >>> check_derivation("x * y", wrt="z", claimed="0")
    Traceback (most recent call last):
      ...
    microbp.errors.UnknownVariableError: check_derivation: z does not appear in the expression 'x * y'; its variables are x, y
    """
