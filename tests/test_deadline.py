"""microbp.deadline: a limit holds in the main thread (an alarm) and in any other (a thread left behind)."""

import threading
import time

import pytest

from microbp import TimeLimitError
from microbp.deadline import time_limit, within


def _in_a_thread(call):
    outcome = {}

    def run():
        try:
            outcome["value"] = call()
        except BaseException as error:
            outcome["error"] = error
    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return outcome


def test_within_bounds_a_call_outside_the_main_thread_too():
    started = time.monotonic()
    outcome = _in_a_thread(lambda: within(0.2, lambda: time.sleep(10), "gave up"))
    assert isinstance(outcome.get("error"), TimeLimitError) and str(outcome["error"]) == "gave up"
    assert time.monotonic() - started < 2


def test_within_hands_back_the_value_or_the_error_of_the_call():
    assert _in_a_thread(lambda: within(5, lambda: 6 * 7, "slow")) == {"value": 42}
    outcome = _in_a_thread(lambda: within(5, lambda: 1 / 0, "slow"))
    assert isinstance(outcome["error"], ZeroDivisionError)
    with pytest.raises(ZeroDivisionError):
        within(5, lambda: 1 / 0, "slow")


def test_no_time_left_is_a_time_limit_error_at_once():
    with pytest.raises(TimeLimitError, match="none left"):
        within(0, lambda: 1, "none left")


def test_a_limit_never_cuts_an_import_in_half(tmp_path, monkeypatch):
    """A limit that falls inside an import (``microbp grad --timeout 0.003`` while sympy loads) lets it finish and
    raises after it: a package cut off half made stayed broken (``No module named 'sympy.codegen.ast'``, exit 1)."""
    import sys

    package = tmp_path / "slowpackage"
    package.mkdir()
    (package / "__init__.py").write_text("from . import part\nDONE = part.VALUE\n")
    (package / "part.py").write_text("import time\ntime.sleep(0.3)\nVALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    started = time.monotonic()
    with pytest.raises(TimeLimitError, match="slow import"):
        with time_limit(0.01, "slow import"):
            import slowpackage  # noqa: F401
            while True:                 # the work after the import is what the limit stops
                time.sleep(0.01)
    assert time.monotonic() - started >= 0.3
    assert sys.modules["slowpackage"].DONE == 42 and sys.modules["slowpackage.part"].VALUE == 42
    for name in ("slowpackage", "slowpackage.part"):
        sys.modules.pop(name, None)
