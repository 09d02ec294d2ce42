"""The live pages' browser: one headless Chromium per module, with the network shut off.

Host names resolve nowhere and every connection goes to a closed proxy, so a
page that tried to fetch anything would fail (and the tests also count the
resources the page loaded).
"""

import os
import shutil

import pytest


@pytest.fixture(scope="module")
def offline_browser(tmp_path_factory):
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else "chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     '--host-resolver-rules=MAP * ~NOTFOUND', "--proxy-server=127.0.0.1:9",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1600,900", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=shutil.which("chromedriver")),
                              options=options)
    yield driver
    driver.quit()
