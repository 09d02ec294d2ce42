"""Instructions per training step, counted by valgrind: a measure that stays put from run to run.

Wall-clock times on this project's VM swing by up to 1.7× between runs of the
same code, so a 10% change to the engine cannot be seen in them. The number of
instructions the interpreter executes for a step does not move. Run this
before and after a change:

    python benchmarks/instructions.py            # every workload below
    python benchmarks/instructions.py w1nn       # one of them

w1      W1: micrograd's demo step, same model code (binary ops; see run.py)
w1nn    W1': the demo step with microbp.nn
floats  the W1' loss evaluated with plain floats, the ≤ 5× yardstick
bare    W1' on the bare engine of floor.py
w1c     W1' compiled: one example's graph in a loop over the points (batch="mean"; see compile.py)
w1cw    W1' compiled: the step's whole graph

Each workload runs under ``valgrind --tool=cachegrind --cache-sim=no`` twice,
with 0 and with 2 steps after a warm-up step; the difference, halved, is one
step. Needs valgrind (``apt-get install -y valgrind``).
"""

from __future__ import annotations

import argparse
import importlib
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (the workloads of benchmarks/run.py)

WORKLOADS = ("w1", "w1nn", "floats", "bare", "w1c", "w1cw")


def make_step(workload: str):
    """A function running one step of ``workload``, as benchmarks/run.py and floor.py time it."""
    import microbp
    import microbp.nn
    points, labels = run.two_moons(100)
    if workload == "w1":
        model = run.make_mlp(microbp.Value, microbp.Value.relu, [2, 16, 16, 1], random.Random(1337))
        return lambda: run.demo_step(microbp.Value, microbp.Value.relu, model, points, labels)
    if workload == "bare":
        import floor
        layers = floor.bare_mlp([2, 16, 16, 1], random.Random(1337))
        return lambda: floor.bare_demo_step(layers, points, labels)
    model = microbp.nn.MLP(2, [16, 16, 1], rng=random.Random(1337))
    if workload in ("w1c", "w1cw"):
        compiled = importlib.import_module("compile")      # benchmarks/compile.py
        if workload == "w1c":
            step = compiled.CompiledTraining(compiled.compile_batch(model), model.parameters(),
                                             compiled.rows_of(points, labels))
        else:
            step = compiled.CompiledTraining(compiled.compile_whole(model, points, labels), model.parameters())
        return step.step
    if workload == "floats":
        weights = run.floats_of(model)
        return lambda: run.float_demo_loss(weights, points, labels)
    return lambda: run.microbp_demo_step(model, points, labels)


def instructions(output: str) -> int:
    """The instruction count in cachegrind's summary (``==123== I refs:  1,234,567``)."""
    found = re.search(r"I\s+refs:\s+([\d,]+)", output)
    if not found:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{output[-2000:]}")
    return int(found.group(1).replace(",", ""))


def count(workload: str, steps: int) -> int:
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               sys.executable, __file__, "--run", workload, "--steps", str(steps)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return instructions(result.stderr)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workloads", nargs="*", metavar="WORKLOAD",
                        help=f"which steps to count: {', '.join(WORKLOADS)} (default: all)")
    parser.add_argument("--run", choices=WORKLOADS, help=argparse.SUPPRESS)   # the process valgrind watches
    parser.add_argument("--steps", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        step = make_step(args.run)
        for _ in range(1 + args.steps):        # a warm-up step, then the counted ones
            step()
        return
    unknown = sorted(set(args.workloads) - set(WORKLOADS))
    if unknown:
        parser.error(f"unknown workload(s) {', '.join(unknown)}; choose from {', '.join(WORKLOADS)}")
    if shutil.which("valgrind") is None:
        sys.exit("instructions.py: valgrind is not installed; on Debian: apt-get install -y valgrind")
    per_step = {}
    for workload in args.workloads or WORKLOADS:
        per_step[workload] = (count(workload, 2) - count(workload, 0)) / 2
        print(f"{workload:6s} {per_step[workload] / 1e6:8.1f} M instructions per step")
    if "floats" in per_step:
        for workload in [name for name in ("w1nn", "bare", "w1c", "w1cw") if name in per_step]:
            print(f"{workload} / floats: {per_step[workload] / per_step['floats']:.1f}x")


if __name__ == "__main__":
    main()
