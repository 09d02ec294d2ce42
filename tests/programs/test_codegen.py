"""The backward pass as code: ``codegen`` prints it, ``compile`` runs it, bit for bit as the engine.

Random DAGs over every row of the table (shared subexpressions, constants on
either side, kinks hit exactly, inf and nan among the values) are compiled
and compared with the engine at the traced point and at a new one, value and
gradients, with NaN-aware equality that tells 0.0 from -0.0. The compiled
function is checked twice: as it is (it may hand over to the engine), and its
generated code alone, which must either agree exactly or flag the case (raise,
or give something not finite).
"""

import contextlib
import math
import random

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st
from oracles import call_public, operand_counts, rebuilt_by_engine

import microbp
import microbp.nn
from microbp import DomainError, GraphTooLargeError, Value, gradients
from microbp.core.autodiff import made_by_gradients
from microbp.core.engine import apply
from microbp.core.graph import topological_order
from microbp.core.ops import TABLE
from microbp.programs import emit
from microbp.programs.codegen import codegen
from microbp.programs.program import Program
from microbp.runtime import namespace

INF, NAN = math.inf, math.nan
EXACT = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0]
EXTREME = [INF, -INF, NAN, 1e300, -1e300, 1e-300]


def same(a, b) -> bool:
    """Equal as the engine's results are compared: NaN equals NaN, and 0.0 is not -0.0."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    return type(a) is type(b) and (a == b or (a != a and b != b))


def same_results(got, expected) -> bool:
    (value, grads), (value2, grads2) = got, expected
    return same(value, value2) and len(grads) == len(grads2) and all(map(same, grads, grads2))


# --- random graphs ------------------------------------------------------------------------

values = st.one_of(st.sampled_from(EXACT), st.floats(-3, 3, allow_subnormal=False),
                   st.sampled_from(EXACT + EXTREME))


@st.composite
def recipes(draw, max_steps=8):
    """(leaf values, steps): a step is (row, operands), an operand ("node", index) or ("const", number)."""
    leaves = draw(st.lists(values, min_size=1, max_size=4))
    steps, pool = [], len(leaves)
    for _ in range(draw(st.integers(1, max_steps))):
        row = draw(st.sampled_from(TABLE))
        count = draw(st.sampled_from(operand_counts(row)[:2]))
        operands = []
        for _ in range(count):
            if draw(st.booleans()) and draw(st.booleans()):
                operands.append(("const", draw(st.sampled_from(EXACT + [3.0, -0.25]))))
            else:
                operands.append(("node", draw(st.integers(0, pool - 1))))
        if all(kind == "const" for kind, _ in operands):
            operands[draw(st.integers(0, count - 1))] = ("node", pool - 1)
        steps.append((row, operands))
        pool += 1
    return leaves, steps


def build(leaf_values, steps):
    """The recipe through the public API; (root, leaves), root None where a step leaves its domain."""
    leaves = [Value(v, label=f"x{i}") for i, v in enumerate(leaf_values)]
    pool = list(leaves)
    try:
        for row, operands in steps:
            pool.append(call_public(row, [pool[i] if kind == "node" else i for kind, i in operands]))
    except DomainError:
        return None, leaves
    return (pool[-1] if isinstance(pool[-1], Value) else None), leaves


def engine(root, wrt, replaced=None):
    """What the engine computes: the graph made again node by node with ``apply`` in topological
    order (leaves replaced as given; nodes of gradient graphs inside derivative formulas), then
    ``gradients``; or the DomainError it raises."""
    made = rebuilt_by_engine(root, replaced)
    if isinstance(made, DomainError):
        return made
    grads = gradients(made[root], [made.get(x, x) for x in wrt])
    return made[root].data, [grads[made.get(x, x)] for x in wrt]


@contextlib.contextmanager
def cut(tiny: bool):
    """With ``tiny``, parts and sums so small that every random graph's code is cut into pieces."""
    with pytest.MonkeyPatch.context() as patch:
        if tiny:
            patch.setattr(emit, "PART_SIZE", 40)
            patch.setattr(emit, "TERMS", 2)
        yield


def split(leaves, choice):
    """wrt, inputs and baked leaves from a list of 0/1/2 choices."""
    wrt = [leaf for leaf, c in zip(leaves, choice) if c == 0]
    inputs = [leaf for leaf, c in zip(leaves, choice) if c == 1]
    return wrt, inputs


def assert_generated_code_exact_or_flagged(f, call, expected):
    """The generated function alone: the engine's numbers, or an exception, or something not finite."""
    try:
        value, grads = call(f._function)[:2]
    except (ArithmeticError, ValueError, TypeError):
        return
    total = value + sum(grads)
    if type(total) is float and total - total == 0.0:
        assert same_results((value, grads), expected), ((value, grads), expected, f.source)


def check_compiled(f, wrt_values, input_values, expected):
    if isinstance(expected, DomainError):
        with pytest.raises(DomainError) as raised:
            f(wrt_values, input_values)
        assert str(raised.value) == str(expected)
        return
    assert same_results(f(wrt_values, input_values), expected), (f(wrt_values, input_values), expected, f.source)
    assert_generated_code_exact_or_flagged(f, lambda fn: fn(list(wrt_values), list(input_values)), expected)


@pytest.mark.parametrize("tiny", [False, True], ids=["whole", "cut"])
@settings(max_examples=200, suppress_health_check=[HealthCheck.filter_too_much])
@given(recipes(), st.lists(st.integers(0, 2), min_size=4, max_size=4), st.lists(values, min_size=4, max_size=4))
def test_compiled_graphs_agree_with_the_engine_bit_for_bit(tiny, recipe, choice, new_values):
    leaf_values, steps = recipe
    root, leaves = build(leaf_values, steps)
    assume(root is not None)
    wrt, inputs = split(leaves, choice)
    with cut(tiny):
        f = microbp.compile(root, wrt, inputs)
    here = ([x.data for x in wrt], [x.data for x in inputs])
    expected = engine(root, wrt)
    check_compiled(f, *here, expected)
    root.zero_grad()
    root.backward()
    assert all(same(x.grad, g) for x, g in zip(wrt, expected[1]))
    there = dict(zip(wrt + inputs, new_values))
    moved = {leaf: Value(v) for leaf, v in there.items()}
    check_compiled(f, [there[x] for x in wrt], [there[x] for x in inputs], engine(root, wrt, moved))


# --- batches: one example's graph, compiled into a loop -----------------------------------------

def replayed(root, replaced):
    """The graph made again by the engine with some leaves replaced (a DomainError propagates)."""
    made = {}
    for node in topological_order(root):
        if node.op is None:
            made[node] = replaced.get(node, node)
        else:
            made[node] = apply(node.op, [p if type(p) is float else made[p] for p in node.parents])
    return made[root]


def engine_batch(root, wrt, inputs, rows, mean, plus):
    """The engine's ``sum(losses) * (1.0 / n) + plus``, each example's graph made anew."""
    shared = {x: Value(x.data) for x in wrt}
    try:
        losses = [replayed(root, {**shared, **{x: Value(v) for x, v in zip(inputs, row)}}) for row in rows]
        each = [loss.data for loss in losses]
        total = microbp.sum(losses)
        if mean:
            total = total * (1.0 / len(rows))
        if plus is not None:
            total = total + replayed(plus, shared)
    except DomainError as error:
        return error
    grads = gradients(total, [shared[x] for x in wrt])
    return total.data, [grads[shared[x]] for x in wrt], each


@pytest.mark.parametrize("tiny", [False, True], ids=["whole", "cut"])
@settings(max_examples=150, suppress_health_check=[HealthCheck.filter_too_much])
@given(recipes(), st.lists(st.integers(0, 2), min_size=4, max_size=4), st.booleans(),
       st.one_of(st.none(), recipes(max_steps=3)), st.lists(st.lists(values, min_size=4, max_size=4), min_size=1,
                                                            max_size=4))
def test_batches_agree_with_the_engine_s_sum_over_examples(tiny, recipe, choice, mean, plus_recipe, rows):
    leaf_values, steps = recipe
    root, leaves = build(leaf_values, steps)
    assume(root is not None)
    wrt, inputs = split(leaves, choice)
    assume(inputs)
    plus = None
    if plus_recipe is not None and wrt:
        pool = list(wrt)
        try:
            for row, operands in plus_recipe[1]:
                pool.append(call_public(row, [pool[i % len(pool)] if kind == "node" else i for kind, i in operands]))
        except DomainError:
            pool = []
        plus = pool[-1] if pool and isinstance(pool[-1], Value) else None
    with cut(tiny):
        f = microbp.compile(root, wrt, inputs, batch="mean" if mean else "sum", plus=plus)
    rows = [[x.data for x in inputs]] + [row[:len(inputs)] for row in rows]    # the traced values first
    wrt_values = [x.data for x in wrt]
    expected = engine_batch(root, wrt, inputs, rows, mean, plus)
    if isinstance(expected, DomainError):
        with pytest.raises(DomainError) as raised:
            f(wrt_values, rows)
        assert str(raised.value) == str(expected)
        return
    assert same_results(f(wrt_values, rows), expected[:2]), (f(wrt_values, rows), expected, f.source)
    value, grads, each = f(wrt_values, rows, each=True)
    assert all(map(same, each, expected[2])) and len(each) == len(rows)
    seed = 1.0 / len(rows) if mean else 1.0
    assert_generated_code_exact_or_flagged(f, lambda fn: fn(wrt_values, rows[::-1], seed), expected[:2])


# --- second derivatives: compiling a gradient's graph ---------------------------------------------

@settings(max_examples=150, suppress_health_check=[HealthCheck.filter_too_much])
@given(recipes(max_steps=6), st.lists(st.integers(0, 2), min_size=4, max_size=4), st.integers(0, 3),
       st.lists(values, min_size=4, max_size=4))
def test_compiled_gradient_graphs_give_the_engine_s_second_derivatives(recipe, choice, which, new_values):
    leaf_values, steps = recipe
    root, leaves = build(leaf_values, steps)
    assume(root is not None)
    wrt, inputs = split(leaves, choice)
    assume(wrt)
    x = wrt[which % len(wrt)]
    slope = gradients(root, wrt, create_graph=True)[x]
    f = microbp.compile(slope, wrt, inputs)
    check_compiled(f, [v.data for v in wrt], [v.data for v in inputs], engine(slope, wrt))
    # At a new point: the gradient's graph replayed by the engine (its derivative nodes inside
    # derivative formulas, as gradients() made them), which is what the engine gives when it
    # makes the gradient's graph again there, wherever the forward pass is inside its domain.
    moved = {leaf: Value(v) for leaf, v in zip(wrt + inputs, new_values)}
    expected = engine(slope, wrt, moved)
    check_compiled(f, [moved[v].data for v in wrt], [moved[v].data for v in inputs], expected)
    try:
        again = replayed(root, moved)
    except DomainError:
        return
    moved_wrt = [moved[v] for v in wrt]
    slope_there = gradients(again, moved_wrt, create_graph=True)[moved[x]]
    grads = gradients(slope_there, moved_wrt)
    assert same_results((slope_there.data, [grads[v] for v in moved_wrt]), expected)


# --- the printed program ------------------------------------------------------------------------

def run_printed(source: str, *args):
    scope = {}
    exec(compile(source, "<codegen>", "exec"), scope)        # its import line brings the table's functions
    return scope["f"](*args)


def test_the_lecture_neuron_is_a_short_program_a_line_per_node_and_per_edge():
    o = microbp.lecture_neuron()
    leaves = [node for node in topological_order(o) if node.op is None]
    source = codegen(o, wrt=leaves)
    lines = source.splitlines()
    computed = [node for node in topological_order(o) if node.op is not None]
    edges = sum(len(node.parents) for node in computed)
    assert len(lines) <= 30
    forward = lines[lines.index("    # forward: one line per node") + 1:][:len(computed)]
    assert [line.split(" = ")[0].strip() for line in forward] == ["x1_w1", "x2_w2", "x1_w1_x2_w2", "n", "o"]
    start = next(i for i, line in enumerate(lines) if line.startswith("    # backward"))
    backward = [line.strip() for line in lines[start + 1:-1] if not line.strip().startswith("#")]
    assert backward[:2] == ["grad_x1 = grad_w1 = grad_x2 = grad_w2 = grad_b = 0.0", "grad_o = 1.0"]
    assert len(backward[2:]) == edges
    assert "    # o = tanh(n)" in lines and "    # x1_w1 = x1 × w1" in lines      # the table's notation
    assert "    grad_n = (1 - o * o) * grad_o" in lines                           # tanh's row, written out
    value, grads = run_printed(source, *[leaf.data for leaf in leaves])
    assert value == o.data and grads == [leaf.grad for leaf in leaves]


def test_the_docs_show_the_lecture_neuron_s_program_as_codegen_prints_it():
    from pathlib import Path
    page = (Path(__file__).resolve().parents[2] / "docs" / "compile.md").read_text(encoding="utf-8")
    shown = page.split("<!-- the lecture neuron's program")[1].split("```text\n")[1].split("```")[0]
    o = microbp.lecture_neuron()
    assert shown == codegen(o, wrt=[node for node in topological_order(o) if node.op is None])


def test_every_node_s_lines_are_given_for_printers_that_show_one_node_at_a_time():
    o = microbp.lecture_neuron()
    program = Program(o, wrt=[node for node in topological_order(o) if node.op is None])
    by_name = {program.name(lines.node): lines for lines in program.lines()}
    assert by_name["o"].forward == ["o = tanh(n)"] and by_name["o"].into == []
    assert by_name["n"].into == ["grad_n = (1 - o * o) * grad_o"]
    assert by_name["n"].backward == ["grad_x1_w1_x2_w2 = grad_n", "grad_b += grad_n"]
    assert by_name["w1"].forward == [] and by_name["w1"].into == ["grad_w1 += x1 * grad_x1_w1"]
    source = program.source()
    assert all(line in source for lines in program.lines() for line in lines.forward + lines.backward)


def test_leaves_outside_wrt_and_inputs_are_constants_and_n_ary_rows_call_the_table_s_forward():
    w = [Value(0.5, label="w1"), Value(-2.0, label="w2")]
    x = [Value(3.0), Value(-0.0)]
    y = microbp.affine(w, x, Value(0.25, label="b")).sigmoid() + microbp.sum(w)
    source = codegen(y, wrt=w)
    assert "x0 = 3.0" in source and "x1 = -0.0" in source and "b = 0.25" in source
    assert "affine([w1, w2], [x0, x1], b)" in source and "sum([w1, w2])" in source
    grads = gradients(y, w)
    assert run_printed(source, 0.5, -2.0) == (y.data, [grads[v] for v in w])


def test_a_domain_is_checked_as_the_engine_checks_it():
    x = Value(2.0, label="x")
    y = x.log() + (x - 1).sqrt()
    source = codegen(y, wrt=[x], checks=True)
    assert "check_log(x)" in source and "check_sqrt(" in source
    with pytest.raises(DomainError, match=r"^log: needs x > 0, got x = -1.0$"):
        run_printed(source, -1.0)
    assert "check_" not in codegen(y, wrt=[x])          # for reading: no checks unless asked
    with pytest.raises(DomainError, match=r"^log: needs x > 0, got x = -1.0$"):
        microbp.compile(y, [x])([-1.0])


@pytest.mark.parametrize("name", ["f 2", "import", "len", "tanh", "ｆ", "", "a" * 41])
def test_the_function_name_must_be_a_safe_identifier(name):
    with pytest.raises(ValueError, match="codegen: name must be an ASCII identifier"):
        codegen(Value(1.0, label="x") * 2, [], name=name)


@settings(max_examples=150, suppress_health_check=[HealthCheck.filter_too_much])
@given(recipes(), st.lists(st.integers(0, 2), min_size=4, max_size=4))
def test_the_printed_program_computes_what_the_engine_does_where_all_is_finite(recipe, choice):
    """Printed for reading, the program leaves out the zero-times-anything rule; it agrees
    exactly wherever that rule has nothing to do (or says so: it raises or gives inf or nan)."""
    root, leaves = build(*recipe)
    assume(root is not None)
    wrt, inputs = split(leaves, choice)
    f = microbp.compile(root, wrt, inputs)
    expected = engine(root, wrt)
    args = [x.data for x in wrt + inputs]
    assert_generated_code_exact_or_flagged(f, lambda _: run_printed(f.codegen, *args), expected)


# --- labels are never code ---------------------------------------------------------------------------

HOSTILE = ["x\nimport os", "__import__('os').system('touch PWNED')", "a'; sentinel.append(1) #", "ｗ", "w",
           "\u0430", "import", "def", "grad_w", "len", "f", "wrt", "rows", "seed", '"""', "#", "\\", "1abc",
           "x" * 100, "None", "lambda: sentinel.append(1)", "sentinel.append(1)", "\u202eevil", "tanh", "check_log",
           "w\u200b", "ａ", "a"]


def test_hostile_labels_never_reach_the_code_and_nothing_from_them_runs(tmp_path, monkeypatch):
    import io
    import tokenize
    monkeypatch.chdir(tmp_path)
    leaves = [Value(0.1 * (i + 1), label=label) for i, label in enumerate(HOSTILE)]
    nodes = []
    for i, leaf in enumerate(leaves):
        node = (leaf * leaves[i - 1] + 1.5).tanh()
        node.label = HOSTILE[-1 - i]
        nodes.append(node)
    root = microbp.sum(nodes)
    root.label = "o\n__import__('os').system('touch PWNED')"
    wrt, inputs = leaves[::2], leaves[1::2]
    f = microbp.compile(root, wrt, inputs)
    sentinel = []
    for source in (f.source, f.codegen):
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        assert not [t for t in tokens if t.type == tokenize.STRING]                # no string literal at all
        assert all(t.string.isascii() for t in tokens if t.type == tokenize.NAME)  # no look-alike letters
        for word in ("PWNED", "system", "__import__", "sentinel", "lambda", "'", '"', "\\", "\u202e", "\u200b"):
            assert word not in source, word
        scope = {"sentinel": sentinel}
        exec(compile(source, "<hostile>", "exec"), scope)
    assert sentinel == [] and not (tmp_path / "PWNED").exists()
    grads = gradients(root, wrt)
    assert f([x.data for x in wrt], [x.data for x in inputs]) == (root.data, [grads[x] for x in wrt])
    assert run_printed(f.codegen, *[x.data for x in wrt + inputs]) == (root.data, [grads[x] for x in wrt])


def test_look_alike_labels_stay_different_variables():
    a, fullwidth, cyrillic = Value(1.0, label="a"), Value(2.0, label="ａ"), Value(3.0, label="\u0430")
    y = a * 10 + fullwidth * 100 + cyrillic
    f = microbp.compile(y, [a, fullwidth, cyrillic])
    assert f([1.0, 2.0, 3.0]) == (213.0, [10.0, 100.0, 1.0])


def test_generated_code_runs_without_python_s_builtins():
    f = microbp.compile(Value(2.0, label="x").exp(), [])
    assert f._function.__globals__["__builtins__"] == {}
    assert set(f._function.__globals__) - {"__builtins__", "f"} <= set(namespace())


# --- zeros, infinities, NaN and domains, as the engine has them ---------------------------------------

def test_a_zero_gradient_passes_nothing_on_even_through_an_infinite_local_derivative():
    x, w = Value(-1.0, label="x"), Value(math.inf, label="w")
    y = x.relu() * w                        # ∂y/∂relu = inf, ∂relu/∂x = step(-1) = 0: nothing flows
    f = microbp.compile(y, [x, w])
    assert same_results(f([-1.0, math.inf]), (math.nan, [0.0, 0.0])) and same_results(f([-1.0, math.inf]),
                                                                                    engine(y, [x, w]))


def test_an_infinite_local_derivative_as_the_engine_has_it():
    x = Value(0.0, label="x")
    y = x.sqrt() * 3                        # √ at 0: the slope is inf (0.5 / 0, in IEEE arithmetic)
    assert microbp.compile(y, [x])([0.0]) == (0.0, [math.inf]) == engine(y, [x])


def test_the_n_ary_rows_domain_checks_look_only_at_the_number_of_operands():
    rng = random.Random(0)
    for row in TABLE:
        if row.arity is None and row.domain is not None:
            for count in range(1, 8):
                ones = row.domain(*[1.0] * count)
                for _ in range(20):
                    assert row.domain(*[rng.choice(EXACT + EXTREME) for _ in range(count)]) == ones


def test_gradients_makes_its_nodes_in_the_scope_compile_reads_as_derivative_formulas():
    x = Value(-2.0, label="x")
    slope = gradients((x * x).log(), [x], create_graph=True)[x]
    made = [node for node in topological_order(slope) if node.op is not None and node.op.name != "mul"
            or node is slope]
    assert made and all(made_by_gradients(node) for node in made)


# --- what compile refuses, and how it says so ------------------------------------------------------

def neuron():
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(1.0, label="b")
    return (x * w + b).tanh(), x, w, b


@pytest.mark.parametrize("call, error, message", [
    (lambda y, x, w, b: microbp.compile(2.0, [w]), TypeError, r"compile: root needs a Value, got 2.0 \(float\)"),
    (lambda y, x, w, b: microbp.compile(y, [w, x * w]), TypeError, r"compile: wrt\[1\] is a computed node \(mul\)"),
    (lambda y, x, w, b: microbp.compile(y, [w, 3.0]), TypeError, r"compile: wrt\[1\] needs a Value, got 3.0"),
    (lambda y, x, w, b: microbp.compile(y, [w, w]), ValueError, r"compile: wrt\[1\] is the same leaf as wrt\[0\]"),
    (lambda y, x, w, b: microbp.compile(y, [w], [b, w]), ValueError, r"inputs\[1\] is the same leaf as wrt\[0\]"),
    (lambda y, x, w, b: microbp.compile(y, [w], batch="max"), ValueError, r"batch must be None, 'sum' or 'mean'"),
    (lambda y, x, w, b: microbp.compile(y, [w], plus=w * w), ValueError, r"plus= adds a global term to a batch"),
    (lambda y, x, w, b: microbp.compile(y, [w], batch="sum"), ValueError, r"a batch needs inputs"),
    (lambda y, x, w, b: microbp.compile(y, [w], [x], batch="sum", plus=x * w), ValueError,
     r"plus depends on inputs\[0\] \(x\); the global term must not depend on one example's inputs"),
])
def test_compile_refuses_what_it_cannot_compile_naming_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call(*neuron())


@pytest.mark.parametrize("args, error, message", [
    (([1.0],), ValueError, r"compile: wrt_values needs 2 numbers, one per leaf it was compiled with, got 1"),
    (([1.0, "2"],), TypeError, r"compile: wrt_values\[1\] needs a real number, got '2' \(str\)"),
    (([1.0, True],), TypeError, r"compile: wrt_values\[1\] needs a real number, got True \(bool\)"),
    ((5.0,), TypeError, r"compile: wrt_values needs a list of numbers, got 5.0"),
    (([1.0, 2.0], []), ValueError, r"compile: input_values needs 1 numbers"),
])
def test_a_compiled_function_refuses_wrong_arguments_naming_them(args, error, message):
    y, x, w, b = neuron()
    with pytest.raises(error, match=message):
        microbp.compile(y, [w, b], [x])(*args)


def test_a_compiled_function_takes_ints_and_tuples_as_the_engine_does():
    y, x, w, b = neuron()
    f = microbp.compile(y, [w, b], [x])
    assert f((-3, 1), (2,)) == f([-3.0, 1.0], [2.0]) == (y.data, list(gradients(y, [w, b]).values()))


@pytest.mark.parametrize("rows, message", [
    ([], r"a batch needs at least one row"),
    ([(1.0, 2.0)], r"compile: input_values\[0\] needs 1 numbers"),
    (5, r"a batch needs a list of rows"),
    ([("a",)], r"compile: input_values\[0\]\[0\] needs a real number, got 'a'"),
])
def test_a_batch_refuses_rows_that_do_not_fit(rows, message):
    y, x, w, b = neuron()
    f = microbp.compile(y, [w, b], [x], batch="sum")
    with pytest.raises((TypeError, ValueError), match=message):
        f([-3.0, 1.0], rows)


@pytest.mark.parametrize("limit", ["max_nodes", "max_edges"])
def test_a_graph_over_the_limit_is_refused_naming_the_option_that_raises_it(limit):
    x = Value(1.0, label="x")
    y = x
    for _ in range(5):
        y = (y * 2).tanh()
    y = y + x
    nodes = topological_order(y)
    count = len(nodes) if limit == "max_nodes" else sum(len(node.parents) for node in nodes)
    with pytest.raises(GraphTooLargeError, match=rf"compile: the graph has {count} \w+, over the limit of 5 .*; "
                                                  rf"pass {limit}={count} to compile it anyway"):
        microbp.compile(y, [x], **{limit: 5})
    assert microbp.compile(y, [x], **{limit: count})([1.0]) == (y.data, [gradients(y, [x])[x]])


# --- large graphs -------------------------------------------------------------------------------------

def test_a_sum_of_thousands_of_terms_is_cut_into_running_totals_in_the_same_order():
    xs = [Value(1.0 + 1e-3 * i, label=f"x{i}") for i in range(5000)]
    y = microbp.dot(xs, xs) + microbp.sum(xs) * microbp.sum(xs[::-1])
    f = microbp.compile(y, xs)
    assert max(line.count(" + ") for line in f.source.splitlines()) <= emit.TERMS
    grads = gradients(y, xs)
    assert f([x.data for x in xs]) == (y.data, [grads[x] for x in xs])


def test_a_long_chain_is_compiled_in_parts(monkeypatch):
    monkeypatch.setattr(emit, "PART_SIZE", 60_000)
    x = Value(1.0, label="x")
    y = x
    for _ in range(5000):
        y = y * 1.0001 + 0.0001
    f = microbp.compile(y, [x])
    assert f.source.count("def part_") >= 3
    assert f([1.0]) == (y.data, [gradients(y, [x])[x]])
    assert same_results(f([2.0]), engine(y, [x], {x: Value(2.0)}))


# --- training with microbp.nn ---------------------------------------------------------------------------

def demo(points=12):
    from microbp.losses import hinge
    from microbp.nn import MLP
    rng = random.Random(5)
    data = [((rng.uniform(-1, 2), rng.uniform(-1, 1)), rng.choice([1, -1])) for _ in range(points)]
    model = MLP(2, [6, 6, 1], rng=random.Random(1))
    params = model.parameters()
    total = hinge([model(list(x)) for x, _ in data], [y for _, y in data]) + 1e-4 * microbp.dot(params, params)
    return model, params, data, total


def test_an_mlp_s_whole_loss_compiles_to_the_engine_s_gradients():
    model, params, data, total = demo()
    f = microbp.compile(total, params)
    f.dynamic = None                           # the compiled code alone must do it
    grads = gradients(total, params)
    assert f([p.data for p in params]) == (total.data, [grads[p] for p in params])


def test_one_example_s_graph_in_a_loop_gives_the_engine_s_hinge_loss_and_l2_bit_for_bit():
    model, params, data, total = demo()
    x1, x2, y = Value(0.0, label="x1"), Value(0.0, label="x2"), Value(1.0, label="y")
    margin = (1 - y * model([x1, x2])).relu()
    step = microbp.compile(margin, params, [x1, x2, y], batch="mean", plus=1e-4 * microbp.dot(params, params))
    step.dynamic = None
    grads = gradients(total, params)
    rows = [(a, b, float(label)) for (a, b), label in data]
    assert step([p.data for p in params], rows) == (total.data, [grads[p] for p in params])
    assert "for x1, x2, y, in rows:" in step.source and "if grad_" in step.source


def test_the_compiled_benchmark_takes_the_step_the_engine_takes():
    """benchmarks/compile.py times what the engine's W1' step does: the same loss and the same update."""
    import importlib.util
    from pathlib import Path
    folder = Path(__file__).resolve().parents[2] / "benchmarks"
    loaded = {}
    for name in ("run", "compile"):
        spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", folder / f"{name}.py")
        loaded[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(loaded[name])
    bench, run = loaded["compile"], loaded["run"]
    points, labels = run.two_moons(20)
    engine_model = microbp.nn.MLP(2, [16, 16, 1], rng=random.Random(1337))
    engine_loss = run.microbp_demo_step(engine_model, points, labels).data
    after = [p.data for p in engine_model.parameters()]
    for shape in ("batch", "whole"):
        model = microbp.nn.MLP(2, [16, 16, 1], rng=random.Random(1337))
        if shape == "batch":
            step = bench.CompiledTraining(bench.compile_batch(model), model.parameters(), bench.rows_of(points, labels))
        else:
            step = bench.CompiledTraining(bench.compile_whole(model, points, labels), model.parameters())
        assert step.step() == engine_loss and step.values == after, shape


def test_where_python_s_sum_compensates_n_ary_nodes_call_the_table_s_forward(monkeypatch):
    """Python 3.12's sum adds floats with compensation: the code then calls the rows' forwards, as the engine does."""
    monkeypatch.setattr(emit, "SUM_ADDS_IN_ORDER", False)
    model, params, data, total = demo()
    f = microbp.compile(total, params)
    assert "affine([" in f.source and "= 0 + " not in f.source
    grads = gradients(total, params)
    assert f([p.data for p in params]) == (total.data, [grads[p] for p in params])


def test_a_users_own_scope_named_backward_keeps_its_domain_checks():
    """Gradient graphs are told apart by their scope's kind, not its name: a user's scope("backward")
    is checked like any other, and the engine's gradient graphs are not (the engine made them unchecked)."""
    from microbp.core.autodiff import made_by_gradients

    x = microbp.Value(2.0, label="x")
    with microbp.scope("backward"):
        y = x.log()
    assert not made_by_gradients(y)
    compiled = microbp.compile(y, wrt=[x])
    with pytest.raises(microbp.DomainError, match="log: needs x > 0, got x = -1.0"):
        compiled([-1.0])
    dy = microbp.gradients(x ** 3, x, create_graph=True)[x]
    assert dy.scope == ("backward",) and made_by_gradients(dy)
    import pickle
    assert made_by_gradients(pickle.loads(pickle.dumps(dy)))
