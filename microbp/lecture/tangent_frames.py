"""The frames of a forward-mode lecture: each node shows its value and its tangent, ``?`` until computed.

The seed's frame knows every leaf's value and tangent (the seed's 1, the
others' 0) and nothing computed; each later frame knows what the steps before
it computed, and highlights its step's nodes and what they read. The graph
view writes a tangent as ``tangent 0.5`` where the backward lecture writes
``grad``; the network view writes ``ẋ₃`` where it writes ``dE/dx₃``. The last
frame is the comparison of the two modes' costs, as a table (``mode_costs``).

>>> from microbp import Value, Graph
>>> from microbp.lecture.options import LectureOptions
>>> from microbp.lecture.tangent_steps import graph_tangent_steps
>>> x = Value(0.5, label="x"); y = x.exp(); y.label = "y"
>>> lecture = LectureOptions.checked("frames", "reverse-topological", mode="forward", seed=x)
>>> frames = graph_tangent_frames(Graph(y), graph_tangent_steps(Graph(y), lecture), lecture)
>>> [("tangent ?" in frame.source, "tangent 1.649" in frame.source) for _, frame in frames]
[(True, False), (False, True), (False, False)]
"""

from __future__ import annotations

from dataclasses import replace

from ..core.forward import tangents
from ..figures.graph_view import draw_graph
from ..figures.network_view import State, draw_network
from .mode_costs import comparison_picture


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


def network_tangent_frames(network, steps: list, lecture) -> list:
    """(step, graphviz.Digraph) for each step of ``network_tangent_steps``."""
    drawing = lecture.drawing
    moving = tangents(network.graph.order, {lecture.seed: 1.0})
    shown = {node: moving.get(node, 0.0) for node in network.graph.order}
    known = {("y", item) for item in network.inputs} | {("w", weight) for weight in network.weights}
    result = []
    for step in steps:
        title = step.caption if lecture.captions else drawing.title
        if step.phase == "compare":
            result.append((step, comparison_picture(step.terms, replace(drawing, title=title))))
            continue
        state = State(known=set(known), highlight=set(step.keys) | set(step.uses))
        picture = draw_network(network.graph, network=network, tangents=shown, state=state, rankdir=drawing.rankdir,
                               number_format=drawing.number_format, theme=drawing.theme, title=title,
                               fontsize=drawing.fontsize, size=drawing.size)
        result.append((step, picture))
        known |= set(step.keys)
    return result
