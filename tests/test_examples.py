"""Every example runs (with its real settings where they are quick), so none can rot."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import microbp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))

import backprop_demo  # noqa: E402
import digits  # noqa: E402
import moons  # noqa: E402
import neuron  # noqa: E402


def assert_fresh(folder, *names):
    """The figures in docs/figures/training are exactly what the examples make now."""
    for name in names:
        committed = ROOT / "docs" / "figures" / "training" / name
        assert (folder / name).read_bytes() == committed.read_bytes(), (
            f"docs/figures/training/{name} is stale: run python examples/make_figures.py")


SCRIPTS = sorted(p.name for p in (ROOT / "examples").glob("*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_example_has_help(script):
    result = subprocess.run([sys.executable, str(ROOT / "examples" / script), "--help"], capture_output=True,
                            text=True)
    assert result.returncode == 0 and "--out" in result.stdout


@pytest.mark.needs_dot
def test_neuron(tmp_path):
    o = neuron.main(["--out", str(tmp_path)])
    assert round(o.data, 4) == 0.7071
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neuron.png", "neuron.svg"]


@pytest.mark.needs_dot
def test_backprop_demo_matches_the_hand_formulas(tmp_path):
    error, units, weights, report = backprop_demo.main(["--out", str(tmp_path), "--slides", str(tmp_path)])
    page = (tmp_path / "backprop.html").read_text(encoding="utf-8")
    lecture = microbp.steps(error, view="network")
    assert page.count('class="frame"') == len(lecture) == 5 + 1 + 19 + 5    # units, loss; back; updates
    assert "x₃ = w₁₃·y₁ + w₂₃·y₂" in page and "dE/dw₃₅ = dE/dx₅ · ∂x₅/∂w₃₅" in page
    assert report.ok
    for j, (x, y) in units.items():
        if x is not None:                          # dE/dx_j = dE/dy_j · y_j(1 − y_j)
            assert x.grad == pytest.approx(y.grad * y.data * (1 - y.data))
    for (i, j), w in weights.items():              # dE/dw_ij = y_i · dE/dx_j
        assert w.grad == pytest.approx(units[i][1].data * units[j][0].grad)
    figure = (tmp_path / "backprop.svg").read_text(encoding="utf-8")
    assert figure.count("<ellipse") == 1 + 5 and "w₃₅" in figure         # the network view: a circle a unit
    committed = ROOT / "docs" / "figures" / "training" / "backprop.dot"
    assert microbp.draw(error, view="network").source == committed.read_text(encoding="utf-8"), (
        "docs/figures/training/backprop is stale: run python examples/make_figures.py")


@pytest.mark.needs_sklearn
@pytest.mark.needs_matplotlib
@pytest.mark.needs_tqdm
def test_moons_reaches_full_training_accuracy(tmp_path):
    model, losses, accuracies = moons.main(["--out", str(tmp_path), "--quiet"])
    assert accuracies[-1] == 1.0 and losses[-1] < losses[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["moons-decision-boundary.png", "moons-loss.png"]
    assert_fresh(tmp_path, "moons-decision-boundary.png", "moons-loss.png")


@pytest.mark.needs_sklearn
@pytest.mark.needs_matplotlib
@pytest.mark.needs_tqdm
def test_moons_compiled_trains_as_the_engine_does_bit_for_bit(tmp_path):
    model, losses, accuracies = moons.main(["--out", str(tmp_path), "--quiet", "--compile"])
    assert accuracies[-1] == 1.0
    assert_fresh(tmp_path, "moons-decision-boundary.png", "moons-loss.png")     # the engine's training drew these
    _, _, _, engine_losses, engine_accuracies, _ = moons.train(steps=5, progress=False)
    assert losses[:5] == engine_losses and accuracies[:5] == engine_accuracies


@pytest.mark.parametrize("steps", ["0", "-3", "two"])
def test_moons_refuses_a_step_count_below_one(steps, capsys):
    with pytest.raises(SystemExit) as exit:
        moons.main(["--steps", steps, "--quiet"])
    error = capsys.readouterr().err.splitlines()[-1]
    assert exit.value.code == 2
    assert error.endswith(f"error: argument --steps: must be a positive integer, got {steps!r}")


# Which optional package each example imports: hidden one at a time, each must say how to install it.
OPTIONAL_PACKAGES = [("moons.py", "tqdm"), ("moons.py", "sklearn"), ("moons.py", "matplotlib"),
                     ("digits.py", "sklearn"), ("digits.py", "matplotlib"), ("tutorial_figures.py", "matplotlib"),
                     ("make_figures.py", "tqdm"), ("higher_order.py", "matplotlib"), ("live_pages.py", "matplotlib"),
                     ("live_pages.py", "sklearn")]


def test_the_list_covers_every_example_that_imports_an_optional_package():
    sources = {script: (ROOT / "examples" / script).read_text(encoding="utf-8") for script in SCRIPTS}
    importing = {script for script, source in sources.items() for package in ("tqdm", "sklearn", "matplotlib")
                 if f"import {package}" in source or f"from {package}" in source}
    assert importing and importing <= {script for script, _ in OPTIONAL_PACKAGES}


@pytest.mark.needs_sklearn
@pytest.mark.needs_matplotlib
@pytest.mark.needs_tqdm
@pytest.mark.parametrize("script, package", OPTIONAL_PACKAGES)
def test_a_missing_optional_package_is_one_line_and_exit_2(script, package, tmp_path):
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / f"{package}.py").write_text(f"raise ImportError('{package} is hidden by this test')\n")
    path = os.pathsep.join(filter(None, [str(hidden), os.environ.get("PYTHONPATH")]))
    result = subprocess.run([sys.executable, str(ROOT / "examples" / script), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=path), timeout=300)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"{script}: cannot import {package} ({package} is hidden by this test)" in result.stderr
    assert "pip install -e '.[examples]'" in result.stderr and ".venv/bin/pip install -e '.[examples]'" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.needs_sklearn
@pytest.mark.needs_matplotlib
def test_digits_reaches_97_percent(tmp_path):
    accuracy = digits.main(["--out", str(tmp_path)])
    assert accuracy >= 0.97
    assert (tmp_path / "digits-mistakes.png").read_bytes().startswith(b"\x89PNG")
    assert_fresh(tmp_path, "digits-mistakes.png")
