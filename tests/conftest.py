"""Shared test set-up: hypothesis settings and the ``needs_dot`` marker.

A test marked ``needs_dot`` needs Graphviz's ``dot``. On a developer's machine
without it the test skips with a reason; under ``CI=true`` it fails instead,
because CI must prove that rendering works.
"""

import os
import shutil

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", deadline=None, max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
settings.load_profile("default")


def pytest_runtest_setup(item):
    if item.get_closest_marker("needs_dot") and shutil.which("dot") is None:
        message = "Graphviz's dot is not on PATH (install it: apt-get install graphviz)"
        if os.environ.get("CI") == "true":
            pytest.fail("under CI=true a missing dot is a failure: " + message, pytrace=False)
        pytest.skip(message)
