"""The forward-mode lecture: values and tangents node by node, in both views, and the two modes' costs.

The numbers are ``microbp.jvp``'s, bit for bit; the counts are ``microbp.core.jacobians``'s, as
measured; the slideshow of the walkthrough network is held to the backward one's browser checks.
"""

import math
import statistics
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from test_random_graphs import build, recipes
from test_slides import HIGHLIGHTED, NODE_TEXT, browser, inside, layout, open_page  # noqa: F401 (browser: a fixture)

import microbp
from microbp import Graph, Value, jvp, scope, slideshow, steps
from microbp.core.jacobians import forward_columns, reverse_rows
from microbp.demo import walkthrough_network
from microbp.lecture.mode_costs import comparison_picture
from microbp.lecture.steps import frames
from microbp.network.model import Network


def walkthrough():
    """(E, its nodes by label)."""
    error = walkthrough_network(backward=False)
    return error, {node.label: node for node in microbp.topological_order(error) if node.label}


def test_every_forward_step_of_the_graph_view_is_jvp_bit_for_bit():
    error, _ = walkthrough()
    for seed in Graph(error).leaves:
        lecture = steps(error, mode="forward", seed=seed, view="graph")
        assert [step.phase for step in lecture] == ["seed"] + ["forward"] * len(Graph(error).computed) + ["compare"]
        for step in lecture[1:-1]:
            assert step.value == jvp(step.node, [seed], [1.0])[1], (seed.label, step.caption)
            assert sum(local * tangent for _, tangent, local in step.terms) == pytest.approx(step.value, rel=1e-15)


@settings(max_examples=60)
@given(recipes())
def test_on_random_graphs_too_each_step_is_jvp_and_its_caption_ends_in_its_number(recipe):
    root, _ = build(recipe)
    assume(root is not None and root.op is not None)
    graph = Graph(root)
    seed = graph.leaves[-1]
    lecture = steps(root, mode="forward", seed=seed)
    for step in lecture[1:-1]:
        tangent = jvp(step.node, [seed], [1.0])[1]
        assert step.value == tangent or (math.isnan(step.value) and math.isnan(tangent))
        last = step.caption.splitlines()[-1]
        assert last.endswith((format(tangent, ".4g").replace("-", "−"), "nothing it depends on moves"))


@pytest.mark.parametrize("seed_label", ["y0", "w13", "w35"])
def test_every_forward_step_of_the_network_view_is_jvp_bit_for_bit(seed_label):
    error, nodes = walkthrough()
    seed = nodes[seed_label]
    lecture = steps(error, view="network", mode="forward", seed=seed)
    network = Network.of(error)
    computed = [unit.y for unit in network.units] + [error]
    assert [step.phase for step in lecture] == ["seed"] + ["forward"] * len(computed) + ["compare"]
    for step, node in zip(lecture[1:-1], computed):
        assert step.value == jvp(node, [seed], [1.0])[1]


def test_the_sigmoid_unit_s_caption_is_the_table_s_formula_with_a_dot_for_each_tangent():
    error, nodes = walkthrough()
    unit = steps(error, view="network", mode="forward", seed=nodes["y0"])[3]        # unit 3, in layer 2
    y3, x3 = nodes["y3"], nodes["x3"]
    tangent_x3 = jvp(x3, [nodes["y0"]], [1.0])[1]
    tangent_y3 = jvp(y3, [nodes["y0"]], [1.0])[1]
    lines = unit.caption.splitlines()
    assert lines == [
        "x₃ = w₁₃ × y₁ + w₂₃ × y₂ = 0.8 × 0.6225 + (−0.6) × 0.4256 = 0.2426",
        "ẋ₃ = w₁₃ · ẏ₁ + w₂₃ · ẏ₂ = 0.8 × 0.1175 + (−0.6) × (−0.07334) = 0.138",
        "y₃ = σ(x₃) = σ(0.2426) = 0.5604",
        "ẏ₃ = y₃ × (1 − y₃) · ẋ₃ = 0.2464 × 0.138 = 0.034"]
    # the numbers are the engine's: σ's local derivative y(1 − y), the tangents jvp's
    assert lines[3].split(" = ")[2] == f"{format(y3.data * (1 - y3.data), '.4g')} × {format(tangent_x3, '.4g')}"
    assert lines[3].endswith(format(tangent_y3, ".4g")) and unit.value == tangent_y3
    assert "\u0307" not in unit.caption     # every dotted letter here has its precomposed form (ẋ, ẏ)


def test_a_term_that_does_not_move_is_left_out_as_jvp_leaves_it_out():
    error, nodes = walkthrough()
    lecture = steps(error, view="network", mode="forward", seed=nodes["w13"])
    assert lecture[0].caption.startswith("ẇ₁₃ = 1: w₁₃ moves at speed 1")
    assert lecture[1].caption.splitlines()[1] == "ẋ₁ = 0: nothing it depends on moves"
    assert lecture[3].caption.splitlines()[1] == "ẋ₃ = y₁ · ẇ₁₃ = 0.6225 × 1 = 0.6225"


def test_the_walkthrough_s_comparison_is_8_forward_passes_against_1_backward_and_the_reverse_for_y0():
    error, nodes = walkthrough()
    compare = steps(error, view="network", mode="forward", seed=nodes["y0"])[-1]
    weights = [nodes[f"w{i}{j}"] for i, j in microbp.demo.WEIGHTS]
    outputs = [nodes[f"y{j}"] for j in "12345"] + [error]
    gradient, sensitivities = compare.terms
    expected = [(forward_columns([error], weights), reverse_rows([error], weights)),
                (forward_columns(outputs, [nodes["y0"]]), reverse_rows(outputs, [nodes["y0"]]))]
    for cost, (forward, reverse) in zip(compare.terms, expected):
        assert (cost.forward.passes, cost.forward.products) == (forward.passes, forward.products)
        assert (cost.reverse.passes, cost.reverse.products) == (reverse.passes, reverse.products)
    assert (gradient.forward.passes, gradient.reverse.passes) == (len(weights), 1) == (8, 1)
    assert (sensitivities.forward.passes, sensitivities.reverse.passes) == (1, len(outputs)) == (1, 6)
    assert gradient.forward == [[pytest.approx(g, rel=1e-13) for g in gradient.reverse[0]]]
    assert (f"E by its 8 weights: forward 8 passes ({forward_columns([error], weights).products} products), "
            "reverse 1 pass") in compare.caption


def test_one_input_and_many_outputs_reverses_the_counts_in_the_graph_view():
    t = Value(0.5, label="t")
    curve = [t.cos(), t.sin(), t * t, t.exp()]
    root = microbp.sum(curve)
    compare = steps(root, mode="forward", seed=t)[-1]
    gradient, sensitivities = compare.terms
    outputs = Graph(root).computed
    assert (gradient.forward.passes, gradient.reverse.passes) == (1, 1)           # one input, one root
    assert (sensitivities.forward.passes, sensitivities.reverse.passes) == (1, len(outputs)) == (1, 5)
    assert sensitivities.forward.products == forward_columns(outputs, [t]).products
    assert sensitivities.reverse.products == reverse_rows(outputs, [t]).products
    assert sensitivities.forward.products < sensitivities.reverse.products
    source = comparison_picture(compare.terms, microbp.figures.options.DrawOptions()).source
    highlighted = [cell for cell in source.split("<TD") if "BGCOLOR" in cell]
    assert len(highlighted) == 2 and "<B>1 pass" in highlighted[1]             # the cheaper mode, per question


def test_graph_frames_show_each_node_s_value_and_tangent_once_computed():
    x = Value(0.5, label="x"); w = Value(2.0, label="w")
    y = (x * w).sigmoid(); y.label = "y"
    made = frames(y, mode="forward", seed=w)
    tangent_y = jvp(y, [w], [1.0])[1]
    sources = [frame.source for _, frame in made]
    assert "tangent 1" in sources[0] and "tangent ?" in sources[0] and "grad" not in "".join(sources)
    assert f"tangent {format(tangent_y, '.4g')}" in sources[2] and "data ?" not in sources[2]
    assert "forward mode" in sources[-1] and "reverse mode" in sources[-1]


def test_network_frames_name_tangents_with_a_dot_and_show_the_loss_s():
    error, nodes = walkthrough()
    made = frames(error, view="network", mode="forward", seed=nodes["y0"])
    loss_frame = made[-2][1].source
    assert "Ė" in loss_frame and "ẏ₃" in loss_frame and "ẇ₁₃" in loss_frame and "dE/d" not in loss_frame
    assert format(jvp(error, [nodes["y0"]], [1.0])[1], ".4g") in loss_frame
    assert "Ė</FONT>" in made[1][1].source          # not computed yet: muted, with "?"


def hand_network():
    """A network whose target is a Value: a leaf the network view draws neither as input nor weight."""
    y0 = Value(1.0, label="y0"); w = Value(0.5, label="w01"); target = Value(0.2, label="t")
    with scope("layer 1"):
        y1 = (w * y0).sigmoid()
    return (y1 - target) ** 2, target, y1


@pytest.mark.parametrize("options, error, message", [
    ({"mode": "sideways"}, ValueError, "steps: mode must be one of 'reverse', 'forward', got 'sideways'"),
    ({"mode": "forward"}, ValueError, "steps: mode='forward' needs seed=, the leaf that moves at speed 1"),
    ({"mode": "forward", "seed": 2.0}, TypeError, "steps: seed must be a Value, a leaf of the graph, got 2.0"),
    ({"seed": "y1"}, ValueError, "steps: seed is the leaf that moves in forward mode; pass mode='forward' too"),
    ({"mode": "forward", "seed": "y1"}, ValueError, "is computed by the graph"),
    ({"mode": "forward", "seed": "stranger"}, ValueError, "is not in the graph of root"),
    ({"mode": "forward", "seed": "t", "collapse": 1}, ValueError, "steps: collapse is for the backward lecture"),
    ({"mode": "forward", "seed": "t", "view": "network"}, ValueError,
     "in the network view, seed must be an input or a weight of the network"),
])
def test_bad_options_are_refused_with_one_clear_message(options, error, message):
    root, target, y1 = hand_network()
    given = {"y1": y1, "t": target, "stranger": Value(1.0)}
    options = {key: given.get(value, value) if isinstance(value, str) else value for key, value in options.items()}
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        steps(root, **options)


@pytest.mark.needs_dot
def test_the_forward_slideshow_says_forward_mode(tmp_path):
    error, nodes = walkthrough()
    path = slideshow(error, tmp_path / "f.html", view="network", mode="forward", seed=nodes["y0"])
    page = Path(path).read_text(encoding="utf-8")
    assert "Forward mode, step by step (8 steps)" in page and page.count('<section class="frame"') == 8


# --- in a real browser, as the backward lecture is checked (tests/lecture/test_slides.py) --------

SIZES = [(1920, 1080), (1024, 768)]


@pytest.fixture(scope="module")
def shows(tmp_path_factory):
    """mode -> (path of the walkthrough network's slideshow, its steps)."""
    folder = tmp_path_factory.mktemp("forward-show")
    error, nodes = walkthrough()
    made = {}
    for mode, extra in (("forward", {"mode": "forward", "seed": nodes["y0"]}), ("reverse", {})):
        lecture = steps(error, view="network", **extra)
        made[mode] = (slideshow(error, folder / f"{mode}.html", view="network", **extra), lecture)
    return made


@pytest.mark.needs_dot
@pytest.mark.needs_browser
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_walkthrough_s_forward_slideshow_fits_and_reads_as_its_backward_one(browser, shows, size):  # noqa: F811
    path, lecture = shows["forward"]
    backward_path, backward = shows["reverse"]
    longest = max(backward, key=lambda s: len(s.caption) if s.phase == "forward" else 0)
    open_page(browser, backward_path, longest.index + 1, size)
    backward_median = statistics.median(browser.execute_script(NODE_TEXT))
    for step in lecture:
        open_page(browser, path, step.index + 1, size)
        at = layout(browser)
        where = f"forward lecture at {size}, step {step.index + 1}"
        assert at["scrollHeight"] <= at["height"] and at["scrollWidth"] <= at["width"], where
        assert inside(at["caption"], 0, at["phase"]["bottom"], at["width"], at["nav"]["top"]), where
        assert at["captionOverflow"] <= 1, where                          # the whole caption shows
        assert inside(at["drawing"], 0, at["phase"]["bottom"], at["width"], at["caption"]["top"]), where
        free_height = at["nav"]["top"] - at["phase"]["bottom"] - at["caption"]["height"]
        share = max(at["drawing"]["width"] / at["width"], at["drawing"]["height"] / free_height)
        assert share >= 0.9, f"{where}: the picture uses {share:.0%} of the free width or height"
        heights = browser.execute_script(NODE_TEXT)
        assert statistics.median(heights) >= (18 if size == (1920, 1080) else 0), (where, sorted(heights))
        if step.phase != "compare":
            assert browser.execute_script(HIGHLIGHTED) > 0, f"{where} highlights nothing"
            assert len(heights) > 10 and statistics.median(heights) >= backward_median, (where, backward_median)


@pytest.mark.parametrize("view", ["graph", "network"])
def test_the_workload_counts_the_forward_lecture_s_own_frames(view):
    from microbp.lecture.planning import plan

    error, nodes = walkthrough()
    lecture = plan(error, "frames", view, mode="forward", seed=nodes["w13"])
    counted, _ = lecture.view.workload(lecture.graph, lecture.options)
    assert counted == len(steps(error, view=view, mode="forward", seed=nodes["w13"]))


def test_a_forward_lecture_too_large_is_refused_by_its_own_count():
    x = Value(1.0, label="x")
    y = x
    for _ in range(150):
        y = y * 1.01
    with pytest.raises(microbp.GraphTooLargeError, match="lecture: 152 frames of up to 751 nodes and edges"):
        frames(y, mode="forward", seed=x)


def test_a_local_derivative_of_0_is_written_since_it_stops_the_motion():
    y = Value(-1.0, label="y")
    lecture = steps((y * 2).relu(), mode="forward", seed=y)
    assert lecture[2].caption.splitlines()[1] == "ḟ = step(v1) · v̇1 = 0 × 2 = 0"
    assert lecture[2].value == 0.0 and lecture[2].terms == [(lecture[1].node, 2.0, 0.0)]


def test_a_root_that_is_the_seed_itself_has_a_seed_and_a_comparison():
    x = Value(2.0, label="x")
    lecture = steps(x, mode="forward", seed=x)
    assert [step.phase for step in lecture] == ["seed", "compare"]
    assert "x by x: forward 1 pass" in lecture[-1].caption
