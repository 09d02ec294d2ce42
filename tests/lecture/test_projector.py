"""Slides on projectors: every frame of the default lecture measured in Chromium at four screen sizes.

One browser session measures them all (``microbp.check_projector`` with a shared driver),
resizing between sizes. The thresholds are ``SMALLEST_TEXT``: the smallest line of node text
is at least 24 px at 1920×1080, 16 px at 1280×720 (the same share of the screen) and at
1024×768, and 14 px on a portrait 768×1024 screen; and every caption shows whole.
"""

import re
import warnings

import pytest

import microbp
from microbp.lecture.slideshow_check import SCREENS, check_projector, start_browser
from microbp.losses import mse
from microbp.nn import MLP

SIZES = [(1920, 1080), (1280, 720), (1024, 768), (768, 1024)]


def walkthrough_by_nn():
    """The walkthrough's 1-2-2-1 network made with microbp.nn: its weights, no biases' values, E = ½(y − t)²."""
    model = MLP(1, [2, 2, 1], activation="sigmoid", seed=0)
    weights = iter([0.5, -0.3, 0.8, -0.6, 0.2, 0.9, 1.1, -0.7])
    for layer in model.layers:
        for neuron in layer.neurons:
            for w in neuron.w:
                w.data = next(weights)
    error = 0.5 * (model([1.0]) - 0.2) ** 2
    error.backward()
    return error


def mlp():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    error = mse([model([0.5, -1.0])], [1.0])
    error.backward()
    return error


# The walkthrough's text at 1024×768, with a margin over SMALLEST_TEXT: another font must not tip it under.
MARGIN = {"walkthrough": 17.5, "walkthrough by nn": 17.5}

SHOWS = {"walkthrough": microbp.walkthrough_network, "walkthrough by nn": walkthrough_by_nn,
         "neuron": microbp.lecture_neuron, "MLP(2, [3, 1])": mlp}


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """name -> (the ProjectorReport of its default slideshow, its number of steps)."""
    folder = tmp_path_factory.mktemp("projector")
    paths = {name: microbp.slideshow(build(), folder / f"{i}.html") for i, (name, build) in enumerate(SHOWS.items())}
    driver = start_browser()
    try:
        return {name: (check_projector(path, SIZES, driver=driver), open(path, encoding="utf-8").read().count(
            '<section class="frame')) for name, path in paths.items()}
    finally:
        driver.quit()


@pytest.mark.needs_dot
@pytest.mark.needs_browser
@pytest.mark.parametrize("name", list(SHOWS))
def test_every_frame_is_readable_on_every_projector(measured, name):
    report, frames = measured[name]
    assert all(len(report.screens[size]) == frames for size in SIZES)
    assert report.ok, str(report)         # every frame over SMALLEST_TEXT on every screen, its caption whole
    assert report.smallest((1024, 768)) >= MARGIN.get(name, 0), str(report)
    print(name, {f"{w}x{h}": round(report.smallest((w, h)), 1) for w, h in SIZES})


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_the_page_draws_networks_top_to_bottom_on_a_portrait_screen(measured):
    report, _ = measured["walkthrough"]
    assert {frame.layout for frame in report.screens[(1920, 1080)]} == {"LR"}
    assert {frame.layout for frame in report.screens[(768, 1024)]} == {"TB"}


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_the_report_says_per_frame_and_per_screen(measured):
    report, frames = measured["neuron"]
    text = str(report)
    assert "1024×768 (at least 16): smallest" in text and "readable on every screen" in text
    per_frame = re.search(r"1024×768 .*per frame: ([\d ]+)", text)[1].split()
    assert len(per_frame) == frames


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_check_slides_on_the_command_line(tmp_path, capsys):
    from microbp.cli.commands import main

    x = microbp.Value(0.5, label="x")
    path = microbp.slideshow((x * 3).tanh(), tmp_path / "small.html")
    assert main(["check-slides", path, "--screen", "1024x768"]) == 0
    out = capsys.readouterr().out
    assert "1024×768 (at least 16): smallest" in out and "1920×1080" not in out


def test_check_projector_refuses_what_is_not_a_slideshow(tmp_path):
    (tmp_path / "a.svg").write_text("<svg/>")
    with pytest.raises(ValueError, match="check_projector: path must be a slideshow's .html file"):
        check_projector(tmp_path / "a.svg")
    (tmp_path / "a.html").write_text("<html/>")
    with pytest.raises(ValueError, match="screens is a list of \\(width, height\\)"):
        check_projector(tmp_path / "a.html", screens=[(1024,)])
    assert SCREENS == ((1920, 1080), (1280, 720), (1024, 768))


@pytest.mark.needs_dot
def test_the_graph_view_of_a_network_says_it_is_too_small_and_names_the_network_view(tmp_path):
    error = microbp.walkthrough_network()
    with pytest.warns(microbp.UnreadableSlidesWarning,
                      match=r"about \d+ px, under the 24 px .*or view='network' to draw its 5 units"):
        microbp.slideshow(error, tmp_path / "graph.html", view="graph")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error", microbp.UnreadableSlidesWarning)
        microbp.slideshow(error, tmp_path / "network.html")            # the default: the network view, readable
        microbp.slideshow(microbp.lecture_neuron(), tmp_path / "neuron.html")


def smallest_text(build, path, **options) -> tuple:
    """(the smallest text of a slideshow of ``build()`` at 1920×1080, estimated in px; the warnings it gave)."""
    from microbp.lecture.slideshow_check import estimated_text

    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        page = open(microbp.slideshow(build(), path, **options), encoding="utf-8").read()
    frames = re.findall(r"<section.*?</section>", page, flags=re.DOTALL)
    return (min(estimated_text(re.findall(r"<svg.*?</svg>", frame, flags=re.DOTALL)) for frame in frames),
            [str(warning.message) for warning in said if warning.category is microbp.TypeSizeWarning])


@pytest.mark.needs_dot
def test_fontsize_and_theme_change_the_size_the_audience_sees(tmp_path):
    """The graph view's boxes are stacked and its spacing fixed, so larger type is larger on the screen,
    though not in proportion: the slideshow says how much, and that collapse=1 would show it larger."""
    plain, said = smallest_text(microbp.lecture_neuron, tmp_path / "n.html")
    assert said == []
    printed, said_print = smallest_text(microbp.lecture_neuron, tmp_path / "n.html", theme="print")
    larger, said_larger = smallest_text(microbp.lecture_neuron, tmp_path / "n.html", fontsize=20)
    assert printed > 1.15 * plain and larger > 1.15 * plain
    assert said_larger == said_print == []          # over 36 px: large enough, nothing to say


@pytest.mark.needs_dot
def test_the_network_view_s_type_is_smaller_when_asked_and_never_smaller_when_larger_is_asked(tmp_path):
    """The network view's circles and spacing stay those of its usual type: smaller type is smaller on the
    screen. Larger type cannot be much larger (the text already spans the screen): it is never smaller, and
    the slideshow says so once (under 36 px), with the size it shows and what would show it larger (fewer digits)."""
    plain, said = smallest_text(microbp.walkthrough_network, tmp_path / "w.html")
    assert said == []
    small, said = smallest_text(microbp.walkthrough_network, tmp_path / "w.html", fontsize=12)
    assert small < 0.8 * plain and said == []
    for options in ({"fontsize": 28}, {"theme": "print"}, {"theme": "print", "fontsize": 28}):
        large, _ = smallest_text(microbp.walkthrough_network, tmp_path / "w.html", **options)
        assert large >= plain, options
    fewer, _ = smallest_text(microbp.walkthrough_network, tmp_path / "w.html", fontsize=28, number_format=".3g")
    assert fewer > large
    mlp_plain, _ = smallest_text(mlp, tmp_path / "m.html")
    assert mlp_plain < 32                           # under COMFORTABLE even 10% larger: larger type is said
    for options in ({"fontsize": 28}, {"theme": "print", "fontsize": 28}):
        large, said = smallest_text(mlp, tmp_path / "m.html", **options)
        assert len(said) == 1, options
        assert f"fontsize=28 shows its smallest text at about {large:.0f} px at 1920×1080" in said[0], said
        assert "number_format='.3g'" in said[0] and "the usual 18-point type" in said[0]
    _, said = smallest_text(mlp, tmp_path / "m.html", theme="print")
    assert said == []                               # a theme's type is its own choice: nothing said


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_check_projector_as_its_docstring_says(tmp_path):
    path = microbp.slideshow(microbp.lecture_neuron(), tmp_path / "n.html")
    report = check_projector(path, [(1024, 768)])
    assert report.ok and report.smallest((1024, 768)) >= 16 - 0.05
