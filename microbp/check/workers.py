"""Symbolic work with a time limit: sympy runs in a child process, which is stopped when time is up.

sympy cannot be interrupted inside a thread (``simplify`` of a deeply nested
expression can run for hours), so the steps run in a forked child process,
which sends each result as soon as it has it; when the limit is reached the
child is killed and the caller keeps what arrived. Starting the child costs
about 3 ms on Linux (``fork``); where only ``spawn`` exists (Windows, macOS)
it costs about a second, since the child imports sympy again. With
``time_limit=None`` the steps run in this process, unbounded.

Where no child can start (in a daemonic process, or when ``fork`` fails), a
worker either skips its steps (``skipped`` says why), or, with ``here=True``
for steps the caller cannot do without, runs them in this process within the
same deadline (``deadline.within``); either way the time limit holds.

>>> def steps(n):
...     yield "double", 2 * n
...     yield "square", n * n
>>> with Worker(steps, (3,), time_limit=None) as worker:
...     worker.get("square"), worker.get("double"), worker.get("cube", "none")
(9, 6, 'none')
"""

from __future__ import annotations

import multiprocessing
import time

from ..deadline import within
from ..errors import TimeLimitError


class Worker:
    """Run ``steps(*args)``, a generator of ``(key, value)`` pairs, within ``time_limit`` seconds.

    ``get(key)`` waits for that result until the deadline and gives ``default``
    if it did not come: the time ran out (``timed_out``), a step failed
    (``error``, a message) or no child could start (``skipped``, why). A step
    may yield ``("raise", exception)``: ``get`` raises it here. Use it as a
    context manager: the child is stopped on exit.
    """

    def __init__(self, steps, args: tuple, time_limit: float | None, here: bool = False):
        self.results, self.error, self.timed_out, self.finished = {}, None, False, False
        self.time_limit, self.skipped, self.raised = time_limit, None, None
        self.pending, self.process = _outcomes(steps, args), None
        if time_limit is not None:
            self.deadline = time.monotonic() + time_limit
            try:
                self._start(steps, args)
            except (AssertionError, OSError, RuntimeError) as error:    # a daemon process may have no child
                self._without_child(error, here)

    def _without_child(self, error: Exception, here: bool) -> None:
        """No child: run the steps here within the deadline (``here``), or skip them, saying why."""
        self.skipped = f"no worker process could start ({error})"
        if not here:
            self.finished = True

    def _start(self, steps, args: tuple) -> None:
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                              else "spawn")
        self.connection, child_end = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(child_end, steps, args), daemon=True)
        process.start()
        self.process = process
        child_end.close()

    def get(self, key: str, default=None, until: float | None = None):
        """The result ``key``, waiting for it until the deadline (or ``until``, a ``time.monotonic()``
        time, if sooner; the child then goes on)."""
        while key not in self.results and not self.finished:
            if until is not None and time.monotonic() >= until:
                break
            self._receive(until)
        if self.raised is not None:
            raise self.raised
        return self.results.get(key, default)

    def _receive(self, until: float | None = None) -> None:
        if self.process is None and self.time_limit is None:
            key, value = next(self.pending)
        elif self.process is None:
            try:
                key, value = within(self.deadline - time.monotonic(), lambda: next(self.pending), "time is up")
            except TimeLimitError:
                self.timed_out = self.finished = True
                return
        else:
            remaining = self.deadline - time.monotonic()
            waiting = remaining if until is None else min(remaining, until - time.monotonic())
            if remaining <= 0 or not self.connection.poll(max(waiting, 0)):
                if waiting >= remaining:
                    self.timed_out = True
                    self.stop()
                return
            try:
                key, value = self.connection.recv()
            except EOFError:                        # the child died (out of memory, killed)
                key, value = "error", "the symbolic step stopped unexpectedly"
        if key in ("done", "error", "raise"):
            self.finished = True
            self.error = value if key == "error" else None
            self.raised = value if key == "raise" else None
        else:
            self.results[key] = value

    def stop(self) -> None:
        """Stop the child (if it still runs); results that arrived stay."""
        self.finished = True
        if self.process is not None and self.process.is_alive():
            self.process.kill()
        if self.process is not None:
            self.process.join()
            self.connection.close()
            self.process = None

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exception) -> None:
        self.stop()


def _outcomes(steps, args):
    """The steps' results, then ("done", None), or ("error", message) if a step fails."""
    try:
        yield from steps(*args)
    except TimeLimitError:              # the deadline of a step run here: the worker says it timed out
        raise
    except RecursionError:
        yield "error", "sympy ran out of recursion depth (the expression is nested too deeply)"
    except Exception as error:          # any sympy failure: the numeric verdict stands
        yield "error", f"sympy failed: {type(error).__name__}: {error}"
    else:
        yield "done", None


def _child(connection, steps, args) -> None:
    for key, value in _outcomes(steps, args):
        try:
            connection.send((key, value))
        except Exception as error:      # a result that cannot be pickled
            connection.send(("error", f"could not send {key}: {error}"))
            break
    connection.close()
