"""to_sympy, symbols, parse_sympy, exact: the bridge to sympy, exact and bounded."""

import math

import pytest
import sympy

from microbp import DomainError, GraphTooLargeError, Value, lecture_neuron, symbols, to_sympy
from microbp.check.sympy_bridge import exact, parse_sympy


def test_to_sympy_of_the_neuron():
    expr = to_sympy(lecture_neuron())
    x1, x2, w1, w2, b = sympy.symbols("x1 x2 w1 w2 b", real=True)
    assert sympy.simplify(expr - sympy.tanh(x1 * w1 + x2 * w2 + b)) == 0


def test_to_sympy_names_unlabelled_leaves_and_keeps_constants_exact():
    a, b = Value(1.0), Value(2.0, label="x0")
    expr = to_sympy(a * 0.1 + b ** 2)
    assert str(expr) == "x0**2 + x1/10"


def test_to_sympy_keeps_same_labelled_leaves_apart():
    first, second = Value(1.0, label="w"), Value(2.0, label="w")
    expr = to_sympy(first * second + first)
    assert sorted(s.name for s in expr.free_symbols) == ["w", "w_2"]


def test_to_sympy_shares_subexpressions():
    x = Value(0.5, label="x")
    y = (x * 3).tanh()
    for _ in range(10):            # as a tree: 2**10 copies of tanh(3x); as built: one, shared
        y = y * 0.5 + y * y
    expr = to_sympy(y)
    assert len(expr.atoms(sympy.tanh)) == 1
    value = expr.subs(sympy.Symbol("x", real=True), sympy.Rational(1, 2)).evalf(30)
    assert math.isclose(float(value), y.data, rel_tol=1e-9)


@pytest.mark.parametrize("method", ["relu", "abs"])
def test_kinks_differentiate_to_the_engine_convention(method):
    x = Value(0.0, label="x")
    out = getattr(x, method)()
    out.backward()
    symbol = sympy.Symbol("x", real=True)
    assert float(sympy.diff(to_sympy(out), symbol).subs(symbol, 0)) == x.grad == 0.0


def test_to_sympy_takes_the_users_symbols_by_name():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    mine_a, mine_b = sympy.Symbol("a"), sympy.Symbol("b", positive=True)
    for given in ([mine_a, mine_b], {"a": mine_a, "b": mine_b}):
        assert to_sympy(a * b, symbols=given).free_symbols == {mine_a, mine_b}
    assert to_sympy(a * b, symbols=mine_a).free_symbols == {mine_a, sympy.Symbol("b", real=True)}
    with pytest.raises(TypeError, match="symbols= needs sympy Symbols, got 'a'"):
        to_sympy(a * b, symbols=["a"])


def test_symbols_are_real_and_named_as_to_sympy_names_them():
    first, second = Value(1.0, label="w"), Value(2.0, label="w")
    root = first * second + Value(3.0)
    named = symbols(root)
    assert list(named) == ["w", "w_2", "x0"] and all(s.is_real for s in named.values())
    assert set(named.values()) == to_sympy(root).free_symbols


@pytest.mark.parametrize("text, expected", [
    ("1/3 + x", sympy.Rational(1, 3) + sympy.Symbol("x", real=True)),
    ("2**0.5", sympy.sqrt(2)),
    ("0.1 * 3", sympy.Rational(3, 10)),
    ("log(2) * x", sympy.log(2) * sympy.Symbol("x", real=True)),
    ("10.0 ** 400", sympy.oo),
])
def test_parse_sympy_keeps_numbers_exact(text, expected):
    """A number the parser folds as a float would be off by 1e-17: a claim "1/3" would not be d(x/3)/dx."""
    assert parse_sympy(text) == expected


def test_parse_sympy_refuses_numbers_outside_a_domain_and_deep_nesting():
    with pytest.raises(DomainError, match="log: needs x > 0"):
        parse_sympy("log(0) + x")
    deep = "x"
    for _ in range(100):
        deep = f"sigmoid({deep})"
    with pytest.raises(GraphTooLargeError, match="nested too deeply for sympy"):
        parse_sympy(deep)


def test_exact_numbers():
    assert (exact(0.1), exact(2.0), exact(-math.inf), exact("x")) == (sympy.Rational(1, 10), 2, -sympy.oo, "x")
    assert exact(math.nan) is sympy.nan


def chain(depth: int, step) -> Value:
    x = Value(0.5, label="x")
    for _ in range(depth):
        x = step(x)
    return x


def test_to_sympy_refuses_a_large_graph_naming_the_argument():
    y = chain(1100, lambda v: v * 1.0001)
    with pytest.raises(GraphTooLargeError, match=r"to_sympy: the graph has 1101 nodes, over the limit of 1000; "
                                                 r"pass max_nodes=1101 to to_sympy"):
        to_sympy(y, max_nodes=1000)
    assert to_sympy(chain(10, lambda v: v * 1.5)).free_symbols == {sympy.Symbol("x", real=True)}


def test_to_sympy_refuses_deep_nesting_up_front_and_never_lets_recursion_error_out():
    deep = chain(60, lambda v: v.sigmoid())                # 4 sympy levels each: 240
    with pytest.raises(GraphTooLargeError, match=r"nested 240 levels deep.*pass max_depth=240"):
        to_sympy(deep)
    with pytest.raises(GraphTooLargeError, match="nested too deeply for sympy"):
        to_sympy(chain(300, lambda v: v.sigmoid()), max_depth=None)
