"""The graph view: every value a box, every operation a node, the local derivatives on the edges.

>>> from microbp import Value
>>> from microbp.figures.options import DrawOptions
>>> a = Value(2.0, label="a")
>>> GraphView().draw(Graph(a * a), DrawOptions()).source.count("->")
3
"""

from __future__ import annotations

from ...core.graph import Graph
from ...errors import NotANetworkError
from ...figures.graph_view import draw_graph
from ..graph_frames import graph_frames, graph_workload
from ..graph_steps import graph_steps
from ..graph_tangents import graph_tangent_frames, graph_tangent_steps, graph_tangent_workload
from .view import View
from .walkthrough_order import walkthrough_order


class GraphView(View):
    """A box per value (``microbp.figures.graph_view``); a lecture step per node, or per collapsed scope.

    On a network (``microbp.network.model``) the steps go in the walkthrough's order by default
    (``order="layers"``: unit by unit forward, layer by layer back), as the network view's do.
    """

    name = "graph"
    default_order = "reverse-topological"
    lighter = "or draw less per frame (view='layers' for a network of units, else collapse=1)"
    shows_program = True

    def less_text(self, drawing) -> str:
        return "draw less per frame (collapse=1, a smaller graph, or show=('data', 'grad'))"

    def order_for(self, graph: Graph) -> str:
        return "layers" if self.network(graph) is not None else self.default_order

    def network(self, graph: Graph):
        """The network of two units or more that ``graph`` computes, or None."""
        network = self.any_network(graph)
        return network if network and len(network.units) >= 2 else None

    def any_network(self, graph: Graph):
        """The network ``graph`` computes, of any size, or None (read once per call)."""
        from ...network.model import Network

        if getattr(self, "_network", (None,))[0] is not graph:
            try:
                network = Network.of(graph)
            except NotANetworkError:
                network = None
            self._network = (graph, network)
        return self._network[1]

    def check(self, graph, drawing, caller: str) -> None:
        """Refuse the textbook notation: it names a network's units, inputs and weights, which this view does
        not draw (``"labels"`` is what it does anyway: each value under its own label)."""
        if drawing.notation not in ("walkthrough", "labels"):
            action = ("draw it with view='network'" if self.any_network(graph) else
                      "leave notation out (this graph has no units: values made inside microbp.scope)")
            raise ValueError(f"{caller}: notation={drawing.notation!r} names a network's units, inputs and weights, "
                             f"which view='network' draws; the graph view draws each value under its own label: "
                             f"{action}")

    def draw(self, graph: Graph, drawing):
        return draw_graph(graph, drawing, self.instead)

    def steps(self, graph: Graph, lecture) -> list:
        if lecture.mode == "forward":
            return graph_tangent_steps(graph, lecture)
        made = graph_steps(graph, lecture.number_format, lecture.collapse, lecture.order, lecture)
        network = self.network(graph) if lecture.order == "layers" else None
        return made if network is None else walkthrough_order(made, network)

    def frames(self, graph: Graph, steps: list, lecture) -> list:
        if lecture.mode == "forward":
            return graph_tangent_frames(graph, steps, lecture)
        return graph_frames(graph, steps, lecture)

    def workload(self, graph: Graph, lecture) -> tuple:
        if lecture.mode == "forward":
            return graph_tangent_workload(graph, lecture.drawing.max_nodes, self.instead)
        return graph_workload(graph, lecture.collapse, lecture.drawing.max_nodes, self.instead)

