"""The live pages and gradient-descent figures of docs/live.md.

    python examples/live_pages.py --out docs/figures/live

Writes the walkthrough network's live page (``microbp.live``), micrograd's
moons playground (``microbp.playground``, with the live page of one example
beside it) and the gradient-descent figures (``microbp.figures.descent``):
paths on a bowl-shaped loss and on the walkthrough's loss over w₃₅ and w₁₄,
loss curves, learning-rate schedules. Screenshots of the pages are taken
with a headless browser (see docs/live.md).
"""

import argparse
import random
from pathlib import Path

from _optional import require

import microbp
from microbp import Value
from microbp.nn import MLP


def bowl() -> Value:
    """A long, narrow valley: x² + 10·y², from (2, 1)."""
    x, y = Value(2.0, label="x"), Value(1.0, label="y")
    loss = x * x + 10 * y * y
    loss.label = "L"
    return loss


def pages(folder: Path) -> list:
    from moons import two_moons

    points, labels = two_moons(1337)
    random.seed(1337)
    return [microbp.live(microbp.walkthrough_network(backward=False), folder / "walkthrough-live.html",
                         title="The 1-2-2-1 network, live"),
            microbp.playground(MLP(2, [16, 16, 1]), points, labels, folder / "moons-playground.html")]


def figures(folder: Path) -> list:
    from microbp.figures import descent

    network = microbp.walkthrough_network(backward=False)
    return [descent.descent_paths(bowl(), ("x", "y"), folder / "bowl-paths.png"),
            descent.descent_paths(network, ("w35", "w14"), folder / "walkthrough-paths.png"),
            descent.loss_curves(network, folder / "walkthrough-loss-curves.png", steps=60),
            descent.schedules(folder / "schedules.png")]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/figures/live", help="folder for the pages and figures "
                        "(default: %(default)s)")
    args = parser.parse_args(argv)
    require(parser, "matplotlib", "sklearn")
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    for path in pages(folder) + figures(folder):
        print(path)


if __name__ == "__main__":
    main()
