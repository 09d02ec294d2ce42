"""A wall-clock limit for work whose length cannot be told up front.

sympy's ``simplify`` can take minutes on a product of a few ``tanh``, and no
size limit predicts that, so the command line runs ``grad`` and ``check``
under ``time_limit``.

>>> import time
>>> with time_limit(0.05, "check: gave up after 0.05 s"):
...     while True:
...         time.sleep(0.01)
Traceback (most recent call last):
  ...
microbp.errors.TimeLimitError: check: gave up after 0.05 s
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from ..errors import TimeLimitError

YEAR = 365 * 24 * 3600.0


@contextmanager
def time_limit(seconds: float, message: str):
    """Raise ``TimeLimitError(message)`` inside the block once it has run for ``seconds``.

    It uses ``SIGALRM``, so it works on POSIX in the main thread; elsewhere the
    block runs without a limit, as it does for a limit of a year or more. After
    the deadline the alarm repeats every 0.1 s, in case the code running
    catches the first ``TimeLimitError``.

    >>> with time_limit(5, "too slow"):
    ...     sum(range(10))
    45
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds >= YEAR:
        yield
        return

    def stop(signum, frame):
        raise TimeLimitError(message)

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
