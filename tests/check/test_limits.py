"""Everything sympy-backed is bounded: linear in the graph, or refused up front with the argument to raise.

Work is counted (high-precision evaluations) and memory measured with tracemalloc; time is not
asserted here (benchmarks/derivations.py --growth prints it, as ratios).
"""

import tracemalloc

import pytest

import microbp
from microbp import GraphTooLargeError, Value, check_derivation, to_sympy, verify
from microbp.check.high_precision import RealFunction
from microbp.check.limits import MAX_SYMPY_DEPTH, MAX_SYMPY_NODES, nesting
from microbp.core.graph import Graph


def chain(nodes: int) -> Value:
    """About ``nodes`` nodes: y -> tanh(0.9 y) + 0.01, over and over."""
    y = Value(0.5, label="x")
    for _ in range(nodes // 3):
        y = (y * 0.9).tanh() + 0.01
    return y


def cost_of_verify(root, monkeypatch) -> tuple:
    """(high-precision evaluations, peak bytes) of one verify."""
    calls = []
    original = RealFunction.__call__
    monkeypatch.setattr(RealFunction, "__call__", lambda self, *a, **k: calls.append(1) or original(self, *a, **k))
    tracemalloc.start()
    report = verify(root)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    monkeypatch.undo()
    assert report.ok
    return len(calls), peak


def test_verify_grows_linearly_with_the_chain(monkeypatch):
    verify(chain(30))                                       # compile the rows once
    (work, memory), (work2, memory2), (work4, memory4) = (cost_of_verify(chain(n), monkeypatch)
                                                          for n in (300, 600, 1200))
    assert 1.8 < work2 / work < 2.2 and 1.8 < work4 / work2 < 2.2
    assert memory2 / memory < 2.5 and memory4 / memory2 < 2.5


def test_to_sympy_refuses_a_long_chain_before_any_sympy_work(monkeypatch):
    monkeypatch.setattr(Graph, "evaluate", lambda *args: pytest.fail("sympy work began"))
    with pytest.raises(GraphTooLargeError, match=f"over the limit of {MAX_SYMPY_NODES}; pass max_nodes="):
        to_sympy(chain(10_000))
    deep = Value(0.5)
    for _ in range(MAX_SYMPY_DEPTH):
        deep = deep.tanh()
    assert nesting(Graph(deep)) == MAX_SYMPY_DEPTH + 0 and MAX_SYMPY_DEPTH < len(Graph(deep).order) <= MAX_SYMPY_NODES
    with pytest.raises(GraphTooLargeError, match=f"nested {MAX_SYMPY_DEPTH + 1} levels deep.*max_depth"):
        to_sympy(deep.tanh())


def test_sympy_is_refused_a_deep_power_tower_and_a_deep_nest():
    """x ** x ** ... 150 deep and 100 nested tanh once ended in sympy's RecursionError."""
    x = Value(1.01, label="x")
    tower = x
    for _ in range(150):
        tower = x ** tower
    assert to_sympy(tower).free_symbols                     # 150 levels: within the limit, and built
    assert verify(tower).ok
    nest = x
    for _ in range(100):
        nest = nest.tanh()
    assert to_sympy(nest).free_symbols and verify(nest).ok
    text = "x"
    for _ in range(100):
        text = f"tanh({text})"
    with pytest.raises(GraphTooLargeError, match="pass max_depth=101"):
        check_derivation(text, "x", "0", max_depth=100)


def test_verify_of_a_deep_sigmoid_nest_is_quick_work():
    """grad on sigmoid nested 16 deep once ran for over 10 minutes inside subs and evalf."""
    x = Value(0.3, label="x")
    y = x
    for _ in range(16):
        y = y.sigmoid()
    report = verify(y)
    assert report.ok and report.leaves[0].engine == pytest.approx(report.leaves[0].sympy, rel=1e-12)


def test_every_limit_names_the_argument_that_raises_it():
    with pytest.raises(GraphTooLargeError, match="pass max_nodes=7 to verify") as caught:
        verify(chain(6), max_nodes=5)
    assert (caught.value.option, caught.value.needed, caught.value.limit) == ("max_nodes", 7, 5)
    assert issubclass(GraphTooLargeError, (microbp.MicrobpError, ValueError))


def multiplied(length: int):
    x = Value(1.0, label="x")
    y = x
    for _ in range(length):
        y = y * 1.01
    return x, y


def refusals():
    """(what, call with the small limit, call with the limit the error says it needs)."""
    from microbp.lecture.planning import plan
    from microbp.lecture.workload import check_workload

    def lecture(**options):
        planned = plan(y, "steps", "graph", **options)
        check_workload(planned.view, planned.graph, planned.options)
    x, y = multiplied(30)
    yield "draw", lambda **o: microbp.draw(y, **o), {"max_nodes": 10}
    yield "to_sympy", lambda **o: microbp.to_sympy(y, **o), {"max_nodes": 10}
    yield "to_sympy depth", lambda **o: microbp.to_sympy(y, **o), {"max_depth": 10}
    yield "verify", lambda **o: microbp.verify(y, **o), {"max_nodes": 10}
    yield "compile nodes", lambda **o: microbp.compile(y, [x], **o), {"max_nodes": 10}
    yield "compile edges", lambda **o: microbp.compile(y, [x], **o), {"max_edges": 10}
    yield "check_derivation", lambda **o: microbp.check_derivation("x*x*x*x*x", "x", "5*x**4", **o), {"max_nodes": 3}
    yield "lecture", lecture, {"max_elements": 10}


@pytest.mark.parametrize("what, call, small", list(refusals()), ids=[r[0] for r in refusals()])
def test_every_refusal_carries_option_needed_and_limit_and_needed_lets_it_through(what, call, small):
    (option, limit), = small.items()
    with pytest.raises(GraphTooLargeError) as caught:
        call(**small)
    error = caught.value
    assert (error.option, error.limit) == (option, limit) and error.needed > limit
    assert f"{option}={error.needed}" in str(error)
    call(**{option: error.needed})
