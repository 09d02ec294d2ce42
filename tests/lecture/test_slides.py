"""The slideshow: one self-contained page that fills any screen, steps by key, prints a frame a page.

The browser tests share one headless Chromium (a module-scoped fixture) and set
its viewport exactly through the DevTools protocol; everything they assert is
measured in the page with ``getBoundingClientRect``.
"""

import re
import statistics
import struct
import sys
from pathlib import Path

import pytest

import microbp
from conftest import headless_chromium
from microbp import Value, lecture_neuron, slideshow, steps
from microbp.figures.themes import THEMES
from microbp.losses import mse
from microbp.nn import MLP

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import backprop_demo  # noqa: E402

SCREENS = [(1024, 768), (1280, 720), (1920, 1080), (768, 1024), (1080, 1920)]   # width, height
HIGHLIGHT = THEMES["light"]["highlight"]


def neuron():
    return lecture_neuron(backward=False)


def many_uses():
    """x feeds twelve products: its backward caption sums twelve terms (about 450 characters)."""
    x = Value(0.5, label="x")
    total = microbp.sum([x * float(k) for k in range(1, 13)])
    total.label = "s"
    return total


NEURON_CAPTIONS = [step.caption for step in steps(neuron())]


def twenty_units():
    """A network of 20 units (3 inputs, layers of 8, 8 and 4) with a squared error."""
    model = MLP(3, [8, 8, 4], activation="tanh", seed=1)
    return mse(model([0.5, -1.0, 2.0]), [1.0, 0.0, -1.0, 0.5])


def collapsed_mlp():
    """The lecture guide's network, MLP(2, [3, 1]), on numbers: drawn with collapse=2."""
    return MLP(2, [3, 1], activation="tanh", seed=0)([0.5, -1.0])


# name -> (root, the slideshow's options); the options that steps() takes give the captions
SHOWS = {"neuron": (neuron, {}), "tall": (neuron, {"rankdir": "TB"}), "long caption": (many_uses, {}),
         "network": (lambda: backprop_demo.build()[0], {"view": "network"}),
         "collapsed": (collapsed_mlp, {"collapse": 2}),
         "20 units": (twenty_units, {"view": "network", "max_elements": 10 ** 6}),
         "code": (neuron, {"code": True})}
STEP_OPTIONS = ("view", "collapse")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """name -> (path of the slideshow, its captions, its steps)."""
    folder = tmp_path_factory.mktemp("show")
    made = {}
    for name, (build, options) in SHOWS.items():
        root = build()
        lecture = steps(root, **{key: value for key, value in options.items() if key in STEP_OPTIONS})
        path = slideshow(root, folder / f"{name.replace(' ', '-')}.html", **options)
        made[name] = (path, [step.caption for step in lecture], lecture)
    return made


@pytest.fixture(scope="module")
def neuron_html(pages):
    return pages["neuron"][0]



@pytest.mark.needs_dot
def test_slideshow_is_self_contained(neuron_html):
    page = open(neuron_html, encoding="utf-8").read()
    assert not re.search(r"https?://", page)
    assert "<link" not in page and "src=" not in page and "@import" not in page and "url(" not in page
    assert page.count('<section class="frame"') == 15 and "@media print" in page
    for caption in NEURON_CAPTIONS:
        assert caption in html_unescape(page)


def html_unescape(text: str) -> str:
    import html
    return html.unescape(text)


@pytest.mark.needs_dot
def test_the_inlined_graphs_scale_to_their_box(neuron_html):
    page = open(neuron_html, encoding="utf-8").read()
    svgs = re.findall(r"<svg\b[^>]*>", page)
    assert len(svgs) == 30                      # each frame left to right, and top to bottom (hidden at first)
    assert [re.search(r'data-layout="(\w+)"', tag)[1] for tag in svgs] == ["LR", "TB"] * 15
    assert all(tag.endswith(" hidden>") for tag in svgs[1::2]) and not any("hidden" in tag for tag in svgs[::2])
    for tag in svgs:
        assert not re.search(r"\s(width|height)=", tag), tag       # Graphviz's fixed size would pin it
        assert 'viewBox="' in tag and 'preserveAspectRatio="xMidYMid meet"' in tag


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
    driver = headless_chromium(tmp_path_factory.mktemp("chromium"), "1600,900")
    yield driver
    driver.quit()


def open_page(driver, path, step=1, size=(1600, 900)):
    """Load ``path`` at ``#step`` in a viewport of exactly ``size`` CSS pixels."""
    width, height = size
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    driver.get("about:blank")                   # a real load each time, not only a new fragment
    driver.get(f"file://{path}#{step}")


def visible_state(driver):
    """(counter text, visible caption, labels of the highlighted value nodes in the visible frame)."""
    return driver.execute_script("""
        var frame = document.querySelector('.frame:not([hidden])');
        var marked = [];
        frame.querySelectorAll('g.node').forEach(function (g) {
          if (g.querySelector('[stroke="%s"]')) { marked.push(g.textContent.trim().split(/\\s+/)[0]); }
        });
        return [document.getElementById('counter').textContent, frame.querySelector('.caption').textContent,
                marked.sort().join(' ')];
    """ % HIGHLIGHT)


LAYOUT = """
    function box(element) {
      var r = element.getBoundingClientRect();
      return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height};
    }
    var frame = document.querySelector('.frame:not([hidden])');
    var caption = frame.querySelector('.caption');
    var heights = Array.prototype.map.call(frame.querySelectorAll('.graph svg:not([hidden]) text'),
                                           function (text) { return text.getBoundingClientRect().height; });
    return {width: innerWidth, height: innerHeight,
            scrollWidth: document.documentElement.scrollWidth,
            scrollHeight: document.documentElement.scrollHeight,
            phase: box(frame.querySelector('.phase')), caption: box(caption),
            captionOverflow: caption.scrollHeight - caption.clientHeight,
            drawing: box(frame.querySelector('.graph svg:not([hidden]) > g')),   // the graph as drawn, not its box
            nav: box(document.querySelector('nav')), textHeights: heights,
            code: frame.querySelector('.code') ? box(frame.querySelector('.code')).height : 0};
"""


def layout(driver):
    return driver.execute_script(LAYOUT)


def inside(inner, outer_left, outer_top, outer_right, outer_bottom, slack=1):
    return (inner["left"] >= outer_left - slack and inner["top"] >= outer_top - slack
            and inner["right"] <= outer_right + slack and inner["bottom"] <= outer_bottom + slack)


@pytest.mark.needs_dot
@pytest.mark.needs_browser
@pytest.mark.parametrize("size", SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
@pytest.mark.parametrize("name", ["neuron", "tall", "long caption", "network", "collapsed", "code"])
def test_every_frame_fits_the_screen_and_the_graph_fills_it(browser, pages, name, size):
    path, captions, _ = pages[name]
    longest = max(range(len(captions)), key=lambda i: len(captions[i]))
    for step in sorted({1, longest + 1, len(captions)}):
        open_page(browser, path, step, size)
        at = layout(browser)
        where = f"{name} at {size}, step {step}"
        assert (at["width"], at["height"]) == size, where
        assert at["scrollHeight"] <= at["height"] and at["scrollWidth"] <= at["width"], where
        assert at["nav"]["bottom"] <= at["height"] + 1, where
        assert inside(at["phase"], 0, 0, at["width"], at["nav"]["top"]), where
        assert inside(at["caption"], 0, at["phase"]["bottom"], at["width"], at["nav"]["top"]), where
        assert at["captionOverflow"] <= 1, where                       # the whole caption shows
        assert inside(at["drawing"], 0, at["phase"]["bottom"], at["width"], at["caption"]["top"]), where
        # the room the phase line, the caption and the navigation leave, wherever the caption sits
        free_width = at["width"]
        free_height = at["nav"]["top"] - at["phase"]["bottom"] - at["caption"]["height"] - at["code"]
        share = max(at["drawing"]["width"] / free_width, at["drawing"]["height"] / free_height)
        assert share >= 0.9, f"{where}: the graph uses {share:.0%} of the free width or height"


NODE_TEXT = """
    var frame = document.querySelector('.frame:not([hidden])');
    return Array.prototype.map.call(frame.querySelectorAll('.graph svg:not([hidden]) g.node text'),
                                    function (text) { return text.getBoundingClientRect().height; })
                          .filter(function (height) { return height > 0; });
"""


@pytest.mark.needs_dot
@pytest.mark.needs_browser
@pytest.mark.parametrize("name, phase", [("neuron", "backward"), ("network", "forward"), ("network", "backward"),
                                         ("network", "update"), ("20 units", "backward")])
def test_node_text_is_readable_on_a_projector(browser, pages, name, phase):
    """At 1920×1080, the text in the nodes is at least 18 px high (the median of every line), on the
    neuron and on networks of up to 20 units, the longest caption of the phase shown with it."""
    path, captions, lecture = pages[name]
    step = max((s for s in lecture if s.phase == phase), key=lambda s: len(s.caption))
    open_page(browser, path, step.index + 1, (1920, 1080))
    heights = browser.execute_script(NODE_TEXT)
    assert len(heights) > 10 and statistics.median(heights) >= 18, (step.index + 1, sorted(heights))
    assert layout(browser)["captionOverflow"] <= 1


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_keys_step_through_the_lecture_in_a_real_browser(browser, neuron_html, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_page(browser, neuron_html)
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
    body.send_keys(Keys.PAGE_DOWN)
    assert visible_state(browser)[0] == "3 / 15"
    body.send_keys(Keys.PAGE_UP)
    body.send_keys(Keys.ARROW_LEFT)
    body.send_keys(Keys.ARROW_LEFT)
    assert visible_state(browser)[0] == "1 / 15"
    png = browser.get_screenshot_as_png()
    (tmp_path / "slide.png").write_bytes(png)
    width, height = struct.unpack(">II", png[16:24])
    assert png.startswith(b"\x89PNG") and width >= 800 and height >= 400 and len(png) > 10_000


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_every_frame_is_reachable_and_each_backward_step_is_highlighted(browser, neuron_html):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_page(browser, neuron_html)
    body = browser.find_element(By.TAG_NAME, "body")
    lecture = steps(neuron())
    for step in lecture:
        counter, caption, marked = visible_state(browser)
        assert counter == f"{step.index + 1} / 15" and caption == step.caption
        if step.phase == "backward":
            assert marked, f"step {step.index + 1} highlights nothing"       # a node drawn in the highlight
        body.send_keys(Keys.ARROW_RIGHT)
    assert visible_state(browser)[0] == "15 / 15"             # and no further


HIGHLIGHTED = """
    var frame = document.querySelector('.frame:not([hidden])');
    return frame.querySelectorAll('.graph g.node [stroke="%s"], .graph g.edge [stroke="%s"]').length;
""" % (HIGHLIGHT, HIGHLIGHT)


@pytest.mark.needs_dot
@pytest.mark.needs_browser
@pytest.mark.parametrize("name", ["network", "collapsed"])
def test_every_step_of_a_network_lecture_highlights_something(browser, pages, name):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    path, captions, lecture = pages[name]
    open_page(browser, path, 1, (1280, 720))
    body = browser.find_element(By.TAG_NAME, "body")
    for step in lecture:
        counter, caption, _ = visible_state(browser)
        assert counter == f"{step.index + 1} / {len(lecture)}" and caption == step.caption
        assert browser.execute_script(HIGHLIGHTED) > 0, f"{name}: step {step.index + 1} highlights nothing"
        body.send_keys(Keys.ARROW_RIGHT)


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_the_fragment_opens_that_step(browser, neuron_html):
    open_page(browser, neuron_html, 12)
    counter, caption, _ = visible_state(browser)
    assert counter == "12 / 15" and caption == NEURON_CAPTIONS[11]


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_f_toggles_fullscreen_and_the_keys_are_documented(browser, neuron_html):
    from selenium.webdriver.common.by import By

    open_page(browser, neuron_html)
    hint = browser.find_element(By.TAG_NAME, "nav").get_attribute("title")
    for key in ("→", "←", "space", "Page Down", "Page Up", "Home", "End", "f"):
        assert key in hint, key
    body = browser.find_element(By.TAG_NAME, "body")
    fullscreen = "return document.fullscreenElement !== null"
    assert not browser.execute_script(fullscreen)
    body.send_keys("f")
    assert browser.execute_script(fullscreen)
    body.send_keys("f")
    assert not browser.execute_script(fullscreen)
    assert visible_state(browser)[0] == "1 / 15"            # f does not step


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.needs_dot
@pytest.mark.needs_browser
@pytest.mark.parametrize("name", ["neuron", "tall", "long caption"])
def test_printing_gives_one_landscape_page_per_frame(browser, pages, name):
    import base64

    path, captions, _ = pages[name]
    open_page(browser, path)
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"landscape": True})["data"])
    assert pdf.startswith(b"%PDF") and pdf_pages(pdf) == len(captions)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = browser.execute_script(
            "return [document.querySelector('nav'), document.querySelector('h1')].map("
            "function (e) { return e.getBoundingClientRect().height; })")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert hidden == [0, 0]                                 # no navigation or heading on paper


@pytest.mark.needs_dot
def test_with_code_each_step_shows_the_generated_line_that_computes_it(pages):
    """The figure, the chain-rule caption and microbp.codegen's line tell one story."""
    path, _, lecture = pages["code"]
    page = html_unescape(open(path, encoding="utf-8").read())
    blocks = [re.findall(r'<pre class="code"[^>]*>(.*?)</pre>', frame, flags=re.DOTALL)
              for frame in re.findall(r'<section class="frame.*?</section>', page, flags=re.DOTALL)]
    assert len(blocks) == len(lecture) and all(len(block) == 1 for block in blocks)
    root = neuron()
    source = microbp.codegen(root, wrt=microbp.Graph(root).leaves)
    for step, (code,) in zip(lecture, blocks):
        for line in code.splitlines():
            assert line in source or line.endswith(" = 1.0"), (step.caption, line)
        if step.phase == "backward" and step.node.op is not None and step.node is not lecture[-1].node:
            assert code.startswith("grad_"), (step.caption, code)


@pytest.mark.needs_dot
def test_code_is_for_the_graph_view(tmp_path):
    with pytest.raises(ValueError, match="code=True shows the generated program beside the graph view"):
        slideshow(backprop_demo.build()[0], tmp_path / "n.html", view="network", code=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.needs_dot
@pytest.mark.needs_browser
@pytest.mark.parametrize("size", [(1920, 1080), (1024, 768)], ids=["1920x1080", "1024x768"])
def test_the_code_line_is_readable_and_fits_with_the_caption(browser, pages, size):
    path, captions, _ = pages["code"]
    for step in (1, 12, len(captions)):
        open_page(browser, path, step, size)
        at = browser.execute_script("""
            var frame = document.querySelector('.frame:not([hidden])');
            var code = frame.querySelector('.code').getBoundingClientRect();
            var caption = frame.querySelector('.caption').getBoundingClientRect();
            var nav = document.querySelector('nav').getBoundingClientRect();
            var font = parseFloat(getComputedStyle(frame.querySelector('.code')).fontSize);
            return [code.top, code.bottom, caption.bottom, nav.top, font,
                    document.documentElement.scrollHeight, innerHeight];""")
        top, bottom, caption_bottom, nav_top, font, scroll_height, height = at
        assert caption_bottom <= top + 1 and bottom <= nav_top + 1 and scroll_height <= height, (size, step, at)
        assert font >= (18 if size == (1920, 1080) else 14), (size, step, font)
