"""Figures for docs/tutorial.md: activations, losses, learning rates, optimizers, lecture frames.

    python examples/tutorial_figures.py --out docs/figures

Every curve is computed with microbp (values and gradients from the engine).
"""

import argparse
from pathlib import Path

from _figures import pyplot, save
from _optional import require

import microbp
from microbp import Value
from microbp.optim import SGD, Adagrad, Adam


def activations(folder: Path) -> Path:
    """Each activation and its derivative, from the engine; sign (the derivative of abs) for contrast."""
    plt = pyplot()
    xs = [i / 50 for i in range(-150, 151)]
    figure, axes = plt.subplots(1, 4, figsize=(12, 2.8), sharey=True)
    for axis, name in zip(axes, ["relu", "tanh", "sigmoid", "sign"]):
        values, slopes = [], []
        for x in xs:
            leaf = Value(x)
            out = getattr(leaf, name)()
            out.backward()
            values.append(out.data)
            slopes.append(leaf.grad)
        axis.plot(xs, values, label=name)
        axis.plot(xs, slopes, "--", label="derivative")
        axis.set_title(name)
        axis.axhline(0, color="#bbb", linewidth=0.5)
        axis.legend(fontsize=8, loc="upper left")
    return save(figure, folder / "activations.png")


def descend(optimizer, loss_of, steps: int) -> list:
    """Run ``steps`` optimizer steps on ``loss_of()``; the loss before each step."""
    losses = []
    for _ in range(steps):
        loss = loss_of()
        losses.append(loss.data)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses


def losses(folder: Path) -> Path:
    """Squared error and cross-entropy of a sigmoid output z for target 1, with their gradients in z."""
    from microbp.losses import binary_cross_entropy_with_logits, mse

    plt = pyplot()
    zs = [i / 20 for i in range(-120, 121)]
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3))
    for name, loss_of in [("squared error of σ(z)", lambda z: mse(z.sigmoid(), 1.0)),
                          ("cross-entropy", lambda z: binary_cross_entropy_with_logits(z, 1.0))]:
        values, slopes = [], []
        for z in zs:
            leaf = Value(z)
            loss = loss_of(leaf)
            loss.backward()
            values.append(loss.data)
            slopes.append(leaf.grad)
        left.plot(zs, values, label=name)
        right.plot(zs, slopes, label=name)
    left.set_title("loss, target 1")
    right.set_title("gradient ∂loss/∂z")
    for axis in (left, right):
        axis.set_xlabel("z (the output before the sigmoid)")
        axis.legend(fontsize=8)
    return save(figure, folder / "losses.png")


def loss_plot(curves: dict, path: Path) -> Path:
    """Loss against step, on a log scale, one line per labelled curve."""
    plt = pyplot()
    figure, axis = plt.subplots(figsize=(6, 3.2))
    for label, losses in curves.items():
        axis.plot(losses, label=label)
    axis.set_yscale("log")
    axis.set_xlabel("step")
    axis.set_ylabel("loss (log scale)")
    axis.legend(fontsize=8)
    return save(figure, path)


def learning_rates(folder: Path) -> Path:
    """Gradient descent on L(w) = (w − 3)² from w = 0 with three learning rates."""
    curves = {}
    for lr, note in [(0.02, "too small"), (0.1, "good"), (1.1, "too large")]:
        w = Value(0.0, label="w")
        curves[f"lr = {lr} ({note})"] = descend(SGD([w], lr=lr), lambda: (w - 3) ** 2, 30)
    return loss_plot(curves, folder / "learning-rates.png")


def optimizers(folder: Path) -> Path:
    """Four optimizers on a long, narrow valley: L(a, b) = a²/2 + 25·b²/2, from (5, 1)."""
    runs = {"SGD, lr 0.03": lambda p: SGD(p, lr=0.03),
            "SGD + momentum 0.9": lambda p: SGD(p, lr=0.03, momentum=0.9),
            "Adagrad, lr 0.5": lambda p: Adagrad(p, lr=0.5),
            "Adam, lr 0.3": lambda p: Adam(p, lr=0.3)}
    curves = {}
    for name, make in runs.items():
        a, b = Value(5.0), Value(1.0)
        curves[name] = descend(make([a, b]), lambda: a * a * 0.5 + b * b * 12.5, 100)
    return loss_plot(curves, folder / "optimizers.png")


def lecture_frames(folder: Path) -> list:
    """The lecture neuron's step-by-step frames, as SVG and as DOT (what the tests compare)."""
    neuron = microbp.lecture_neuron(backward=False)
    return microbp.render_steps(neuron, folder, fmt="svg") + microbp.render_steps(neuron, folder, fmt="dot")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="docs/figures", help="the docs' figures folder (default: %(default)s)")
    args = parser.parse_args(argv)
    require(parser, "matplotlib")
    out = Path(args.out)
    paths = [activations(out / "tutorial"), losses(out / "tutorial"), learning_rates(out / "tutorial"),
             optimizers(out / "tutorial")]
    paths += lecture_frames(out / "lecture")
    for path in paths:
        print(path)


if __name__ == "__main__":
    main()
