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
from ...network.notation import use_notation
from ...text.plural import count
from ..network_frames import network_frames, network_workload
from ..network_steps import network_steps
from ..network_tangents import network_tangent_frames, network_tangent_steps, network_tangent_workload
from .view import View

LARGEST_CIRCLES_MATRIX = 12     # weights into a layer that the network view draws readably at 1024×768
GRAPH_ONLY = ("show", "color_by_grad", "highlight", "highlight_path", "unknown_data", "unknown_grads")


class NetworkView(View):
    """A circle per unit (``microbp.figures.network_view``); a lecture in the walkthrough's order."""

    name = "network"
    default_order = "layers"
    type_size = "network_fontsize"
    draws = "one circle per unit, its parameters on the edges, every value of a unit and of a weight"
    lighter = ("or give its lecture a layer at a time, a box per layer and its weight matrix on an edge: "
               "view='layers'")

    def __init__(self, instead=lambda graph: ""):
        super().__init__(instead)
        self._networks: dict = {}      # (graph, number format, notation) -> its Network, read once per call

    def network(self, graph: Graph, number_format: str = ".4g", notation: str = "walkthrough") -> Network:
        """``graph``'s network, named in ``notation``: a Network of its own for each notation, since
        ``use_notation`` renames the one it is given (a picture's names never leak into the next)."""
        key = (id(graph), number_format, notation)
        if key not in self._networks:
            try:
                network = Network.of(graph, number_format)
            except NotANetworkError as error:     # its message names the network view: say the one asked for
                if self.name == "network":
                    raise
                raise NotANetworkError(str(error).replace("view='network'", f"view={self.name!r}", 1)) from None
            use_notation(network, notation)
            self._networks[key] = (graph, network)
        return self._networks[key][1]

    def lecture_network(self, graph: Graph, lecture) -> Network:
        """The network a lecture (``LectureOptions``) is about, in its number format and notation."""
        return self.network(graph, lecture.number_format, lecture.notation)

    def less_text(self, drawing) -> str:
        digits = re.fullmatch(r"\.([0-9]+)g", drawing.number_format)
        fewer = f"'.{int(digits[1]) - 1}g'" if digits and int(digits[1]) > 2 else "a shorter one"
        return f"fewer digits on each line (number_format={fewer})"

    def offer(self, graph) -> str:
        try:
            network = self.network(graph)
        except NotANetworkError:
            return ""
        if too_dense(network):          # the layers view offers to draw it
            return ""
        return f"view='network' to draw its {count(len(network.units), 'unit')} as circles, the weights on the edges"

    def check(self, graph, drawing, caller: str) -> None:
        given = [name for name in GRAPH_ONLY if _given(drawing, name)]
        if given:
            raise ValueError(f"{caller}: {', '.join(given)} apply to view='graph' only; "
                             f"the {self.name} view draws {self.draws}")
        if drawing.collapse is not None:
            raise ValueError(f"{caller}: collapse is for view='graph'; the {self.name} view already draws {self.draws}")

    def draw(self, graph: Graph, drawing):
        return draw_network_as(self.network(graph, drawing.number_format, drawing.notation), drawing)

    def steps(self, graph: Graph, lecture) -> list:
        network = self.lecture_network(graph, lecture)
        if lecture.mode == "forward":
            return network_tangent_steps(network, lecture)
        return network_steps(network, lecture.number_format, lecture.order, lecture.learning_rate, lecture)

    def frames(self, graph: Graph, steps: list, lecture) -> list:
        if lecture.mode == "forward":
            return network_tangent_frames(self.lecture_network(graph, lecture), steps, lecture)
        return network_frames(self.lecture_network(graph, lecture), steps, lecture)

    def workload(self, graph: Graph, lecture) -> tuple:
        if lecture.mode == "forward":
            return network_tangent_workload(self.lecture_network(graph, lecture))
        return network_workload(self.lecture_network(graph, lecture))


def too_dense(network) -> bool:
    """Whether more than ``LARGEST_CIRCLES_MATRIX`` weights enter a layer: too many edges for circles that a
    projector shows large (``microbp.lecture.views.registry`` says what was measured); the layers view draws it."""
    return max(sum(len(unit.weights) for unit in layer) for layer in network.layers) > LARGEST_CIRCLES_MATRIX


def _given(drawing, name: str) -> bool:
    """Whether option ``name`` was given (never comparing Values, whose ``==`` builds a graph)."""
    value = getattr(drawing, name)
    if name == "show":
        return tuple(value) != CELLS
    return value is not None if name == "highlight_path" else bool(value)
