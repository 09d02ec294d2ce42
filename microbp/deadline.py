"""A wall-clock limit for work whose length cannot be told up front, which leaves nothing behind.

sympy's ``simplify`` can take minutes on a product of a few ``tanh``, and no
size limit predicts that, so the command line runs ``grad`` and ``check``
under ``time_limit``, and ``check_derivation`` bounds the sympy work it must
do in this process with ``within``.

>>> import time
>>> with time_limit(0.05, "check: gave up after 0.05 s"):
...     while True:
...         time.sleep(0.01)
Traceback (most recent call last):
  ...
microbp.errors.TimeLimitError: check: gave up after 0.05 s

However short the limit, the block ends with the timer and the handler as they
were before it (no stray ``TimeLimitError`` later, no process killed by ``SIGALRM``):

>>> import signal
>>> for _ in range(100):
...     try:
...         with time_limit(1e-6, "instant"):
...             time.sleep(0.001)
...     except TimeLimitError:
...         pass
>>> signal.getitimer(signal.ITIMER_REAL), signal.getsignal(signal.SIGALRM) is signal.default_int_handler
((0.0, 0.0), False)
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

from .errors import TimeLimitError

YEAR = 365 * 24 * 3600.0
REPEAT = 0.1
"""After the deadline the alarm repeats this often, in case the running code catches the first error."""


def alarms_usable() -> bool:
    """``SIGALRM`` can interrupt the running code: POSIX, in the main thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float, message: str):
    """Raise ``TimeLimitError(message)`` inside the block once it has run for ``seconds``.

    It uses ``SIGALRM``, so it works on POSIX in the main thread; elsewhere the
    block runs without a limit, as it does for a limit of a year or more. Inside
    another ``time_limit`` whose deadline comes first, that one stays in charge;
    otherwise the outer timer is put back, less the time spent, on the way out.

    >>> with time_limit(5, "too slow"):
    ...     sum(range(10))
    45
    """
    if not alarms_usable() or seconds >= YEAR:
        yield
        return
    outer_left, outer_repeat = signal.getitimer(signal.ITIMER_REAL)
    if outer_left and outer_left <= seconds:            # an enclosing limit ends first: it decides
        yield
        return
    armed = [True]

    def stop(signum, frame):
        if armed[0] and not importing(frame):       # an import is let finish: the alarm repeats
            raise TimeLimitError(message)

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, stop)
    try:
        signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-6), REPEAT)
        yield
    finally:
        armed[0] = False                                # first: from here on the handler raises nothing
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            left = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), outer_repeat)


def importing(frame) -> bool:
    """Whether ``frame`` runs inside an ``import``. A limit never interrupts one: a module cut off half made
    stays broken for the rest of the process (``No module named 'sympy.codegen.ast'``), so the error waits
    for the next alarm (``REPEAT``) after the import ends."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def within(seconds: float, call, message: str):
    """``call()``, or ``TimeLimitError(message)`` once ``seconds`` have passed.

    In the main thread an alarm interrupts the call; elsewhere the call runs in a
    daemon thread that is left behind when time is up (Python cannot stop a thread).

    >>> within(1.0, lambda: 6 * 7, "slow")
    42
    >>> within(0.05, lambda: time.sleep(5), "gave up")
    Traceback (most recent call last):
      ...
    microbp.errors.TimeLimitError: gave up
    """
    if seconds <= 0:
        raise TimeLimitError(message)
    if alarms_usable():
        with time_limit(seconds, message):
            return call()
    outcome = {}

    def run():
        try:
            outcome["value"] = call()
        except BaseException as error:          # handed to the caller, as if it had run there
            outcome["error"] = error
    thread = threading.Thread(target=run, daemon=True, name="microbp-within")
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TimeLimitError(message)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
