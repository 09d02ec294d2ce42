"""The graph view's forward-mode lecture: the seed, a step per computed node, the comparison; and its frames.

Each frame shows every node's value and tangent (``tangent 0.5`` where the
backward lecture writes ``grad``), ``?`` until its step; the last frame is the
comparison of the two modes' costs as a table (``mode_costs``). A step's
``terms`` are (parent, its tangent, local derivative): local × tangent sums to
its ``value``. How the lecture goes: ``microbp.lecture.tangent_steps``.

>>> from microbp import Value, Graph
>>> from microbp.lecture.options import LectureOptions
>>> x = Value(0.5, label="x"); w = Value(2.0, label="w")
>>> y = (x * w).sigmoid(); y.label = "y"
>>> lecture = LectureOptions.checked("steps", "reverse-topological", mode="forward", seed=w)
>>> for step in graph_tangent_steps(Graph(y), lecture): print(step.phase, step.caption)
seed ẇ = 1: w moves at speed 1; every other input stays still (tangent 0)
forward v1 = x × w = 0.5 × 2 = 1
v̇1 = x · ẇ = 0.5 × 1 = 0.5
forward y = σ(v1) = σ(1) = 0.7311
ẏ = y × (1 − y) · v̇1 = 0.1966 × 0.5 = 0.09831
compare Forward mode makes a pass per input, reverse mode a pass per output.
y by its 2 inputs: forward 2 passes (4 products), reverse 1 pass (3 products).
v1, y by w: forward 1 pass (2 products), reverse 2 passes (5 products).
"""

from __future__ import annotations

from dataclasses import replace

from ..core.forward import tangents
from ..figures.graph_view import draw_graph
from ..text.notation import local_formulas
from .captions import Captions
from .graph_frames import graph_workload
from .mode_costs import comparison_caption, comparison_picture, graph_costs
from .step import Step
from .tangent_steps import TangentWriter, moves


def graph_tangent_steps(graph, lecture) -> list:
    """The graph view's forward-mode lecture: the seed, a step per computed node, the comparison."""
    seed, moving = lecture.seed, tangents(graph.order, {lecture.seed: 1.0})
    text = Captions(graph, lecture.number_format)
    writer = TangentWriter(text.style)
    result = [Step(0, "seed", [seed], writer.seed(text.names[seed], "input"), 1.0)]
    for node in graph.computed:
        formulas = local_formulas(node, text.operand, text.style)
        terms = [(parent, moving[parent], local, str(formula))
                 for parent, local, formula in zip(node.parents, node.local_grads, formulas)
                 if type(parent) is not float and moves(moving.get(parent))]
        line = writer.tangent(text.operand(node), [(f, local, text.operand(p), t) for p, t, local, f in terms],
                              moving.get(node, 0.0))
        result.append(Step(len(result), "forward", [node], f"{text.forward([node])}\n{line}",
                           moving.get(node, 0.0), [term[:3] for term in terms]))
    costs = graph_costs(graph, seed, text.names)
    result.append(Step(len(result), "compare", [graph.root], comparison_caption(costs), costs[0].forward.passes,
                       costs))
    return result


def graph_tangent_frames(graph, steps: list, lecture) -> list:
    """(step, graphviz.Digraph) for each step of ``graph_tangent_steps``; ``lecture`` is a ``LectureOptions``."""
    moving = tangents(graph.order, {lecture.seed: 1.0})
    shown = {node: moving.get(node, 0.0) for node in graph.order}
    computed, known, result = set(graph.computed), set(), []
    for step in steps:
        title = step.caption if lecture.captions else lecture.drawing.title
        if step.phase == "compare":
            result.append((step, comparison_picture(step.terms, replace(lecture.drawing, title=title))))
            continue
        known |= set(step.nodes)
        inputs = {p for node in step.nodes for p in node.parents if type(p) is not float}
        frame = replace(lecture.drawing, tangents=shown, title=title, unknown_data=computed - known,
                        unknown_grads=computed - known, highlight=set(step.nodes) | inputs)
        result.append((step, draw_graph(graph, frame)))
    return result


def graph_tangent_workload(graph, max_nodes: int, instead=lambda graph: "") -> tuple:
    """(frames, nodes and edges per frame): the backward lecture's frames, less its backward half."""
    _, elements = graph_workload(graph, None, max_nodes, instead)
    return len(graph.computed) + 2, elements
