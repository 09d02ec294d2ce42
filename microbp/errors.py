"""Every exception microbp raises on purpose; each subclasses a builtin too.

>>> from microbp import Value
>>> Value(0.0).log()
Traceback (most recent call last):
  ...
microbp.errors.DomainError: log: needs x > 0, got x = 0.0
"""

from __future__ import annotations


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


class BrowserNotFoundError(MicrobpError, RuntimeError):
    """Measuring slides on screen (``microbp.check_projector``) needs headless Chromium, its driver and selenium.

    The message says how to install them.

    >>> issubclass(BrowserNotFoundError, RuntimeError)
    True
    """


class GraphTooLargeError(MicrobpError, ValueError):
    """A graph is larger than a documented limit; the message says how to raise it.

    ``option`` names the keyword argument that raises the limit, ``needed`` the
    value that would let this graph through, ``limit`` the value in force (the
    command line turns them into its own ``--max-nodes N``). Every limit, its
    default and its option are listed once, in docs/limits.md. The one error
    without them is sympy running out of recursion below ``max_depth``: no value
    of an option lets that expression through.

    >>> from microbp import Value, draw
    >>> draw(Value(1.0) * 2, max_nodes=1)
    Traceback (most recent call last):
      ...
    microbp.errors.GraphTooLargeError: draw: the graph has 2 nodes, over the limit of 1 (dot would be slow and the picture unreadable); pass max_nodes=2 to draw it anyway
    """

    def __init__(self, message: str, option: str | None = None, needed: int | None = None,
                 limit: int | None = None):
        super().__init__(message)
        self.option, self.needed, self.limit = option, needed, limit


class OutputError(MicrobpError, OSError):
    """A file or folder cannot be written where it was asked for; the message says why and what to do.

    Nothing is written when it is raised, and an existing file is left as it was.

    >>> import tempfile
    >>> from microbp import Value, render
    >>> folder = tempfile.mkdtemp(suffix=".svg")     # a folder named like a file
    >>> render(Value(1.0) * 2, folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    microbp.errors.OutputError: render: '...svg' is a folder, not a file; give a file name inside it, such as '...graph.svg'
    """


class DotFailedError(MicrobpError, RuntimeError):
    """Graphviz's ``dot`` ran but could not render the graph; the message quotes its first error line.

    >>> issubclass(DotFailedError, RuntimeError)
    True
    """


class TimeLimitError(MicrobpError, TimeoutError):
    """Work took longer than its time limit and was stopped; the message names the option to raise it.

    >>> issubclass(TimeLimitError, TimeoutError)
    True
    """


class NotANetworkError(MicrobpError, ValueError):
    """``view="network"`` was asked of a graph that is not a network of units; the message says why.

    >>> from microbp import Value, draw
    >>> draw(Value(1.0) * 2, view="network")
    Traceback (most recent call last):
      ...
    microbp.errors.NotANetworkError: view='network' needs units: values made inside microbp.scope (microbp.nn makes one scope per layer and neuron); this graph has no scopes. Draw it with view='graph'
    """


class UnreadableSlidesWarning(UserWarning):
    """A slideshow whose text would be too small on a projector; the message says what to try instead.

    >>> issubclass(UnreadableSlidesWarning, UserWarning)
    True
    """


class TypeSizeWarning(UserWarning):
    """A slideshow's larger ``fontsize`` that the screen cannot show much larger, under 36 px: its drawing already
    fills the screen; the message says the size it is shown at and what would show it larger.

    >>> issubclass(TypeSizeWarning, UserWarning)
    True
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


class OptimizerStateWarning(RuntimeWarning):
    """An optimizer's state for a parameter (or the parameter itself) stopped being a finite number.

    One gradient of 1e200 squares beyond floating point: Adam's or Adagrad's running
    sum of squares becomes inf, and the parameter never moves again. Warned once
    per parameter, naming it.

    >>> issubclass(OptimizerStateWarning, RuntimeWarning)
    True
    """


def shown(value, width: int = 60) -> str:
    """A value as an error message shows it: its repr cut to ``width`` characters, and an int too
    long to print in full (Python refuses past 4300 digits) by its size.

    >>> shown(10 ** 400), shown("x" * 100)[-5:], shown(0.5)
    ('an int of 401 digits', 'xxxx…', '0.5')
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"an int of {_digits(value)} digits"
    try:
        text = repr(value)
    except Exception:                   # a repr that fails says nothing: the type does
        return f"a {type(value).__name__}"
    return text if len(text) <= width else text[:width - 1] + "…"


def _digits(value: int) -> int:
    """How many decimal digits ``value`` has, without converting it to a decimal string."""
    magnitude = abs(value)
    estimate = int(magnitude.bit_length() * 0.30102999566398120)      # log10(2)
    return estimate + (magnitude >= 10 ** estimate)


class OverflowWarning(RuntimeWarning):
    """A gradient passed through a node whose value overflowed to ±inf, where it may be wrong.

    Zero times anything is zero: a 0 that reaches an overflowed node (often 1/inf,
    from that very overflow) passes 0 on through its infinite local derivative,
    where the true derivative may be anything. The numbers are kept (compile
    gives the same) and this warning names the node; PyTorch gives nan there.

    >>> issubclass(OverflowWarning, RuntimeWarning)
    True
    """

