"""Symbolic work with a time limit: sympy runs in a child process, which is stopped when time is up.

sympy cannot be interrupted inside a thread (``simplify`` of a deeply nested
expression can run for hours), so the steps run in a forked child process,
which sends each result as soon as it has it; when the limit is reached the
child is killed and the caller keeps what arrived. Starting the child costs
about 3 ms on Linux (``fork``); where only ``spawn`` exists (Windows, macOS)
it costs about a second, since the child imports sympy again. With
``time_limit=None`` the steps run in this process, unbounded.

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


class Worker:
    """Run ``steps(*args)``, a generator of ``(key, value)`` pairs, within ``time_limit`` seconds.

    ``get(key)`` waits for that result until the deadline and gives ``default``
    if it did not come: the time ran out (``timed_out``) or a step failed
    (``error``, a message). Use it as a context manager: the child is stopped on exit.
    """

    def __init__(self, steps, args: tuple, time_limit: float | None):
        self.results, self.error, self.timed_out, self.finished = {}, None, False, False
        self.time_limit, self.unlimited = time_limit, None
        self.pending, self.process = _outcomes(steps, args), None
        if time_limit is not None:
            try:
                self._start(steps, args, time_limit)
            except (AssertionError, OSError, RuntimeError) as error:    # a daemon process may have no child
                self.unlimited = f"no worker process could start ({error}), so the symbolic step had no time limit"

    def _start(self, steps, args: tuple, time_limit: float) -> None:
        self.deadline = time.monotonic() + time_limit
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                              else "spawn")
        self.connection, child_end = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(child_end, steps, args), daemon=True)
        process.start()
        self.process = process
        child_end.close()

    def get(self, key: str, default=None):
        while key not in self.results and not self.finished:
            self._receive()
        return self.results.get(key, default)

    def _receive(self) -> None:
        if self.process is None:
            key, value = next(self.pending)
        else:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0 or not self.connection.poll(remaining):
                self.timed_out = True
                self.stop()
                return
            try:
                key, value = self.connection.recv()
            except EOFError:                        # the child died (out of memory, killed)
                key, value = "error", "the symbolic step stopped unexpectedly"
        if key in ("done", "error"):
            self.finished = True
            self.error = value if key == "error" else None
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
