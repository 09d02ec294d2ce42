"""The safe parser: the op table's round trip, and a corpus of hostile input."""

import math
import os

import pytest
from hypothesis import given, settings, strategies as st
from oracles import call_public, operand_counts

import microbp
from microbp import DomainError, ExpressionError, Value, parse, to_text
from microbp.check.sympy_bridge import parse_sympy
from microbp.core.ops import TABLE
from microbp.text.parser import MAX_EXPRESSION_DEPTH


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.name)
def test_round_trip_for_every_row(row):
    """graph -> text -> graph gives the same value, op and gradients."""
    leaves = [Value(0.3 + 0.4 * i, label=f"v{i}") for i in range(operand_counts(row)[-1])]
    original = call_public(row, leaves)
    text = to_text(original)
    again = parse(text, **{leaf.label: leaf.data for leaf in leaves})
    assert again.op is row and again.data == original.data, text
    original.backward()
    again.backward()
    by_label = {node.label: node.grad for node in microbp.topological_order(again) if node.op is None}
    assert by_label == {leaf.label: leaf.grad for leaf in leaves}


@pytest.mark.parametrize("text", ["-x ** 2", "(-x) ** 2", "2 ** -x", "x - (y - 1)", "x - y - 1", "x / (y * 2)",
                                  "(x ** y) ** 2", "x ** y ** 2", "-(x + y)", "tanh(-x) * -3", "-3 * x"])
def test_to_text_keeps_the_meaning(text):
    values = {"x": 1.5, "y": 0.5}
    first = parse(text, **values)
    assert to_text(parse(to_text(first), **values)) == to_text(first)
    assert parse(to_text(first), **values).data == eval(text, {"tanh": math.tanh}, values)


def test_names_bind_to_one_leaf_each():
    y = parse("x * x + x", x=3)
    y.backward()
    leaves = [node for node in microbp.topological_order(y) if node.op is None]
    assert len(leaves) == 1 and leaves[0].label == "x" and leaves[0].grad == 7.0


def test_numbers_only_give_a_float():
    assert parse("2 * 3 + 1") == 7.0


@pytest.mark.parametrize("text, message, column", [
    ("x +* 2", "invalid syntax", 4),
    ("foo(x)", "unknown function 'foo'", 1),
    ("tanh(x, y)", "tanh takes 1 argument", 1),
    ("exp + 1", "'exp' is a function", 1),
    ("y + 1", "no value for 'y': pass y=", 1),
    ("sum(x, x)", r"sum takes 1 list\(s\)", 1),
    ("dot([x], [x, x])", "dot needs as many weights as inputs", 1),
    ("affine([x], [x])", r"affine takes 2 list\(s\) and 1 more argument\(s\)", 1),
    ("affine([x], [x, x], x)", "affine needs as many weights as inputs", 1),
    ("x // 2", "the operator // is not supported", 1),
    ("x ^ 2", r"\^ \(use \*\*\)", 1),
])
def test_errors_point_at_the_column(text, message, column):
    with pytest.raises(ExpressionError, match=message) as error:
        parse(text, x=1.0)
    lines = str(error.value).splitlines()
    assert lines[0].endswith(f"at column {column}") and lines[1] == "  " + text
    assert lines[2] == "  " + " " * (column - 1) + "^"


SENTINEL = "microbp-was-pwned"

HOSTILE = [
    f"__import__('os').system('touch {SENTINEL}')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__", "x.data", "x[0]", "lambda: 1", "[y for y in (1, 2)]", "(y for y in (1,))",
    "1 if x else 2", "b'bytes'", f"open('{SENTINEL}', 'w')", "tanh(x=1)", "x == 1", "x and 1",
    "{1: 2}", "{1}", "(1, 2)", "*x", "(y := 1)", "f'{x}'", "exec('1')", "eval('1')", "globals()",
    "print(1)", "True", "None", "...", "x @ x", "~x", "not x", "x % 2", "x << 1",
    "(" * 100_000 + "x" + ")" * 100_000, "-" * 50_000 + "x", "x" + " + x" * 5000, "-" * 5000 + "x",
    "x" + "+x" * 3000, "tanh(" * 90 + "x" + ")" * 90 + "+" + "-" * 300 + "x",
    "sympify('x')", "getattr(x, 'data')", "breakpoint()",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_is_refused_and_nothing_runs(text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises((ExpressionError, DomainError)):
        parse(text, x=1.0)
    with pytest.raises((ExpressionError, DomainError)):
        parse_sympy(text)
    assert not os.path.exists(SENTINEL)


@pytest.mark.parametrize("text", ["9**9**9**9", "x ** 9 ** 9 ** 9", "exp(exp(exp(10)))", "10.0 ** 400", "1e400 * x"])
def test_huge_numbers_overflow_to_inf_not_hangs(text):
    """Numbers are floats: an overflow is inf (one policy, as in every row), never a hang on exact integers."""
    result = parse(text, x=2.0)
    assert result == math.inf or result.data == math.inf
    parse_sympy(text)


def test_a_huge_integer_literal_is_one_clear_error():
    with pytest.raises(ExpressionError, match="a number too large for a float.*at column 5"):
        parse("x + " + "9" * 400, x=1.0)


def test_quoted_names_are_names_never_code(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = f"'__import__(\"os\").system(\"touch {SENTINEL}\")' * 2 + 'L1.N1.w1'"
    values = {f'__import__("os").system("touch {SENTINEL}")': 1.5, "L1.N1.w1": 0.25}
    y = parse(text, **values)
    assert y.data == 3.25 and not os.path.exists(SENTINEL)
    assert sorted(map(str, parse_sympy(text).free_symbols)) == sorted(values)


def test_nesting_limit_is_clear():
    with pytest.raises(ExpressionError, match=f"nested more than {MAX_EXPRESSION_DEPTH} deep"):
        parse("(" * (MAX_EXPRESSION_DEPTH + 1) + "x" + ")" * (MAX_EXPRESSION_DEPTH + 1), x=1.0)
    assert parse("(" * 50 + "x" + ")" * 50, x=1.0).data == 1.0


def test_parse_sympy_builds_real_symbols_and_exact_numbers():
    expr = parse_sympy("0.1 * x + sigmoid(x)")
    assert str(expr) == "x/10 + 1/(1 + exp(-x))"
    assert all(symbol.is_real for symbol in expr.free_symbols)


@given(st.text(max_size=60))
def test_random_text_only_raises_documented_errors(text):
    try:
        parse(text, x=1.5, y=-0.5)
    except (ExpressionError, DomainError):
        pass


OPERATORS = st.sampled_from(["+", "-", "*", "/", "**"])
FUNCTION_NAMES = st.sampled_from(sorted({row.name for row in TABLE if row.arity == 1 and row.notation.form == "call"}))


@st.composite
def expressions(draw, depth=0):
    choice = draw(st.integers(0, 3 if depth < 4 else 0))
    if choice == 0:
        return draw(st.sampled_from(["x", "y", "2", "0.5", "-1"]))
    if choice == 1:
        return f"{draw(FUNCTION_NAMES)}({draw(expressions(depth + 1))})"
    if choice == 2:
        return f"-({draw(expressions(depth + 1))})"
    return f"({draw(expressions(depth + 1))}) {draw(OPERATORS)} ({draw(expressions(depth + 1))})"


@given(expressions())
def test_random_valid_expressions_parse_or_fail_in_the_domain(text):
    try:
        value = parse(text, x=1.5, y=-0.5)
    except DomainError:
        return
    again = parse(to_text(value), x=1.5, y=-0.5) if isinstance(value, Value) else value
    assert (again.data if isinstance(again, Value) else again) == (value.data if isinstance(value, Value) else value)


# --- to_text and parse: a round trip for any labels and values ------------------------------

LABELS = st.one_of(st.none(), st.sampled_from(["x", "w", "x*0", "L1.N1.w1", "e", "tanh", "if", "ｘ", "a b"]),
                   st.text(min_size=1, max_size=6))
FLOATS = st.one_of(st.floats(-1e3, 1e3), st.sampled_from([0.0, -0.0, math.inf, -math.inf, math.nan, 1e-320]))


@st.composite
def labelled_graphs(draw):
    leaves = [Value(draw(FLOATS), label=draw(LABELS)) for _ in range(draw(st.integers(1, 4)))]
    pool = list(leaves)
    rows = [row for row in microbp.TABLE if row.arity in (1, 2)]
    for _ in range(draw(st.integers(1, 6))):
        row = draw(st.sampled_from(rows))
        args = [draw(st.sampled_from(pool)) if draw(st.booleans()) or not i else draw(FLOATS)
                for i in range(row.arity)]
        try:
            with microbp.core.engine.derivative_formulas():         # values outside a domain too (nan, inf)
                node = microbp.apply(row, args)
        except TypeError:
            continue
        if isinstance(node, Value):
            node.label = draw(LABELS)
            pool.append(node)
    return pool[-1]


def same_number(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


@settings(max_examples=300)
@given(labelled_graphs())
def test_to_text_reads_back_the_same_graph_whatever_the_labels_and_values(root):
    graph = microbp.Graph(root)
    text = to_text(graph)
    values = {name: leaf.data for leaf, name in graph.names.items()}
    with microbp.core.engine.derivative_formulas():
        again = parse(text, **values)
    again_graph = microbp.Graph(again) if isinstance(again, Value) else None
    assert isinstance(again, Value) or root.op is None
    assert same_number(again.data if isinstance(again, Value) else again, root.data), text
    assert [node.op for node in again_graph.computed] == [node.op for node in graph.computed], text
    assert sorted(again_graph.names.values()) == sorted(graph.names.values())


def test_to_text_takes_linear_memory_on_a_long_chain():
    """A 10k-node chain once peaked at 2.9 GB for a 200 KB string: now memory grows with the text."""
    import tracemalloc

    def peak(length):
        x = Value(1.0, label="x")
        chain = x
        for _ in range(length):
            chain = chain * 1.0001 + 0.0001
        tracemalloc.start()
        text = to_text(chain)
        used = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return used, len(text)
    (small, small_text), (large, large_text) = peak(5_000), peak(20_000)
    assert large_text > 3.9 * small_text
    assert large < 5 * small and large < 60 * large_text           # linear: 4× the chain, about 4× the memory


# --- names equal after Unicode normalisation (issue #22, item 7) ------------------------------

def test_a_quoted_lookalike_name_is_its_own_variable():
    """x and 'ｘ' are two names: Python reads an unquoted ｘ as x, but a quoted one stays itself."""
    y = parse("x * 'ｘ'", **{"x": 2.0, "ｘ": 3.0})
    assert y.data == 6.0
    y.backward()
    assert {leaf.label: leaf.grad for leaf in microbp.Graph(y).leaves} == {"x": 3.0, "ｘ": 2.0}


def test_an_unquoted_lookalike_binds_to_the_one_value_that_normalises_to_it():
    assert parse("ｘ * 2", **{"ｘ": 3.0}).data == 6.0
    assert parse("ｘ * 2", **{"ｘ": 3.0, "x": 5.0}).data == 10.0       # as Python reads it: ｘ is x


def test_two_values_whose_names_normalise_to_one_are_refused_naming_both():
    with pytest.raises(ExpressionError, match="'ｘ', '𝐱'"):
        parse("x * 2", **{"ｘ": 3.0, "𝐱": 1.0})


def test_to_text_of_lookalike_leaves_reads_back_the_same_value_and_gradients():
    x, fx = Value(2.0, label="x"), Value(3.0, label="ｘ")
    root = x * fx
    again = parse(to_text(root), **{"x": 2.0, "ｘ": 3.0})
    again.backward(), root.backward()
    assert again.data == root.data == 6.0
    assert sorted(leaf.grad for leaf in microbp.Graph(again).leaves) == [2.0, 3.0]


def test_the_command_line_gives_lookalike_names_their_own_values():
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "microbp", "grad", "x*'ｘ'", "x=2", "ｘ=3"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.splitlines()[0] == "value: 6", result.stdout + result.stderr


# --- to_text is linear in shared nodes (issue #22, item 15) ----------------------------------

class _TooMuchWork(Exception):
    pass


def lines_executed(function, budget: float = math.inf) -> int:
    """How many Python lines ``function()`` executes (stopping once over ``budget``): work, not time."""
    import sys
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += 1
        if count > budget:
            raise _TooMuchWork
        return tracer
    sys.settrace(tracer)
    try:
        function()
    finally:
        sys.settrace(None)
    return count


def squarings(n: int) -> Value:
    """y = y * y, n times: every node is shared (used twice), so every one becomes a named statement."""
    y = Value(1.0, label="x")
    for _ in range(n):
        y = y * y
    return y


def test_to_text_names_20000_shared_nodes_in_linear_work():
    """Once quadratic (30 µs a node at n = 250, 183 at 2000): the taken names were rebuilt per name."""
    small, large = squarings(5_000), squarings(20_000)
    assert to_text(small).startswith("v1 = x * x; v2 = v1 * v1")
    work = lines_executed(lambda: to_text(small))
    try:
        lines_executed(lambda: to_text(large), budget=5 * work)      # 4× the nodes: about 4× the work
    except _TooMuchWork:
        pytest.fail("to_text did more than 5× the work for 4× the shared nodes")
