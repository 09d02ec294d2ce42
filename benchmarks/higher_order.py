"""What derivatives as graphs cost: the Hessian of the walkthrough network, microbp against sympy.

    python benchmarks/higher_order.py

The network of the classic backpropagation walkthrough (1 input, two hidden
layers of 2 sigmoid units, 1 sigmoid output, squared error), differentiated
twice by its 8 weights. microbp builds the gradient graphs with
``create_graph=True`` and runs one backward pass per row; sympy builds the
expression, differentiates it symbolically and evaluates the 64 entries. Both
run in one process, interleaved, medians of 5; the answer is checked equal.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import microbp  # noqa: E402
from microbp import Value  # noqa: E402

WEIGHTS = [0.5, -0.3, 0.8, -0.6, 0.2, 0.9, 1.1, -0.7]
NAMES = "w01 w02 w13 w23 w14 w24 w35 w45".split()


def error(w01, w02, w13, w23, w14, w24, w35, w45, x=1.0, target=0.2):
    y1, y2 = (w01 * x).sigmoid(), (w02 * x).sigmoid()
    y3, y4 = (w13 * y1 + w23 * y2).sigmoid(), (w14 * y1 + w24 * y2).sigmoid()
    y5 = (w35 * y3 + w45 * y4).sigmoid()
    return (y5 - target) ** 2 * 0.5


def microbp_hessian() -> list:
    return microbp.hessian(error)(*WEIGHTS)


def sympy_hessian() -> list:
    import sympy

    symbols = sympy.symbols(" ".join(NAMES), real=True)
    expression = error(*[_SympyScalar(s) for s in symbols]).expr
    matrix = sympy.hessian(expression, symbols).subs(dict(zip(symbols, WEIGHTS)))
    return [[float(matrix[i, j]) for j in range(8)] for i in range(8)]


class _SympyScalar:
    """Just enough of Value's interface to run ``error`` on sympy symbols."""

    def __init__(self, expr):
        self.expr = expr

    def _lift(self, other):
        return other.expr if isinstance(other, _SympyScalar) else other

    def __add__(self, other): return _SympyScalar(self.expr + self._lift(other))
    def __sub__(self, other): return _SympyScalar(self.expr - self._lift(other))
    def __mul__(self, other): return _SympyScalar(self.expr * self._lift(other))
    def __pow__(self, other): return _SympyScalar(self.expr ** self._lift(other))
    __radd__, __rmul__ = __add__, __mul__

    def sigmoid(self):
        import sympy
        return _SympyScalar(1 / (1 + sympy.exp(-self.expr)))


def graph_nodes() -> tuple:
    """(nodes of the loss, nodes the 8 gradient graphs add to it)."""
    leaves = [Value(v, label=name) for v, name in zip(WEIGHTS, NAMES)]
    loss = error(*leaves)
    forward = set(microbp.topological_order(loss))
    slopes = list(microbp.gradients(loss, leaves, create_graph=True).values())
    backward = {node for slope in slopes for node in microbp.topological_order(slope)} - forward
    return len(forward), len(backward)


def timed(function, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    import sympy  # noqa: F401  (imported once, outside the timings)

    ours, theirs = microbp_hessian(), sympy_hessian()
    worst = max(abs(a - b) for row_a, row_b in zip(ours, theirs) for a, b in zip(row_a, row_b))
    microbp_time, sympy_time = [], []
    for _ in range(5):                                  # interleaved
        microbp_time.append(timed(microbp_hessian, 1))
        sympy_time.append(timed(sympy_hessian, 1))
    loss_nodes, gradient_nodes = graph_nodes()
    print("Hessian (8 × 8) of the walkthrough network's squared error, by its 8 weights")
    print(f"  microbp (create_graph, 8 backward passes): {statistics.median(microbp_time) * 1e3:8.2f} ms")
    print(f"  sympy (hessian of the expression, subs):   {statistics.median(sympy_time) * 1e3:8.2f} ms")
    print(f"  sympy / microbp: {statistics.median(sympy_time) / statistics.median(microbp_time):.0f}×")
    print(f"  nodes: the loss {loss_nodes}; its 8 gradient graphs add {gradient_nodes}")
    print(f"  largest difference between the two Hessians: {worst:.1e}")


if __name__ == "__main__":
    main()
