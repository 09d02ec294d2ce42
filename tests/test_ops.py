"""Every row of the op table against sympy: generated, so a new row needs no new test."""

import math
import operator

import pytest
import sympy
from hypothesis import given, strategies as st

import microbp
from microbp import DomainError, Value
from microbp.ops import OPS, TABLE, Op, _index
from oracles import call_public, finite_real, operand_counts, sympy_value

NUMBERS = st.one_of(
    st.integers(-3, 3).map(float),
    st.floats(-3, 3, allow_nan=False).filter(lambda v: v == 0 or abs(v) > 1e-3),
)


def partial(expr, symbol, at):
    """∂expr/∂symbol at ``at``, the other symbols fixed first (so ∂(a**1)/∂a at 0 is 1, not 0/0)."""
    others = {s: sympy.Float(v, 30) for s, v in at.items() if s != symbol}
    return sympy_value(sympy.diff(expr.subs(others), symbol), {symbol: at[symbol]})


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
    exact_partials = [partial(expr, s, at) for s in symbols]
    leaves = [Value(x) for x in point]
    try:
        out = call_public(row, leaves)
    except DomainError:
        undefined = [z for z in [exact_value] + exact_partials if not finite_real(z)]
        assert undefined, f"{row.name}{tuple(point)} raised DomainError, but sympy finds it defined"
        return
    assert out.op is row
    assert math.isclose(out.data, exact_value.real, rel_tol=1e-12, abs_tol=1e-12)
    for local, exact in zip(out.local_grads, exact_partials):
        if finite_real(exact):
            assert math.isclose(local, exact.real, rel_tol=1e-9, abs_tol=1e-12)
        else:
            assert math.isnan(local), f"{row.name}: engine {local}, sympy {exact}"


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.name)
def test_row_formulas_work_on_values(row):
    """Local-derivative formulas run on Values too (needed for higher derivatives later)."""
    count = operand_counts(row)[0]
    leaves = [Value(0.5 + i) for i in range(count)]
    out = call_public(row, leaves)
    value_math = type("ValueMath", (), {name: staticmethod(getattr(microbp, name))
                                        for name in ("exp", "log", "sqrt", "tanh", "sigmoid", "sin", "cos")})
    value_math.step = value_math.sign = staticmethod(lambda v: 1.0)
    symbolic = row.local_grads(value_math, out, *leaves)
    for value_form, float_form in zip(symbolic, out.local_grads):
        value_form = value_form.data if isinstance(value_form, Value) else value_form
        assert math.isclose(value_form, float_form, rel_tol=1e-12)


@pytest.mark.parametrize("row", [row for row in TABLE if row.arity != 2], ids=lambda row: row.name)
def test_module_function_accepts_numbers(row):
    """microbp.tanh(0.5) is a float; microbp.tanh(Value(0.5)) a node of the same value."""
    args = [0.5] * operand_counts(row)[0]
    number = call_public(row, args)
    node = call_public(row, [Value(x) for x in args])
    assert type(number) is float and number == node.data


def test_every_row_is_reachable_from_value_or_microbp():
    """A guard: a row nobody can call is a bug, as is an operator with no row."""
    for row in TABLE:
        if row.arity == 2:
            assert hasattr(Value, f"__{row.name}__") and hasattr(Value, f"__r{row.name}__"), row.name
        elif row.arity == 1:
            assert hasattr(Value, row.name) or hasattr(Value, f"__{row.name}__"), row.name
        if row.arity != 2:
            assert callable(getattr(microbp, row.name)), row.name


ARITHMETIC_DUNDERS = {
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
    "__pow__", "__rpow__", "__neg__", "__abs__", "__pos__", "__floordiv__", "__rfloordiv__", "__mod__",
    "__rmod__", "__matmul__", "__divmod__", "__lt__", "__le__", "__gt__", "__ge__",
}


@pytest.mark.parametrize("dunder", sorted(set(vars(Value)) & ARITHMETIC_DUNDERS))
def test_every_operator_of_value_has_a_row(dunder):
    method = getattr(Value, dunder)
    args = [Value(1.5)] + ([Value(0.5)] if dunder not in ("__neg__", "__abs__") else [])
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
    bad = Op("bad", 3, "?", True, good.forward, good.local_grads, good.sympy)
    with pytest.raises(TypeError, match="'bad'.*only binary operations can be infix"):
        _index((bad,))
    with pytest.raises(TypeError, match="'tanh'.*used twice"):
        _index((good, good))
    with pytest.raises(TypeError, match="'x y'.*identifier.*forward must be callable"):
        _index((Op("x y", 1, "s", False, None, good.local_grads, good.sympy),))


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


def test_n_ary_rows_need_a_shape_and_others_none():
    summed = OPS["sum"]
    with pytest.raises(TypeError, match="'bad'.*n-ary rows, and only they, need a shape"):
        _index((Op("bad", None, "?", False, summed.forward, summed.local_grads, summed.sympy),))
    with pytest.raises(TypeError, match="'bad'.*n-ary rows, and only they, need a shape"):
        _index((Op("bad", 1, "?", False, math.exp, OPS["exp"].local_grads, OPS["exp"].sympy, shape=(1, 0)),))
