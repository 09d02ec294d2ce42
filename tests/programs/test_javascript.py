"""The JavaScript target against the engine, run in Node: every row, random graphs, hostile labels.

Graphs whose rows compute only with IEEE's exact operations (``+ − × ÷ √``) must give the engine's
numbers bit for bit, every node's value and gradient; the others within 1e-12 relative (or the same
inf, or both nan), since JavaScript's ``Math`` is not Python's ``math``. Which rows are exact is read
off the runtime itself: a row is exact when nothing it calls reaches a ``Math`` function other than
``sqrt`` and ``abs``. Each test runs one Node process for all its graphs.
"""

import itertools
import json
import math
import random
import re
import struct
import subprocess

import pytest
from hypothesis import given, settings, strategies as st
from test_random_graphs import build, recipes

import microbp
from microbp import DomainError, Value
from microbp.core.engine import topological_order
from microbp.core.ops import TABLE, float_grads
from microbp.programs.javascript import javascript, javascript_graph
from microbp.programs.js_runtime import (
    calls,
    forward_text,
    javascript_runtime,
    library,
    local_texts,
    parameters,
    unexpressed_rows,
)
from microbp.runtime import checks_values
from microbp.text.javascript import js_number, name, script_json

needs_node = pytest.mark.needs_node
BITS = """
function bits(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, "0");
}
"""
GRID = [0.0, -0.0, 5e-324, -5e-324, 1e300, -1e300, math.inf, -math.inf, math.nan, 1.0, -2.5, 0.5, 3.0]


def node(script: str):
    """Run ``script`` in Node; what it printed, read as JSON."""
    done = subprocess.run(["node", "-"], input=script, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def decode(hex_bits: str) -> float:
    return struct.unpack(">d", bytes.fromhex(hex_bits))[0]


def inexact_functions() -> set:
    """The runtime's functions that may differ from Python's by an ulp: those calling a ``Math``
    function other than sqrt and abs (correctly rounded or exact), and those calling them."""
    bodies = {}
    for chunk in re.split(r"(?m)^(?=function )", library()):
        found = re.match(r"function (\w+)\(", chunk)
        if found:
            bodies[found.group(1)] = chunk
    inexact = {f for f, body in bodies.items() if re.search(r"Math\.(?!sqrt\b|abs\b)\w+", body)}
    while True:
        more = {f for f, body in bodies.items() if calls(body) & inexact} - inexact
        if not more:
            return inexact
        inexact |= more


INEXACT = inexact_functions()


def row_is_exact(row) -> bool:
    count = row.arity or sum(row.shape)
    args = [name(f"x{i}") for i in range(count)]
    texts = [str(forward_text(row, args))]
    if row.arity is not None:
        floats, ieee = local_texts(row, name("out"), args)
        texts += [str(t) for t in floats + (ieee or [])]
    return not calls(" ".join(texts)) & INEXACT


def agree(js: float, engine: float, exact: bool) -> bool:
    if math.isnan(js) or math.isnan(engine):
        return math.isnan(js) and math.isnan(engine)
    if exact:
        return js == engine and math.copysign(1, js) == math.copysign(1, engine)
    if math.isinf(js) or math.isinf(engine):
        return js == engine
    return math.isclose(js, engine, rel_tol=1e-12, abs_tol=0.0)


def compare_graphs(roots: list) -> int:
    """Run every graph's ``run`` in one Node process and compare each node with the engine's backward."""
    script = [javascript_runtime(), BITS, "const results = [];"]
    for root in roots:
        script.append(f"{{ const g = {javascript_graph(root)};\n"
                      "  const r = g.run(g.values); results.push([r.data.map(bits), r.grad.map(bits)]); }")
    script.append("console.log(JSON.stringify(results));")
    results = node("\n".join(script))
    for root, (data, grads) in zip(roots, results):
        root.backward()
        order = topological_order(root)
        exact = all(row_is_exact(n.op) for n in order if n.op is not None)
        rows = sorted({n.op.name for n in order if n.op is not None})
        for i, n in enumerate(order):
            what = f"node {i} ({n.op.name if n.op else 'leaf'}) of a graph of {rows}, exact={exact}"
            assert agree(decode(data[i]), n.data, exact), f"{what}: data {decode(data[i])!r} vs {n.data!r}"
            assert agree(decode(grads[i]), n.grad, exact), f"{what}: grad {decode(grads[i])!r} vs {n.grad!r}"
    return len(results)


def test_every_row_is_expressed_by_the_javascript_runtime():
    assert unexpressed_rows() == [], "\n".join(unexpressed_rows())


def test_plain_arithmetic_rows_are_classed_exact_and_transcendental_ones_not():
    """The exactness the comparisons rely on, read off the runtime, is what IEEE 754 promises."""
    exact = {row.name for row in TABLE if row_is_exact(row)}
    assert {"add", "sub", "mul", "truediv", "sqrt", "neg", "sum", "dot", "affine"} <= exact
    assert not {"tanh", "exp", "log", "pow", "sin", "sigmoid", "softplus"} & exact


def every_row_graphs() -> list:
    """For every row and operand count: the row over leaves at a few points, then used twice."""
    roots = []
    for row in TABLE:
        counts = [row.arity] if row.arity else [sum(row.shape) + row.shape[0] * n for n in (1, 3)]
        for count in counts:
            for start in (0.3, 1.7, -0.6, -1.9):
                leaves = [Value(start + 0.37 * i, label=f"x{i}") for i in range(count)]
                try:
                    out = microbp.apply(row, leaves)
                except DomainError:
                    continue
                roots.append(out * out + leaves[0])
    return roots


@needs_node
def test_every_row_in_a_graph_gives_the_engine_s_values_and_gradients():
    roots = every_row_graphs()
    assert compare_graphs(roots) == len(roots) > 3 * len(TABLE)


@needs_node
@settings(max_examples=6)
@given(st.lists(recipes(), min_size=30, max_size=30))
def test_random_graphs_give_the_engine_s_values_and_gradients(recipe_list):
    roots = [root for root, _ in map(build, recipe_list) if root is not None]
    compare_graphs(roots)


@st.composite
def edge_recipes(draw):
    """A random graph's recipe with its leaves at the edges of the floats (±0, subnormals, ±1e300, ±inf, nan)."""
    leaves, steps = draw(recipes())
    return draw(st.lists(st.sampled_from(GRID), min_size=len(leaves), max_size=len(leaves))), steps


@needs_node
@settings(max_examples=4)
@given(st.lists(edge_recipes(), min_size=30, max_size=30))
def test_random_graphs_at_the_edges_of_the_floats_give_the_engine_s_numbers(recipe_list):
    """nan in gives nan out, overflow gives ±inf, and an exact 0 passes nothing on, node by node as in the engine."""
    roots = [root for root, _ in map(build, recipe_list) if root is not None]
    compare_graphs(roots)


@needs_node
def test_every_row_at_the_edges_of_the_floats_matches_forward_grads_and_domain():
    """Each fixed-arity row at ±0, subnormals, ±1e300, ±inf and nan: forward, the two-pass local
    derivatives (IEEE after a raise, zero times anything zero) and the domain's message; values and
    derivatives inside the domain, where the engine computes them."""
    cases = []
    for row in TABLE:
        if row.arity is None:
            continue
        for args in itertools.product(GRID, repeat=row.arity):
            cases.append((row, args))
    lines = [javascript_runtime(), BITS, "const m = microbp; const out = [];"]
    for row, args in cases:
        literal = ", ".join(str(js_number(a)) for a in args)
        domain = f"m.domain_{row.name}({literal})" if checks_values(row) else "null"
        lines.append(f"{{ const y = m.forward.{row.name}({literal}); "
                     f"out.push([bits(y), m.grads.{row.name}(y, {literal}).map(bits), {domain}]); }}")
    lines.append("console.log(JSON.stringify(out));")
    results = node("\n".join(lines))
    for (row, args), (value, grads, message) in zip(cases, results):
        exact = row_is_exact(row)
        expected = row.domain(*args) if checks_values(row) else None
        assert message == expected, (row.name, args, message, expected)
        if expected is None:         # outside the domain the engine refuses, and so does run
            out = row.forward(*args)
            assert agree(decode(value), out, exact), (row.name, args, decode(value), out)
            engine = float_grads(row, out, args)
            assert all(agree(decode(g), e, exact) for g, e in zip(grads, engine)), (row.name, args, grads, engine)


@needs_node
def test_outside_a_domain_run_throws_the_engine_s_domain_error():
    roots, inputs, expected = [], [], []
    for row in TABLE:
        if not checks_values(row):
            continue
        inside = [Value(2.0, label=p) for p in parameters(row)]
        for args in itertools.product(GRID, repeat=row.arity):
            message = row.domain(*args)
            if message:
                roots.append(microbp.apply(row, inside))
                inputs.append(list(args))
                expected.append(str(DomainError(f"{row.name}: {message}")))
    lines = [javascript_runtime(), "const out = [];"]
    for root, values in zip(roots, inputs):
        literal = ", ".join(str(js_number(a)) for a in values)
        lines.append(f"try {{ {javascript_graph(root)}.run([{literal}]); out.push(null); }} "
                     "catch (e) { out.push([e.name, e.message, e instanceof microbp.DomainError]); }")
    lines.append("console.log(JSON.stringify(out));")
    results = node("\n".join(lines))
    assert len(results) == len(expected) > 10
    for result, message in zip(results, expected):
        assert result == ["DomainError", message, True]


@needs_node
def test_repr_is_python_s():
    generator = random.Random(25)
    numbers = GRID + [1e16, 9999999999999998.0, 1e-4, 9.999e-5, 123456.789, 0.1, 1 / 3, 2.0 ** -1074]
    numbers += [struct.unpack(">d", generator.getrandbits(64).to_bytes(8, "big"))[0] for _ in range(2000)]
    numbers += [generator.uniform(-1e6, 1e6) for _ in range(500)]
    literal = ", ".join(str(js_number(x)) for x in numbers)
    assert node(f"{javascript_runtime()}\nconsole.log(JSON.stringify([{literal}].map(microbp.repr)));") == \
        [repr(x) for x in numbers]


HOSTILE = ["</script><script>alert(1)</script>", "</SCRIPT>", "<!--", "'", '"', "\\", "\\u2028",
           "javascript:alert(1)", "\u2028", "\u2029", "${alert(1)}", "`", "__proto__", "constructor",
           "x\ny", "<img src=x onerror=alert(1)>", "\ud800", "&amp;", "toString",
           # names the program and the runtime use: a label never becomes one
           "leafValues", "chain", "grads", "run", "inputs", "var", "Math", "tanh", "sum", "grad_x1", "x1", "local"]


def hostile_graph():
    leaves = [Value(0.5 + i, label=label) for i, label in enumerate(HOSTILE)]
    root = microbp.sum(leaves).tanh()
    root.label = "</script>root"
    return root, leaves


def test_hostile_labels_reach_the_script_only_as_escaped_text():
    script = javascript(hostile_graph()[0])
    assert "</script" not in script.lower() and "<!--" not in script
    assert "\u2028" not in script and "\u2029" not in script and "\ud800" not in script
    graph = javascript_graph(hostile_graph()[0])
    code = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', graph)          # the graph without its string literals
    for piece in ("alert", "javascript:", "${", "onerror", "\\u2028", "&amp;", "<img"):
        assert piece not in code, piece
    for label in HOSTILE:
        assert script_json(label) in script, label


@needs_node
def test_hostile_labels_round_trip_as_text_and_index_their_nodes():
    root, _ = hostile_graph()
    script = javascript(root) + ("const r = graph.run(graph.values);\n"
                                 "console.log(JSON.stringify([graph.labels, Object.keys(graph.index), "
                                 "graph.labels.map((l) => l === null ? null : graph.index[l]), r.data]));")
    labels, keys, indexed, data = node(script)
    order = topological_order(root)
    assert labels == [n.label for n in order]
    assert set(HOSTILE) <= set(keys)
    assert all(indexed[i] == i for i, n in enumerate(order) if n.op is None)     # each label finds its leaf
    assert data[-1] == root.data


def test_bad_arguments_are_refused_with_the_function_named():
    with pytest.raises(TypeError, match=r"javascript_graph\(root\) needs a Value"):
        javascript_graph(2.0)
    with pytest.raises(ValueError, match="javascript: variable must be an ASCII identifier"):
        javascript(Value(1.0) * 2, variable="let")


@needs_node
def test_zero_times_anything_is_zero_as_in_backward():
    """An exact 0 passes nothing on: a 0 local derivative under an infinite gradient (relu below its
    kink, times inf), a 0 gradient through an infinite local derivative (√ at 0, times 0), and
    0 ** 0's derivative, which Python reaches through IEEE arithmetic after 0 ** -1 raised."""
    x, w = Value(-1.0, label="x"), Value(math.inf, label="w")
    z, zero = Value(0.0, label="z"), Value(0.0, label="zero")
    a, b = Value(0.0, label="a"), Value(0.0, label="b")
    roots = [x.relu() * w, z.sqrt() * zero, (a ** b) * 3.0]
    compare_graphs(roots)
    assert (x.grad, z.grad, a.grad) == (0.0, 0.0, 0.0) and math.isnan(w.grad) is False


def compensated_sum(xs: list) -> float:
    """CPython 3.12's sum of floats (``builtin_sum_impl``): Neumaier's compensated sum, seeded with 0 + x0,
    the compensation added at the end only when it is nonzero and finite."""
    if not xs:
        return 0.0
    total, compensation = 0 + xs[0], 0.0
    for x in xs[1:]:
        t = total + x
        compensation += (total - t) + x if abs(total) >= abs(x) else (x - t) + total
        total = t
    return total + compensation if compensation and math.isfinite(compensation) else total


@needs_node
def test_the_runtime_sums_as_python_does_in_order_or_compensated():
    """``sum`` adds in order up to Python 3.11 and compensates from 3.12: the runtime follows the Python
    that writes it, and its compensated path is CPython 3.12's (checked here whichever Python runs)."""
    generator = random.Random(12)
    lists = [[1e16, 1.0, -1e16, 1.0], [-0.0], [-0.0, -0.0], [1e308, 1e308, -1e308], [math.inf, 1.0, 2.0],
             [1.0, math.nan], [0.1] * 10, [], [5e-324, -5e-324, 1e-300]]
    lists += [[generator.choice([1e16, 1.0, -1e16, 0.1, 3e-17]) * generator.uniform(-2, 2) for _ in range(n)]
              for n in range(1, 12) for _ in range(40)]
    literal = "[" + ", ".join("[" + ", ".join(str(js_number(x)) for x in xs) + "]" for xs in lists) + "]"
    in_order = "const SUM_ADDS_IN_ORDER = true;"
    runtime = javascript_runtime()
    assert (in_order in runtime) == (sum([1e100, 1.0, -1e100]) == 0.0)
    for flag, reference in (("true", _in_order), ("false", compensated_sum)):
        script = runtime.replace(runtime[runtime.index("const SUM_ADDS_IN_ORDER"):].split("\n")[0],
                                 f"const SUM_ADDS_IN_ORDER = {flag};")
        got = node(script + BITS + f"console.log(JSON.stringify({literal}.map((xs) => bits(microbp.sum(xs)))));")
        for xs, value in zip(lists, got):
            assert agree(decode(value), reference(xs), exact=True), (flag, xs, decode(value), reference(xs))


def _in_order(xs: list) -> float:
    total = 0.0
    for x in xs:
        total += x
    return total


@needs_node
def test_run_refuses_inputs_that_are_not_its_leaves_numbers():
    graph = javascript_graph(Value(2.0, label="x") * Value(3.0, label="y"))
    script = [javascript_runtime(), f"const g = {graph};", "const out = [];"]
    for inputs in ("[1]", "[1, '2']", "null", "[1, 2, 3]"):
        script.append(f"try {{ g.run({inputs}); out.push(null); }} catch (e) {{ out.push(e.message); }}")
    script.append("out.push(g.run(new Float64Array([4, 5])).data[2]);")
    script.append("console.log(JSON.stringify(out));")
    assert node("\n".join(script)) == ["run(inputs) needs an array of 2 numbers"] * 4 + [20]
