"""One fresh-name scheme: an unlabelled leaf has the same name in figures, captions, sympy, text and code."""

import re

import pytest

import microbp
from microbp import Graph, Value
from microbp.core.names import FreshNames, leaf_names
from microbp.lecture.captions import Captions
from microbp.programs.program import Program


def graphs():
    a, b, c = Value(2.0), Value(-3.0), Value(0.5)
    yield "unlabelled", (a * b + c).tanh(), [a, b, c]
    a, b = Value(2.0), Value(-3.0)
    yield "a label that is a generated name", a * b + Value(1.0, label="x0"), [b, a]   # wrt in another order
    a, b = Value(2.0), Value(-3.0)
    yield "a label code cannot use", (a + Value(1.0, label="len")) * b, [a, b]


@pytest.mark.parametrize("what, root, wrt", list(graphs()), ids=[g[0] for g in graphs()])
def test_unlabelled_leaves_have_the_same_names_in_draw_sympy_codegen_text_and_captions(what, root, wrt):
    graph = Graph(root)
    unlabelled = {leaf: name for leaf, name in graph.names.items() if leaf.label is None}
    assert len(unlabelled) >= 2
    expected = set(unlabelled.values())
    assert expected <= {s.name for s in microbp.to_sympy(root).free_symbols}
    assert expected <= set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", microbp.to_text(root)))
    assert expected <= set(re.findall(r"<B>([^<]*)</B>", microbp.draw(root).source))
    captions = Captions(graph, ".4g")
    assert {captions.names[leaf] for leaf in unlabelled} == expected
    program = Program(root, wrt)
    assert {leaf: program.name(leaf) for leaf in unlabelled} == unlabelled
    assert "def f(" + ", ".join(program.name(leaf) for leaf in wrt) + ")" in microbp.codegen(root, wrt)


def test_fresh_names_skip_the_avoided_and_the_given_and_count_on():
    names = FreshNames(avoid={"v2"}, given={"v3"})
    assert [names.fresh("v") for _ in range(3)] == ["v1", "v4", "v5"]
    assert [names.distinct("w") for _ in range(3)] == ["w", "w_2", "w_3"]


def test_a_label_repeated_10000_times_costs_linear_work():
    leaves = [Value(1.0, label="w") for _ in range(10_000)]
    names = leaf_names(leaves)
    assert len(set(names.values())) == 10_000 and names[leaves[-1]] == "w_10000"
    fresh = FreshNames()
    for _ in range(10_000):
        fresh.distinct("w")
    assert fresh.suffixes["w"] == 10_001          # one step per name, not a scan from w_2 each time


def test_a_leaf_whose_label_code_cannot_use_does_not_take_an_unlabelled_leafs_name():
    odd, a, b = Value(1.0, label="print()"), Value(2.0), Value(3.0)
    root = odd * a + b
    program = Program(root, [odd, a, b])
    assert [program.name(leaf) for leaf in (a, b)] == [Graph(root).names[a], Graph(root).names[b]]
    assert len({program.name(leaf) for leaf in (odd, a, b)}) == 3
