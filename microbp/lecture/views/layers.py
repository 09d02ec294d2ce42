"""The layers view: a box per layer, the weight matrices on the edges; its lecture goes a layer a step.

It reads the same network as the network view (``microbp.network.model``) and
draws it in vector form (``microbp.figures.layer_view``), so a network too wide
for a circle per unit (micrograd's moons model, 2-16-16-1) still makes a
lecture whose text a projector shows large: about 13 frames, not 500.

>>> from microbp.nn import MLP
>>> from microbp.figures.options import DrawOptions
>>> model = MLP(2, [16, 16, 1], seed=0)
>>> "layer 2 · 16 units" in LayersView().draw(Graph(model([0.5, -1.0])), DrawOptions()).source
True
"""

from __future__ import annotations

from ...core.graph import Graph
from ...errors import NotANetworkError
from ...figures.layer_view import draw_layers_as
from ..layer_steps import layer_frames, layer_steps, layer_workload
from .network import NetworkView, too_dense


class LayersView(NetworkView):
    """A box per layer (``microbp.figures.layer_view``); a lecture of a step per layer and phase."""

    name = "layers"
    default_order = "layers"
    lighter = "or draw the network once: render(root, 'network.svg', view='layers')"
    draws = "one box per layer, the weight matrices on the edges"
    layouts = ("LR",)      # a stack of tall boxes top to bottom never reads larger, on any screen (measured)

    def offer(self, graph) -> str:
        try:
            network = self.network(graph)
        except NotANetworkError:
            return ""
        if not too_dense(network):          # circles read: the network view offers them
            return ""
        widths = "-".join(str(len(layer)) for layer in [network.inputs] + network.layers)
        return f"view='layers' to draw its {widths} layers as a box each, the weight matrices on the edges"

    def draw(self, graph: Graph, drawing):
        return draw_layers_as(self.network(graph, drawing.number_format, drawing.notation), drawing)

    def steps(self, graph: Graph, lecture) -> list:
        _reverse_only(lecture)
        return layer_steps(self.lecture_network(graph, lecture), lecture)

    def frames(self, graph: Graph, steps: list, lecture) -> list:
        return layer_frames(self.lecture_network(graph, lecture), steps, lecture)

    def workload(self, graph: Graph, lecture) -> tuple:
        _reverse_only(lecture)
        return layer_workload(self.lecture_network(graph, lecture), lecture)


def _reverse_only(lecture) -> None:
    """Refuse forward mode's lecture, and a backward order other than a layer at a time: the layers view
    gives neither."""
    if lecture.order != "layers":
        raise ValueError(f"lecture: order={lecture.order!r} orders a step per node; the layers view goes a layer "
                         "at a time: leave out order, or pass view='network'")
    if lecture.mode == "forward":
        raise ValueError("lecture: mode='forward' is a lecture of the network view or the graph view; "
                         "the layers view shows reverse mode: leave out mode, or pass view='network'")
