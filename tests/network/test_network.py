"""The network view: the walkthrough network's every number against a sympy model, its step order,
and how networks are found in graphs (microbp.nn's, hand-built ones) or refused."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

import microbp
from microbp import GraphTooLargeError, Value, draw, scope, steps
from microbp.errors import NotANetworkError
from microbp.losses import mse
from microbp.network.model import Network
from microbp.nn import MLP

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import backprop_demo  # noqa: E402

SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
PLAIN = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def walkthrough_oracle(input_value=1.0, target=0.2):
    """name as the figure writes it -> its value, from sympy: xⱼ, yⱼ, wᵢⱼ, E and every dE/d·.

    Each total derivative is sympy's derivative of E with that quantity made a free symbol (what
    follows it computed from the symbol), at the value the forward pass gives it.
    """
    free = sympy.Symbol("free")

    def forward(replaced=None):
        """Every x, y, w as sympy numbers (``replaced`` by the free symbol), and E."""
        values = {f"w{i}{j}": sympy.Float(w) for (i, j), w in backprop_demo.WEIGHTS.items()}
        values["y0"] = sympy.Float(input_value)
        values = {name: free if name == replaced else value for name, value in values.items()}
        for layer in backprop_demo.LAYERS:
            for j in layer:
                x = sum(values[f"w{i}{k}"] * values[f"y{i}"] for i, k in backprop_demo.WEIGHTS if k == j)
                values[f"x{j}"] = free if replaced == f"x{j}" else x
                values[f"y{j}"] = free if replaced == f"y{j}" else 1 / (1 + sympy.exp(-values[f"x{j}"]))
        return values, (values["y5"] - sympy.Float(target)) ** 2 / 2

    values, error = forward()
    oracle = {"E": float(error)}
    for name, value in values.items():
        shown = name.translate(SUBSCRIPT)
        oracle[shown] = float(value)
        oracle[f"dE/d{shown}"] = float(sympy.diff(forward(name)[1], free).subs(free, value))
    return oracle


def shown_numbers(source: str) -> dict:
    """name -> number, for every name-number pair the network view draws (cells and edge labels)."""
    cells = re.findall(r'<TD ALIGN="RIGHT"[^>]*>([^<]+)</TD><TD ALIGN="LEFT"[^>]*>\u00a0([^<]+)</TD>', source)
    edges = re.findall(r"<TD>([^<\s]+)(?: |<BR/>)([^<\s]+)</TD>", source)
    return {name: float(number.replace("−", "-")) for name, number in cells + edges}


def test_every_number_of_the_walkthrough_network_is_sympys():
    error, _, _ = backprop_demo.build()
    error.backward()
    shown, oracle = shown_numbers(draw(error, view="network").source), walkthrough_oracle()
    assert set(shown) == set(oracle)          # x, y, dE/dx, dE/dy of every unit, w and dE/dw of every edge, E
    for name, value in oracle.items():
        assert shown[name] == pytest.approx(value, rel=5e-4, abs=1e-12), name     # 4 significant digits


def test_the_lecture_of_the_walkthrough_network_computes_sympys_numbers():
    error, _, _ = backprop_demo.build()
    oracle = walkthrough_oracle()
    names = Network.of(error).names
    for step in steps(error, view="network", learning_rate=None):
        if step.phase == "backward":
            name = f"dE/d{names[step.node]}"
            assert step.value == pytest.approx(oracle[name], rel=1e-9), name
            assert step.caption.splitlines()[-1].startswith(name + " = ")


def backward_names(error, **options):
    network = Network.of(error)
    return [network.names[step.node] for step in steps(error, view="network", **options)
            if step.phase == "backward"]


def test_backward_steps_go_layer_by_layer_from_the_output_as_the_walkthrough_does():
    error, _, _ = backprop_demo.build()
    order = backward_names(error)
    # the output unit first, with the weights into it; then layer 2 unit by unit; then layer 1; the input
    assert order == ["y₅", "x₅", "w₃₅", "w₄₅", "y₃", "x₃", "w₁₃", "w₂₃", "y₄", "x₄", "w₁₄", "w₂₄",
                     "y₁", "x₁", "w₀₁", "y₂", "x₂", "w₀₂", "y₀"]
    Network.of(error)                            # the walkthrough graph reads as a network
    done = set()
    for step in steps(error, view="network"):
        if step.phase == "backward":
            assert all(key in done for key in step.uses if key[0].startswith("d")), step.caption
        done |= set(step.keys)


def test_reverse_topological_order_is_the_graph_order():
    error, _, _ = backprop_demo.build()
    position = {node: i for i, node in enumerate(microbp.topological_order(error))}
    nodes = [step.node for step in steps(error, view="network", order="reverse-topological")
             if step.phase == "backward"]
    assert [position[n] for n in nodes] == sorted((position[n] for n in nodes), reverse=True)
    assert backward_names(error, order="reverse-topological") != backward_names(error)


def test_the_graph_view_orders_by_layers_too():
    error, _, weights = backprop_demo.build()
    by_layer = [step.node for step in steps(error, view="graph") if step.phase == "backward"]   # a network: layers
    old = [step.node for step in steps(error, view="graph", order="reverse-topological") if step.phase == "backward"]
    y3, y4 = (node for node in by_layer if node.label in ("y3", "y4"))
    assert by_layer.index(weights[("3", "5")]) < by_layer.index(y3) < by_layer.index(y4)
    assert old.index(weights[("3", "5")]) > old.index(y4)             # depth first: w35 comes last
    with pytest.raises(ValueError, match="order must be one of 'layers', 'reverse-topological'"):
        steps(error, order="breadth")


def test_weight_updates_come_last_and_use_the_learning_rate():
    error, _, weights = backprop_demo.build()
    error.backward()
    updates = [step for step in steps(error, view="network", learning_rate=0.5) if step.phase == "update"]
    assert len(updates) == 5 and all(len(step.keys) == len(step.nodes) for step in updates)
    w35 = weights[("3", "5")]
    line = next(line for step in updates for line in step.caption.splitlines() if line.startswith("w₃₅"))
    assert line.startswith("w₃₅ ← w₃₅ − η·dE/dw₃₅ = 1.1 − 0.5 × ")
    assert float(line.rsplit("= ", 1)[1]) == pytest.approx(w35.data - 0.5 * w35.grad, rel=5e-4)
    assert not [step for step in steps(error, view="network", learning_rate=None) if step.phase == "update"]


def to_python(formula: str) -> str:
    """A caption's formula as Python that microbp.parse reads: the table's symbols back to names."""
    text = formula.replace("−", "-").replace("×", "*").replace("·", "*").translate(PLAIN)
    for row in microbp.TABLE:
        if row.notation.form == "call":
            text = text.replace(f"{row.symbol}(", f"{row.name}(")
    return text


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_local_derivatives_are_written_from_the_table_and_equal_their_numbers(activation):
    model = MLP(2, [2, 1], activation=activation, seed=3)
    network = Network.of(mse([model([0.5, -1.0])], [1.0]))
    inputs = {id(item.node): item.value for item in network.inputs}
    values = {name.translate(PLAIN): inputs.get(key) if isinstance(key, int) else key.data
              for key, name in network.names.items()}
    # ∂y/∂x and ∂x/∂(w₁, w₂, b) in layer 1 (its inputs are numbers); ∂x/∂(w₁, w₂, b, y₁, y₂) of the
    # linear output; ∂E/∂y
    assert len(network.partials) == 2 * (1 + 3) + 5 + 1
    for (child, parent), partial in network.partials.items():
        python = to_python(partial.text)
        used = {name: value for name, value in values.items() if re.search(rf"\b{name}\b", python)}
        written = microbp.parse(python, **used) if used else float(python)
        assert float(written) == pytest.approx(partial.value), partial            # the formula is its number
        assert partial.value == pytest.approx(microbp.Graph(child).gradients[parent]), partial   # the engine's


def test_an_mlp_draws_each_input_once_and_a_bias_from_a_one():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    out = model([0.5, -1.0])
    source = draw(out, view="network").source
    assert source.count("shape=circle") == 2 + 4 + 2            # 2 inputs, 4 units, a "1" per layer
    edges = re.findall(r"^\s*\w+ -> u\d+ \[label", source, flags=re.MULTILINE)
    assert len(edges) == 6 + 3 + 3 + 1                       # weights and biases, each labelled
    assert "y₀" in source and "b₂" in source and "dashed" in source         # numbers, not values: dashed


def test_a_hand_built_network_with_a_scope_per_unit():
    x = Value(0.5, label="x")
    outputs = []
    with scope("hidden"):
        for k in (1, 2):
            with scope(f"unit {k}"):
                w, b = Value(0.3 * k, label=f"w{k}"), Value(0.1, label=f"b{k}")
                outputs.append((w * x + b).tanh())
    with scope("out"):
        y = outputs[0] * Value(0.7, label="v1") + outputs[1] * Value(-0.2, label="v2")
    loss = (y - 1.0) ** 2
    network = Network.of(loss)
    assert [len(layer) for layer in network.layers] == [2, 1] and len(network.inputs) == 1
    assert [w.name for w in network.weights] == ["w₀₁", "b₁", "w₀₂", "b₂", "w₁₃", "w₂₃"]
    assert network.loss.name == "E"


@pytest.mark.parametrize("build, message", [
    (lambda: Value(1.0) * 2, "this graph has no scopes"),
    (lambda: _scoped(lambda x: (x - 1).exp()), "is not a weighted sum .it uses sub."),
])
def test_graphs_that_are_not_networks_are_refused_saying_why(build, message):
    with pytest.raises(NotANetworkError, match=message):
        draw(build(), view="network")


def _scoped(function):
    x = Value(0.5, label="x")
    with scope("layer"):
        return function(x)


@pytest.fixture(scope="module")
def big():
    """micrograd's 2-16-16-1 MLP with a squared error: 405 nodes."""
    model = MLP(2, [16, 16, 1], seed=0)
    loss = mse([model([0.5, -1.0])], [1.0])
    loss.backward()
    return loss


def test_a_large_network_is_refused_in_the_graph_view_naming_the_options(big):
    with pytest.raises(GraphTooLargeError) as error:
        draw(big, view="graph")
    message = str(error.value)
    assert "max_nodes=" in message and "collapse=1" in message and "view='layers'" in message
    assert "2-16-16-1 layers" in message and "view='network'" not in message    # its circles would not read


def test_a_large_network_draws_in_the_network_view_with_a_circle_per_unit(big):
    source = draw(big, view="network").source
    assert len(re.findall(r"^\s*u\d+ \[", source, flags=re.MULTILINE)) == 33
    assert "are in the captions, not on the edges" in source            # 256 weights: too many to label
    assert source.count("label=<<TABLE") == 33 + 2 + 1                  # units, inputs, loss: no edge labels


def test_collapsed_boxes_say_what_they_hold_and_draw_no_parameters(big):
    source = draw(big, collapse=1).source
    assert "<B>L2</B>: 16 units, 272 parameters" in source and "outputs v" in source
    assert "L2.N1.w1" not in source                                    # parameters are inside their boxes
    assert len(re.findall(r"^\s*n\d+ \[", source, flags=re.MULTILINE)) < 10


def test_the_network_view_is_deterministic():
    code = ("import sys; sys.path.insert(0, 'examples'); import backprop_demo, microbp; "
            "print(microbp.draw(backprop_demo.build()[0], view='network').source)")
    root = Path(__file__).resolve().parents[2]
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (0, 1)}
    assert len(outputs) == 1


def test_a_notation_renames_only_the_network_it_is_given():
    """The network view gives each notation a Network of its own (``NetworkView.network``): that is
    safe because ``use_notation`` renames one Network, never the graph's values or another Network."""
    from microbp.lecture.views.network import NetworkView
    from microbp.network.notation import use_notation

    graph = microbp.Graph(microbp.walkthrough_network())
    labels = [node.label for node in graph.order]
    first, second = Network.of(graph), Network.of(graph)
    use_notation(first, "textbook")
    assert [first.name(unit.y) for unit in first.units] == ["a₁", "a₂", "a₃", "a₄", "a₅"]
    assert [second.name(unit.y) for unit in second.units] == ["y₁", "y₂", "y₃", "y₄", "y₅"]
    assert [node.label for node in graph.order] == labels
    view = NetworkView()
    textbook, walkthrough = view.network(graph, notation="textbook"), view.network(graph)
    assert textbook is view.network(graph, notation="textbook") and textbook is not walkthrough
    assert (textbook.loss.name, walkthrough.loss.name) == ("L", "E")
