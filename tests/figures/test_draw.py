"""Drawing: what the DOT says, without running Graphviz."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import microbp
from microbp import GraphTooLargeError, Value, draw, lecture_neuron, scope

sys.path.insert(0, str(Path(__file__).parent / "golden"))
from regenerate import GOLDEN, golden_sources  # noqa: E402


@pytest.mark.parametrize("name", sorted(golden_sources()))
def test_golden_dot(name):
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert golden_sources()[name] == expected, (
        f"the DOT for {name} changed; if that is intended, run python tests/figures/golden/regenerate.py "
        "and review the diff")


def test_same_graph_same_bytes_in_every_process():
    code = "import microbp; print(microbp.draw(microbp.lecture_neuron(), collapse=None).source)"
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (0, 1, 2)}
    assert len(outputs) == 1 and outputs.pop() == draw(lecture_neuron()).source + "\n"


def test_values_ops_and_local_derivatives_are_in_the_picture():
    source = draw(lecture_neuron()).source
    for text in ("<B>x1</B>", "data 2<", "grad -1.5<", "data 0.7071", "grad 0.5", "<tanh>", "<×>", "<+>",
                 "label=<-3>", "label=<0.5>"):
        assert text in source, text


def test_gradients_not_yet_computed_are_shown_as_such():
    before = draw(lecture_neuron(backward=False)).source
    assert "grad ?" in before and "grad 0<" not in before
    assert "grad ?" not in draw(lecture_neuron()).source


def test_a_times_a_draws_two_edges():
    a = Value(3.0, label="a")
    source = draw(a * a).source
    assert source.count("n0 -> n1op") == 2


def test_constants_look_different_and_get_no_derivative_label():
    x = Value(1.0, label="x")
    source = draw(2 * x).source
    assert 'n1c0 [label=<2> fontcolor="#6b6b6b" shape=box style="dashed,rounded"]' in source
    assert "n1c0 -> n1op [style=dashed]" in source


def test_dot_node_has_2n_parents_drawn():
    w = [Value(1.0, label=f"w{i}") for i in range(3)]
    source = draw(microbp.dot(w, [4.0, 5.0, 6.0])).source
    assert source.count("-> n3op") == 6 and "<·>" in source


@pytest.mark.parametrize("options, expected", [
    ({"rankdir": "TB"}, "rankdir=TB"),
    ({"theme": "dark"}, "bgcolor=\"#1e1e1e\""),
    ({"theme": "print"}, "fontsize=20"),
    ({"number_format": ".2f"}, "data 0.71"),
    ({"title": "a <neuron>"}, "label=<a &lt;neuron&gt;>"),
])
def test_options_reach_the_dot(options, expected):
    assert expected in draw(lecture_neuron(), **options).source


def test_show_chooses_the_cells():
    source = draw(lecture_neuron(), show=("data",)).source
    assert "data 2" in source and "grad" not in source and "label=<-3>" not in source
    assert "grad -1.5" in draw(lecture_neuron(), show=("grad",)).source


@pytest.mark.parametrize("options, message", [
    ({"rankdir": "up"}, "rankdir"), ({"show": "data"}, "show"), ({"show": ["colour"]}, "show"),
    ({"theme": "neon"}, "theme must be one of"), ({"collapse": 0}, "collapse"), ({"max_nodes": 0}, "max_nodes"),
])
def test_bad_options_are_named(options, message):
    with pytest.raises(ValueError, match=message):
        draw(lecture_neuron(), **options)


def test_draw_needs_a_value():
    with pytest.raises(TypeError, match="draw.root. needs a Value, got 3.0"):
        draw(3.0)


def test_color_by_grad_separates_signs():
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    out = x - y
    out.backward()
    source = draw(out, color_by_grad=True).source
    fills = {line.split("BGCOLOR=")[1][:9] for line in source.splitlines() if "BGCOLOR" in line}
    assert len(fills) == 2     # x (grad +1) and out (grad +1) share one colour, y (grad -1) has another


def test_highlight_and_path():
    o = lecture_neuron()
    leaves = {node.label: node for node in microbp.topological_order(o)}
    source = draw(o, highlight_path=leaves["w1"]).source
    assert source.count("penwidth=3") == 8        # w1 → × → x1·w1 → + → … → tanh → o: 4 ops, 2 edges each
    assert 'CELLBORDER="3"' in source
    marked = draw(o, highlight=[leaves["b"]]).source
    assert marked.count('CELLBORDER="3"') == 1
    with pytest.raises(ValueError, match="highlight_path"):
        draw(o, highlight_path=Value(1.0))


def test_scopes_become_nested_labelled_clusters():
    x = Value(1.0, label="x")
    with scope("layer 1"):
        with scope("neuron 1"):
            a = (x * 2).tanh()
        with scope("neuron 2"):
            b = (x * 3).tanh()
    source = draw(a + b, view="graph").source
    assert source.count("subgraph cluster_") == 3
    assert "label=<layer 1>" in source and "label=<neuron 2>" in source
    assert source.index("label=<layer 1>") < source.index("label=<neuron 1>")


def test_collapse_draws_each_scope_as_one_box():
    x = Value(1.0, label="x")
    outputs = []
    for i in range(3):
        with scope(f"layer {i}"):
            with scope("neuron"):
                x = (x * 2 + 1).tanh()
        outputs.append(x)
    whole = draw(x, collapse=1).source
    assert whole.count("shape=box3d") == 3 and "s0 -> s1" in whole and "s1 -> s2" in whole
    assert "x -> " not in whole and "n0 -> s0" in whole
    per_neuron = draw(x, collapse=2).source
    assert per_neuron.count("shape=box3d") == 3 and per_neuron.count("subgraph cluster_") == 3


def test_size_guard_says_how_many_and_what_to_do():
    x = Value(1.0)
    with scope("block"):
        for _ in range(300):
            x = x * 1.01
    with pytest.raises(GraphTooLargeError, match=r"301 nodes, over the limit of 200.*max_nodes=301.*collapse=1"):
        draw(x, max_nodes=200)
    assert draw(x, max_nodes=301).source.count("->") > 300
    assert draw(x, max_nodes=200, collapse=1).source.count("shape=box3d") == 1


def test_unlabelled_values_show_the_names_the_captions_use():
    x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    o = (x * w + 1).tanh()
    source = draw(o).source
    assert "<B>v1</B>" in source and "<B>v2</B>" in source and "<B>f</B>" in source
    captions = " ".join(step.caption for step in microbp.steps(o))
    for name in ("v1", "v2", "f"):
        assert f"d{name}" in captions or f"{name} =" in captions


def test_a_number_shared_by_several_neurons_is_drawn_once():
    inputs = [0.5, -1.0]
    with scope("layer"):
        a = microbp.affine([Value(0.1), Value(0.2)], inputs, Value(0.0))
        b = microbp.affine([Value(0.3), Value(0.4)], inputs, Value(0.0))
    for collapse in (None, 1):
        source = draw(a + b, view="graph", collapse=collapse).source
        constants = re.findall(r"(\w+) \[label=<([^>]*)> .*dashed,rounded", source)
        assert sorted(label for _, label in constants) == ["-1", "0.5"], collapse
        uses = [line for line in source.splitlines() if "style=dashed]" in line]
        assert len(uses) == (4 if collapse is None else 2), collapse     # an edge per use (into one box)


def test_a_collapsed_box_is_highlighted_when_a_node_inside_is():
    x = Value(1.0, label="x")
    with scope("neuron"):
        y = (x * 2).tanh()
    source = draw(y * 3, collapse=1, highlight=[y]).source
    assert re.search(r"s0 \[label=<.*penwidth=3", source)
    assert "<B>neuron</B>: 2 operations" in source and "output v2" in source


@pytest.mark.parametrize("options, expected", [
    ({"fontsize": 30}, "fontsize=30"), ({"size": (10, 7.5)}, 'size="10,7.5"'),
    ({"view": "network", "fontsize": 30}, "fontsize=30"), ({"view": "network", "size": (8, 6)}, 'size="8,6"'),
])
def test_font_size_and_size_options(options, expected):
    from microbp.nn import MLP
    assert expected in draw(MLP(2, [2, 1], seed=0)([0.5, 1.0]), **options).source


@pytest.mark.parametrize("options, message", [
    ({"fontsize": 0}, "fontsize"), ({"fontsize": "big"}, "fontsize"), ({"size": (10,)}, "size"),
    ({"size": (-1, 2)}, "size"), ({"view": "tree"}, "view must be"),
    ({"view": "network", "color_by_grad": True}, "color_by_grad apply to view='graph' only"),
    ({"view": "network", "collapse": 1}, "collapse is for view='graph'"),
])
def test_bad_size_options_are_named(options, message):
    from microbp.nn import MLP
    with pytest.raises(ValueError, match=message):
        draw(MLP(2, [2, 1], seed=0)([0.5, 1.0]), **options)


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours (#rrggbb or a name Graphviz knows)."""
    named = {"white": "#ffffff", "black": "#000000"}

    def luminance(color):
        color = named.get(color, color)
        channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("theme", sorted(microbp.figures.graph_view.THEMES))
def test_edge_labels_are_attached_and_as_readable_as_text(theme):
    from microbp.figures.themes import THEMES
    style = THEMES[theme]
    assert contrast(style["edge_label"], style["background"]) >= 7          # WCAG AAA, as body text
    source = draw(lecture_neuron(), theme=theme).source
    labelled = [line for line in source.splitlines() if "-> " in line and "label=" in line]
    assert labelled and all("decorate=true" in line for line in labelled)   # a line from label to edge
    assert f'fontcolor="{style["edge_label"]}"' in source or f"fontcolor={style['edge_label']}" in source


def test_the_graph_view_of_a_hand_built_network_groups_each_units_nodes():
    error = microbp.walkthrough_network()          # a scope per layer, not per unit
    source = draw(error, view="graph").source
    assert [f"label=<unit {j}>" in source for j in range(1, 6)] == [True, True, True, True, False]   # 5: alone
    assert source.index("label=<layer 2>") < source.index("label=<unit 3>") < source.index("label=<unit 4>")
    from microbp.nn import MLP
    nn_source = draw(MLP(2, [2, 1], seed=0)([0.5, 1.0]), view="graph").source     # a scope per neuron already
    assert "label=<unit" not in nn_source
