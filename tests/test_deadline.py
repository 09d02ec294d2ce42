"""microbp.deadline: a limit holds in the main thread (an alarm) and in any other (a thread left behind)."""

import threading
import time

import pytest

from microbp import TimeLimitError
from microbp.deadline import within


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
