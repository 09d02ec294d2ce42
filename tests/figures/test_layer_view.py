"""The layers view's picture: a box per layer, the weight matrices on the edges, the lecture's state shown."""

import re

import pytest

import microbp
from microbp.figures.layer_view import MAX_LAYER_ROWS, LayerState, draw_layers, layer_mark
from microbp.losses import mse
from microbp.network.model import Network
from microbp.nn import MLP


def moons(backward=True, activation="relu"):
    error = mse([MLP(2, [16, 16, 1], activation=activation, seed=0)([0.5, -1.0])], [1.0])
    if backward:
        error.backward()
    return error


def test_a_box_per_layer_and_the_matrices_on_the_edges():
    source = draw_layers(moons()).source
    assert source.count("shape=box") == 1 + 3 + 1                   # the inputs, three layers, the loss
    assert re.findall(r"W⁽(\S)⁾</TD></TR><TR><TD>(\d+×\d+)", source) == [("¹", "16×2"), ("²", "16×16"),
                                                                         ("³", "1×16")]
    assert "layer 2 · 16 units" in source and "y = relu(x)" in source and "y = x (linear)" in source
    assert source.count("layer1 -> layer2") == 1 and "layer3 -> loss" in source


def test_dE_dW_is_its_largest_entry_named_not_every_number():
    error = moons()
    network = Network.of(error)
    source = draw_layers(error).source
    for layer in network.layers:
        largest = max((w for unit in layer for w in unit.weights), key=lambda w: abs(w.node.grad))
        assert f"{largest.name} = {microbp.text.notation.number(largest.node.grad, microbp.text.notation.MATH)}" \
            in source
    assert source.count("largest |dE/dw|") == 3
    assert "largest" not in draw_layers(moons(backward=False)).source       # before backward: nothing to name


def test_a_frame_mutes_what_it_does_not_know_and_shades_what_it_computes():
    error = moons()
    network = Network.of(error)
    layer = network.layers[1]
    state = LayerState(known={("y", u) for u in network.units + network.inputs}, computes=[("dx", u) for u in layer],
                       uses=[("w", w) for w in network.layers[2][0].weights])
    source = draw_layers(error, network=network, state=state).source
    assert source.count('BGCOLOR="#ffe08a"') == 16                    # the δ column of layer 2
    assert source.count(">?</FONT>") == 16 + 1 + 1                    # layer 1's and 3's δ, and E
    assert source.count('penwidth=3') == 2                            # layer 2's box, and W⁽³⁾'s edge


def test_a_wide_layer_shows_its_ends_and_how_many_are_left_out():
    error = mse([MLP(3, [40, 1], seed=0)([0.1, 0.2, 0.3])], [0.0])
    source = draw_layers(error).source
    assert "⋮ 21 more" in source and ">42</TD>" in source and ">41</TD>" in source and ">20</TD>" not in source
    rows = len(re.findall(r"<TR><TD ALIGN=\"RIGHT\">\d+</TD>", source))
    assert rows == (MAX_LAYER_ROWS - 1) + 1         # with the "⋮" row, MAX_LAYER_ROWS rows; then the output unit


def test_themes_and_fontsize_reach_the_picture():
    error = moons()
    assert 'fontsize=30' in draw_layers(error, fontsize=30).source
    assert "#1e1e1e" in draw_layers(error, theme="dark").source
    assert "rankdir=TB" in microbp.draw(error, view="layers", rankdir="TB").source


def test_layer_marks():
    assert [layer_mark(d) for d in (0, 3, 12)] == ["⁽⁰⁾", "⁽³⁾", "⁽¹²⁾"]


@pytest.mark.needs_dot
def test_jupyter_shows_the_moons_model_as_layers():
    svg = microbp._display(moons())["image/svg+xml"]
    assert "layer 2 · 16 units" in svg and "<ellipse" not in svg
