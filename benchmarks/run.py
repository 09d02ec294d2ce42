"""Side-by-side benchmarks: microbp against micrograd and plain Python floats, in one process.

Run with ``./dev bench`` (installs micrograd, a benchmark-only dependency), or
``python benchmarks/run.py --quick`` for a smaller, faster pass. Workloads run
interleaved (microbp, micrograd, microbp, ...), with Python's default settings
(GC on) and a collection between runs, so no engine pays for another's garbage;
medians and ratios.

W1  micrograd's demo training step: MLP(2, [16, 16, 1]), 100 two-moons points,
    max-margin loss + 1e-4 L2, forward + backward + SGD. The model code below is
    written once and run on either engine's ``Value``. Timed as one step, and
    per step of a training loop (steps back to back, leftover garbage collected).
W1' the same step with each library's own network code (micrograd.nn, microbp.nn).
W2  a chain x -> x * 1.0001 + 0.0001 of depth 1e4, 1e5, 1e6: time per op.
W4  bytes per node (tracemalloc).
W5  ``import microbp`` time (bytecode cached, as after pip install), and whether
    it loaded sympy or graphviz.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import microbp  # noqa: E402


def micrograd_value():
    """micrograd's Value, imported when a workload needs it (``./dev bench`` installs it)."""
    import micrograd.engine
    return micrograd.engine.Value


# --- W1: the demo step, written once against the API both engines share ---------------

def two_moons(n: int, seed: int = 0) -> tuple[list, list]:
    """sklearn's make_moons(noise=0.1) without sklearn: n points, labels ±1."""
    rng = random.Random(seed)
    points, labels = [], []
    for i in range(n):
        t = math.pi * (i // 2) / (n // 2)
        upper = i % 2 == 0
        x, y = (math.cos(t), math.sin(t)) if upper else (1 - math.cos(t), 0.5 - math.sin(t))
        points.append((x + rng.gauss(0, 0.1), y + rng.gauss(0, 0.1)))
        labels.append(1 if upper else -1)
    return points, labels


def make_mlp(Value, relu, sizes, rng):
    """micrograd's nn, in shared code: a list of layers of (weights, bias, nonlinear)."""
    layers = []
    for i, (nin, nout) in enumerate(zip(sizes, sizes[1:])):
        neurons = [([Value(rng.uniform(-1, 1)) for _ in range(nin)], Value(0)) for _ in range(nout)]
        layers.append((neurons, i != len(sizes) - 2))

    def forward(x):
        for neurons, nonlinear in layers:
            out = []
            for w, b in neurons:
                act = sum((wi * xi for wi, xi in zip(w, x)), b)
                out.append(relu(act) if nonlinear else act)
            x = out
        return x[0]
    parameters = [p for neurons, _ in layers for w, b in neurons for p in w + [b]]
    return forward, parameters


def demo_step(Value, relu, model, points, labels, backward=True):
    forward, parameters = model
    inputs = [list(map(Value, xrow)) for xrow in points]
    scores = list(map(forward, inputs))
    losses = [relu(1 + -yi * scorei) for yi, scorei in zip(labels, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum((p * p for p in parameters))
    total = data_loss + reg_loss
    if backward:
        for p in parameters:
            p.grad = 0
        total.backward()
        for p in parameters:
            p.data -= 0.01 * p.grad
    return total


def measure(run, steps: int) -> tuple:
    """(seconds for one step, seconds per step of a training loop).

    A collection runs first (untimed), so no engine pays for another's garbage.
    The first number times one step on its own. The second runs ``steps`` steps
    back to back, as training does, then collects what is left, and divides by
    ``steps``: it includes the cycle collector's work, which micrograd needs
    (its graphs are closure cycles, freed only by that collector) and microbp
    does not (its graphs are freed by reference counting as soon as they are dropped).
    """
    gc.collect()
    start = time.perf_counter()
    run()
    one = time.perf_counter() - start
    gc.collect()
    start = time.perf_counter()
    for _ in range(steps):
        run()
    gc.collect()
    return one, (time.perf_counter() - start) / steps


def float_relu(v: float) -> float:
    return max(v, 0.0)


def w1(repeats: int, steps: int) -> dict:
    theirs = micrograd_value()
    contenders = {   # name: (Value class, relu, run backward and SGD?)
        "microbp": (microbp.Value, microbp.Value.relu, True),
        "micrograd": (theirs, theirs.relu, True),
        "floats (forward only)": (float, float_relu, False),
    }
    points, labels = two_moons(100)
    models = {name: make_mlp(Value, relu, [2, 16, 16, 1], random.Random(1337))
              for name, (Value, relu, _) in contenders.items()}
    assert len(models["microbp"][1]) == 337
    times = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, (Value, relu, backward) in contenders.items():
            times[name].append(measure(lambda: demo_step(Value, relu, models[name], points, labels, backward), steps))
    return _medians(times)


def _medians(times: dict) -> dict:
    """name -> (median of one step, median per step of a training loop)."""
    return {name: tuple(statistics.median(t[i] for t in runs) for i in (0, 1)) for name, runs in times.items()}


# --- W1 with each library's own network code -----------------------------------------------

def micrograd_demo_step(model, points, labels):
    """micrograd's demo.ipynb loss() and update, as its author wrote them."""
    from micrograd.engine import Value
    inputs = [list(map(Value, xrow)) for xrow in points]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(labels, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum((p * p for p in model.parameters()))
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    for p in model.parameters():
        p.data -= 0.01 * p.grad
    return total


def microbp_demo_step(model, points, labels):
    """The same step with microbp.nn (an affine node and an activation per neuron) and microbp.losses."""
    from microbp.losses import hinge
    parameters = model.parameters()
    scores = [model(list(xrow)) for xrow in points]
    total = hinge(scores, labels) + 1e-4 * microbp.dot(parameters, parameters)
    model.zero_grad()
    total.backward()
    for p in parameters:
        p.data -= 0.01 * p.grad
    return total


def float_demo_loss(model, points, labels):
    """The same loss evaluated with plain floats: the forward pass's cost, no graph."""
    def forward(x):
        for layer, nonlinear in model:
            x = [sum(w * xi for w, xi in zip(weights, x)) + b for weights, b in layer]
            x = [max(v, 0.0) for v in x] if nonlinear else x
        return x[0]
    scores = [forward(xrow) for xrow in points]
    data_loss = sum(max(1 - y * s, 0.0) for s, y in zip(scores, labels)) / len(scores)
    return data_loss + 1e-4 * sum(w * w for layer, _ in model for weights, b in layer for w in weights + [b])


def floats_of(model) -> list:
    """A microbp.nn.MLP's weights as plain floats, in the shape float_demo_loss reads."""
    return [([([w.data for w in n.w], n.b.data) for n in layer.neurons], i < len(model.layers) - 1)
            for i, layer in enumerate(model.layers)]


def w1_nn(repeats: int, steps: int) -> dict:
    import micrograd.nn
    import microbp.nn
    points, labels = two_moons(100)
    random.seed(1337)
    theirs = micrograd.nn.MLP(2, [16, 16, 1])
    random.seed(1337)
    ours = microbp.nn.MLP(2, [16, 16, 1])
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    as_floats = floats_of(ours)
    runs = {"microbp.nn": lambda: microbp_demo_step(ours, points, labels),
            "micrograd.nn": lambda: micrograd_demo_step(theirs, points, labels),
            "floats (loss only)": lambda: float_demo_loss(as_floats, points, labels)}
    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            times[name].append(measure(run, steps))
    return _medians(times)


# --- W2: a deep chain ---------------------------------------------------------------------

def chain(Value, depth: int) -> float:
    """Seconds per op for forward + backward of x -> x * 1.0001 + 0.0001, depth times."""
    gc.collect()
    start = time.perf_counter()
    x = Value(1.0)
    y = x
    for _ in range(depth):
        y = y * 1.0001 + 0.0001
    y.backward()
    elapsed = time.perf_counter() - start
    del y
    return elapsed / (2 * depth)


def w2(depths, repeats: int) -> dict:
    micrograd = micrograd_value()
    results = {}
    for depth in depths:
        row = {"microbp": [], "micrograd": [], "micrograd, recursion limit raised": []}
        for _ in range(repeats):
            row["microbp"].append(chain(microbp.Value, depth))
            try:
                row["micrograd"].append(chain(micrograd, depth))
            except RecursionError:
                row["micrograd"].append(None)
            limit = sys.getrecursionlimit()
            sys.setrecursionlimit(depth * 2 + 1000)
            try:
                row["micrograd, recursion limit raised"].append(chain(micrograd, depth))
            finally:
                sys.setrecursionlimit(limit)
        results[depth] = {name: None if None in t else statistics.median(t) for name, t in row.items()}
    return results


# --- W4, W5: memory and import time ----------------------------------------------------------

def bytes_per_node(Value, nodes: int = 100_000) -> float:
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    y = Value(1.0)
    for _ in range(nodes // 2):
        y = y * 1.0001 + 0.0001
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del y
    return used / nodes


def import_time(module: str, repeats: int) -> tuple[float, list]:
    """Median seconds to import ``module`` in a fresh interpreter, with bytecode cached as after an install."""
    code = (f"import sys, time; t = time.perf_counter(); import {module}; "
            "print(time.perf_counter() - t); print(' '.join(m for m in ('sympy', 'graphviz') if m in sys.modules))")
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", code], capture_output=True, env=environment, check=True)  # writes .pyc
    times, heavy = [], []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env=environment).stdout
        seconds, loaded = (out.split("\n") + [""])[:2]
        times.append(float(seconds))
        heavy = loaded.split()
    return statistics.median(times), heavy


# --- report --------------------------------------------------------------------------------

def report_w1(title, results, ours, theirs, floats, steps) -> None:
    print(title)
    loop = f"per step, {steps}-step loop"
    print(f"    {'':28s} {'one step':>10s}  {loop:>26s}")
    for name, (one, per_step) in results.items():
        print(f"    {name:28s} {one * 1000:7.1f} ms  {per_step * 1000:23.1f} ms")
    for i, what in enumerate(("one step", loop)):
        print(f"    {what}: {ours} is {results[theirs][i] / results[ours][i]:.1f}x faster than {theirs}, "
              f"{results[ours][i] / results[floats][i]:.1f}x the plain-float pass")
    print()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, chains up to 1e5")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 5
    steps = 3 if args.quick else 10
    depths = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]

    print(f"Python {sys.version.split()[0]}, {__import__('platform').machine()}, median of {repeats} runs\n")
    report_w1("W1  micrograd demo step (MLP 2-16-16-1, 100 points, forward + backward + SGD), same code",
              w1(repeats, steps), "microbp", "micrograd", "floats (forward only)", steps)
    report_w1("W1' the same step, each library with its own network code (microbp.nn: an affine node per neuron)",
              w1_nn(repeats, steps), "microbp.nn", "micrograd.nn", "floats (loss only)", steps)

    print("W2  chain x -> x * 1.0001 + 0.0001, forward + backward, per op")
    for depth, row in w2(depths, max(1, repeats - 2)).items():
        shown = ", ".join(f"{name} {'fails (RecursionError)' if t is None else f'{t * 1e9:.0f} ns'}"
                          for name, t in row.items())
        print(f"    depth {depth:>9,}: {shown}")

    print("\nW4  bytes per node (tracemalloc, chain of 100,000 nodes)")
    for name, Value in (("microbp", microbp.Value), ("micrograd", micrograd_value())):
        print(f"    {name:28s} {bytes_per_node(Value):8.0f}")

    print("\nW5  import time (fresh interpreter)")
    for module in ("microbp", "micrograd.engine"):
        seconds, heavy = import_time(module, repeats)
        print(f"    import {module:21s} {seconds * 1000:8.1f} ms   heavy modules loaded: {heavy or 'none'}")


if __name__ == "__main__":
    main()
