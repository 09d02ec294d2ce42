"""Shared test set-up: hypothesis settings and the ``needs_dot`` marker.

A test marked ``needs_dot`` needs Graphviz's ``dot``; one marked
``needs_browser`` needs headless Chromium and its driver; one marked
``needs_notebook`` needs nbclient, nbformat and ipykernel (the ``test`` extra). On a developer's
machine without them the test skips with a reason; under ``CI=true`` it fails
instead, because CI must prove that rendering and the slideshow work.
"""

import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# No example database: a failure found once must not replay in every later run of
# this clone (it is reported with a reproduce blob instead). Under CI the examples
# are derandomized, so a red CI run fails the same way when run again.
settings.register_profile(
    "default", deadline=None, max_examples=60, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "default")


# The suites in tests/ and its package folders share the oracles in tests/oracles.py.
sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))

REQUIREMENTS = {   # marker: (programs it needs, how to get them)
    "needs_dot": (["dot"], "Graphviz's dot is not on PATH (install it: apt-get install graphviz)"),
    "needs_browser": (["chromium", "chromedriver"],
                      "headless Chromium is not installed (apt-get install chromium chromium-driver)"),
}


MODULES = {   # marker: (modules it needs, how to get them)
    "needs_notebook": (["nbclient", "nbformat", "ipykernel"],
                       "nbclient, nbformat or ipykernel is not installed (pip install -e '.[test]')"),
}


def _importable(name: str) -> bool:
    import importlib.util
    return importlib.util.find_spec(name) is not None


DOCTESTS_NEEDING_DOT = {"microbp.lecture.slideshow.slideshow", "microbp.lecture.notebook.stepper"}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.name in DOCTESTS_NEEDING_DOT:
            item.add_marker(pytest.mark.needs_dot)


def pytest_runtest_setup(item):
    for marker, (programs, message) in REQUIREMENTS.items():
        if item.get_closest_marker(marker) and not all(shutil.which(p) for p in programs):
            if os.environ.get("CI") == "true":
                pytest.fail(f"under CI=true this is a failure, not a skip: {message}", pytrace=False)
            pytest.skip(message)
    for marker, (modules, message) in MODULES.items():
        if item.get_closest_marker(marker) and not all(_importable(m) for m in modules):
            if os.environ.get("CI") == "true":
                pytest.fail(f"under CI=true this is a failure, not a skip: {message}", pytrace=False)
            pytest.skip(message)
