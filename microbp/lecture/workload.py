"""How much a lecture would draw, known before any of it is drawn.

A slideshow (or ``render_steps``) draws the whole graph once per step, so its
work grows as frames × (nodes + edges per frame): about twice the square of
the graph's size. ``check_workload`` counts both from the graph alone, in one
pass and without making a caption, and refuses with ``GraphTooLargeError``
past ``max_nodes`` per frame or ``MAX_LECTURE_ELEMENTS`` in all, naming the option
that raises the limit.

>>> from microbp import Value, Graph
>>> x = Value(1.0)
>>> for _ in range(150):
...     x = x * 1.01
>>> check_workload(Graph(x), "graph", None, {})
Traceback (most recent call last):
  ...
microbp.errors.GraphTooLargeError: lecture: 301 frames of up to 751 nodes and edges is 226051 to draw, over the limit of 50000 (minutes of work, and a file of many megabytes); pass max_elements=226051 to make it anyway, or draw less per frame (collapse=1, view='network')
"""

from __future__ import annotations

from ..errors import GraphTooLargeError
from ..figures.collapse import check_size, collapsed_boxes
from ..figures.graph_view import MAX_DRAW_NODES

MAX_LECTURE_ELEMENTS = 50_000       # frames × (nodes + edges per frame): about 10 s of dot (0.2 ms each)


def check_workload(graph, view: str, collapse, options: dict) -> None:
    """Refuse a lecture too large to draw: over ``max_nodes`` per frame, or ``max_elements`` in all."""
    limit = options.get("max_elements", MAX_LECTURE_ELEMENTS)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"lecture: max_elements must be a positive int, got {limit!r}")
    if view == "network":
        frames, elements = _network_workload(graph)
        instead = ("or draw the network once: render(root, 'network.svg', view='network'), with a step per "
                   "weight its lecture is long")
    else:
        frames, elements = _graph_workload(graph, collapse, options.get("max_nodes", MAX_DRAW_NODES))
        instead = "or draw less per frame (collapse=1, view='network')"
    if frames * elements > limit:
        raise GraphTooLargeError(
            f"lecture: {frames} frames of up to {elements} nodes and edges is {frames * elements} to draw, over "
            f"the limit of {limit} (minutes of work, and a file of many megabytes); pass "
            f"max_elements={frames * elements} to make it anyway, {instead}",
            option="max_elements", needed=frames * elements, limit=limit)


def _graph_workload(graph, collapse, max_nodes) -> tuple:
    """(frames, nodes and edges per frame) in the graph view; over ``max_nodes``, the drawing's own error."""
    if collapse is None and len(graph.order) > max_nodes:
        check_size(graph, {}, collapse, max_nodes, caller="lecture")
    boxes = collapsed_boxes(graph, collapse)
    check_size(graph, boxes, collapse, max_nodes, caller="lecture")
    outside = [node for node in graph.order if node not in boxes]
    box_count = len({box.name for box in boxes.values()})
    computed = sum(1 for node in outside if node.op is not None)
    edges = sum(len(node.parents) + 1 for node in outside if node.op is not None)
    frames = len(outside) + computed + 2 * box_count
    return frames, len(outside) + computed + box_count + edges


def _network_workload(graph) -> tuple:
    from ..network.model import Network

    network = Network.of(graph)
    units = len(network.units)
    drawn = len(network.inputs) + units + len(network.layers) + 1
    edges = len(network.weights) + (len(network.loss.sources) if network.loss else 0)
    frames = 2 * units + 1 + 2 * units + len(network.weights) + len(network.inputs) + units
    return frames, drawn + edges
