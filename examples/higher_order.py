"""Figures for docs/higher-order.md: tanh's derivatives and their graphs, Newton against gradient descent.

    python examples/higher_order.py --out docs/figures/higher-order

Every number is computed by microbp: derivatives by composing ``microbp.grad``,
graph sizes by counting the nodes of each derivative's graph.
"""

import argparse
from pathlib import Path

from _figures import pyplot, save
from _optional import require

import microbp
from microbp import Value

ORDERS = range(7)                    # tanh and its first six derivatives


def tanh_derivatives(order: int):
    """The ``order``-th derivative of tanh, as a function of a number (``grad`` composed)."""
    function = microbp.tanh
    for _ in range(order):
        function = microbp.grad(function)
    return function


def graph_sizes() -> list:
    """Nodes in the graph of tanh's k-th derivative at x = 0.5, for each order k: how fast it grows."""
    x = Value(0.5, label="x")
    current, sizes = x.tanh(), []
    for order in ORDERS:
        sizes.append(len(microbp.topological_order(current)))
        current = microbp.gradients(current, x, create_graph=True)[x]
    return sizes


def newton_and_descent(steps: int = 12) -> dict:
    """|w − w*| per step on L(w) = (w − 3)² + e^−w from w = 0: Newton, and gradient descent at two rates."""
    loss = lambda w: (w - 3) ** 2 + (-w).exp()         # noqa: E731
    slope, curvature = microbp.grad(loss), microbp.grad(microbp.grad(loss))
    w = 0.0
    for _ in range(50):                                 # the minimum, to machine precision
        w -= slope(w) / curvature(w)
    minimum = w
    runs = {"Newton: w ← w − L′(w)/L″(w)": lambda w: w - slope(w) / curvature(w),
            "gradient descent, lr = 0.1": lambda w: w - 0.1 * slope(w),
            "gradient descent, lr = 0.02": lambda w: w - 0.02 * slope(w)}
    errors = {}
    for name, update in runs.items():
        w, errors[name] = 0.0, []
        for _ in range(steps):
            errors[name].append(abs(w - minimum))
            w = update(w)
    return errors


def derivatives_figure(folder: Path) -> Path:
    """tanh and its first six derivatives (left); nodes in each derivative's graph (right)."""
    plt = pyplot()
    figure, (curves, sizes) = plt.subplots(1, 2, figsize=(12, 4), gridspec_kw={"width_ratios": [2, 1]})
    xs = [i / 25 for i in range(-100, 101)]
    for order in ORDERS:
        derivative = tanh_derivatives(order)
        curves.plot(xs, [derivative(x) for x in xs], label="tanh" + "′" * order if order < 4 else
                    f"tanh$^{{({order})}}$")
    curves.set_ylim(-5, 5)
    curves.set_xlabel("x")
    curves.legend(fontsize=9, ncol=2, loc="lower right")
    curves.set_title("tanh and its first six derivatives, by grad(grad(...))")
    counts = graph_sizes()
    sizes.bar(list(ORDERS), counts, color="#4a78a8")
    sizes.set_yscale("log")
    sizes.set_xlabel("order of the derivative")
    sizes.set_title("nodes in the derivative's graph")
    for order, count in zip(ORDERS, counts):
        sizes.annotate(str(count), (order, count), ha="center", va="bottom", fontsize=9)
    return save(figure, folder / "tanh-derivatives.png")


def newton_figure(folder: Path) -> Path:
    """Newton's method converges quadratically; gradient descent linearly."""
    plt = pyplot()
    figure, axis = plt.subplots(figsize=(7, 4))
    for name, errors in newton_and_descent().items():
        axis.semilogy(range(len(errors)), [max(e, 1e-17) for e in errors], marker="o", label=name)
    axis.set_xlabel("step")
    axis.set_ylabel("|w − w*|")
    axis.set_title("L(w) = (w − 3)² + e^−w, from w = 0")
    axis.legend(fontsize=9)
    return save(figure, folder / "newton.png")


def backward_figure(folder: Path) -> Path:
    """The lecture neuron's ∂o/∂w as a graph: the forward graph, and the backward nodes beside it."""
    x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    b = Value(6.8813735870195432, label="b")
    n = x * w + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return Path(microbp.render(microbp.gradients(o, w, create_graph=True)[w], folder / "neuron-backward.svg"))


FIGURES = (derivatives_figure, newton_figure, backward_figure)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="out/higher-order", help="folder for the figures (default: %(default)s)")
    args = parser.parse_args(argv)
    require(parser, "matplotlib")
    paths = [make(Path(args.out)) for make in FIGURES]
    for path in paths:
        print(path)
    return paths


if __name__ == "__main__":
    main()
