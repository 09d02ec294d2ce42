"""The higher-order docs' figures are what examples/higher_order.py makes now, and its numbers are right."""

import sys
from pathlib import Path

import pytest
import sympy

import microbp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples"))
import higher_order  # noqa: E402

FIGURES = ROOT / "docs" / "figures" / "higher-order"


@pytest.mark.parametrize("make", [higher_order.derivatives_figure, higher_order.newton_figure],
                         ids=lambda make: make.__name__)
def test_plots_are_fresh(make, tmp_path):
    path = make(tmp_path)
    assert path.read_bytes() == (FIGURES / path.name).read_bytes(), (
        f"docs/figures/higher-order/{path.name} is stale: run python examples/make_figures.py")


@pytest.mark.needs_dot
def test_the_backward_graph_figure_is_fresh(tmp_path):
    path = higher_order.backward_figure(tmp_path)
    assert path.read_bytes() == (FIGURES / path.name).read_bytes()


def test_each_derivative_of_tanh_is_sympys():
    s = sympy.Symbol("s", real=True)
    for order in higher_order.ORDERS:
        exact = sympy.diff(sympy.tanh(s), s, order)
        for point in (-2.0, -0.4, 0.0, 1.1):
            value = higher_order.tanh_derivatives(order)(point)
            assert abs(value - float(exact.subs(s, point))) <= 1e-10 * max(1.0, abs(value)), (order, point)


def test_derivative_graphs_grow_with_the_order():
    sizes = higher_order.graph_sizes()
    assert sizes[0] == len(microbp.topological_order(microbp.Value(0.5).tanh()))
    assert all(later > earlier for earlier, later in zip(sizes, sizes[1:]))
