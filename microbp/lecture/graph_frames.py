"""The graph view's frames: the whole graph once per step, the step lit and what is not known yet as ``?``.

A forward frame highlights the step's nodes and their inputs, and shows no
gradient yet; a backward frame highlights the step's nodes and the gradients
they come from, and every gradient computed so far in the pass.
``graph_workload`` counts the frames and what each draws, before any is drawn.

>>> from microbp import Graph, Value
>>> from microbp.lecture.graph_steps import graph_steps
>>> from microbp.lecture.options import LectureOptions
>>> graph = Graph(Value(3.0, label="a").exp())
>>> lecture = LectureOptions.checked("frames", "reverse-topological")
>>> frames = graph_frames(graph, graph_steps(graph, ".4g", None, lecture.order), lecture)
>>> ["grad ?" in frame.source for _, frame in frames]
[True, True, False]
"""

from __future__ import annotations

from dataclasses import replace

from ..figures.collapse import check_size, collapsed_boxes
from ..figures.graph_view import draw_graph


def graph_frames(graph, steps: list, lecture) -> list:
    """(step, graphviz.Digraph) for each step; ``lecture`` is a ``LectureOptions``."""
    order, grads = graph.order, graph.gradients
    everything = set(order)
    computed = {node for node in order if node.op is not None}
    phase, known, result = None, set(), []   # known: nodes done so far in the current phase
    for step in steps:
        if step.phase != phase:
            phase, known = step.phase, set()
        known |= set(step.nodes)
        if step.phase == "forward":
            inputs = {p for node in step.nodes for p in node.parents if type(p) is not float}
            shown = {"unknown_data": computed - known, "unknown_grads": everything,
                     "highlight": set(step.nodes) | inputs}
        else:
            upstream = {child for child, _, _ in step.terms}
            shown = {"unknown_data": set(), "unknown_grads": everything - known,
                     "highlight": set(step.nodes) | upstream}
        title = step.caption if lecture.captions else lecture.drawing.title
        frame = replace(lecture.drawing, grads=grads, title=title, **shown)
        result.append((step, draw_graph(graph, frame)))
    return result


def graph_workload(graph, collapse, max_nodes, instead=lambda graph: "") -> tuple:
    """(frames, nodes and edges per frame) in the graph view; over ``max_nodes``, the drawing's own error."""
    boxes = collapsed_boxes(graph, collapse)
    check_size(graph, boxes, collapse, max_nodes, caller="lecture", instead=instead)
    outside = [node for node in graph.order if node not in boxes]
    box_count = len({box.name for box in boxes.values()})
    computed = sum(1 for node in outside if node.op is not None)
    edges = sum(len(node.parents) + 1 for node in outside if node.op is not None)
    frames = len(outside) + computed + 2 * box_count
    return frames, len(outside) + computed + box_count + edges
