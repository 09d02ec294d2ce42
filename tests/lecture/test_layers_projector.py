"""The moons model (2-16-16-1) on projectors: the refusal's recommendation, followed literally, is readable.

``slideshow(E, path, view="network")`` refuses the moons model (505 frames); its message
names the view to use instead. That lecture, and the default (``view="auto"``) one, are
measured in Chromium at four screen sizes against ``SMALLEST_TEXT``, every caption whole.
"""

import re
import time

import pytest

import microbp
from microbp.lecture.slideshow_check import check_projector, start_browser
from microbp.losses import mse
from microbp.nn import MLP

SIZES = [(1920, 1080), (1280, 720), (1024, 768), (768, 1024)]


def moons_error():
    model = MLP(2, [16, 16, 1], seed=0)
    error = mse([model([0.5, -1.0])], [1.0])
    error.backward()
    return error


def recommended_view(error, tmp_path) -> str:
    """The one ``view='…'`` that the network view's refusal of the moons lecture names."""
    with pytest.raises(microbp.GraphTooLargeError) as refused:
        microbp.slideshow(error, tmp_path / "refused.html", view="network")
    (view,) = re.findall(r"view='(\w+)'", str(refused.value))
    return view


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """how it was made -> (its ProjectorReport, its number of frames, seconds to make it)."""
    folder = tmp_path_factory.mktemp("moons")
    error = moons_error()
    made = {}
    for name, options in (("recommended", {"view": recommended_view(error, folder)}), ("auto", {})):
        start = time.perf_counter()
        path = microbp.slideshow(error, folder / f"{name}.html", **options)
        made[name] = (path, time.perf_counter() - start)
    driver = start_browser()
    try:
        return {name: (check_projector(path, SIZES, driver=driver),
                       open(path, encoding="utf-8").read().count('<section class="frame'), seconds)
                for name, (path, seconds) in made.items()}
    finally:
        driver.quit()


def test_the_refusal_recommends_the_layers_view(tmp_path):
    assert recommended_view(moons_error(), tmp_path) == "layers"


@pytest.mark.needs_dot
@pytest.mark.needs_browser
@pytest.mark.parametrize("name", ["recommended", "auto"])
def test_the_moons_lecture_is_readable_on_every_projector(measured, name):
    report, frames, seconds = measured[name]
    assert frames == 13 and all(len(report.screens[size]) == frames for size in SIZES)
    assert report.ok, str(report)         # every frame over SMALLEST_TEXT on every screen, its caption whole
    print(name, f"{frames} frames in {seconds:.2f} s",
          {f"{w}x{h}": round(report.smallest((w, h)), 1) for w, h in SIZES})
    print(report)


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_auto_makes_the_same_lecture_as_the_recommendation(measured):
    recommended, auto = measured["recommended"][0], measured["auto"][0]
    assert {size: [f.smallest for f in frames] for size, frames in recommended.screens.items()} == \
           {size: [f.smallest for f in frames] for size, frames in auto.screens.items()}
