"""The slideshow: one self-contained HTML page of the lecture, stepped through in a real headless browser."""

import os
import re
import shutil
import struct

import pytest

from microbp import lecture_neuron, slideshow, steps
from microbp.themes import THEMES


def neuron():
    return lecture_neuron(backward=False)


NEURON_CAPTIONS = [step.caption for step in steps(neuron())]


@pytest.fixture(scope="module")
def neuron_html(tmp_path_factory):
    return slideshow(lecture_neuron(backward=False), tmp_path_factory.mktemp("show") / "neuron.html")


@pytest.mark.needs_dot
def test_slideshow_is_self_contained(neuron_html):
    page = open(neuron_html, encoding="utf-8").read()
    assert not re.search(r"https?://", page)
    assert "<link" not in page and "src=" not in page and "@import" not in page and "url(" not in page
    assert page.count('<section class="frame"') == 15 and "@media print" in page
    for caption in NEURON_CAPTIONS:
        assert caption in page.replace("&#x27;", "'")


@pytest.mark.needs_dot
def test_slideshow_refuses_other_extensions(tmp_path):
    with pytest.raises(ValueError, match="must end in .html"):
        slideshow(lecture_neuron(), tmp_path / "x.svg")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.needs_dot
def test_in_the_print_theme_the_current_step_stands_out(tmp_path):
    """The highlight is the only black stroke, and at least twice as thick as any other stroke."""
    page = open(slideshow(neuron(), tmp_path / "print.html", theme="print"), encoding="utf-8").read()
    theme = THEMES["print"]
    assert theme["highlight"] not in {theme[key] for key in ("value_border", "op_border", "edge", "cluster")}
    for frame in re.findall(r'<section class="frame".*?</section>', page, flags=re.DOTALL):
        strokes = re.findall(r'stroke="([^"]+)"(?: stroke-width="([\d.]+)")?', frame)
        marked = [float(width or 1) for color, width in strokes if color == theme["highlight"]]
        others = [float(width or 1) for color, width in strokes
                  if color not in (theme["highlight"], "transparent", "none")]
        assert marked and others
        assert max(marked) >= 2 * max(others)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else "chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1600,900", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(argument)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    yield driver
    driver.quit()


def visible_state(driver):
    """(counter text, visible caption, labels of the highlighted value nodes in the visible frame)."""
    return driver.execute_script("""
        var frame = document.querySelector('.frame:not([hidden])');
        var marked = [];
        frame.querySelectorAll('g.node').forEach(function (g) {
          if (g.querySelector('[stroke="#d62728"]')) { marked.push(g.textContent.trim().split(/\\s+/)[0]); }
        });
        return [document.getElementById('counter').textContent, frame.querySelector('.caption').textContent,
                marked.sort().join(' ')];
    """)


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_keys_step_through_the_lecture_in_a_real_browser(browser, neuron_html, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get("file://" + neuron_html)
    counter, caption, marked = visible_state(browser)
    assert counter == "1 / 15" and caption == NEURON_CAPTIONS[0]
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    counter2, caption2, marked2 = visible_state(browser)
    assert counter2 == "2 / 15" and caption2 == NEURON_CAPTIONS[1] and marked2 != marked
    assert browser.execute_script("return location.hash") == "#2"
    body.send_keys(Keys.END)
    assert visible_state(browser)[0] == "15 / 15"
    body.send_keys(Keys.HOME)
    body.send_keys(Keys.SPACE)
    assert visible_state(browser)[0] == "2 / 15"
    body.send_keys(Keys.ARROW_LEFT)
    body.send_keys(Keys.ARROW_LEFT)
    assert visible_state(browser)[0] == "1 / 15"
    screenshot = tmp_path / "slide.png"
    png = browser.get_screenshot_as_png()
    screenshot.write_bytes(png)
    width, height = struct.unpack(">II", png[16:24])
    assert png.startswith(b"\x89PNG") and width >= 800 and height >= 400 and len(png) > 10_000


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_the_fragment_opens_that_step(browser, neuron_html):
    browser.get("file://" + neuron_html + "#12")
    counter, caption, _ = visible_state(browser)
    assert counter == "12 / 15" and caption == NEURON_CAPTIONS[11]
