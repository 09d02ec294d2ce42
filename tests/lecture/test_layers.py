"""The layers view's lecture: a step per layer and phase, its worked entries the engine's numbers (and torch's)."""

import re

import pytest

import microbp
import microbp.lecture.steps
from microbp.lecture.layer_steps import worked_unit
from microbp.lecture.network_steps import simplified_partials
from microbp.lecture.views.registry import resolve_view
from microbp.losses import mse
from microbp.network.model import Network
from microbp.nn import MLP
from microbp.text.notation import Style, number

FORMAT = Style(False, ".4g")


def moons(activation="relu", seed=0):
    """micrograd's moons model, 2-16-16-1, with a loss, after backward: (model, E)."""
    model = MLP(2, [16, 16, 1], activation=activation, seed=seed)
    error = mse([model([0.5, -1.0])], [1.0])
    error.backward()
    return model, error


def shown(x: float) -> str:
    return str(number(x, FORMAT))


def last_number(line: str) -> str:
    return line.rsplit(" = ", 1)[1]


def test_the_moons_lecture_is_a_step_per_layer_and_phase():
    _, error = moons()
    steps = microbp.steps(error, view="layers")
    assert [s.phase for s in steps] == ["forward"] * 4 + ["backward"] * 6 + ["update"] * 3
    assert steps[1].caption.splitlines()[0] == "x⁽²⁾ = W⁽²⁾ y⁽¹⁾ + b⁽²⁾, y⁽²⁾ = relu(x⁽²⁾): 16 units, W⁽²⁾ is 16×16"
    assert steps[4].caption.startswith("δ⁽³⁾ = dE/dy⁽³⁾ from the loss (linear: f′ = 1)")
    assert steps[6].caption.startswith("dE/dy⁽²⁾ = W⁽³⁾ᵀ δ⁽³⁾; δ⁽²⁾ = dE/dx⁽²⁾ = dE/dy⁽²⁾ ⊙ relu′(x⁽²⁾)")
    assert steps[7].caption.startswith("dE/dW⁽²⁾ = δ⁽²⁾ y⁽¹⁾ᵀ (16×16), dE/db⁽²⁾ = δ⁽²⁾")
    assert steps[11].caption.startswith("W⁽²⁾ ← W⁽²⁾ − η·dE/dW⁽²⁾, b⁽²⁾ ← b⁽²⁾ − η·dE/db⁽²⁾ (272 numbers)")


def test_forward_captions_are_the_nodes_data():
    _, error = moons()
    network = Network.of(error)
    steps = microbp.steps(error, view="layers")
    for step, layer in zip(steps, network.layers):
        unit, lines = worked_unit(layer, network.graph.gradients), step.caption.splitlines()
        assert lines[1].startswith(f"unit {unit.name}: ") and unit.y.data != 0
        assert last_number(lines[1]) == shown(unit.x.data)
        assert last_number(lines[-1]) == shown(unit.y.data)
        assert " + … + " in lines[1] or len(unit.weights) <= 3       # a sum of 16 terms, shortened
    assert last_number(steps[3].caption) == shown(error.data)


def test_backward_captions_are_the_nodes_grads():
    _, error = moons()
    network = Network.of(error)
    steps = microbp.steps(error, view="layers")
    backward = [s for s in steps if s.phase == "backward"]
    for depth, (delta, weights) in zip(range(3, 0, -1), zip(backward[::2], backward[1::2])):
        layer = network.layers[depth - 1]
        unit = worked_unit(layer, network.graph.gradients)
        assert unit.x.grad != 0 and delta.caption.splitlines()[1].startswith(f"unit {unit.name}: ")
        assert last_number(delta.caption.splitlines()[-1]) == shown(unit.x.grad)
        assert last_number(delta.caption.splitlines()[1]) == shown(unit.y.grad)
        lines = weights.caption.splitlines()
        first = next(w for w in unit.weights if w.node.grad != 0)
        largest = max((w for u in layer for w in u.weights), key=lambda w: abs(w.node.grad))
        label = "the largest entry" if first is largest else "one entry"
        assert lines[1].startswith(f"{label}: ∂{network.name(unit.x)}/∂{first.name} = ")
        assert last_number(lines[1]) == shown(first.node.grad)
        if first is not largest:
            assert lines[2].startswith(f"largest: dE/d{largest.name} = ")
            assert last_number(lines[2]) == shown(largest.node.grad)
        assert lines[-1].startswith(f"dE/d{unit.bias.name} = ") and last_number(lines[-1]) == shown(unit.bias.node.grad)
        assert {key for key, _ in weights.keys} == {"dw"} and len(weights.keys) == sum(len(u.weights) + 1 for u in layer)


def test_the_largest_dE_dW_shown_is_torchs():
    torch = pytest.importorskip("torch")
    model, error = moons(seed=3)
    network = Network.of(error)
    weights = [torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64, requires_grad=True)
               for layer in model.layers]
    biases = [torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64, requires_grad=True)
              for layer in model.layers]
    y = torch.tensor([0.5, -1.0], dtype=torch.float64)
    for depth, (w, b) in enumerate(zip(weights, biases), start=1):
        y = w @ y + b
        y = y if depth == len(weights) else torch.relu(y)
    loss = ((y[0] - 1.0) ** 2)
    loss.backward()
    assert loss.item() == pytest.approx(error.data, rel=1e-12)
    backward = [s for s in microbp.steps(error, view="layers") if s.phase == "backward"]
    for depth, step in zip(range(3, 0, -1), backward[1::2]):
        theirs = weights[depth - 1].grad
        for i, neuron in enumerate(model.layers[depth - 1].neurons):   # every entry, the engine's and torch's
            assert [p.grad for p in neuron.w] == pytest.approx(theirs[i].tolist(), rel=1e-12, abs=1e-15)
        row, column = divmod(int(theirs.abs().argmax()), theirs.shape[1])
        largest = network.layers[depth - 1][row].weights[column]
        line = next(line for line in step.caption.splitlines() if line.startswith(("largest", "the largest")))
        assert f"dE/d{largest.name} = " in line
        assert float(last_number(line).replace("−", "-")) == pytest.approx(theirs[row, column].item(), rel=1e-3)


@pytest.mark.parametrize("activation, derivative", [("relu", "step(x₁₈)"), ("tanh", "1 − y₁₈²"),
                                                    ("sigmoid", "y₁₈(1 − y₁₈)")])
def test_the_delta_takes_f_prime_from_the_table(activation, derivative):
    _, error = moons(activation)
    network = Network.of(error)
    unit = worked_unit(network.layers[1], network.graph.gradients)
    j = network.name(unit.x)[1:]
    derivative = derivative.replace("₁₈", j)
    table = simplified_partials(network, [unit]).get((unit.y, unit.x), network.partials[unit.y, unit.x].text)
    assert table == derivative          # the table's row, simplified by sympy where that reads better
    delta = microbp.steps(error, view="layers")[6].caption
    assert f"∂y{j}/∂x{j} = {derivative} = {shown(network.partials[unit.y, unit.x].value)}" in delta
    assert f"⊙ {unit.y.op.symbol}′(x⁽²⁾)" in delta


def test_updates_honour_the_learning_rate_and_the_optimizer():
    _, error = moons()
    network = Network.of(error)
    plain = microbp.steps(error, view="layers", learning_rate=0.5)[-1].caption.splitlines()
    w = next(w for w in network.layers[2][0].weights if w.node.grad != 0)       # the worked entry
    assert plain[1] == (f"{w.name} ← {w.name} − η·dE/d{w.name} = {shown(w.data if hasattr(w, 'data') else w.value)} − "
                        f"0.5 × {shown(w.node.grad) if w.node.grad >= 0 else '(' + shown(w.node.grad) + ')'} = "
                        f"{shown(w.value - 0.5 * w.node.grad)}")
    adam = microbp.steps(error, view="layers", optimizer="adam")[-1].caption
    assert "m = β₁ × m + (1 − β₁) × g" in adam and f"{w.name}: g = dE/d{w.name}" in adam
    assert [s.phase for s in microbp.steps(error, view="layers", learning_rate=None)].count("update") == 0


def test_forward_mode_is_refused_by_name():
    model, error = moons()
    with pytest.raises(ValueError, match="mode='forward' is a lecture of the network view or the graph view"):
        microbp.steps(error, view="layers", mode="forward", seed=model.layers[0].neurons[0].w[0])


def test_auto_chooses_the_layers_view_for_a_dense_network_only():
    _, error = moons()
    assert resolve_view("auto", microbp.Graph(error), "draw").name == "layers"
    assert "layer 2 · 16 units" in microbp.draw(error).source
    small = mse([MLP(2, [3, 1], seed=0)([0.5, -1.0])], [1.0])
    assert resolve_view("auto", microbp.Graph(small), "draw").name == "network"
    assert resolve_view("auto", microbp.Graph(microbp.walkthrough_network()), "draw").name == "network"
    assert resolve_view("auto", microbp.Graph(microbp.lecture_neuron()), "draw").name == "graph"
    assert resolve_view("auto", microbp.Graph(mse([MLP(2, [4, 4, 1], seed=0)([0.5, 1.0])], [1.0])),
                        "draw").name == "layers"          # 16 weights into a layer: 14 px as circles at 1024×768


def test_the_refusals_recommend_the_layers_view(tmp_path):
    _, error = moons()
    with pytest.raises(microbp.GraphTooLargeError) as refused:
        microbp.slideshow(error, tmp_path / "x.html", view="network")
    assert re.findall(r"view='(\w+)'", str(refused.value)) == ["layers"]
    with pytest.raises(microbp.GraphTooLargeError) as graph_refused:
        microbp.lecture.steps.frames(error, view="graph", max_elements=1000, max_nodes=1000)
    assert re.findall(r"view='(\w+)'", str(graph_refused.value)) == ["layers"]
    with pytest.raises(microbp.GraphTooLargeError) as too_many_nodes:
        microbp.draw(error, view="graph")
    assert re.findall(r"view='(\w+)'", str(too_many_nodes.value)) == ["layers"]


def test_the_workload_is_counted_before_drawing_and_small():
    from microbp.lecture.planning import plan

    _, error = moons()
    lecture = plan(error, "steps", "layers")
    frames, elements = lecture.view.workload(lecture.graph, lecture.options)
    assert frames == len(microbp.steps(error, view="layers")) == 13
    assert frames * elements < 2_000


def test_frames_know_what_the_steps_before_computed():
    import microbp.lecture.steps

    _, error = moons()
    frames = microbp.lecture.steps.frames(error, view="layers")
    first, loss_step, last = frames[0][1].source, frames[3][1].source, frames[-1][1].source
    assert first.count(">?<") >= 16 + 16 + 1 and "largest |dE/dw|" not in first
    assert "E ?" not in loss_step and "largest |dE/dw|" in last and "?</FONT>" not in last
    shaded = re.findall(r'BGCOLOR="#ffe08a">([^<]*)<', frames[1][1].source)     # layer 2's outputs, computed
    assert len(shaded) == 16


def test_the_textbook_notation_reaches_the_captions_and_the_boxes():
    _, error = moons()
    frames = microbp.lecture.steps.frames(error, view="layers", notation="textbook")
    step, picture = frames[1]
    assert step.caption.splitlines()[0] == "z⁽²⁾ = W⁽²⁾ a⁽¹⁾ + b⁽²⁾, a⁽²⁾ = relu(z⁽²⁾): 16 units, W⁽²⁾ is 16×16"
    assert "inputs x⁽⁰⁾" in picture.source and "a = relu(z)" in picture.source and "dL/dzⱼ" in picture.source


def test_refusals_name_the_layers_view_not_the_network_view():
    """What the layers view cannot do is refused in its own name: no units, graph-only options, a node order."""
    from microbp import Value

    with pytest.raises(microbp.NotANetworkError, match=r"^view='layers' needs units"):
        microbp.draw(Value(1.0).exp(), view="layers")
    _, error = moons()
    with pytest.raises(ValueError, match=r"collapse is for view='graph'; the layers view already draws one box per"):
        microbp.draw(error, view="layers", collapse=1)
    with pytest.raises(ValueError, match=r"show apply to view='graph' only; the layers view draws one box per layer"):
        microbp.draw(error, view="layers", show=("data",))
    with pytest.raises(ValueError, match=r"order='reverse-topological' .* the layers view goes a layer at a time"):
        microbp.steps(error, view="layers", order="reverse-topological")
    with pytest.raises(microbp.NotANetworkError, match=r"^view='network' needs units"):
        microbp.draw(Value(1.0).exp(), view="network")
