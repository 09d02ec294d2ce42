"""The playground trains micrograd's moons demo in Chromium as Python trains it, fast enough to watch."""

import random
import sys
from pathlib import Path

import pytest

import microbp
from microbp.nn import MLP

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))

from test_live import load  # noqa: E402

TRAIN_SECONDS = 10.0       # 100 steps of the whole data, drawn at the end, in headless Chromium here
STEP_MILLISECONDS = 40.0   # the median step, without drawing: about 8 ms here (the 10 ms); 4x that
                           # so a loaded machine cannot fail the suite on time alone (speed belongs in benchmarks)


@pytest.fixture(scope="module")
def moons(tmp_path_factory):
    from moons import two_moons

    points, labels = two_moons(1337)
    random.seed(1337)
    path = microbp.playground(MLP(2, [16, 16, 1]), points, labels, tmp_path_factory.mktemp("pg") / "moons.html")
    return path, points, labels


@pytest.mark.needs_sklearn
@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_twenty_steps_give_pythons_weights(offline_browser, moons):
    from moons import train

    path = moons[0]
    driver = load(offline_browser, path)
    driver.execute_script("playground.train(20)")
    weights = driver.execute_script("return playground.weights()")
    model = train(steps=20, progress=False, compiled=True)[0]
    expected = [p.data for p in model.parameters()]
    assert len(weights) == len(expected) == 337
    assert all(abs(a - b) <= 1e-9 * max(abs(b), 1e-300) for a, b in zip(weights, expected))


@pytest.mark.needs_sklearn
@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_it_learns_the_moons_to_every_point_quickly(offline_browser, moons):
    driver = load(offline_browser, moons[0])
    seconds, last = driver.execute_script(
        "const t = performance.now(); const last = playground.train(100); return [(performance.now() - t) / 1000, last]")
    assert last["accuracy"] == 1 and seconds < TRAIN_SECONDS
    times = driver.execute_script("playground.reset(); const times = [];"
                                  "for (let k = 0; k < 30; k += 1) { const t = performance.now(); playground.step();"
                                  " times.push(performance.now() - t); } return times.sort((a, b) => a - b)")
    assert times[len(times) // 2] < STEP_MILLISECONDS
    assert Path(moons[0]).with_name("moons-example.html").exists()
    text = Path(moons[0]).read_text(encoding="utf-8")
    assert "http" not in text and 'href="moons-example.html"' in text


def test_playground_refuses_bad_data(tmp_path):
    random.seed(0)
    with pytest.raises(ValueError, match=r"playground: labels\[1\] must be 1 or -1"):
        microbp.playground(MLP(2, [2, 1]), [[0, 0], [1, 1]], [1, 0], tmp_path / "p.html")
    with pytest.raises(ValueError, match="playground: give as many labels as points"):
        microbp.playground(MLP(2, [2, 1]), [[0, 0]], [1, -1], tmp_path / "p.html")


@pytest.mark.needs_sklearn
@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_mini_batches_and_adam_follow_python(offline_browser, moons):
    from microbp.lecture.playground import example_margin
    from microbp.optim import Adam, LinearLR

    path, points, labels = moons
    driver = load(offline_browser, path)
    driver.execute_script("Object.assign(playground.settings, {optimizer: 'adam', lr: 0.05, batch: 30});"
                          "playground.reset(); playground.train(5)")
    weights = driver.execute_script("return playground.weights()")
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    parameters = model.parameters()
    margin, inputs, _ = example_margin(model)
    step = microbp.compile(margin, wrt=parameters, inputs=list(inputs), batch="mean",
                           plus=1e-4 * microbp.dot(parameters, parameters))
    rows = [(a, b, float(t)) for (a, b), t in zip(points, labels)]
    optimizer = Adam(parameters, lr=0.05)
    schedule = LinearLR(optimizer, 1.0, 0.1, 100)
    for k in range(5):
        batch = [rows[(30 * k + i) % len(rows)] for i in range(30)]
        for p, g in zip(parameters, step([p.data for p in parameters], batch)[1]):
            p.grad = g
        optimizer.step()
        schedule.step()
    assert all(abs(a - p.data) <= 1e-9 * max(abs(p.data), 1e-12) for a, p in zip(weights, parameters))
