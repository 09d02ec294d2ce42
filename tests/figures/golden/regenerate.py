"""Rewrite the golden files from the current code: run it on purpose, review the diff, commit.

    python tests/figures/golden/regenerate.py
"""

from pathlib import Path

import microbp

GOLDEN = Path(__file__).resolve().parent


def golden_sources() -> dict:
    """file name -> the text the code makes now."""
    return {
        "neuron.dot": microbp.draw(microbp.lecture_neuron()).source,
        "neuron-before-backward.dot": microbp.draw(microbp.lecture_neuron(backward=False)).source,
    }


if __name__ == "__main__":
    for name, text in golden_sources().items():
        (GOLDEN / name).write_text(text, encoding="utf-8")
        print("wrote", GOLDEN / name)
