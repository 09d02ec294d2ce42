"""The benchmark compares like with like: every contender computes the same loss and microbp a real gradient.

Timing is never asserted here (see benchmarks/README.md); these tests only keep
``benchmarks/run.py`` honest and runnable. micrograd is a benchmark-only
dependency, so only the microbp and plain-float contenders run in the tests.
"""

import importlib.util
import random
from pathlib import Path

import pytest

import microbp
import microbp.nn
from microbp import Value

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def load_script(name: str):
    """A script in benchmarks/ (not a package) as a module."""
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return load_script("run")


def float_loss_at(bench, points, labels, parameter_values):
    """The shared W1 loss on plain floats, with the 337 parameters set to ``parameter_values``."""
    values = iter(parameter_values)
    model = bench.make_mlp(lambda _: next(values), bench.float_relu, [2, 16, 16, 1], random.Random(1337))
    return bench.demo_step(float, bench.float_relu, model, points, labels, backward=False)


def test_two_moons_is_balanced_and_reproducible(bench):
    points, labels = bench.two_moons(100)
    assert len(points) == 100 and sorted(set(labels)) == [-1, 1] and labels.count(1) == 50
    assert bench.two_moons(100) == (points, labels)


def test_w1_shared_code_gives_microbp_the_float_loss_and_its_gradient(bench):
    points, labels = bench.two_moons(100)
    model = bench.make_mlp(Value, Value.relu, [2, 16, 16, 1], random.Random(1337))
    forward, parameters = model
    assert len(parameters) == 337
    before = [p.data for p in parameters]

    total = bench.demo_step(Value, Value.relu, model, points, labels)

    assert total.data == pytest.approx(float_loss_at(bench, points, labels, before), rel=1e-12)
    for i in (0, 40, 200, 336):                       # a first-layer weight, hidden weights, the output bias
        h = 1e-6
        up, down = list(before), list(before)
        up[i] += h
        down[i] -= h
        slope = (float_loss_at(bench, points, labels, up) - float_loss_at(bench, points, labels, down)) / (2 * h)
        assert parameters[i].grad == pytest.approx(slope, rel=1e-5, abs=1e-8)
        assert parameters[i].data == pytest.approx(before[i] - 0.01 * parameters[i].grad, rel=1e-12)


def test_w1_nn_step_computes_the_float_loss(bench):
    points, labels = bench.two_moons(100)
    model = microbp.nn.MLP(2, [16, 16, 1], seed=1337)
    expected = bench.float_demo_loss(bench.floats_of(model), points, labels)
    total = bench.microbp_demo_step(model, points, labels)
    assert total.data == pytest.approx(expected, rel=1e-12)


def test_measure_returns_one_step_and_the_loop_average(bench):
    calls = []
    one, per_step = bench.measure(lambda: calls.append(1), steps=4)
    assert len(calls) == 5 and one >= 0 and per_step >= 0


def test_chain_and_bytes_per_node_run_on_microbp(bench):
    assert bench.chain(Value, 1000) > 0
    assert 50 < bench.bytes_per_node(Value, nodes=2000) < 1000


@pytest.fixture(scope="module")
def floor():
    return load_script("floor")


def test_the_bare_engine_takes_the_step_microbp_takes(bench, floor):
    """The yardstick in benchmarks/floor.py builds microbp.nn's graph: same loss, same gradients."""
    points, labels = bench.two_moons(100)
    bare = floor.bare_mlp([2, 16, 16, 1], random.Random(1337))
    model = microbp.nn.MLP(2, [16, 16, 1], rng=random.Random(1337))
    bare_parameters = floor.parameters(bare)
    assert [p.data for p in bare_parameters] == [p.data for p in model.parameters()]
    ours = bench.microbp_demo_step(model, points, labels)
    theirs = floor.bare_demo_step(bare, points, labels)
    assert theirs.data == pytest.approx(ours.data, rel=1e-12)
    assert [p.data for p in bare_parameters] == pytest.approx([p.data for p in model.parameters()], rel=1e-12)
    assert any(p.grad != 0 for p in bare_parameters)


def test_the_bare_chain_backpropagates(floor):
    x, y = floor.chain(1000)
    floor.backward(y)
    assert x.grad == pytest.approx(1.0001 ** 1000, rel=1e-12) and floor.bare_chain(100) > 0


@pytest.fixture(scope="module")
def counter():
    return load_script("instructions")


def test_instruction_counts_are_read_from_cachegrinds_summary(counter):
    assert counter.instructions("==7== \n==7== I   refs:      1,234,567,890\n") == 1_234_567_890
    with pytest.raises(RuntimeError, match="no instruction count"):
        counter.instructions("valgrind: command not found")


@pytest.mark.parametrize("workload", ["w1", "w1nn", "bare"])
def test_the_counted_steps_are_the_benchmarks_steps(counter, workload):
    """What valgrind watches is a real training step: it changes the loss it computes."""
    step = counter.make_step(workload)
    first, second = step().data, step().data
    assert second != first
    counter.main(["--run", workload, "--steps", "0"])


def test_the_counted_float_pass_is_the_loss_of_the_nn_step(counter):
    assert counter.make_step("floats")() == pytest.approx(counter.make_step("w1nn")().data, rel=1e-12)
    counter.main(["--run", "floats", "--steps", "0"])
