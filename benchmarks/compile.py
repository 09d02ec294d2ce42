"""Compiled training steps: microbp.compile against micrograd, plain floats and microbp's engine.

Run with ``python benchmarks/compile.py`` (``./dev bench`` installs micrograd),
``--quick`` for fewer repeats and no 1e5-node chain.

W1'  micrograd's demo step (MLP 2-16-16-1, 100 points, hinge loss + 1e-4 L2,
     forward + backward + SGD), compiled two ways, each a whole training step
     (the compiled call, then SGD on a list of floats):
     - batch: one example's margin compiled into a loop over the points
       (``compile(margin, params, [x1, x2, y], batch="mean", plus=l2)``);
     - whole: the step's whole graph (``compile(total, params)``).
     Timed interleaved, one run, with micrograd's own demo step, microbp's
     engine (``microbp.nn``) and the plain-float loss (forward only).
Build  tracing and compiling, against the engine's step: the step at which
     the build has paid for itself.
Sizes  compile time and peak memory (tracemalloc, beyond the traced graph) for
     W1', for 2-64-64-1 with 100 and 1,000 points, and for a chain of 1e5 nodes.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (the workloads and the timing of benchmarks/run.py)

import microbp  # noqa: E402
import microbp.nn  # noqa: E402
from microbp import GraphTooLargeError, Value  # noqa: E402
from microbp.losses import hinge  # noqa: E402


def example_graph(model):
    """One example's margin, with leaves standing for the point and its label: (margin, leaves)."""
    x1, x2, y = Value(0.0, label="x1"), Value(0.0, label="x2"), Value(1.0, label="y")
    return (1 - y * model([x1, x2])).relu(), [x1, x2, y]


def compile_batch(model):
    parameters = model.parameters()
    margin, leaves = example_graph(model)
    return microbp.compile(margin, parameters, leaves, batch="mean", plus=1e-4 * microbp.dot(parameters, parameters))


def whole_graph(model, points, labels):
    parameters = model.parameters()
    return hinge([model(list(x)) for x in points], labels) + 1e-4 * microbp.dot(parameters, parameters)


def compile_whole(model, points, labels, **limits):
    return microbp.compile(whole_graph(model, points, labels), model.parameters(), **limits)


class CompiledTraining:
    """A training step with a compiled function: the call, then SGD on the parameters as floats."""

    def __init__(self, function, parameters, rows=None):
        self.function, self.values, self.rows = function, [p.data for p in parameters], rows

    def step(self):
        loss, grads = self.function(self.values, self.rows) if self.rows is not None else self.function(self.values)
        self.values = [v - 0.01 * g for v, g in zip(self.values, grads)]
        return loss


def rows_of(points, labels) -> list:
    return [(a, b, float(label)) for (a, b), label in zip(points, labels)]


def w1(repeats: int, steps: int) -> dict:
    import micrograd.nn
    points, labels = run.two_moons(100)
    random.seed(1337)
    theirs = micrograd.nn.MLP(2, [16, 16, 1])
    ours = microbp.nn.MLP(2, [16, 16, 1], rng=random.Random(1337))
    batch_model = microbp.nn.MLP(2, [16, 16, 1], rng=random.Random(1337))
    whole_model = microbp.nn.MLP(2, [16, 16, 1], rng=random.Random(1337))
    batch = CompiledTraining(compile_batch(batch_model), batch_model.parameters(), rows_of(points, labels))
    whole = CompiledTraining(compile_whole(whole_model, points, labels), whole_model.parameters())
    as_floats = run.floats_of(ours)
    fast = 10 * steps             # so that the one collection after the loop weighs as little as for the slow
    runs = {"compiled, batch": (batch.step, fast), "compiled, whole graph": (whole.step, fast),
            "microbp engine": (lambda: run.microbp_demo_step(ours, points, labels), steps),
            "micrograd": (lambda: run.micrograd_demo_step(theirs, points, labels), steps),
            "floats (loss only)": (lambda: run.float_demo_loss(as_floats, points, labels), fast)}
    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, (step, count) in runs.items():
            times[name].append(run.measure(step, count)[1])
    return {name: statistics.median(t) for name, t in times.items()}


def builds(repeats: int) -> dict:
    """Seconds to trace and compile, median of ``repeats``."""
    points, labels = run.two_moons(100)
    model = microbp.nn.MLP(2, [16, 16, 1], rng=random.Random(1337))
    result = {}
    for name, build in (("compiled, batch", lambda: compile_batch(model)),
                        ("compiled, whole graph", lambda: compile_whole(model, points, labels))):
        times = []
        for _ in range(repeats):
            gc.collect()
            start = time.perf_counter()
            build()
            times.append(time.perf_counter() - start)
        result[name] = statistics.median(times)
    return result


def chain(nodes: int) -> Value:
    x = y = Value(1.0, label="x")
    for _ in range(nodes // 2):
        y = y * 1.0001 + 0.0001
    return y, x


def size_cases(quick: bool) -> list:
    """(name, a function giving how to compile and what) for each graph measured."""
    cases = []
    for sizes, label in (((2, [16, 16, 1]), "2-16-16-1"), ((2, [64, 64, 1]), "2-64-64-1")):
        for points in ((100,) if label == "2-16-16-1" else (100, 1000)):
            xs, ys = run.two_moons(points)
            make = (lambda sizes=sizes: microbp.nn.MLP(*sizes, rng=random.Random(1337)))
            cases.append((f"{label} x {points:,}, batch", lambda make=make: (compile_batch, (make(),))))
            cases.append((f"{label} x {points:,}, whole graph", lambda make=make, xs=xs, ys=ys: _whole(make(), xs, ys)))
            if label == "2-64-64-1" and points == 100:
                cases.append((f"{label} x {points:,}, whole, max_edges=10**6",
                              lambda make=make, xs=xs, ys=ys: _whole(make(), xs, ys, max_edges=10 ** 6)))
    if not quick:
        cases.append(("chain of 100,000 nodes", lambda: (lambda y, x: microbp.compile(y, [x]), chain(100_000))))
    return cases


def _whole(model, points, labels, **limits):
    return (lambda total, parameters: microbp.compile(total, parameters, **limits),
            (whole_graph(model, points, labels), model.parameters()))


def size_row(make) -> str:
    """Compile time, and peak memory while compiling (a second run, under tracemalloc)."""
    build, args = make()
    nodes = len(microbp.topological_order(args[0] if isinstance(args[0], Value) else example_graph(args[0])[0]))
    gc.collect()
    start = time.perf_counter()
    try:
        f = build(*args)
    except GraphTooLargeError as error:
        return f"{nodes:>9,} nodes   refused: {str(error).split(' (')[0]}"
    seconds = time.perf_counter() - start
    lines = f.source.count("\n")
    del f
    gc.collect()
    tracemalloc.start()
    build(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return f"{nodes:>9,} nodes  {lines:>8,} lines  {seconds:6.2f} s  {peak / 1e6:6.0f} MB"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no 1e5-node chain")
    args = parser.parse_args(argv)
    repeats, steps = (3, 5) if args.quick else (5, 10)
    print(f"Python {sys.version.split()[0]}, median of {repeats} runs\n")

    per_step = w1(repeats, steps)
    print(f"W1' per step of a training loop ({steps} steps, {10 * steps} for the fast ones), interleaved")
    for name, seconds in per_step.items():
        print(f"    {name:22s} {seconds * 1000:8.2f} ms")
    for name in ("compiled, batch", "compiled, whole graph"):
        print(f"    {name}: {per_step['micrograd'] / per_step[name]:5.0f}x faster than micrograd, "
              f"{per_step[name] / per_step['floats (loss only)']:.2f}x the plain-float loss, "
              f"{per_step['microbp engine'] / per_step[name]:.0f}x faster than the engine")

    print("\nBuild (trace + compile), against the engine's step")
    for name, seconds in builds(repeats).items():
        saved = per_step["microbp engine"] - per_step[name]
        print(f"    {name:22s} {seconds * 1000:8.1f} ms: paid for at step {math.ceil(seconds / saved)} "
              f"(each step saves {saved * 1000:.1f} ms)")

    print("\nSizes: compile time and peak memory while compiling (tracemalloc)")
    for name, make in size_cases(args.quick):
        print(f"    {name:42s} {size_row(make)}")


if __name__ == "__main__":
    main()
