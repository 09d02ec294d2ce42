"""Measuring a slideshow as a projector shows it: the smallest text in each frame, in pixels, per screen size.

``check_projector(path)`` opens a slideshow (``microbp.slideshow``'s page) in
headless Chromium at 1920×1080, 1280×720 and 1024×768, shows every frame in
turn and measures the height on screen of each line of text in the drawing's
nodes, and whether the caption shows whole. The page picks its drawing (left
to right, or top to bottom) for each screen, as in the lecture hall.

The thresholds are those of a lecture hall: 24 px at 1920×1080 (the back row
of a room reads about 1/45 of the screen's height), the same share of the
screen at 1280×720 (16 px), and 16 px at 1024×768 and on a portrait
768×1024 screen (14 px there), where smaller type would blur on a projector.

Needs selenium (``pip install microbp[projector]``, or ``pip install selenium``) and Chromium with its driver
(``apt-get install chromium chromium-driver``); without them it raises
``BrowserNotFoundError`` saying so.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BrowserNotFoundError

SCREENS = ((1920, 1080), (1280, 720), (1024, 768))
SMALLEST_TEXT = {(1920, 1080): 24.0, (1280, 720): 16.0, (1024, 768): 16.0, (768, 1024): 14.0}
SLACK = 0.05      # px: a browser measures 16 px text as 15.99998 px

INSTALL = ("check_projector measures slides in headless Chromium: it needs the selenium package "
           "(pip install selenium) and Chromium with its driver (Debian/Ubuntu: apt-get install chromium "
           "chromium-driver; macOS: brew install --cask chromium chromedriver)")

MEASURE = """
var frames = document.querySelectorAll('.frame'), found = [];
for (var i = 0; i < frames.length; i++) {
  location.hash = '#' + (i + 1);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
  var frame = frames[i], heights = [];
  frame.querySelectorAll('.graph svg:not([hidden]) g.node text').forEach(function (text) {
    var height = text.getBoundingClientRect().height;
    if (height > 0) { heights.push(height); }
  });
  var caption = frame.querySelector('.caption'), box = caption.getBoundingClientRect();
  var shown = caption.scrollHeight - caption.clientHeight <= 1 && box.top >= -1 && box.bottom <= innerHeight + 1
              && document.documentElement.scrollWidth <= innerWidth;
  var svg = frame.querySelector('.graph svg:not([hidden])');
  found.push([heights.length ? Math.min.apply(null, heights) : 0, shown, svg ? svg.dataset.layout || '' : '']);
}
return found;
"""


@dataclass
class FrameSize:
    """One frame on one screen: the smallest text in its drawing (px), whether its caption shows whole,
    and which drawing the page showed (``"LR"`` or ``"TB"``)."""

    frame: int
    smallest: float
    caption_shown: bool
    layout: str


@dataclass
class ProjectorReport:
    """What ``check_projector`` measured: (width, height) -> a ``FrameSize`` per frame."""

    path: str
    screens: dict = field(default_factory=dict)

    def smallest(self, screen: tuple) -> float:
        """The smallest text of any frame on ``screen``, in px."""
        return min((size.smallest for size in self.screens[screen]), default=0.0)

    def problems(self) -> list:
        """One line per frame that is too small for its screen or hides part of its caption."""
        lines = []
        for screen, sizes in self.screens.items():
            least = SMALLEST_TEXT.get(screen, 16.0)
            for size in sizes:
                if size.smallest < least - SLACK:
                    lines.append(f"{screen[0]}×{screen[1]}, frame {size.frame}: text {size.smallest:.1f} px, "
                                 f"under {least:g} px")
                if not size.caption_shown:
                    lines.append(f"{screen[0]}×{screen[1]}, frame {size.frame}: the caption does not show whole")
        return lines

    @property
    def ok(self) -> bool:
        return not self.problems()

    def __str__(self) -> str:
        rows = [f"{self.path}: the smallest text in each frame's drawing, in px"]
        for screen, sizes in self.screens.items():
            least = SMALLEST_TEXT.get(screen, 16.0)
            numbers = " ".join(f"{size.smallest:.0f}" for size in sizes)
            rows.append(f"{screen[0]}×{screen[1]} (at least {least:g}): smallest {self.smallest(screen):.1f}; "
                        f"per frame: {numbers}")
        problems = self.problems()
        rows += problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else [])
        rows.append("readable on every screen" if not problems else
                    f"{len(problems)} problem(s): try theme='print', a larger fontsize, or for a network "
                    "view='network' (view='layers' for a wide one)")
        return "\n".join(rows)


GRAPH_ROOM = (1904, 850)    # px: the drawing's box on a 1920×1080 screen, beside the phase, caption and bar
TEXT_HEIGHT = 1.15          # a line of text's box on screen, per unit of its font size


def estimated_text(svgs: list) -> float:
    """About how high (px) the smallest node text of a frame will be at 1920×1080, from its SVGs (one per
    layout): the page shows the layout that draws largest, scaled to fit its box; no browser needed.

    >>> svg = '<svg viewBox="0.00 0.00 952.00 200.00"><g class="node"><text font-size="12.00">x</text></g></svg>'
    >>> round(estimated_text([svg]), 1)
    27.6
    """
    best = 0.0
    for svg in svgs:
        width, height = map(float, re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', svg).groups())
        nodes = "".join(re.findall(r'<g [^>]*class="node"[^>]*>(.*?)</g>', svg, flags=re.DOTALL))
        sizes = [float(size) for size in re.findall(r'<text[^>]*font-size="([\d.]+)"', nodes)] or [14.0]
        scale = min(GRAPH_ROOM[0] / max(width, 1.0), GRAPH_ROOM[1] / max(height, 1.0))
        best = max(best, min(sizes) * scale * TEXT_HEIGHT)
    return best


def check_projector(path, screens=SCREENS, driver=None) -> ProjectorReport:
    """Measure the slideshow at ``path`` on each of ``screens`` ((width, height) in CSS pixels).

    Returns a ``ProjectorReport``: ``str(report)`` is a table for people, ``report.ok`` says
    whether every frame meets ``SMALLEST_TEXT`` and shows its whole caption, and
    ``report.smallest((1024, 768))`` gives a number. ``driver`` is a selenium WebDriver to reuse
    (one is started, and stopped, when it is not given).

    >>> check_projector("lecture.svg")
    Traceback (most recent call last):
      ...
    ValueError: check_projector: path must be a slideshow's .html file, got 'lecture.svg'

    Run in ``tests/lecture/test_projector.py`` (it needs a browser)::

        import os, tempfile, microbp
        path = microbp.slideshow(microbp.lecture_neuron(), os.path.join(tempfile.mkdtemp(), "n.html"))
        report = check_projector(path)
        report.ok, report.smallest((1024, 768)) >= 16        # (True, True)
        print(report)        # 1920×1080 (at least 24): smallest 34.0; per frame: 38 38 ...
    """
    file = Path(os.fsdecode(path)).resolve()
    if not file.is_file() or file.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"check_projector: path must be a slideshow's .html file, got {os.fsdecode(path)!r}")
    screens = _checked_screens(screens)
    own = driver is None
    driver = driver or start_browser()
    try:
        report = ProjectorReport(str(path))
        for width, height in screens:
            report.screens[(width, height)] = measure(driver, file, (width, height))
        return report
    finally:
        if own:
            driver.quit()


def measure(driver, file: Path, screen: tuple) -> list:
    """A ``FrameSize`` per frame of the page ``file`` in a viewport of ``screen`` CSS pixels."""
    width, height = screen
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    driver.get("about:blank")
    driver.get(file.as_uri() + "#1")
    return [FrameSize(i + 1, float(smallest), bool(shown), layout)
            for i, (smallest, shown, layout) in enumerate(driver.execute_script(MEASURE))]


def start_browser():
    """Headless Chromium under selenium, or ``BrowserNotFoundError`` saying how to install it."""
    try:
        from selenium import webdriver
    except ImportError:
        raise BrowserNotFoundError(INSTALL) from None
    browser, chromedriver = shutil.which("chromium") or shutil.which("chromium-browser"), shutil.which("chromedriver")
    if not (browser and chromedriver):
        raise BrowserNotFoundError(INSTALL)
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        options.add_argument(argument)
    return webdriver.Chrome(service=webdriver.ChromeService(executable_path=chromedriver), options=options)


def _checked_screens(screens) -> list:
    try:
        checked = [(int(width), int(height)) for width, height in screens]
    except (TypeError, ValueError):
        checked = []
    if not checked or any(not (200 <= side <= 8000) for screen in checked for side in screen):
        raise ValueError(f"check_projector: screens is a list of (width, height) in pixels, each from 200 to 8000, "
                         f"got {screens!r}")
    return checked
