"""The figures in docs/ are made by scripts in examples/; a stale figure fails here."""

import sys
from pathlib import Path

import pytest

import microbp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))
import rendering_gallery  # noqa: E402

FIGURES = ROOT / "docs" / "figures" / "rendering"


@pytest.mark.parametrize("name", sorted(rendering_gallery.figures()))
def test_rendering_figures_are_fresh(name):
    root, options = rendering_gallery.figures()[name]
    committed = (FIGURES / f"{name}.dot").read_text(encoding="utf-8")
    assert microbp.draw(root, **options).source == committed, (
        f"docs/figures/rendering/{name} is stale: run python examples/rendering_gallery.py")
    assert (FIGURES / f"{name}.svg").exists()


import tutorial_figures  # noqa: E402


@pytest.mark.needs_matplotlib
@pytest.mark.parametrize("name", ["activations", "losses", "learning_rates", "optimizers"])
def test_tutorial_figures_are_fresh(name, tmp_path):
    path = getattr(tutorial_figures, name)(tmp_path)
    committed = ROOT / "docs" / "figures" / "tutorial" / path.name
    assert path.read_bytes() == committed.read_bytes(), (
        f"docs/figures/tutorial/{path.name} is stale: run python examples/make_figures.py")


def test_lecture_frames_are_fresh(tmp_path):
    frames = microbp.render_steps(microbp.lecture_neuron(backward=False), tmp_path, fmt="dot")
    committed = sorted((ROOT / "docs" / "figures" / "lecture").glob("step-*.dot"))
    assert [Path(p).name for p in frames] == [p.name for p in committed]
    for frame, old in zip(frames, committed):
        assert Path(frame).read_text(encoding="utf-8") == old.read_text(encoding="utf-8"), (
            f"docs/figures/lecture/{old.name} is stale: run python examples/make_figures.py")


import backprop_demo  # noqa: E402


@pytest.mark.parametrize("name", sorted(backprop_demo.FRAMES))
def test_network_lecture_frames_are_fresh(name):
    committed = ROOT / "docs" / "figures" / "network" / f"{name}.dot"
    assert backprop_demo.figure_frames()[name].source == committed.read_text(encoding="utf-8"), (
        f"docs/figures/network/{name} is stale: run python examples/make_figures.py")
    assert (committed.with_suffix(".svg")).exists()
