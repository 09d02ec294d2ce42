"""microbp.nn: micrograd's signatures and numbers, dot nodes, labels, scopes, state dicts."""

import json
import random

import pytest

import microbp
from microbp import Value
from microbp.nn import MLP, Layer, Module, Neuron


def test_mlp_has_micrographs_shape_and_parameter_count():
    model = MLP(2, [16, 16, 1])
    assert len(model.parameters()) == 337
    assert [layer.neurons[0].activation for layer in model.layers] == ["relu", "relu", "linear"]
    assert isinstance(model([1.0, 2.0]), Value)
    assert isinstance(Layer(2, 3)([1.0, 2.0]), list)
    assert repr(Neuron(3)) == "ReLUNeuron(3)" and repr(Neuron(3, nonlin=False)) == "LinearNeuron(3)"
    assert repr(MLP(1, [1])) == "MLP of [Layer of [LinearNeuron(1)]]"


def test_random_seed_reproduces_micrographs_initialisation():
    """micrograd draws random.uniform(-1, 1) per weight, layer by layer, neuron by neuron; biases are 0."""
    random.seed(1337)
    expected = []
    for nin, nout in [(2, 16), (16, 16), (16, 1)]:
        for _ in range(nout):
            expected += [random.uniform(-1, 1) for _ in range(nin)] + [0.0]
    random.seed(1337)
    assert [p.data for p in MLP(2, [16, 16, 1]).parameters()] == expected


def test_seed_and_rng_give_reproducible_models_without_touching_random():
    state = random.getstate()
    first, second = MLP(3, [4, 1], seed=7), MLP(3, [4, 1], rng=random.Random(7))
    assert first.state_dict() == second.state_dict()
    assert random.getstate() == state


def test_a_neuron_is_one_affine_node_and_its_activation():
    neuron = Neuron(16, rng=random.Random(0))
    x = [float(i) for i in range(16)]
    out = neuron(x)
    order = microbp.topological_order(out, leaves=False)
    assert [node.op.name for node in order] == ["affine", "relu"]
    assert order[0].parents == (*neuron.w, *x, neuron.b)


def test_forward_matches_the_formula_and_gradients_match_sympy():
    neuron = Neuron(3, activation="tanh", rng=random.Random(1), name="N1")
    x = [0.5, -1.0, 2.0]
    out = neuron(x)
    import math
    assert out.data == pytest.approx(math.tanh(sum(w.data * xi for w, xi in zip(neuron.w, x)) + neuron.b.data))
    assert microbp.verify(out).ok


@pytest.mark.parametrize("activation, op", [("relu", "relu"), ("tanh", "tanh"), ("sigmoid", "sigmoid"),
                                             ("linear", "affine")])
def test_activations(activation, op):
    assert Neuron(2, activation=activation)([1.0, 1.0]).op.name == op


def test_labels_and_scopes_follow_layers_and_neurons():
    model = MLP(2, [3, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["L1.N1.w1", "L1.N1.w2", "L1.N1.b"] and names[-1] == "L2.N1.b"
    out = model([1.0, 2.0])
    scopes = {node.scope for node in microbp.topological_order(out) if node.op is not None}
    assert ("L1", "N3") in scopes and ("L2", "N1") in scopes
    assert microbp.draw(out, collapse=2).source.count("box3d") == 4


def test_zero_grad():
    model = MLP(2, [2, 1], seed=0)
    model([1.0, 1.0]).backward()
    assert any(p.grad for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())


def test_state_dict_round_trips_through_json():
    trained, fresh = MLP(2, [4, 1], seed=1), MLP(2, [4, 1], seed=2)
    fresh.load_state_dict(json.loads(json.dumps(trained.state_dict())))
    assert fresh([0.3, -0.2]).data == trained([0.3, -0.2]).data


def test_a_bad_state_dict_changes_nothing():
    model = MLP(2, [2, 1], seed=0)
    before = model.state_dict()
    broken = dict(before, **{"L1.N1.w1": "oops"})
    with pytest.raises(ValueError, match="L1.N1.w1 must be a finite number"):
        model.load_state_dict(broken)
    with pytest.raises(KeyError, match=r"missing: \['L2.N1.b'\]"):
        model.load_state_dict({k: v for k, v in before.items() if k != "L2.N1.b"})
    assert model.state_dict() == before


@pytest.mark.parametrize("build, message", [
    (lambda: Neuron(0), "nin"), (lambda: Layer(2, 0), "nout"),
    (lambda: Neuron(2, activation="swish"), "activation must be one of"),
    (lambda: Neuron(2)([1.0]), "expects 2 inputs, got 1"),
])
def test_bad_arguments_are_named(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_module_base_has_no_parameters():
    assert Module().parameters() == [] and Module().state_dict() == {}


def test_micrographs_demo_loss_runs_unchanged():
    """The loss() of micrograd's demo.ipynb, as written there, with only the import changed."""
    from microbp.core.engine import Value as MicrogradValue  # was: from micrograd.engine import Value

    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    X = [[0.5, -0.2], [1.2, 0.3], [-0.7, 0.9]]
    y = [1, -1, 1]

    def loss(batch_size=None):
        Xb, yb = X, y
        inputs = [list(map(MicrogradValue, xrow)) for xrow in Xb]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum((p * p for p in model.parameters()))
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    total_loss, accuracy = loss()
    model.zero_grad()
    total_loss.backward()
    learning_rate = 1.0 - 0.9 * 0 / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    from microbp.losses import hinge
    random.seed(1337)
    same = MLP(2, [16, 16, 1])
    expected = hinge([same(x) for x in X], y) + 1e-4 * microbp.dot(same.parameters(), same.parameters())
    assert total_loss.data == pytest.approx(expected.data, rel=1e-12) and 0 <= accuracy <= 1


# --- parameters are named by their path in the module tree -------------------------------------------

class TwoLayers(Module):
    """A user's module holding two default-named layers (both label their parameters L.N1.w1, ...)."""

    def __init__(self, seed):
        rng = random.Random(seed)
        self.a = Layer(2, 2, activation="tanh", rng=rng)
        self.b = Layer(2, 1, activation="linear", rng=rng)

    def __call__(self, x):
        return self.b(self.a(x))


def test_two_default_named_layers_have_a_state_dict_entry_per_parameter():
    model = TwoLayers(seed=1)
    names = list(model.state_dict())
    assert len(names) == len(model.parameters()) == 9
    assert names[:3] == ["a.L.N1.w1", "a.L.N1.w2", "a.L.N1.b"] and names[-1] == "b.L.N1.b"
    assert [name.removeprefix("a.") for name in names[:6]] == list(model.a.state_dict())


def test_a_module_of_layers_round_trips_through_json():
    trained, fresh = TwoLayers(seed=1), TwoLayers(seed=2)
    assert fresh([0.3, -0.2]).data != trained([0.3, -0.2]).data
    fresh.load_state_dict(json.loads(json.dumps(trained.state_dict())))
    assert fresh.state_dict() == trained.state_dict()
    assert fresh([0.3, -0.2]).data == trained([0.3, -0.2]).data


def test_default_named_parameters_walk_values_modules_lists_and_dicts():
    class Net(Module):
        def __init__(self):
            self.scale = Value(2.0)
            self.blocks = [Neuron(1, name="N", rng=random.Random(0)), MLP(1, [1], seed=0)]
            self.heads = {"left": Value(1.0), "right": (Value(3.0),)}
            self.note, self.sizes = "not a parameter", [1, 2]
    assert [name for name, _ in Net().named_parameters()] == [
        "scale", "blocks.0.N.w1", "blocks.0.N.b", "blocks.1.L1.N1.w1", "blocks.1.L1.N1.b",
        "heads.left", "heads.right.0"]


def test_a_shared_layer_is_listed_once():
    class Tied(Module):
        def __init__(self):
            self.first = Layer(2, 1, rng=random.Random(0))
            self.second = self.first
    model = Tied()
    assert len(model.parameters()) == 3 and list(model.state_dict()) == ["first.L.N1.w1", "first.L.N1.w2",
                                                                         "first.L.N1.b"]


def test_duplicate_names_from_a_hand_written_named_parameters_are_refused():
    class Clashing(TwoLayers):
        def named_parameters(self):
            return self.a.named_parameters() + self.b.named_parameters()
    model = Clashing(seed=0)
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match=r"state_dict: 3 names are used by more than one parameter: "
                                         r"\['L.N1.b', 'L.N1.w1', 'L.N1.w2'\]"):
        model.state_dict()
    with pytest.raises(ValueError, match="load_state_dict: 3 names are used by more than one parameter"):
        model.load_state_dict({name: 0.0 for name, _ in model.named_parameters()})
    assert [p.data for p in model.parameters()] == before


@pytest.mark.parametrize("make, error, message", [
    (lambda: MLP(2, [True]), ValueError, "MLP: nouts[0] needs a positive int, got True (bool)"),
    (lambda: MLP(2, [4, 0]), ValueError, "MLP: nouts[1] needs a positive int, got 0 (int)"),
    (lambda: MLP(2, []), ValueError, "MLP: nouts is empty"),
    (lambda: MLP(2, 3), TypeError, "MLP: nouts must be a list of layer sizes"),
    (lambda: MLP(False, [1]), ValueError, "MLP: nin needs a positive int, got False (bool)"),
    (lambda: Layer(2, True), ValueError, "Layer: nout needs a positive int, got True (bool)"),
    (lambda: Neuron(-10 ** 5000), ValueError, "Neuron: nin needs a positive int, got an int of 5001 digits"),
])
def test_sizes_that_are_no_sizes_are_refused_by_name(make, error, message):
    with pytest.raises(error) as caught:
        make()
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize("state, error, message", [
    (None, TypeError, "load_state_dict: state must be a dict of parameter values by name, as state_dict() gives, "
                      "got None (NoneType)"),
    ([1.0, 2.0], TypeError, "load_state_dict: state must be a dict"),
    ("N.w1", TypeError, "load_state_dict: state must be a dict"),
])
def test_load_state_dict_of_no_dict_says_so(state, error, message):
    with pytest.raises(error) as caught:
        Neuron(1, name="N").load_state_dict(state)
    assert str(caught.value).startswith(message)


def test_load_state_dict_refuses_numbers_beyond_floating_point_and_changes_nothing():
    neuron = Neuron(1, name="N", rng=random.Random(0))
    before = neuron.state_dict()
    with pytest.raises(ValueError, match=r"^load_state_dict: N.b must be a finite number, got an int of 401 digits$"):
        neuron.load_state_dict({"N.w1": 0.5, "N.b": 10 ** 400})
    assert neuron.state_dict() == before


@pytest.mark.parametrize("row", [row for row in microbp.TABLE if row.arity == 1 and row.notation.form == "call"],
                         ids=lambda row: row.name)
def test_every_unary_function_of_the_table_is_an_activation(row):
    """The activations come from the table: a new unary row is one without another list to edit."""
    neuron = Neuron(2, activation=row.name, rng=random.Random(0))
    out = neuron([0.25, 0.5])
    assert out.op is row and out.parents[0].op.name == "affine"
