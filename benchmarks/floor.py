"""How fast could the same graphs be? A bare engine, side by side with microbp and micrograd.

The bare engine builds the graphs microbp builds, with microbp's node layout
(one or two operands in slots, n-ary operands in tuples, walked without a
check when none is a constant), its traversal and its backward loop, and
nothing else: no operation table, no type or domain checks, no scopes,
labels or constants kept for drawing. It is a yardstick for the speed
targets, not a library: what microbp's design costs without what the issues
ask around it.

Run with ``python benchmarks/floor.py`` (``./dev bench`` installs micrograd).

W1' micrograd's demo step with each library's network code; the bare engine
    builds what ``microbp.nn`` builds: an affine node and a relu per neuron.
W2  the chain x -> x * 1.0001 + 0.0001 at depth 1e6: time per op.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import statistics
import sys
import time
from itertools import filterfalse
from operator import mul
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (the workloads and the timing of benchmarks/run.py)


class Node:
    """A bare node: operands ``a``, ``b`` with local derivatives, or tuples for n-ary nodes."""

    __slots__ = ("data", "grad", "a", "b", "da", "db", "many", "dmany", "computed")

    def __init__(self, data, a=None, da=None, b=None, db=None, many=None, dmany=None):
        self.data, self.grad = data, 0.0
        self.a, self.b, self.da, self.db, self.many, self.dmany = a, b, da, db, many, dmany
        self.computed = a is not None or many is not None


def affine(weights, inputs, bias):
    """w·x + b as one node; the inputs are all floats (the first layer) or all nodes."""
    operands = (*weights, *inputs, bias)
    data = [x.data if type(x) is Node else x for x in operands]
    n = len(weights)
    dmany = (*data[n:2 * n], *data[:n], 1.0)
    out = sum(map(mul, data[:n], data[n:2 * n])) + data[-1]
    if type(inputs[0]) is float:        # constants among the operands: backward checks each
        return Node(out, many=operands, dmany=dmany)
    return Node(out, operands, dmany, many=operands, dmany=dmany)


def neuron(weights, bias, nonlinear, inputs):
    z = affine(weights, inputs, bias)
    return relu(z) if nonlinear else z


def relu(x):
    return Node(x.data if x.data > 0 else 0.0, x, 1.0 if x.data > 0 else 0.0)


def backward(root) -> None:
    """microbp's backward: a depth-first order of the computed nodes, then one multiply-add per operand."""
    was_enabled = gc.isenabled()
    gc.disable()
    order, seen = [], {None}
    stack = [(None, iter((root,)))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if parent not in seen:
                seen.add(parent)
                if type(parent) is Node and parent.computed:
                    stack.append((parent, iter((parent.a, parent.b)) if parent.many is None
                                  else filterfalse(seen.__contains__, parent.many)))
                    break
        else:
            stack.pop()
            order.append(node)
    order.pop()
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        upstream = node.grad
        if node.many is None:
            if type(node.a) is Node:
                node.a.grad += node.da * upstream
            if type(node.b) is Node:
                node.b.grad += node.db * upstream
        elif node.a is not None:        # n-ary, every operand a node
            for parent, local in zip(node.a, node.da):
                parent.grad += local * upstream
        else:
            for parent, local in zip(node.many, node.dmany):
                if type(parent) is Node:
                    parent.grad += local * upstream
    if was_enabled:
        gc.enable()


def bare_mlp(sizes, rng):
    """(weights, bias, nonlinear) per neuron, per layer, drawn as microbp.nn and micrograd draw them."""
    return [[([Node(rng.uniform(-1, 1)) for _ in range(nin)], Node(0.0), i != len(sizes) - 2) for _ in range(nout)]
            for i, (nin, nout) in enumerate(zip(sizes, sizes[1:]))]


def parameters(layers) -> list:
    """Every weight and bias, in microbp.nn's order."""
    return [p for layer in layers for weights, bias, _ in layer for p in weights + [bias]]


def bare_demo_step(layers, points, labels):
    """microbp_demo_step (benchmarks/run.py) on the bare engine: hinge loss, L2 as one node, SGD.

    One simplification: each margin 1 − y·s is one node, where microbp makes two (100 of 6,800).
    """
    weights_and_biases = tuple(parameters(layers))
    scores = []
    for x in points:
        for layer in layers:
            x = [neuron(w, b, nonlinear, x) for w, b, nonlinear in layer]
        scores.append(x[0])
    margins = tuple([relu(Node(1.0 - y * s.data, s, -y)) for s, y in zip(scores, labels)])
    mean = (1.0 / len(margins),) * len(margins)
    data_loss = Node(sum(m.data for m in margins) / len(margins), margins, mean, many=margins, dmany=mean)
    doubled = tuple(2e-4 * p.data for p in weights_and_biases)
    l2 = Node(1e-4 * sum(p.data * p.data for p in weights_and_biases), weights_and_biases, doubled,
              many=weights_and_biases, dmany=doubled)
    total = Node(data_loss.data + l2.data, data_loss, 1.0, l2, 1.0)
    for p in weights_and_biases:
        p.grad = 0.0
    backward(total)
    for p in weights_and_biases:
        p.data -= 0.01 * p.grad
    return total


def chain(depth: int) -> tuple:
    """(x, y) for y = x -> x * 1.0001 + 0.0001, depth times; constants stay in slots, as in microbp."""
    x = y = Node(1.0)
    for _ in range(depth):
        y = Node(y.data * 1.0001, y, 1.0001, 1.0001, y.data)
        y = Node(y.data + 0.0001, y, 1.0, 0.0001, 1.0)
    return x, y


def bare_chain(depth: int) -> float:
    """Seconds per op for forward + backward, timed as run.chain times microbp."""
    gc.collect()
    start = time.perf_counter()
    x, y = chain(depth)
    backward(y)
    elapsed = time.perf_counter() - start
    del x, y
    return elapsed / (2 * depth)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, chain of depth 1e5")
    args = parser.parse_args(argv)
    repeats, steps, depth = (3, 3, 100_000) if args.quick else (5, 10, 1_000_000)
    import micrograd.nn
    import microbp.nn

    points, labels = run.two_moons(100)
    random.seed(1337)
    theirs = micrograd.nn.MLP(2, [16, 16, 1])
    random.seed(1337)
    ours = microbp.nn.MLP(2, [16, 16, 1])
    bare = bare_mlp([2, 16, 16, 1], random.Random(1337))
    same_loss = (bare_demo_step(bare_mlp([2, 16, 16, 1], random.Random(1337)), points, labels).data,
                 run.microbp_demo_step(microbp.nn.MLP(2, [16, 16, 1], rng=random.Random(1337)), points, labels).data)
    assert math.isclose(*same_loss, rel_tol=1e-12), f"the bare engine computes another loss: {same_loss}"
    as_floats = run.floats_of(ours)
    runs = {"bare engine": lambda: bare_demo_step(bare, points, labels),
            "microbp.nn": lambda: run.microbp_demo_step(ours, points, labels),
            "micrograd.nn": lambda: run.micrograd_demo_step(theirs, points, labels),
            "floats (loss only)": lambda: run.float_demo_loss(as_floats, points, labels)}
    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, step in runs.items():
            times[name].append(run.measure(step, steps)[1])
    per_step = {name: statistics.median(t) for name, t in times.items()}
    print(f"W1' per step of a {steps}-step loop, median of {repeats}")
    for name in ("bare engine", "microbp.nn"):
        print(f"    {name:12s} {per_step[name] * 1000:7.1f} ms: "
              f"{per_step['micrograd.nn'] / per_step[name]:5.1f}x faster than micrograd.nn "
              f"({per_step['micrograd.nn'] * 1000:.0f} ms), "
              f"{per_step[name] / per_step['floats (loss only)']:4.1f}x the plain-float loss "
              f"({per_step['floats (loss only)'] * 1000:.1f} ms)")

    chains = {"bare engine": [], "microbp": []}
    for _ in range(max(1, repeats - 2)):
        chains["bare engine"].append(bare_chain(depth))
        chains["microbp"].append(run.chain(microbp.Value, depth))
    print(f"\nW2  chain of depth {depth:,}, forward + backward, per op, median of {max(1, repeats - 2)}")
    for name, t in chains.items():
        print(f"    {name:12s} {statistics.median(t) * 1e9:7.0f} ns")


if __name__ == "__main__":
    main()
