"""micrograd's demo in microbp: an MLP 2-16-16-1 learns the two moons.

    python examples/moons.py --out out/moons

Max-margin (hinge) loss with 1e-4 L2, SGD with the learning rate decaying
linearly from 1.0 to 0.1 over 100 steps, as in micrograd's demo.ipynb. Saves
the decision boundary and the loss curve.
"""

import argparse
import random
from pathlib import Path

from _optional import require

import microbp
from microbp.losses import hinge
from microbp.nn import MLP
from microbp.optim import SGD, LinearLR


def two_moons(seed=1337):
    """micrograd's data: sklearn's make_moons(100, noise=0.1), labels as ±1."""
    import numpy as np
    from sklearn.datasets import make_moons

    np.random.seed(seed)
    X, y = make_moons(n_samples=100, noise=0.1)
    return X.tolist(), [int(label) * 2 - 1 for label in y]


def loss_and_accuracy(model, X, y):
    scores = [model(point) for point in X]
    parameters = model.parameters()
    loss = hinge(scores, y) + 1e-4 * microbp.dot(parameters, parameters)
    accuracy = sum((score.data > 0) == (label > 0) for score, label in zip(scores, y)) / len(y)
    return loss, accuracy


def train(steps=100, seed=1337, progress=True):
    """Returns (model, X, y, losses, accuracies)."""
    from tqdm import tqdm

    X, y = two_moons(seed)
    random.seed(seed)
    model = MLP(2, [16, 16, 1])
    optimizer = SGD(model.parameters(), lr=1.0)
    schedule = LinearLR(optimizer, start_factor=1.0, end_factor=0.1, total_iters=100)
    losses, accuracies = [], []
    bar = tqdm(range(steps), disable=not progress, desc="training")
    for _ in bar:
        loss, accuracy = loss_and_accuracy(model, X, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        losses.append(loss.data)
        accuracies.append(accuracy)
        bar.set_postfix(loss=f"{loss.data:.4f}", accuracy=f"{accuracy:.0%}")
    return model, X, y, losses, accuracies


def save_figures(model, X, y, losses, folder: Path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    folder.mkdir(parents=True, exist_ok=True)
    h = 0.25
    xs, ys = np.arange(-2, 3, h), np.arange(-1.5, 2, h)
    grid = [[float(a), float(b)] for b in ys for a in xs]
    scores = np.array([model(point).data > 0 for point in grid]).reshape(len(ys), len(xs))
    figure, axis = plt.subplots(figsize=(5, 4))
    axis.contourf(xs, ys, scores, cmap=plt.cm.Spectral, alpha=0.8)
    points = np.array(X)
    axis.scatter(points[:, 0], points[:, 1], c=y, s=30, cmap=plt.cm.Spectral, edgecolors="k")
    axis.set_title("decision boundary after training")
    boundary = folder / "moons-decision-boundary.png"
    figure.savefig(boundary, dpi=100, bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)

    figure, axis = plt.subplots(figsize=(5, 3))
    axis.plot(losses)
    axis.set_xlabel("step")
    axis.set_ylabel("loss")
    axis.set_title("training loss")
    curve = folder / "moons-loss.png"
    figure.savefig(curve, dpi=100, bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)
    return boundary, curve


def positive_int(text: str) -> int:
    """argparse type for a count: an int of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="out/moons", help="folder for the figures (default: %(default)s)")
    parser.add_argument("--steps", type=positive_int, default=100, help="training steps (default: %(default)s)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    require(parser, "tqdm", "numpy", "sklearn", "matplotlib")
    model, X, y, losses, accuracies = train(args.steps, progress=not args.quiet)
    print(f"after {args.steps} steps: loss {losses[-1]:.4f}, training accuracy {accuracies[-1]:.0%}")
    for path in save_figures(model, X, y, losses, Path(args.out)):
        print(path)
    return model, losses, accuracies


if __name__ == "__main__":
    main()
