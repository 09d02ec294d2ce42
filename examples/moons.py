"""micrograd's demo in microbp: an MLP 2-16-16-1 learns the two moons.

    python examples/moons.py --out out/moons
    python examples/moons.py --compile      # the same training, compiled: same numbers, faster

Max-margin (hinge) loss with 1e-4 L2, SGD with the learning rate decaying
linearly from 1.0 to 0.1 over 100 steps, as in micrograd's demo.ipynb. Saves
the decision boundary and the loss curve.

With ``--compile``, one example's margin is traced once and compiled into a
loop over the 100 points (``microbp.compile(..., batch="mean", plus=l2)``):
each step gives the engine's loss and gradients bit for bit, so training
follows the same path and draws the same figures.
"""

import argparse
import random
import time
from pathlib import Path

from _optional import require

import microbp
from microbp import Value
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


def compiled_loss(model, X, y):
    """A function that sets every parameter's gradient and returns (loss, accuracy), compiled.

    One example's margin is traced with Values standing for the point and its
    label, and compiled once into a loop over the data, plus the L2 term: the
    engine's hinge(...) + 1e-4 · Σ p², bit for bit. A point is classified right
    when its margin relu(1 − y·s) is below 1, that is when y·s > 0.
    """
    parameters = model.parameters()
    x1, x2, label = Value(0.0, label="x1"), Value(0.0, label="x2"), Value(1.0, label="y")
    margin = (1 - label * model([x1, x2])).relu()
    step = microbp.compile(margin, wrt=parameters, inputs=[x1, x2, label], batch="mean",
                           plus=1e-4 * microbp.dot(parameters, parameters))
    rows = [(a, b, float(t)) for (a, b), t in zip(X, y)]

    def loss_and_gradients():
        loss, grads, margins = step([p.data for p in parameters], rows, each=True)
        for p, g in zip(parameters, grads):
            p.grad = g
        return loss, sum(m < 1 for m in margins) / len(margins)
    return loss_and_gradients


def train(steps=100, seed=1337, progress=True, compiled=False):
    """Returns (model, X, y, losses, accuracies, seconds spent training)."""
    from tqdm import tqdm

    X, y = two_moons(seed)
    random.seed(seed)
    model = MLP(2, [16, 16, 1])
    optimizer = SGD(model.parameters(), lr=1.0)
    schedule = LinearLR(optimizer, start_factor=1.0, end_factor=0.1, total_iters=100)
    losses, accuracies = [], []
    start = time.perf_counter()
    step = compiled_loss(model, X, y) if compiled else None
    bar = tqdm(range(steps), disable=not progress, desc="training")
    for _ in bar:
        if compiled:
            loss, accuracy = step()
        else:
            loss, accuracy = loss_and_accuracy(model, X, y)
            optimizer.zero_grad()
            loss.backward()
            loss = loss.data
        optimizer.step()
        schedule.step()
        losses.append(loss)
        accuracies.append(accuracy)
        bar.set_postfix(loss=f"{loss:.4f}", accuracy=f"{accuracy:.0%}")
    return model, X, y, losses, accuracies, time.perf_counter() - start


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
    parser.add_argument("--compile", action="store_true",
                        help="compile one example's graph once and train with it (the same numbers, faster)")
    args = parser.parse_args(argv)
    require(parser, "tqdm", "numpy", "sklearn", "matplotlib")
    model, X, y, losses, accuracies, seconds = train(args.steps, progress=not args.quiet, compiled=args.compile)
    print(f"after {args.steps} steps: loss {losses[-1]:.4f}, training accuracy {accuracies[-1]:.0%}, "
          f"{seconds:.2f} s{' (compiled)' if args.compile else ''}")
    for path in save_figures(model, X, y, losses, Path(args.out)):
        print(path)
    return model, losses, accuracies


if __name__ == "__main__":
    main()
