"""Lecture mode: captions, frames, and the slideshow in a real headless browser."""

import math
import os
import re
import struct
import subprocess
import sys

import pytest

import microbp
from microbp import Value, lecture_neuron, render_steps, slideshow, steps
from microbp.nn import MLP

NEURON_CAPTIONS = [
    "x1·w1 = x1 × w1 = 2 × (-3) = -6",
    "x2·w2 = x2 × w2 = 0 × 1 = 0",
    "x1·w1 + x2·w2 = (x1·w1) + (x2·w2) = (-6) + 0 = -6",
    "n = (x1·w1 + x2·w2) + b = (-6) + 6.881 = 0.8814",
    "o = tanh(n) = tanh(0.8814) = 0.7071",
    "∂o/∂o = 1",
    "∂o/∂n = ∂o/∂o · ∂o/∂n = 1 × 0.5 = 0.5",
    "∂o/∂b = ∂o/∂n · ∂n/∂b = 0.5 × 1 = 0.5",
    "∂o/∂(x1·w1 + x2·w2) = ∂o/∂n · ∂n/∂(x1·w1 + x2·w2) = 0.5 × 1 = 0.5",
    "∂o/∂(x2·w2) = ∂o/∂(x1·w1 + x2·w2) · ∂(x1·w1 + x2·w2)/∂(x2·w2) = 0.5 × 1 = 0.5",
    "∂o/∂w2 = ∂o/∂(x2·w2) · ∂(x2·w2)/∂w2 = 0.5 × 0 = 0",
    "∂o/∂x2 = ∂o/∂(x2·w2) · ∂(x2·w2)/∂x2 = 0.5 × 1 = 0.5",
    "∂o/∂(x1·w1) = ∂o/∂(x1·w1 + x2·w2) · ∂(x1·w1 + x2·w2)/∂(x1·w1) = 0.5 × 1 = 0.5",
    "∂o/∂w1 = ∂o/∂(x1·w1) · ∂(x1·w1)/∂w1 = 0.5 × 2 = 1",
    "∂o/∂x1 = ∂o/∂(x1·w1) · ∂(x1·w1)/∂x1 = 0.5 × (-3) = -1.5",
]


def test_captions_of_the_lecture_neuron():
    assert [step.caption for step in steps(lecture_neuron(backward=False))] == NEURON_CAPTIONS


def test_backward_products_equal_the_engines_gradients():
    x, y = Value(0.7, label="x"), Value(-1.2, label="y")
    root = ((x * y).sigmoid() + x * x + y.exp() * 2) * (x - y)
    grads = microbp.gradients(root)
    for step in steps(root):
        if step.phase == "backward" and step.terms:
            total = sum(upstream * local for _, upstream, local in step.terms)
            assert math.isclose(total, grads[step.node], rel_tol=1e-12) and step.value == grads[step.node]
    # x feeds three nodes (x * y, x * x twice, x - y): four terms summed in its caption
    last_x = [s for s in steps(root) if s.phase == "backward" and s.node is x][0]
    assert len(last_x.terms) == 4 and last_x.caption.count(" + ") >= 3


def test_steps_leave_grads_alone_and_are_ordered():
    o = lecture_neuron(backward=False)
    all_steps = steps(o)
    assert all(node.grad == 0 for node in microbp.topological_order(o))
    phases = [s.phase for s in all_steps]
    assert phases == ["forward"] * 5 + ["backward"] * 10 and [s.index for s in all_steps] == list(range(15))


def test_a_network_steps_neuron_by_neuron_when_collapsed():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    out = model([0.5, -1.0])
    collapsed = steps(out, collapse=2)
    forward = [s for s in collapsed if s.phase == "forward"]
    assert [len(s.nodes) for s in forward] == [2, 2, 2, 1]      # affine and tanh; the output is linear
    assert forward[0].caption.startswith("L1 / N1: 2 operations forward")


@pytest.mark.needs_dot
def test_frames_hide_what_is_not_computed_yet(tmp_path):
    paths = render_steps(lecture_neuron(backward=False), tmp_path / "frames", fmt="dot")
    assert [os.path.basename(p) for p in paths] == [f"step-{i:03d}.dot" for i in range(15)]
    first, last_forward, root_step, last = (open(paths[i], encoding="utf-8").read() for i in (0, 4, 5, 14))
    assert first.count("data ?") == 4 and first.count("grad ?") == 10          # o, n, and two sums unknown
    assert last_forward.count("data ?") == 0 and last_forward.count("grad ?") == 10
    assert root_step.count("grad ?") == 9 and "label=<∂o/∂o = 1>" in root_step
    assert last.count("grad ?") == 0 and 'CELLBORDER="3"' in last


@pytest.mark.needs_dot
def test_frames_are_deterministic_and_stale_frames_go(tmp_path):
    root = lecture_neuron(backward=False)
    folder = tmp_path / "frames"
    (folder).mkdir()
    (folder / "step-099.svg").write_text("not microbp's")      # only frames microbp wrote go
    first = [open(p, "rb").read() for p in render_steps(root, folder)]
    second = [open(p, "rb").read() for p in render_steps(lecture_neuron(backward=False), folder)]
    assert first == second and (folder / "step-099.svg").read_text() == "not microbp's"
    assert first[0].lstrip().startswith(b"<?xml")
    a = Value(3.0, label="a")
    render_steps(a * a, folder)                                   # 3 frames: 3 to 14 are stale
    assert sorted(p.name for p in folder.glob("step-*")) == [
        "step-000.svg", "step-001.svg", "step-002.svg", "step-099.svg"]


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


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else "chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1600,900", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(argument)
    import shutil
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


@pytest.mark.needs_dot
def test_steps_command_writes_a_slideshow_or_frames(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "microbp", "steps", *args], capture_output=True, text=True)
    result = run("tanh(x*w + b)", "x=2", "w=-3", "b=6.8814", "-o", str(tmp_path / "lecture.html"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "lecture.html").read_text().count('class="frame"') == 9
    result = run("x*x", "x=3", "-o", str(tmp_path / "frames") + os.sep)
    assert result.returncode == 0 and len(list((tmp_path / "frames").glob("step-*.svg"))) == 3
