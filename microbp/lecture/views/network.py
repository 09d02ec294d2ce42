"""The network view: a circle per unit, the weights on the edges; its lecture goes unit by unit.

It needs a network (``microbp.network.model``): values made inside scopes,
one per unit. Options that only the graph view can show are refused by name.

>>> from microbp import Value, scope
>>> from microbp.figures.options import DrawOptions
>>> y0 = Value(1.0, label="y0"); w = Value(0.5, label="w01")
>>> with scope("layer 1"):
...     y1 = (w * y0).sigmoid()
>>> "shape=circle" in NetworkView().draw(Graph(y1), DrawOptions()).source
True
"""

from __future__ import annotations

import re

from ...core.graph import Graph
from ...errors import NotANetworkError
from ...figures.graph_view import CELLS
from ...figures.network_view import draw_network_as
from ...network.model import Network
from ..network_frames import network_frames, network_workload
from ..network_steps import network_steps
from ..network_tangents import network_tangent_frames, network_tangent_steps, network_tangent_workload
from .view import View

GRAPH_ONLY = ("show", "color_by_grad", "highlight", "highlight_path", "unknown_data", "unknown_grads")


class NetworkView(View):
    """A circle per unit (``microbp.figures.network_view``); a lecture in the walkthrough's order."""

    name = "network"
    default_order = "layers"
    type_size = "network_fontsize"
    lighter = ("or draw the network once: render(root, 'network.svg', view='network'), with a step per "
               "weight its lecture is long")

    def __init__(self, instead=lambda graph: ""):
        super().__init__(instead)
        self._networks: dict = {}      # (graph, number format) -> its Network, read once per call

    def network(self, graph: Graph, number_format: str = ".4g") -> Network:
        key = (id(graph), number_format)
        if key not in self._networks:
            self._networks[key] = (graph, Network.of(graph, number_format))
        return self._networks[key][1]

    def less_text(self, drawing) -> str:
        digits = re.fullmatch(r"\.([0-9]+)g", drawing.number_format)
        fewer = f"'.{int(digits[1]) - 1}g'" if digits and int(digits[1]) > 2 else "a shorter one"
        return f"fewer digits on each line (number_format={fewer})"

    def offer(self, graph) -> str:
        try:
            units = len(self.network(graph).units)
        except NotANetworkError:
            return ""
        return f"view='network' to draw its {units} units as circles, the weights on the edges"

    def check(self, graph, drawing, caller: str) -> None:
        given = [name for name in GRAPH_ONLY if _given(drawing, name)]
        if given:
            raise ValueError(f"{caller}: {', '.join(given)} apply to view='graph' only; "
                             "the network view shows every value of a unit and of a weight")
        if drawing.collapse is not None:
            raise ValueError(f"{caller}: collapse is for view='graph'; the network view already draws one circle "
                             "per unit, its parameters on the edges")

    def draw(self, graph: Graph, drawing):
        return draw_network_as(self.network(graph, drawing.number_format), drawing)

    def steps(self, graph: Graph, lecture) -> list:
        network = self.network(graph, lecture.number_format)
        if lecture.mode == "forward":
            return network_tangent_steps(network, lecture)
        return network_steps(network, lecture.number_format, lecture.order, lecture.learning_rate, lecture)

    def frames(self, graph: Graph, steps: list, lecture) -> list:
        if lecture.mode == "forward":
            return network_tangent_frames(self.network(graph, lecture.number_format), steps, lecture)
        return network_frames(self.network(graph, lecture.number_format), steps, lecture)

    def workload(self, graph: Graph, lecture) -> tuple:
        if lecture.mode == "forward":
            return network_tangent_workload(self.network(graph, lecture.number_format))
        return network_workload(self.network(graph, lecture.number_format))


def _given(drawing, name: str) -> bool:
    """Whether option ``name`` was given (never comparing Values, whose ``==`` builds a graph)."""
    value = getattr(drawing, name)
    if name == "show":
        return tuple(value) != CELLS
    return value is not None if name == "highlight_path" else bool(value)
