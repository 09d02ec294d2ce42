"""The gradient-descent pictures: what they plot is microbp.optim's path, at projector size."""

import math
import struct

import pytest

import microbp
from microbp import Value
from microbp.figures import descent
from microbp.optim import SGD, Adam


def bowl():
    x, y = Value(2.0, label="x"), Value(1.0, label="y")
    return x * x + 10 * y * y


def test_a_run_is_microbp_optims_path():
    loss = bowl()
    points, losses = descent.run(loss, list(microbp.Graph(loss).leaves), "adam", 0.1, 5)
    x, y = Value(2.0), Value(1.0)
    optimizer = Adam([x, y], lr=0.1)
    for k in range(5):
        assert points[k] == [x.data, y.data]
        optimizer.zero_grad(); (x * x + 10 * y * y).backward(); optimizer.step()
    assert points[5] == [x.data, y.data] and losses[0] == 14.0


def test_the_standard_learning_rates_do_what_they_are_called():
    loss = bowl()
    leaves = list(microbp.Graph(loss).leaves)
    finals = {legend: descent.run(loss, leaves, name, lr, 30)[1][-1]
              for name, lr, legend in descent.standard_runs(loss, leaves)}
    assert finals["SGD, good"] < finals["SGD, too small"] < 14.0
    assert finals["SGD, diverging"] > 14.0 > finals["SGD, too large"]
    x = Value(2.0)
    SGD([x], lr=0.1)                         # the runs' optimizers accept what the page offers
    with pytest.raises(ValueError, match="descent: optimizer must be one of"):
        descent.run(loss, leaves, "rmsprop", 0.1, 1)


def test_the_walkthroughs_four_learning_rates_end_in_four_regimes():
    network = microbp.walkthrough_network(backward=False)
    leaves = descent._leaves(network, ("w35", "w14"), "test")
    ends = {legend: descent.run(network, leaves, name, lr, 30)
            for name, lr, legend in descent.standard_runs(network, leaves)}
    final = {legend: losses[-1] for legend, (_, losses) in ends.items()}
    assert final["SGD, good"] < final["SGD, too small"] < final["SGD, too large"] < final["SGD, diverging"]
    start = [leaf.data for leaf in leaves]
    reach = {legend: math.dist(points[-1], start) for legend, (points, _) in ends.items()}
    assert reach["SGD, diverging"] > 3 * max(reach["SGD, good"], reach["SGD, too small"])


def walkthrough_error(w35, w14):
    """The walkthrough network's E written out, every weight but w35 and w14 at its value."""
    y1, y2 = Value(0.5).sigmoid(), Value(-0.3).sigmoid()
    y3, y4 = (0.8 * y1 - 0.6 * y2).sigmoid(), (w14 * y1 + 0.9 * y2).sigmoid()
    return ((w35 * y3 - 0.7 * y4).sigmoid() - 0.2) ** 2 * 0.5


def test_sharpness_is_the_hessians_largest_eigenvalue():
    network = microbp.walkthrough_network(backward=False)
    leaves = descent._leaves(network, ("w35", "w14"), "test")
    assert walkthrough_error(Value(1.1), Value(0.2)).data == pytest.approx(network.data, rel=1e-12)
    (a, b), (_, d) = microbp.hessian(walkthrough_error)(1.1, 0.2)
    largest = (a + d) / 2 + math.sqrt((a - d) ** 2 / 4 + b * b)
    assert descent.sharpness(network, leaves) == pytest.approx(largest, rel=1e-4)
    loss = bowl()
    assert descent.sharpness(loss, list(microbp.Graph(loss).leaves)) == pytest.approx(20.0, rel=1e-6)


def across(extent, rotation):
    """A text's height across its line: the box's height, or its width for text turned a quarter."""
    return extent.width if rotation % 180 == 90 else extent.height


def png_size(path):
    with open(path, "rb") as file:
        return struct.unpack(">II", file.read(24)[16:24])


@pytest.mark.needs_matplotlib
@pytest.mark.parametrize("make", [
    lambda path: descent.descent_paths(bowl(), ("x", "y"), path, steps=10),
    lambda path: descent.loss_curves(microbp.walkthrough_network(backward=False), path, steps=10),
    lambda path: descent.schedules(path)], ids=["paths", "curves", "schedules"])
def test_projector_size_and_text_height(tmp_path, monkeypatch, make):
    from matplotlib.text import Text

    saved = []
    original = descent._save

    def keep(plt, figure, path):
        figure.tight_layout()
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        saved.extend(across(text.get_window_extent(renderer), text.get_rotation()) for text in figure.findobj(
            lambda artist: isinstance(artist, Text) and artist.get_visible() and artist.get_text().strip()))
        return original(plt, figure, path)

    monkeypatch.setattr(descent, "_save", keep)
    path = make(tmp_path / "figure.png")
    assert png_size(path) == (1920, 1080)
    assert len(saved) > 5 and min(saved) >= 24


def test_wrt_names_two_leaves():
    with pytest.raises(ValueError, match="descent_paths: wrt names leaves by label; 'z' is none of"):
        descent.descent_paths(bowl(), ("x", "z"), "never.png")
