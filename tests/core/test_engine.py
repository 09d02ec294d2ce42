"""Value, backward and the traversal: behaviour a user relies on, with sympy as the oracle."""

import gc
import math
import re
import warnings
import weakref
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, strategies as st

import microbp
from microbp import DomainError, MicrobpError, Value, topological_order, zero_grad
from microbp.core.functions import PUBLIC_FUNCTIONS, is_weighted_sum
from microbp.core.ops import FLOATS

# --- construction ---------------------------------------------------------------

@pytest.mark.parametrize("data", [2, 2.5, -0.0, Fraction(1, 3), 10**20])
def test_value_accepts_real_numbers(data):
    assert Value(data).data == float(data) and type(Value(data).data) is float


@pytest.mark.parametrize("data", ["3", None, [1.0], 1 + 2j, True, Value(1.0), b"1", {}])
def test_value_rejects_non_numbers_naming_the_value(data):
    with pytest.raises(TypeError, match=re.escape(f"Value(data) needs a real number, got {data!r}")):
        Value(data)


def test_label_must_be_a_string():
    assert Value(1.0, label="x").label == "x"
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)


@pytest.mark.parametrize("operand", ["2", None, [1], 1j])
def test_operators_reject_non_numbers_naming_op_and_value(operand):
    with pytest.raises(TypeError, match=r"mul: cannot use .* as an operand"):
        Value(1.0) * operand
    with pytest.raises(TypeError, match=r"add: cannot use"):
        operand + Value(1.0)


def test_repr_reads_well_and_says_when_no_gradient_is_computed_yet():
    o = Value(2.0 ** -0.5, label="o")
    assert repr(o) == "Value(data=0.7071, grad=?, label='o')"
    o.backward()
    assert repr(o) == "Value(data=0.7071, grad=1, label='o')"
    assert repr(Value(3.0)) == "Value(data=3, grad=?)"
    v = Value(3.0)
    zero_grad([v])
    assert repr(v) == "Value(data=3, grad=0)"
    assert Value(1.0).grad + 2.0 == 2.0              # "not computed" is 0.0 in arithmetic


def test_a_value_formats_converts_and_rounds_like_its_number():
    loss = Value(2.0) * 1.23456
    assert f"{loss:.4f}" == "2.4691" and f"{loss:>8.2f}" == "    2.47" and float(loss) == 2.46912
    assert round(loss) == 2 and round(loss, 2) == 2.47 and f"{loss}" == repr(loss)


def test_values_pickle_with_their_graph_even_when_deep():
    import pickle
    x = Value(2.0, label="x")
    y = (x * 3 + 1).tanh()
    y.backward()
    copy = pickle.loads(pickle.dumps(y))
    assert copy.data == y.data and copy.grad == y.grad and copy.op is y.op
    assert [n.label for n in topological_order(copy)] == [n.label for n in topological_order(y)]
    chain = x
    for _ in range(20000):
        chain = chain * 1.0001
    assert pickle.loads(pickle.dumps(chain)).data == chain.data
    both = pickle.loads(pickle.dumps((x, x * x)))      # a leaf keeps its identity within one pickle
    assert both[1].parents == (both[0], both[0])


# --- the graph shows what was written --------------------------------------------

def test_subtraction_and_division_are_single_nodes():
    a, b = Value(6.0), Value(3.0)
    assert (a - b).op.name == "sub" and (a - b).parents == (a, b) and (a - b).local_grads == (1.0, -1.0)
    assert (a / b).op.name == "truediv" and (a / b).parents == (a, b)
    assert len(topological_order(a / b)) == 3


def test_constants_are_floats_among_the_parents_and_get_no_gradient():
    x = Value(3.0)
    y = 2 * x
    assert y.parents == (2.0, x) and type(y.parents[0]) is float
    y.backward()
    assert x.grad == 2.0
    assert topological_order(y) == [x, y]


def test_reflected_operators_keep_operand_order():
    x = Value(2.0)
    assert (1 - x).parents == (1.0, x) and (1 - x).data == -1.0
    assert (8 / x).data == 4.0 and (2 ** x).data == 4.0 and (2 ** x).parents == (2.0, x)


def test_in_place_operators_make_new_nodes():
    c = Value(1.0)
    original = c
    c += 1
    assert c is not original and c.parents == (original, 1.0) and original.data == 1.0


def test_a_times_a_has_a_twice():
    a = Value(3.0)
    square = a * a
    assert square.parents == (a, a)
    square.backward()
    assert a.grad == 6.0


def test_module_functions_accept_values_and_numbers():
    assert microbp.tanh(0.0) == 0.0
    node = microbp.exp(Value(0.0))
    assert node.op.name == "exp" and node.data == 1.0


def test_dot_is_one_node_with_2n_parents():
    weights = [Value(float(i)) for i in range(5)]
    inputs = [1.0, 2.0, 3.0, 4.0, 5.0]
    z = microbp.dot(weights, inputs)
    assert len(z.parents) == 10 and z.data == sum(i * x for i, x in zip(range(5), inputs))
    z.backward()
    assert [w.grad for w in weights] == inputs


def test_dot_rejects_unequal_lengths():
    with pytest.raises(ValueError, match="dot: needs as many weights as inputs, got 2 and 3"):
        microbp.dot([Value(1.0)] * 2, [1.0] * 3)


def test_affine_is_one_node_with_2n_plus_1_parents():
    weights, bias = [Value(float(i)) for i in range(3)], Value(0.5)
    inputs = [1.0, 2.0, 3.0]
    z = microbp.affine(weights, inputs, bias)
    assert z.parents == (*weights, *inputs, bias) and z.data == 0 * 1 + 1 * 2 + 2 * 3 + 0.5
    z.backward()
    assert [w.grad for w in weights] == inputs and bias.grad == 1.0


def test_affine_rejects_unequal_lengths():
    with pytest.raises(ValueError, match="affine: needs as many weights as inputs, got 2 and 1"):
        microbp.affine([Value(1.0)] * 2, [1.0], 0.0)


@pytest.mark.parametrize("build, c_grad", [
    (lambda w, v, x, c: microbp.dot([w, w, v], [x, c, w]), 3.0),
    (lambda w, v, x, c: microbp.affine([w, w], [x, c], v * w), 3.0),
    (lambda w, v, x, c: microbp.sum([w * x, w, w, v * w, c]) - c, 0.0),
], ids=["dot", "affine", "sum"])
@pytest.mark.parametrize("constant", [True, False], ids=["with a constant", "Values only"])
def test_n_ary_backward_counts_each_appearance_and_skips_constants(build, c_grad, constant):
    """w·x + 2·w + v·w whichever way it is built: ∂/∂w = x + 2 + v, ∂/∂v = w, ∂/∂x = w."""
    w, v, x = Value(3.0), Value(-0.5), Value(4.0)
    c = 2.0 if constant else Value(2.0)
    z = build(w, v, x, c)
    assert z.data == 3.0 * 4.0 + 2.0 * 3.0 - 0.5 * 3.0
    z.backward()
    assert (w.grad, v.grad, x.grad) == (4.0 + 2.0 - 0.5, 3.0, 3.0)
    if not constant:
        assert c.grad == c_grad


@given(st.data())
def test_weighted_sums_give_exactly_what_their_rows_give(data):
    """dot and affine build their nodes on a fast path; the table's rows stay the truth."""
    n = data.draw(st.integers(1, 6))
    numbers = st.floats(-1e6, 1e6, allow_nan=False)
    weights = [Value(w) for w in data.draw(st.lists(numbers, min_size=n, max_size=n))]
    inputs = [data.draw(st.one_of(numbers, numbers.map(Value))) for _ in range(n)]
    bias = data.draw(st.one_of(numbers, numbers.map(Value)))
    rows = [row for row in microbp.TABLE if is_weighted_sum(row)]
    assert rows
    for row in rows:
        node = PUBLIC_FUNCTIONS[row.name](weights, inputs, *[bias] * row.shape[1])
        assert node.op is row
        floats = [x if type(x) is float else x.data for x in node.parents]
        assert node.data == node.op.forward(*floats)
        assert node.local_grads == tuple(node.op.grads(FLOATS, node.data, *floats))


def test_weighted_sums_of_other_numbers_and_of_numbers_only():
    """Ints and fractions become float constants; with no Value at all the result is a float."""
    z = microbp.affine([Value(2.0)], [3], Fraction(1, 2))
    assert z.parents[1:] == (3.0, 0.5) and z.data == 6.5
    assert microbp.dot([2.0, 1.0], [3, 4]) == 10.0 and microbp.affine([2.0], [3.0], 1) == 7.0
    with pytest.raises(TypeError, match="affine: cannot use 'x'"):
        microbp.affine([Value(1.0)], ["x"], 0.0)


def test_sum_of_a_list_and_of_nothing():
    xs = [Value(1.0), Value(2.0)]
    assert microbp.sum(xs + [10]).data == 13.0 and microbp.sum([]) == 0.0
    with pytest.raises(TypeError, match=r"sum: takes 1 list\(s\), got 2 arguments"):
        microbp.sum(xs, 10)


# --- domain errors, at forward time, naming op and value ----------------------------

@pytest.mark.parametrize("build, message", [
    (lambda: Value(0.0).log(), r"log: needs x > 0, got x = 0.0"),
    (lambda: Value(-1.0).log(), r"log: needs x > 0, got x = -1.0"),
    (lambda: Value(-1.0).sqrt(), r"sqrt: needs x >= 0, got x = -1.0"),
    (lambda: Value(1.0) / 0, r"truediv: division by zero \(1.0 / 0.0\)"),
    (lambda: 1 / Value(0.0), r"truediv: division by zero"),
    (lambda: Value(0.0) ** -1, r"pow: 0 \*\* -1.0 divides by zero|pow: 0.0 \*\* -1.0"),
    (lambda: Value(-2.0) ** 0.5, r"pow: -2.0 \*\* 0.5 is not a real number"),
    (lambda: Value(-1.0).log1p(), r"log1p: needs x > -1, got x = -1.0"),
])
def test_domain_errors_name_the_op_and_the_value(build, message):
    with pytest.raises(DomainError, match=message) as error:
        build()
    assert isinstance(error.value, ValueError) and isinstance(error.value, MicrobpError)


def test_no_complex_numbers_leak_in():
    assert type((Value(-2.0) ** 3).data) is float
    assert math.isnan((Value(-2.0) ** Value(2.0)).local_grads[1])   # ∂/∂exponent has no real value


@pytest.mark.parametrize("build", [
    lambda: Value(1e200) * Value(1e200), lambda: Value(1e200) ** 2, lambda: Value(710.0).exp(),
    lambda: Value(10.0) ** 400, lambda: Value(1e300) + Value(1e308) * 2, lambda: -Value(-800.0).sinh(),
    lambda: Value(800.0).cosh(), lambda: microbp.exp(Value(1000.0)),
])
def test_overflow_is_inf_in_every_row_never_an_error(build):
    """One policy, as IEEE floats and PyTorch: a result too large for a float is +inf."""
    assert build().data == math.inf


def test_square_root_at_zero_has_a_value_and_an_infinite_slope():
    for build in (lambda x: x.sqrt(), lambda x: x ** 0.5):
        x = Value(0.0)
        y = build(x)
        y.backward()
        assert y.data == 0.0 and x.grad == math.inf


def test_nan_stays_nan_through_every_unary_row():
    for row in microbp.TABLE:
        if row.arity == 1 and row.name not in ("step", "sign"):
            assert math.isnan(microbp.apply(row, [Value(math.nan)]).data), row.name
    assert math.isnan(Value(math.nan).relu().data)


def test_non_finite_exponents_are_values_or_domain_errors_never_raw_python_errors():
    assert (Value(-2.0) ** math.inf).data == math.inf and math.isnan((Value(-2.0) ** math.nan).data)
    assert (Value(0.5) ** math.inf).data == 0.0


def test_zero_times_anything_is_zero_in_the_chain_rule():
    x = Value(-1.0)
    y = x ** x.relu()                  # (-1) ** 0: locally constant 1; ∂(a**b)/∂b has no real value,
    y.backward()                       # but it is multiplied by relu'(-1) = 0
    assert y.data == 1.0 and x.grad == 0.0
    x = Value(5e-324)                  # log'(x) = 1/x overflows to inf; relu' = 0 stops it
    (x.log().relu() + x).backward()
    assert x.grad == 1.0
    x = Value(0.0)                     # √'(0) = inf, times an upstream 0
    (x.sqrt() * 0.0 + x).backward()
    assert x.grad == 1.0


def test_power_by_a_constant_differentiates_a_negative_base_and_zero_base_by_the_exponent():
    d2 = microbp.grad(microbp.grad(lambda x: x ** 2))
    assert d2(-2.0) == 2.0
    b = Value(3.0)
    (Value(0.0) ** b).backward()
    assert b.grad == 0.0               # ∂(0 ** b)/∂b = 0 for b > 0, as in PyTorch


def test_kinks_follow_the_documented_convention():
    for method in ("relu", "abs"):
        x = Value(0.0)
        getattr(x, method)().backward()
        assert x.grad == 0.0, method


# --- backward semantics ----------------------------------------------------------------

def test_lecture_neuron():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    assert math.isclose(o.data, 0.70710678, rel_tol=1e-8)
    expected = {x1: -1.5, w1: 1.0, x2: 0.5, w2: 0.0, b: 0.5}
    for leaf, grad in expected.items():
        assert math.isclose(leaf.grad, grad, rel_tol=1e-9, abs_tol=1e-12), leaf.label


def test_leaves_accumulate_and_inner_nodes_show_this_pass():
    w = Value(3.0)
    hidden = w * w
    loss = hidden * 2
    loss.backward()
    assert (w.grad, hidden.grad, loss.grad) == (12.0, 2.0, 1.0)
    with pytest.warns(microbp.GradientAccumulationWarning, match=r"reset them first: value.zero_grad\(\)"):
        loss.backward()
    assert (w.grad, hidden.grad, loss.grad) == (24.0, 2.0, 1.0)
    zero_grad([w])
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # reset: accumulating again is not a mistake
        loss.backward(gradient=0.5)
    assert (w.grad, hidden.grad, loss.grad) == (6.0, 1.0, 0.5)


def test_a_second_backward_from_another_loss_on_the_same_leaves_does_not_warn():
    w = Value(3.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (w * 2).backward()
        (w * w).backward()                       # two mini-batches: accumulating is the point
    assert w.grad == 8.0


def test_backward_gradient_must_be_a_number():
    with pytest.raises(TypeError, match=r"backward\(gradient\) needs a real number"):
        (Value(1.0) * 2).backward("1")


def test_backward_on_a_leaf():
    leaf = Value(4.0)
    leaf.backward()
    with pytest.warns(microbp.GradientAccumulationWarning):
        leaf.backward()
    assert leaf.grad == 2.0


def test_topological_order_is_deterministic_and_parents_first():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    assert order == [a, b, c, d, e]
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]


def test_chain_of_a_million_nodes():
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0000001
    y.backward()
    assert math.isclose(x.grad, 1.0000001 ** 1_000_000, rel_tol=1e-6)
    del y    # freeing a deep chain must not overflow the C stack either


def test_sum_of_100000_values():
    xs = [Value(float(i)) for i in range(100_000)]
    total = microbp.sum(x * x for x in xs)
    total.backward()
    assert total.data == sum(float(i) ** 2 for i in range(100_000))
    assert xs[7].grad == 14.0


def test_a_dropped_graph_is_freed_without_the_cycle_collector():
    gc.disable()
    try:
        x = Value(1.5)
        y = ((x * x + 1).tanh() * x - 2).exp()
        y.backward()
        node = weakref.ref(y.parents[0])
        output = weakref.ref(y)
        del y
        assert node() is None and output() is None
    finally:
        gc.enable()


def test_parents_and_local_grads_read_as_tuples_for_every_kind_of_node():
    x, y = Value(2.0), Value(3.0)
    assert x.parents == () and x.local_grads == ()
    assert x.tanh().parents == (x,) and x.tanh().local_grads == (1 - math.tanh(2.0) ** 2,)
    assert (x * y).parents == (x, y) and (x * y).local_grads == (3.0, 2.0)
    z = microbp.dot([x, y], [4.0, y])
    assert z.parents == (x, y, 4.0, y) and z.local_grads == (4.0, 3.0, 2.0, 3.0)
    with pytest.raises(AttributeError):
        x.parents = (y,)     # the graph is made by operations, not edited


def test_a_node_is_one_object_for_the_cycle_collector():
    """Why graphs are cheap: a node holds its operands in slots, not in tuples of its own."""
    x = Value(1.0)
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        nodes = [x * 2.0 for _ in range(1000)] + [(x + x).tanh() for _ in range(1000)]
        made = len(gc.get_objects()) - before
    finally:
        gc.enable()
    assert len(nodes) == 2000 and 3000 <= made < 3010    # 3000 nodes, the list, a few of Python's own


def test_scope_records_nested_groups():
    with microbp.scope("layer 1"):
        with microbp.scope("neuron 2"):
            z = Value(1.0) * 3
        a = z.relu()
    outside = a + 1
    assert z.scope == ("layer 1", "neuron 2") and a.scope == ("layer 1",)
    assert outside.scope is None
    with pytest.raises(TypeError, match="scope"):
        with microbp.scope(""):
            pass


# --- micrograd compatibility: its README and tests, expected values from sympy -----------

def sanity_check(x, relu):
    """micrograd's test_sanity_check, written once for Values and for sympy."""
    z = 2 * x + 2 + x
    q = relu(z) + z * x
    h = relu(z * z)
    y = h + q + q * x
    return y


def more_ops(a, b, relu):
    """micrograd's README example and test_more_ops."""
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + relu(b + a)
    d += 3 * d + relu(b - a)
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g


def sympy_relu(expr):
    return sympy.Piecewise((expr, expr > 0), (0, True))


def test_micrograd_sanity_check():
    x = Value(-4.0)
    y = sanity_check(x, Value.relu)
    y.backward()
    symbol = sympy.Symbol("x", real=True)
    exact = sanity_check(symbol, sympy_relu)
    assert math.isclose(y.data, float(exact.subs(symbol, -4)), rel_tol=1e-12)
    assert math.isclose(x.grad, float(sympy.diff(exact, symbol).subs(symbol, -4)), rel_tol=1e-12)


def test_micrograd_more_ops_and_readme_numbers():
    a, b = Value(-4.0), Value(2.0)
    g = more_ops(a, b, Value.relu)
    g.backward()
    sa, sb = sympy.symbols("a b", real=True)
    exact = more_ops(sa, sb, sympy_relu)
    at = {sa: -4, sb: 2}
    assert math.isclose(g.data, float(exact.subs(at)), rel_tol=1e-9)
    assert math.isclose(a.grad, float(sympy.diff(exact, sa).subs(at)), rel_tol=1e-9)
    assert math.isclose(b.grad, float(sympy.diff(exact, sb).subs(at)), rel_tol=1e-9)
    # the numbers micrograd's README prints
    assert (f"{g.data:.4f}", f"{a.grad:.4f}", f"{b.grad:.4f}") == ("24.7041", "138.8338", "645.5773")


def test_star_import_leaves_the_builtins_alone():
    namespace = {}
    exec("from microbp import *", namespace)
    assert "Value" in namespace and "sum" not in namespace and "abs" not in namespace
    assert callable(microbp.sum) and callable(microbp.abs)


EDGE_FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                        st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, 0.5, -2.5, 5e-324, 1e308]))


@given(st.sampled_from([row for row in microbp.TABLE if row.arity == 2 and row.infix]), EDGE_FLOATS, EDGE_FLOATS,
       st.booleans())
def test_the_binary_operators_fast_path_makes_what_the_table_makes(row, a, b, reflected):
    """Value's operators evaluate their row inline (the hot path); the generic apply is the truth."""
    def same(x, y):
        return (math.isnan(x) and math.isnan(y)) or (x == y and math.copysign(1, x) == math.copysign(1, y))
    left, right = Value(a), Value(b)
    try:
        fast = getattr(left, f"__r{row.name}__")(b) if reflected else getattr(left, f"__{row.name}__")(right)
    except DomainError as error:
        with pytest.raises(DomainError, match=re.escape(str(error))):
            microbp.apply(row, (b, left) if reflected else (left, right))
        return
    generic = microbp.apply(row, (b, left) if reflected else (left, right))
    assert same(fast.data, generic.data)
    assert all(same(f, g) for f, g in zip(fast.local_grads, generic.local_grads))
    assert [type(p) for p in fast.parents] == [type(p) for p in generic.parents]


# --- an overflowed forward pass never gives a silent finite gradient (issue #22, item 3) ---------

from microbp.errors import OverflowWarning  # noqa: E402


@pytest.mark.parametrize("make, name, number", [
    (lambda x: x.exp().log(), "exp", 0.0),                 # truth 1: the log's 1/inf is 0, the exp's slope inf
    (lambda x: x.cosh().log() + x, "cosh", 1.0),           # truth 2
])
def test_a_gradient_through_an_overflow_warns_naming_the_node(make, name, number):
    """The value overflowed to inf, so the 0 that reaches it is 1/inf; the zero rule passes it on, and an
    OverflowWarning names the node, in backward, gradients and create_graph alike."""
    x = Value(800.0, label="x")
    y = make(x)
    with pytest.warns(OverflowWarning, match=f"the {name} node overflowed to inf"):
        y.backward()
    assert x.grad == number
    with pytest.warns(OverflowWarning, match=name):
        assert microbp.gradients(y, x)[x] == number
    with pytest.warns(OverflowWarning, match=name):
        assert microbp.gradients(y, x, create_graph=True)[x].data == number


@pytest.mark.parametrize("make, at", [
    (lambda x: x.relu().sqrt(), -1.0),                  # sqrt'(0) = inf is exact (a pole); relu'(-1) = 0 exactly
    (lambda x: (x * 1e200 * 1e200).sigmoid(), 1.0),    # overflowed, but every local derivative is finite
    (lambda x: x.exp() * 2, 800.0),                     # overflowed, and its gradient is inf: not a finite number
], ids=["pole", "finite-locals", "infinite-gradient"])
def test_no_overflow_warning_where_the_gradient_is_not_a_hidden_wrong_number(make, at):
    x = Value(at, label="x")
    with warnings.catch_warnings():
        warnings.simplefilter("error", OverflowWarning)
        make(x).backward()
        microbp.gradients(make(x), x, create_graph=True)
