"""Every row of the op table against sympy: generated, so a new row needs no new test."""

import builtins
import math
import operator

import mpmath
import pytest
import sympy
from hypothesis import assume, given, strategies as st
from oracles import call_public, finite_real, operand_counts, real_throughout, sympy_value

import microbp
from microbp import DomainError, Value, gradients
from microbp.core.ops import CALL, OPS, TABLE, Notation, Op, _index
from microbp.text.notation import to_text
from microbp.text.parser import CALLABLE_ROWS, parse

NUMBERS = st.one_of(
    st.integers(-3, 3).map(float),
    st.floats(-3, 3, allow_nan=False).filter(lambda v: v == 0 or abs(v) > 1e-3),
)


def partial(expr, symbols, at):
    """∂ⁿexpr/∂symbols... at ``at``, the other symbols fixed first (so ∂(a**1)/∂a at 0 is 1, not 0/0)."""
    others = {s: sympy.Float(v, 30) for s, v in at.items() if s not in symbols}
    return sympy_value(sympy.diff(expr.subs(others), *symbols), {s: at[s] for s in set(symbols)})


def limit_partial(row, point, index) -> float:
    """∂row/∂input[index] by mpmath's high-precision differences: the oracle where sympy's formula is 0·∞."""
    mpmath.mp.dps = 40

    def f(t):
        args = list(point)
        args[index] = t
        return row.forward(*[float(a) for a in args])
    return float(mpmath.diff(f, point[index], h=mpmath.mpf("1e-12")))


def agrees(engine: float, exact: complex, row, point, index, rel=1e-9) -> bool:
    """The engine's number against sympy's: equal where sympy's is a finite real; else ±inf or nan,
    or the limit (∂(0**b)/∂b = 0, the convention zero-times-anything follows)."""
    if finite_real(exact):
        return math.isclose(engine, exact.real, rel_tol=rel, abs_tol=rel)
    if math.isnan(engine) or math.isinf(engine):
        return True
    if row.name == "pow" and index == 1 and point[0] == 0:
        return engine == 0.0                     # ∂(0 ** b)/∂b is 0 for b >= 0, b = 0 included (PyTorch's)
    return index is not None and math.isclose(engine, limit_partial(row, point, index), abs_tol=1e-9)


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.name)
@given(data=st.data())
def test_row_matches_sympy(row, data):
    """Forward equals sympy's value; each local derivative equals sympy.diff; errors only where sympy agrees."""
    count = data.draw(st.sampled_from(operand_counts(row)))
    point = data.draw(st.lists(NUMBERS, min_size=count, max_size=count))
    symbols = sympy.symbols(f"a0:{count}", real=True)
    expr = row.sympy(sympy, *symbols)
    at = dict(zip(symbols, point))
    exact_value = sympy_value(expr, at)
    leaves = [Value(x) for x in point]
    try:
        out = call_public(row, leaves)
    except DomainError:
        exact_partials = [partial(expr, [s], at) for s in symbols]
        undefined = [z for z in [exact_value] + exact_partials if not finite_real(z)]
        assert undefined, f"{row.name}{tuple(point)} raised DomainError, but sympy finds it defined"
        return
    assert out.op is row
    assert math.isclose(out.data, exact_value.real, rel_tol=1e-12, abs_tol=1e-12)
    for index, (local, symbol) in enumerate(zip(out.local_grads, symbols)):
        exact = partial(expr, [symbol], at)
        assert agrees(local, exact, row, point, index), f"{row.name}{tuple(point)}: ∂/∂{symbol} {local}, sympy {exact}"


def nested(root, leaves, path):
    """∂ⁿroot/∂leaves[path[0]]∂leaves[path[1]]... by gradients(create_graph=True), one order at a time."""
    current = root
    for index in path:
        if not isinstance(current, Value):
            return 0.0
        current = gradients(current, leaves[index], create_graph=True)[leaves[index]]
    return current.data


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.name)
@given(data=st.data())
def test_first_second_and_third_derivatives_of_every_row_match_sympy(row, data):
    """Derivatives as graphs, from the rows' own formulas on Values, against sympy.diff to the 3rd order."""
    count = operand_counts(row)[0]
    point = data.draw(st.lists(NUMBERS.filter(lambda v: abs(v) > 0.05), min_size=count, max_size=count))
    path = data.draw(st.lists(st.integers(0, count - 1), min_size=1, max_size=3))
    leaves = [Value(x, label=f"a{i}") for i, x in enumerate(point)]
    try:
        out = call_public(row, leaves)
    except DomainError:
        assume(False)
    symbols = sympy.symbols(f"a0:{count}", real=True)
    at = dict(zip(symbols, point))
    derivative = sympy.diff(row.sympy(sympy, *symbols), *[symbols[i] for i in path])
    exact = partial(row.sympy(sympy, *symbols), [symbols[i] for i in path], at)
    engine = nested(out, leaves, path)
    assume(finite_real(exact))
    if math.isnan(engine):                       # only where the real function has no derivative
        assert not real_throughout(derivative, at), f"{row.name}{tuple(point)}, ∂ by {path}: engine nan"
        return
    assert math.isclose(engine, exact.real, rel_tol=1e-10, abs_tol=1e-10), (
        f"{row.name}{tuple(point)}, ∂ by {path}: engine {engine}, sympy {exact.real}")
    if row.arity == 1:                           # grad(grad(...)) composes the same derivatives
        function = lambda x: call_public(row, [x])       # noqa: E731
        for _ in path:
            function = microbp.grad(function)
        assert math.isclose(function(point[0]), exact.real, rel_tol=1e-10, abs_tol=1e-10)


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.name)
def test_local_derivatives_on_values_equal_those_on_floats(row):
    """The Values interpreter (create_graph) and the floats interpreter read the same formula."""
    count = operand_counts(row)[0]
    leaves = [Value(0.5 + i) for i in range(count)]
    out = call_public(row, leaves)
    for value_form, float_form in zip(row.grads(microbp.core.engine.VALUES, out, *leaves), out.local_grads):
        value_form = value_form.data if isinstance(value_form, Value) else value_form
        assert math.isclose(value_form, float_form, rel_tol=1e-12)


@pytest.mark.parametrize("row", [row for row in TABLE if row.notation.form in ("call", "lists")],
                         ids=lambda row: row.name)
def test_every_function_is_a_module_function_a_parser_name_and_reads_back(row):
    """microbp.tanh(0.5) is a float, microbp.tanh(Value(0.5)) a node; parse and to_text know the name."""
    args = [0.5] * operand_counts(row)[0]
    number = call_public(row, args)
    node = call_public(row, [Value(x, label=f"x{i}") for i, x in enumerate(args)])
    assert type(number) is float and number == node.data
    assert CALLABLE_ROWS[row.name] is row and row.name in microbp.__dir__()
    again = parse(to_text(node), **{f"x{i}": x for i, x in enumerate(args)})
    assert again.op is row and again.data == node.data


def test_every_row_is_reachable_from_value_or_microbp():
    """A guard: a row nobody can call is a bug, as is an operator with no row."""
    for row in TABLE:
        if row.notation.form == "infix":
            assert hasattr(Value, f"__{row.name}__") and hasattr(Value, f"__r{row.name}__"), row.name
        elif row.notation.form == "prefix":
            assert hasattr(Value, f"__{row.name}__"), row.name
        elif row.arity == 1:
            assert getattr(Value, row.name).__doc__ == row.doc, row.name
        if row.notation.form in ("call", "lists"):
            assert callable(getattr(microbp, row.name)), row.name
            assert (row.name in microbp.__all__) != hasattr(builtins, row.name), row.name   # sum, abs, max: not in *


ARITHMETIC_DUNDERS = {
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
    "__pow__", "__rpow__", "__neg__", "__abs__", "__pos__", "__floordiv__", "__rfloordiv__", "__mod__",
    "__rmod__", "__matmul__", "__divmod__", "__lt__", "__le__", "__gt__", "__ge__",
}


@pytest.mark.parametrize("dunder", sorted(set(vars(Value)) & ARITHMETIC_DUNDERS))
def test_every_operator_of_value_has_a_row(dunder):
    method = getattr(Value, dunder)
    args = [Value(1.5)] + ([Value(0.5)] if dunder not in ("__neg__", "__abs__", "__pos__") else [])
    result = method(*args)
    assert result.op in TABLE, f"Value.{dunder} makes a node whose op is not a table row"
    inputs = [x if type(x) is float else x.data for x in result.parents]
    assert result.data == result.op.forward(*inputs)


@pytest.mark.parametrize("expression", ["a // b", "a % b", "a @ b", "a < b", "divmod(a, b)"])
def test_operators_without_a_row_raise_type_error(expression):
    with pytest.raises(TypeError):
        eval(expression, {"a": Value(1.0), "b": Value(2.0)})


def test_malformed_rows_fail_naming_the_row():
    good = OPS["tanh"]
    bad = Op("bad", 3, "?", Notation("infix", "+", 1), good.forward, good.grads, good.sympy)
    with pytest.raises(TypeError, match="'bad'.*only binary operations can be infix"):
        _index((bad,))
    with pytest.raises(TypeError, match="'tanh'.*used twice"):
        _index((good, good))
    with pytest.raises(TypeError, match="'x y'.*identifier.*forward must be callable"):
        _index((Op("x y", 1, "s", CALL, None, good.grads, good.sympy),))
    summed = OPS["sum"]
    with pytest.raises(TypeError, match="'bad'.*n-ary rows, and only they, are written as lists"):
        _index((Op("bad", None, "?", CALL, summed.forward, summed.grads, summed.sympy, shape=(1, 0)),))
    with pytest.raises(TypeError, match="'bad'.*n-ary rows, and only they, need a shape"):
        _index((Op("bad", 1, "?", CALL, math.exp, OPS["exp"].grads, OPS["exp"].sympy, shape=(1, 0)),))


@pytest.mark.parametrize("x", [-1000.0, -50.0, 50.0, 1000.0])
def test_saturating_functions_give_their_limits(x):
    assert Value(x).sigmoid().data == (1.0 if x > 0 else 0.0) or math.isclose(
        Value(x).sigmoid().data, 1 / (1 + math.exp(-x)), rel_tol=1e-12)
    assert Value(x).tanh().data == math.copysign(1.0, x)
    assert Value(x).sigmoid().local_grads[0] >= 0


def test_symbols_are_the_lecture_symbols():
    symbols = {row.name: row.symbol for row in TABLE}
    assert [symbols[name] for name in ("add", "sub", "mul", "truediv", "pow")] == ["+", "−", "×", "÷", "^"]
    assert symbols["sigmoid"] == "σ"


def test_infix_rows_match_python_operators():
    for row in TABLE:
        if row.infix:
            assert getattr(operator, row.name)(7.0, 2.0) == row.forward(7.0, 2.0)


def test_forwards_are_total_and_derivative_formulas_never_raise():
    """Forward and the floats interpreter give IEEE values (±inf, nan) everywhere; only domain checks refuse."""
    edges = [0.0, -0.0, 5e-324, -5e-324, 1e300, -1e300, math.inf, -math.inf, math.nan, 1.0, -1.0, 0.5]
    for row in TABLE:
        count = operand_counts(row)[0]
        for i, x in enumerate(edges):
            point = [x] + [edges[(i + k * 5) % len(edges)] for k in range(1, count)]
            out = row.forward(*point)
            assert isinstance(out, float), (row.name, point)
            assert all(isinstance(g, float) for g in microbp.core.ops.float_grads(row, out, point)), (row.name, point)
