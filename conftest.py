"""Shared test set-up: hypothesis settings and the ``needs_*`` markers.

A test marked ``needs_dot`` needs Graphviz's ``dot``; one marked
``needs_browser`` needs headless Chromium, its driver and selenium; ``needs_node``
needs Node.js, to run generated JavaScript; the
others (``needs_matplotlib``, ``needs_sklearn``, ``needs_tqdm``, ``needs_mkdocs``)
need that optional package of the ``test`` extra, and ``needs_notebook`` needs
nbclient, nbformat and ipykernel. On a developer's machine
without it the test skips with a reason; under ``CI=true`` it fails instead,
because CI must prove that rendering, the slideshow, the examples and the docs work.
"""

import importlib.util
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

EXTRA = "pip install -e '.[test]'"
REQUIREMENTS = {   # marker: (programs it needs, Python modules it needs, how to get them)
    "needs_dot": (["dot"], [], "Graphviz's dot is not on PATH (install it: apt-get install graphviz)"),
    "needs_node": (["node"], [], "Node.js is not on PATH (install it: apt-get install nodejs)"),
    "needs_browser": (["chromium", "chromedriver"], ["selenium"],
                      "headless Chromium or selenium is not installed (apt-get install chromium chromium-driver; "
                      f"{EXTRA})"),
    "needs_matplotlib": ([], ["matplotlib"], f"matplotlib is not installed ({EXTRA})"),
    "needs_sklearn": ([], ["sklearn"], f"scikit-learn is not installed ({EXTRA})"),
    "needs_tqdm": ([], ["tqdm"], f"tqdm is not installed ({EXTRA})"),
    "needs_mkdocs": ([], ["mkdocs"], f"mkdocs is not installed ({EXTRA})"),
    "needs_notebook": ([], ["nbclient", "nbformat", "ipykernel"],
                       f"nbclient, nbformat or ipykernel is not installed ({EXTRA})"),
}


def missing(marker: str) -> bool:
    """Whether a program or module that tests with ``marker`` need is missing here."""
    programs, modules, _ = REQUIREMENTS[marker]
    return (not all(shutil.which(p) for p in programs)
            or not all(importlib.util.find_spec(m) is not None for m in modules))


DOCTESTS_NEEDING_DOT = {"microbp.lecture.slideshow.slideshow", "microbp.lecture.notebook.stepper"}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.name in DOCTESTS_NEEDING_DOT:
            item.add_marker(pytest.mark.needs_dot)


def pytest_runtest_setup(item):
    for marker, (_, _, message) in REQUIREMENTS.items():
        if item.get_closest_marker(marker) and missing(marker):
            if os.environ.get("CI") == "true":
                pytest.fail(f"under CI=true this is a failure, not a skip: {message}", pytrace=False)
            pytest.skip(message)


def headless_chromium(user_data_dir, window_size: str = "1600,900", offline: bool = False):
    """A headless Chromium driven by selenium, started as this machine allows (as root, no GPU, no
    background traffic). ``offline``: host names resolve nowhere and every connection goes to a closed
    proxy, so a page that tried to fetch anything would fail."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else "chromium"
    arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--window-size={window_size}", f"--user-data-dir={user_data_dir}"]
    if offline:
        arguments += ["--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9"]
    for argument in arguments:
        options.add_argument(argument)
    return webdriver.Chrome(service=webdriver.ChromeService(executable_path=shutil.which("chromedriver")),
                            options=options)


# The live pages' browser (tests/lecture/test_live.py, test_playground.py): one per module, offline.
@pytest.fixture(scope="module")
def offline_browser(tmp_path_factory):
    driver = headless_chromium(tmp_path_factory.mktemp("chromium"), offline=True)
    yield driver
    driver.quit()
