"""How often check_derivation is right: right derivations, and subtly wrong ones, with the verdict on each.

    python benchmarks/derivations.py              # the table, then the shares
    python benchmarks/derivations.py --jobs 2     # cases in 2 processes
    python benchmarks/derivations.py --growth     # time of verify and to_sympy on growing chains, as ratios

The bar (tests/check/test_derivations.py runs this on every case and asserts it):
no wrong claim is ever proved; every verdict is proved, refuted with a
counterexample, or "agrees at N points, not proved"; the table prints the
share of wrong claims refuted and of right claims proved. Many wrong claims
are wrong only on part of the line: for |x| > 3, for |x| < 0.1, on a narrow
interval, off by 1e-10 relative, with the wrong sign only for x < 0, or only
on one side of a kink, since those are what sampling at a few moderate points
(as check_derivation once did) misses. Times are per case: wall clock, and the
CPU time of this process and its symbolic workers (steadier on a busy machine).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from microbp import GraphTooLargeError, Value, check_derivation, to_sympy, verify  # noqa: E402

SOFTMAX = "exp(z1) + exp(z2) + exp(z3)"
LOSS = f"-log(exp(z1) / ({SOFTMAX}))"


class Case(NamedTuple):
    expression: str
    wrt: str
    claimed: str
    right: bool
    why: str


RIGHT = [Case(*row, True, why) for *row, why in [
    ("sigmoid(z)", "z", "sigmoid(z) * (1 - sigmoid(z))", "the sigmoid identity"),
    ("tanh(w*x + b)", "w", "x*(1 - tanh(w*x + b)**2)", "a tanh neuron"),
    ("sigmoid(w*x)", "w", "x*sigmoid(w*x)*(1 - sigmoid(w*x))", "a sigmoid neuron"),
    ("log(x)", "x", "1/x", "log"),
    ("log(x)", "x", "1/abs(x)", "log: equal where log is defined"),
    ("x**3", "x", "3*x**2", "a power"),
    ("sqrt(x*x + 2*x + 1)", "x", "(x + 1)/abs(x + 1)", "|x + 1| in disguise"),
    ("relu(x)", "x", "step(x)", "relu"),
    ("relu(x - 1)", "x", "step(x - 1)", "a shifted relu"),
    ("relu(x)**2", "x", "2*relu(x)", "a squared relu"),
    ("abs(x)", "x", "sign(x)", "abs"),
    ("abs(x - 2)", "x", "sign(x - 2)", "a shifted abs"),
    ("abs(x)**3", "x", "3*x*abs(x)", "|x|³"),
    ("exp(2*x)", "x", "2*exp(2*x)", "the chain rule"),
    ("sin(x)**2 + cos(x)**2", "x", "0", "a constant in disguise (the claim is a number)"),
    ("cosh(x)**2 - sinh(x)**2", "x", "0", "another constant"),
    ("2*x", "x", "2", "a linear function"),
    ("x + 5", "x", "1", "a shift"),
    ("softplus(x)", "x", "sigmoid(x)", "softplus"),
    ("log1p(x)", "x", "1/(1 + x)", "log1p"),
    ("sinh(x)", "x", "cosh(x)", "sinh"),
    ("x*log(x)", "x", "log(x) + 1", "the product rule"),
    ("sqrt(x)", "x", "1/(2*sqrt(x))", "a square root"),
    ("exp(x)/(1 + exp(x))", "x", "sigmoid(x)*(1 - sigmoid(x))", "sigmoid written out"),
    (LOSS, "z1", f"exp(z1)/({SOFTMAX}) - 1", "softmax cross-entropy, the true class"),
    (LOSS, "z2", f"exp(z2)/({SOFTMAX})", "softmax cross-entropy, another class"),
    ("(w*x + b - y)**2", "w", "2*x*(w*x + b - y)", "squared error"),
    ("x**x", "x", "x**x*(log(x) + 1)", "x to the x"),
    ("log(sigmoid(z))", "z", "1 - sigmoid(z)", "log-sigmoid"),
    ("x*log(y)", "y", "x/y", "x log y"),
    ("1/x", "x", "-1/x**2", "a reciprocal"),
    ("tanh(x)", "x", "1 - tanh(x)**2", "tanh"),
    ("sin(3*x)", "x", "3*cos(3*x)", "a sine"),
    ("exp(-x**2)", "x", "-2*x*exp(-x**2)", "a Gaussian"),
    ("log(x**2)", "x", "2/x", "log of a square, both signs"),
    ("max(x, 1)", "x", "step(x - 1)", "max: a tie is a kink (microbp takes 0.5 there)"),
    ("min(x, 1)", "x", "step(1 - x)", "min: a tie is a kink"),
    ("min(x, 2)", "x", "step(2 - x)", "min, tied at 2"),
    ("max(2*x, 1)", "x", "2*step(2*x - 1)", "max of a line, tied at 1/2"),
]]

WRONG = [Case(*row, False, why) for *row, why in [
    ("x**2", "x", "2*x + relu(x - 3)", "wrong only for x > 3"),
    ("x**2", "x", "2*x - relu(-x - 3)", "wrong only for x < -3"),
    ("x**2", "x", "2*x + relu(x - 1000)", "wrong only for x > 1000"),
    ("x**2", "x", "2*x + 1e-12*relu(x - 5)", "wrong by 1e-12 per unit, only for x > 5"),
    ("x**2", "x", "2*x + relu(0.1 - abs(x))", "wrong only for |x| < 0.1"),
    ("x**2", "x", "2*x + relu(0.001 - abs(x))", "wrong only for |x| < 0.001"),
    ("x**2", "x", "2*x*(1 + 1e-10)", "off by 1e-10 relative"),
    ("exp(x)", "x", "exp(x)*(1 + 1e-10)", "off by 1e-10 relative"),
    ("x**2", "x", "2*x + 2*x*(step(x - 1) - step(x - 1.1))", "a factor 2 on [1, 1.1] (0.1 wide)"),
    ("x**2", "x", "2*x + 2*x*(step(x - 1) - step(x - 1.002))", "a factor 2 on [1, 1.002] (0.002 wide)"),
    ("relu(x)", "x", "step(x) + step(x - 5)*step(5.001 - x)", "wrong on [5, 5.001]"),
    ("abs(x)**3", "x", "3*x**2", "the wrong sign for x < 0"),
    ("relu(x)**2", "x", "2*x", "wrong for x < 0"),
    ("abs(x)", "x", "1", "wrong for x < 0"),
    ("relu(x)", "x", "1", "wrong on the left of the kink"),
    ("relu(x - 1)", "x", "step(x)", "wrong on (0, 1)"),
    ("abs(x - 2)", "x", "sign(x - 2) + 2*step(2 - x)*step(x - 1.99)", "wrong just left of the kink, on (1.99, 2)"),
    ("log(abs(x))", "x", "1/abs(x)", "the wrong sign for x < 0"),
    ("sigmoid(w*x)", "w", "sigmoid(w*x)*(1 - sigmoid(w*x))", "the inner derivative forgotten"),
    ("tanh(w*x + b)", "w", "1 - tanh(w*x + b)**2", "the inner derivative forgotten"),
    ("x**3", "x", "3*x**2 + (x - 1)*(x - 2)", "right at x = 1 and x = 2 only"),
    ("sqrt(x)", "x", "1/sqrt(x)", "a factor 2"),
    ("x*log(x)", "x", "log(x)", "the product rule half done"),
    ("exp(2*x)", "x", "exp(2*x)", "the chain rule forgotten"),
    ("sin(x)**2", "x", "2*sin(x)", "the chain rule forgotten"),
    ("log1p(x)", "x", "1/x", "log1p taken for log"),
    ("1/x", "x", "1/x**2", "the sign"),
    ("(w*x + b - y)**2", "w", "2*(w*x + b - y)", "the inner derivative forgotten"),
    (LOSS, "z2", f"exp(z2)/({SOFTMAX}) - 1", "softmax: the true class's formula for another"),
    ("x**x", "x", "x*x**(x - 1)", "the power rule where it does not apply"),
    ("sinh(x)", "x", "cosh(x)*(1 + 1e-10*step(x - 20))", "off by 1e-10 relative, only for x > 20"),
    ("sigmoid(x)", "x", "sigmoid(x)*(1 - sigmoid(x)) + 1e-30*step(x - 30)", "off by 1e-30, only for x > 30"),
    ("softplus(x)", "x", "sigmoid(-x)", "a sign inside"),
    ("tanh(x)", "x", "1 - tanh(x)", "the square forgotten"),
    ("max(x, 1)", "x", "step(x)", "max: the tie put at 0, wrong on (0, 1)"),
    ("min(x, 1)", "x", "step(x - 1)", "min taken for max"),
    ("max(2*x, 1)", "x", "step(2*x - 1)", "max of a line: the inner factor 2 forgotten"),
    ("max(x, y)", "x", "step(y - x)", "max by x: the sides swapped"),
]]

CASES = RIGHT + WRONG


class Outcome(NamedTuple):
    case: Case
    verdict: str
    detail: str
    seconds: float              # wall clock
    cpu: float                  # this process and its children (the symbolic workers)
    result: object


def _cpu() -> float:
    here, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return here.ru_utime + here.ru_stime + children.ru_utime + children.ru_stime


def run_case(case: Case) -> Outcome:
    start, cpu = time.perf_counter(), _cpu()
    result = check_derivation(case.expression, case.wrt, case.claimed)
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    if result.verdict == "refuted":
        detail = "at " + ", ".join(f"{name} = {value:.6g}" for name, value in result.counterexample.items())
    elif result.verdict == "proved":
        detail = result.how
    else:
        detail = f"{result.points} points over [{result.interval[0]:.3g}, {result.interval[1]:.3g}]"
    return Outcome(case, result.verdict, detail, seconds, cpu, result)


def run(cases=CASES, jobs: int = 1) -> list:
    """The outcome of every case, in order."""
    if jobs == 1:
        return [run_case(case) for case in cases]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(run_case, cases))


def shares(outcomes: list) -> dict:
    """What the bar looks at: wrong claims proved (must be 0), refuted, and right claims proved."""
    wrong = [o for o in outcomes if not o.case.right]
    right = [o for o in outcomes if o.case.right]
    return {"wrong": len(wrong), "right": len(right),
            "wrong proved": sum(o.verdict == "proved" for o in wrong),
            "wrong refuted": sum(o.verdict == "refuted" for o in wrong),
            "right refuted": sum(o.verdict == "refuted" for o in right),
            "right proved": sum(o.verdict == "proved" for o in right),
            "verdicts": sorted({o.verdict for o in outcomes})}


def table(outcomes: list) -> str:
    lines = [f"{'claim':<9}{'verdict':<9}{'wall s':>7}{'cpu s':>7}  case", "-" * 100]
    for o in outcomes:
        c = o.case
        lines.append(f"{'right' if c.right else 'WRONG':<9}{o.verdict:<9}{o.seconds:7.2f}{o.cpu:7.2f}  "
                     f"d/d{c.wrt} {c.expression} = {c.claimed}   ({c.why}; {o.detail})")
    s = shares(outcomes)
    lines += ["", f"wrong claims refuted with a counterexample: {s['wrong refuted']} of {s['wrong']} "
                  f"({s['wrong refuted'] / s['wrong']:.0%}); proved: {s['wrong proved']} (must be 0)",
              f"right claims proved: {s['right proved']} of {s['right']} ({s['right proved'] / s['right']:.0%}); "
              f"refuted: {s['right refuted']} (must be 0)",
              f"verdicts seen: {', '.join(s['verdicts'])}; total {sum(o.seconds for o in outcomes):.1f} s wall, "
              f"{sum(o.cpu for o in outcomes):.1f} s cpu (with the symbolic workers)"]
    return "\n".join(lines)


# --- growth: time per node should not grow with the graph -------------------------------------

def chain(nodes: int) -> Value:
    """About ``nodes`` nodes: y -> tanh(0.9 y) + 0.01, over and over."""
    y = Value(0.5, label="x")
    for _ in range(nodes // 3):
        y = (y * 0.9).tanh() + 0.01
    return y


def wide(nodes: int) -> Value:
    """About ``nodes`` nodes, nested 3 deep: Σ tanh(cᵢ x) as one sum node."""
    import microbp

    x = Value(0.5, label="x")
    return microbp.sum([(x * (1 + i / nodes)).tanh() for i in range(nodes // 2)])


def cpu_seconds(function, *args) -> float:
    """The best of three runs, in CPU seconds of this process, each with sympy's cache emptied."""
    from sympy.core.cache import clear_cache

    times = []
    for _ in range(3):
        clear_cache()
        start = time.process_time()
        function(*args)
        times.append(time.process_time() - start)
    return min(times)


def growth() -> str:
    lines = [f"{'work':<12}{'nodes':>8}{'cpu s':>9}{'× per ×2 nodes':>16}",
             "(verify: a chain y -> tanh(0.9 y) + 0.01; to_sympy: a sum of tanh(c x), one node)"]
    for name, function, shape, sizes in (("verify", verify, chain, (1000, 2000, 4000, 8000, 16000)),
                                         ("to_sympy", to_sympy, wide, (250, 500, 1000, 1990))):
        function(shape(30))
        previous = None
        for nodes in sizes:
            seconds = cpu_seconds(function, shape(nodes))
            ratio = f"{seconds / previous:16.2f}" if previous else ""
            lines.append(f"{name:<12}{nodes:>8}{seconds:9.3f}{ratio}")
            previous = seconds
    try:
        to_sympy(chain(10_000))
    except GraphTooLargeError as error:
        lines.append(f"to_sympy on 10000 nodes: refused up front ({error})")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1, help="processes to run the cases in")
    parser.add_argument("--growth", action="store_true", help="time verify and to_sympy on growing chains")
    args = parser.parse_args(argv)
    print(growth() if args.growth else table(run(jobs=args.jobs)))


if __name__ == "__main__":
    main()
