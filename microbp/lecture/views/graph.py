"""The graph view: every value a box, every operation a node, the local derivatives on the edges.

>>> from microbp import Value
>>> from microbp.figures.options import DrawOptions
>>> a = Value(2.0, label="a")
>>> GraphView().draw(Graph(a * a), DrawOptions()).source.count("->")
3
"""

from __future__ import annotations

from ...core.graph import Graph
from ...figures.graph_view import draw_graph
from ..graph_frames import graph_frames, graph_workload
from ..graph_steps import graph_steps
from ..graph_tangents import graph_tangent_frames, graph_tangent_steps, graph_tangent_workload
from .view import View


class GraphView(View):
    """A box per value (``microbp.figures.graph_view``); a lecture step per node, or per collapsed scope."""

    name = "graph"
    default_order = "reverse-topological"
    lighter = "or draw less per frame (collapse=1, view='network')"
    shows_program = True

    def draw(self, graph: Graph, drawing):
        return draw_graph(graph, drawing, self.instead)

    def steps(self, graph: Graph, lecture) -> list:
        if lecture.mode == "forward":
            return graph_tangent_steps(graph, lecture)
        return graph_steps(graph, lecture.number_format, lecture.collapse, lecture.order, lecture)

    def frames(self, graph: Graph, steps: list, lecture) -> list:
        if lecture.mode == "forward":
            return graph_tangent_frames(graph, steps, lecture)
        return graph_frames(graph, steps, lecture)

    def workload(self, graph: Graph, lecture) -> tuple:
        if lecture.mode == "forward":
            return graph_tangent_workload(graph, lecture.drawing.max_nodes, self.instead)
        return graph_workload(graph, lecture.collapse, lecture.drawing.max_nodes, self.instead)
