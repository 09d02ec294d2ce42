"""Gradient descent in pictures (matplotlib): paths on a loss surface, loss curves, learning-rate schedules.

Every run is ``microbp.optim`` stepping ``microbp.Value``s, the gradients from
``microbp.compile`` (the engine's numbers); the loss surface is the same
compiled function on a grid. The figures are sized for a projector: 1920
pixels wide by default, every text at least 24 pixels high.

The learning rates "too small", "good", "too large" and "diverging" are
0.1/λ, 1/λ, 1.8/λ and 2.3/λ, λ the Hessian's largest eigenvalue (``sharpness``)
at the minimum descent settles in: SGD converges to a minimum only if
lr < 2/λ there, oscillating across the steep direction above 1/λ. On a
quadratic bowl λ is the same everywhere; on a network it is measured where a
first run (at 1/λ of the start) ends.

>>> from microbp import Value
>>> x, y = Value(2.0, label="x"), Value(1.0, label="y")
>>> loss = x * x + 10 * y * y
>>> round(sharpness(loss, [x, y]), 4)     # the Hessian is [[2, 0], [0, 20]]
20.0
"""

from __future__ import annotations

import functools
import math

from ..core.engine import Value
from ..core.graph import Graph

WIDTH, HEIGHT, DPI = 1920, 1080, 100
FONT_POINTS = 18                 # 18 pt at 100 dpi = 25 pixels
OPTIMIZERS = ("sgd", "momentum", "adagrad", "adam")


def _optimizer(name: str, params: list, lr: float):
    from ..optim import SGD, Adagrad, Adam

    makers = {"sgd": lambda: SGD(params, lr), "momentum": lambda: SGD(params, lr, momentum=0.9),
              "adagrad": lambda: Adagrad(params, lr), "adam": lambda: Adam(params, lr)}
    if name not in makers:
        raise ValueError(f"descent: optimizer must be one of {', '.join(OPTIMIZERS)}, got {name!r}")
    return makers[name]()


def _leaves(root: Value, names, caller: str) -> list:
    """The leaves of ``root`` named (by label) in ``names``; all of them for ``None``."""
    leaves = Graph.of(root, f"{caller}(root)").leaves
    if names is None:
        return list(leaves)
    by_label = {leaf.label: leaf for leaf in leaves if leaf.label}
    unknown = [name for name in names if name not in by_label]
    if unknown:
        raise ValueError(f"{caller}: wrt names leaves by label; {unknown[0]!r} is none of {sorted(by_label)}")
    return [by_label[name] for name in names]


def run(root: Value, leaves: list, optimizer: str, lr: float, steps: int) -> tuple:
    """(the leaves' values before each step and after the last, the loss at each) under ``optimizer``."""
    from ..programs.compiled import compile

    step = compile(root, wrt=leaves)
    params = [Value(leaf.data) for leaf in leaves]
    chosen, points, losses = _optimizer(optimizer, params, lr), [], []
    for _ in range(steps + 1):
        points.append([p.data for p in params])
        loss, grads = step([p.data for p in params])
        losses.append(loss)
        if len(points) > steps or not math.isfinite(loss) or abs(loss) > 1e12:
            break
        for p, g in zip(params, grads):
            p.grad = g
        chosen.step()
    return points, losses


def sharpness(root: Value, leaves: list, at=None, h: float = 1e-4, rounds: int = 60) -> float:
    """The Hessian's largest eigenvalue (in size) over ``leaves`` at the values ``at`` (theirs by default).

    Power iteration; each Hessian-vector product a central difference of two compiled gradients.
    """
    from ..programs.compiled import compile

    step = compile(root, wrt=leaves)
    point = list(at) if at is not None else [leaf.data for leaf in leaves]
    vector, size = [1.0 / math.sqrt(len(point))] * len(point), 1.0
    for _ in range(rounds):
        ahead = step([x + h * v for x, v in zip(point, vector)])[1]
        behind = step([x - h * v for x, v in zip(point, vector)])[1]
        product = [(a - b) / (2 * h) for a, b in zip(ahead, behind)]
        size = math.sqrt(sum(p * p for p in product))
        if not math.isfinite(size) or size == 0:
            return 1.0
        vector = [p / size for p in product]
    return size


def settled_sharpness(root: Value, leaves: list, steps: int = 200) -> float:
    """``sharpness`` where SGD at 1/λ of the start ends after ``steps`` (at the start if that run fails)."""
    first = sharpness(root, leaves)
    points, losses = run(root, leaves, "sgd", 1 / first, steps)
    if len(points) <= steps or not all(math.isfinite(v) for v in points[-1]):
        return first
    return sharpness(root, leaves, at=points[-1])


def standard_runs(root: Value, leaves: list) -> list:
    """(optimizer, lr, legend) for SGD too small / good / too large / diverging, and Adam and Adagrad."""
    good = 1 / settled_sharpness(root, leaves)
    return [("sgd", 0.1 * good, "SGD, too small"), ("sgd", good, "SGD, good"),
            ("sgd", 1.8 * good, "SGD, too large"), ("sgd", 2.3 * good, "SGD, diverging"),
            ("adam", 0.1, "Adam"), ("adagrad", 0.5, "Adagrad")]


FONTS = {"font.size": FONT_POINTS, "axes.titlesize": FONT_POINTS + 4, "legend.fontsize": FONT_POINTS,
         "xtick.labelsize": FONT_POINTS, "ytick.labelsize": FONT_POINTS}


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise ImportError("microbp.figures.descent draws with matplotlib, which is not installed: "
                          "pip install 'microbp[examples]' (or matplotlib)") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def projector(draw):
    """Run ``draw`` with the projector's font sizes, leaving matplotlib's settings as they were."""
    @functools.wraps(draw)
    def drawn(*args, **kwargs):
        with _pyplot().rc_context(FONTS):
            return draw(*args, **kwargs)
    return drawn


def _figure(size):
    plt = _pyplot()
    width, height = size
    figure, axes = plt.subplots(figsize=(width / DPI, height / DPI), dpi=DPI)
    return plt, figure, axes


def _save(plt, figure, path) -> str:
    figure.tight_layout()
    figure.savefig(path, dpi=DPI)
    plt.close(figure)
    return str(path)


@projector
def descent_paths(root: Value, wrt, path, runs=None, steps: int = 30, size=(WIDTH, HEIGHT)) -> str:
    """The loss over two leaves (labels ``wrt``), contours, and each run's path; returns the path.

    ``runs`` are (optimizer, lr, legend) triples (``standard_runs`` by default);
    every other leaf keeps its value.
    """
    leaves = _leaves(root, wrt, "descent_paths")
    if len(leaves) != 2:
        raise ValueError(f"descent_paths: wrt must name two leaves, got {wrt!r}")
    runs = runs or standard_runs(root, leaves)
    paths = [(f"{legend} (lr {lr:.3g})", run(root, leaves, name, lr, steps)[0]) for name, lr, legend in runs]
    plt, figure, axes = _figure(size)
    xs, ys = _extent(paths, [leaf.data for leaf in leaves])
    _contours(axes, root, leaves, xs, ys)
    for legend, points in paths:
        axes.plot(*zip(*points), marker="o", markersize=5, linewidth=2.5, label=legend)
    axes.set_xlim(xs[0], xs[-1]); axes.set_ylim(ys[0], ys[-1])
    axes.set_xlabel(leaves[0].label); axes.set_ylabel(leaves[1].label)
    axes.set_title(f"{steps} steps from ({leaves[0].data:.3g}, {leaves[1].data:.3g}) on the loss surface")
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    return _save(plt, figure, path)


def _extent(paths: list, start: list, cells: int = 60) -> tuple:
    """Grid coordinates covering the runs that stay near the start (their last point within 3× the median
    run's reach); a diverging run leaves the picture, as it leaves the valley, and does not stretch it."""
    def distance(p):
        return math.dist(p, start) if all(math.isfinite(v) for v in p) else math.inf
    ends = sorted(distance(points[-1]) for _, points in paths)
    reach = 3 * (ends[len(ends) // 2] if math.isfinite(ends[len(ends) // 2]) else 1.0) or 1.0
    staying = [points for _, points in paths if distance(points[-1]) <= reach] or [[tuple(start)]]
    finite = [p for points in staying for p in points if distance(p) <= reach]
    ranges = []
    for k in range(2):
        values = [p[k] for p in finite]
        low, high = min(values), max(values)
        width = max(high - low, 0.5)
        low, high = low - 0.15 * width, high + 0.15 * width
        ranges.append([low + (high - low) * i / (cells - 1) for i in range(cells)])
    return ranges


def _contours(axes, root: Value, leaves: list, xs: list, ys: list) -> None:
    from ..programs.compiled import compile

    step = compile(root, wrt=leaves)
    grid = [[_safe(step, [x, y]) for x in xs] for y in ys]
    levels = _levels(grid, 30)
    axes.contourf(xs, ys, grid, levels=levels, cmap="Greys", alpha=0.6, extend="both")
    axes.contour(xs, ys, grid, levels=levels[::2], colors="grey", linewidths=0.8)


def _levels(grid: list, count: int) -> list:
    """Contour levels at equal shares of the grid's values, so a flat valley shows as well as a steep wall."""
    values = sorted(v for row in grid for v in row if math.isfinite(v))
    picked = sorted({values[round(k * (len(values) - 1) / count)] for k in range(count + 1)})
    return picked if len(picked) > 1 else [values[0], values[0] + 1.0]


def _safe(step, values) -> float:
    try:
        loss = step(values)[0]
    except (ArithmeticError, ValueError):
        return math.nan
    return loss if math.isfinite(loss) else math.nan


@projector
def loss_curves(root: Value, path, runs=None, steps: int = 50, wrt=None, size=(WIDTH, HEIGHT)) -> str:
    """The loss at each step of each run (all leaves, or those labelled ``wrt``), on a log scale."""
    leaves = _leaves(root, wrt, "loss_curves")
    runs = runs or standard_runs(root, leaves)
    plt, figure, axes = _figure(size)
    for name, lr, legend in runs:
        losses = run(root, leaves, name, lr, steps)[1]
        axes.plot(range(len(losses)), losses, linewidth=3, label=f"{legend} (lr {lr:.3g}){_outcome(losses)}")
    axes.set_yscale("log")
    axes.set_xlabel("step"); axes.set_ylabel("loss")
    axes.set_title("The loss, step by step")
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    return _save(plt, figure, path)


def _outcome(losses: list) -> str:
    """What a run did, said where its name promised otherwise: a legend never claims what the curve
    does not show (over all the leaves, a rate chosen to diverge over two may still converge)."""
    first, last = losses[0], losses[-1]
    if not math.isfinite(last) or last > first:
        return ": diverged"
    return ": converged" if last < 1e-3 * first else ""


@projector
def schedules(path, epochs: int = 100, lr: float = 1.0, size=(WIDTH, HEIGHT)) -> str:
    """The learning rate per epoch under ``StepLR``, ``ExponentialLR`` and ``LinearLR`` (micrograd's demo)."""
    from ..optim import SGD, ExponentialLR, LinearLR, StepLR

    makers = {"StepLR(step_size=30, gamma=0.5)": lambda o: StepLR(o, 30, 0.5),
              "ExponentialLR(gamma=0.97)": lambda o: ExponentialLR(o, 0.97),
              "LinearLR(1.0 → 0.1 in 100)": lambda o: LinearLR(o, 1.0, 0.1, 100)}
    plt, figure, axes = _figure(size)
    for legend, make in makers.items():
        optimizer = SGD([Value(0.0)], lr)
        schedule, rates = make(optimizer), []
        for _ in range(epochs):
            rates.append(optimizer.lr)
            schedule.step()
        axes.plot(range(epochs), rates, linewidth=3, label=legend)
    axes.set_xlabel("epoch"); axes.set_ylabel("learning rate")
    axes.set_title("Learning-rate schedules (microbp.optim)")
    axes.legend()
    return _save(plt, figure, path)
