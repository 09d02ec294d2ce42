"""The network view's circles hold their text: measured in Chromium, for every theme, type size and frame.

Chromium draws each frame of a slideshow; every text of a circle (its box as the browser lays it
out, the font's whole height) and every shaded row must lie inside the circle's outline.
"""

import math
import sys
from pathlib import Path

import pytest

import microbp
from microbp.figures.text_fit import OUTLINE, UNKNOWN, WIDTHS, circle_for_table, text_width

sys.path.insert(0, str(Path(__file__).parents[1] / "lecture"))
from test_projector import mlp, walkthrough_by_nn  # noqa: E402

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# For each drawing of the page: [circles, (circle, what sticks out, by how much in points)].
OUTSIDE = """
document.querySelectorAll('[hidden]').forEach(function (e) { e.removeAttribute('hidden'); });
var found = [0, []];
document.querySelectorAll('svg g.node').forEach(function (node) {
  var circle = node.querySelector('ellipse');
  if (!circle || circle.getAttribute('rx') !== circle.getAttribute('ry')) { return; }
  found[0]++;
  var cx = +circle.getAttribute('cx'), cy = +circle.getAttribute('cy');
  var inside = +circle.getAttribute('rx') - (+circle.getAttribute('stroke-width') || 1) / 2;
  var corners = [];
  node.querySelectorAll('text').forEach(function (text) {
    if (!text.textContent.trim()) { return; }      // a space: nothing to see
    var box = text.getBBox();
    [[box.x, box.y], [box.x + box.width, box.y], [box.x, box.y + box.height],
     [box.x + box.width, box.y + box.height]].forEach(function (p) { corners.push([text.textContent, p]); });
  });
  node.querySelectorAll('polygon').forEach(function (shade) {
    shade.getAttribute('points').trim().split(/\\s+/).forEach(function (pair) {
      corners.push(['shaded row', pair.split(',').map(Number)]);
    });
  });
  corners.forEach(function (corner) {
    var out = Math.hypot(corner[1][0] - cx, corner[1][1] - cy) - inside;
    if (out > 0.01) { found[1].push([node.querySelector('title').textContent, corner[0], out]); }
  });
});
return found;
"""

SHOWS = {
    "walkthrough": (microbp.walkthrough_network, {}),
    "walkthrough, print, fontsize 28": (microbp.walkthrough_network, {"theme": "print", "fontsize": 28}),
    "walkthrough, dark, fontsize 9": (microbp.walkthrough_network, {"theme": "dark", "fontsize": 9}),
    "walkthrough, fontsize 60, 6 digits": (microbp.walkthrough_network, {"fontsize": 60, "number_format": ".6g"}),
    "walkthrough, forward mode": (microbp.walkthrough_network, {"mode": "forward", "seed": "w01"}),
    "walkthrough by nn": (walkthrough_by_nn, {}),
    "MLP(2, [3, 1])": (mlp, {"fontsize": 24}),
}


@pytest.fixture(scope="module")
def browser():
    from microbp.lecture.slideshow_check import start_browser

    driver = start_browser()
    yield driver
    driver.quit()


@pytest.mark.needs_dot
@pytest.mark.needs_browser
@pytest.mark.filterwarnings("ignore::microbp.TypeSizeWarning")    # large type on purpose: the circles must hold it
@pytest.mark.parametrize("name", list(SHOWS))
def test_every_text_and_shaded_row_is_inside_its_circle(browser, tmp_path, name):
    build, options = SHOWS[name]
    root = build()
    if "seed" in options:       # the leaf of that name moves at speed 1
        options = {**options, "seed": next(leaf for leaf in microbp.Graph(root).leaves if leaf.label == "w01")}
    path = microbp.slideshow(root, tmp_path / "show.html", view="network", **options)
    browser.get(Path(path).as_uri())
    circles, outside = browser.execute_script(OUTSIDE)
    assert circles >= 10 and outside == [], outside[:5]


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu Sans is not installed")
def test_the_widths_are_dejavu_sans_s():
    ttlib = pytest.importorskip("fontTools.ttLib")
    font = ttlib.TTFont(DEJAVU)
    glyphs, advances, em = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    for character, width in WIDTHS.items():
        assert width == round(advances[glyphs[ord(character)]][0] / em, 3), character
    widest = max(advances[glyphs[code]][0] for code in range(0x21, 0x7f)) / em
    assert UNKNOWN >= widest


def test_widths_add_up_and_unknown_characters_count_wide():
    assert text_width("", 18) == 0 and text_width("00", 10) == pytest.approx(12.72)
    assert text_width("漢", 10) == 10 * UNKNOWN
    rows = [("dE/dx₂", "\u2009−0.006487")] * 4
    width, height = text_width(rows[0][0], 18) + text_width(rows[0][1], 18), 4 * 18
    assert circle_for_table(rows, 18) > math.hypot(width, height) + OUTLINE
    assert circle_for_table(rows, 36) > circle_for_table(rows, 18) > circle_for_table(rows[:2], 18)
