"""The graph module: one traversal, a Graph built once, and scopes that belong to their thread."""

import threading

import pytest

import microbp
import microbp.core.graph
from microbp import Graph, Value, scope


@pytest.fixture
def walks(monkeypatch):
    """Counts the walks of any graph (calls of topological_order, wherever they come from)."""
    calls = []
    original = microbp.core.graph.topological_order

    def counting(root, leaves=True):
        calls.append(root)
        return original(root, leaves)
    monkeypatch.setattr(microbp.core.graph, "topological_order", counting)
    return calls


def test_verify_walks_the_graph_once(walks):
    x, w = Value(0.5, label="x"), Value(-1.5, label="w")
    assert microbp.verify((x * w).tanh() + x)
    assert len(walks) == 1


@pytest.mark.needs_dot
def test_a_slideshow_walks_the_graph_once(walks, tmp_path):
    microbp.slideshow(microbp.lecture_neuron(backward=False), tmp_path / "neuron.html")
    assert len(walks) == 1


def test_steps_to_text_and_to_sympy_read_a_graph_built_once(walks):
    graph = Graph(microbp.lecture_neuron(backward=False))
    walks.clear()
    microbp.steps(graph)
    microbp.to_text(graph)
    microbp.to_sympy(graph)
    microbp.gradients(graph)
    assert walks == []


def test_threads_building_graphs_keep_their_own_scopes():
    """Sixteen threads enter and leave scopes in interleaved order; each node gets its own thread's path."""
    count, barrier = 16, threading.Barrier(16)
    results, errors = {}, []

    def work(i):
        try:
            with scope(f"thread {i}"):
                barrier.wait()                           # every thread is inside its scope now
                with scope("inner"):
                    inner = Value(1.0) * i
                barrier.wait()
                outer = Value(2.0) + i
            barrier.wait()                               # every thread has left its scope
            results[i] = (inner.scope, outer.scope, (Value(3.0) * 1).scope)
        except Exception as error:                        # pragma: no cover (reported below)
            errors.append(error)
    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert results == {i: ((f"thread {i}", "inner"), (f"thread {i}",), None) for i in range(count)}
    assert (Value(1.0) * 2).scope is None


def test_a_scope_object_can_be_entered_again_and_nested_anew():
    neuron = scope("N1")
    with neuron as first:
        a = Value(1.0) * 2
    with scope("L2"):
        with neuron as second:
            b = Value(1.0) * 2
    with neuron as third:
        c = Value(1.0) * 2
    assert (a.scope, b.scope, c.scope) == (("N1",), ("L2", "N1"), ("N1",))
    assert first == third == ("N1",) and second == ("L2", "N1")
