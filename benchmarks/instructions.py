"""Instructions per training step, counted by valgrind: a measure that stays put from run to run.

Wall-clock times on this project's VM swing by up to 1.7× between runs of the
same code, so a 10% change to the engine cannot be seen in them. The number of
instructions the interpreter executes for a step does not move. Run this
before and after a change:

    python benchmarks/instructions.py            # W1 and W1' (see run.py)
    python benchmarks/instructions.py w1nn       # one of them

Each workload runs under ``valgrind --tool=cachegrind --cache-sim=no`` twice,
with 0 and with 2 steps after a warm-up step; the difference, halved, is one
step. Needs valgrind (``apt-get install -y valgrind``).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (the workloads of benchmarks/run.py)

WORKLOADS = ("w1", "w1nn")


def make_step(workload: str):
    """A function running one step of ``workload`` on microbp, as benchmarks/run.py times it."""
    import microbp
    import microbp.nn
    points, labels = run.two_moons(100)
    if workload == "w1":
        model = run.make_mlp(microbp.Value, microbp.Value.relu, [2, 16, 16, 1], random.Random(1337))
        return lambda: run.demo_step(microbp.Value, microbp.Value.relu, model, points, labels)
    model = microbp.nn.MLP(2, [16, 16, 1], rng=random.Random(1337))
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
    for workload in args.workloads or WORKLOADS:
        per_step = (count(workload, 2) - count(workload, 0)) / 2
        print(f"{workload:5s} {per_step / 1e6:8.1f} M instructions per step")


if __name__ == "__main__":
    main()
