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
