"""The frames of a network's lecture: what each picture knows, highlights and has updated.

A frame knows the inputs and the weights, and every quantity the steps
before it computed; it highlights what its step computes and what that step
uses; in the update phase its edges carry the weights updated so far.

>>> from microbp import Value, scope
>>> from microbp.lecture.network_steps import network_steps
>>> y0 = Value(1.0, label="y0"); w = Value(0.5, label="w01")
>>> with scope("layer 1"):
...     y1 = (w * y0).sigmoid()
>>> network = Network.of(y1)
>>> frames = network_frames(network, network_steps(network), True, {})
>>> [step.phase for step, _ in frames], "?" in frames[0][1].source, "?" in frames[-1][1].source
(['forward', 'backward', 'backward', 'backward', 'backward', 'update'], True, False)
"""

from __future__ import annotations

from ..figures.network_view import State, draw_network
from ..network.model import Network

DRAW_OPTIONS = ("rankdir", "number_format", "theme", "fontsize", "size", "title")


def network_frames(network: Network, steps: list, captions: bool, options: dict, learning_rate: float = 0.1) -> list:
    """(step, graphviz.Digraph) per step; ``options`` are ``draw``'s (those the network view takes)."""
    unknown = set(options) - set(DRAW_OPTIONS) - {"max_nodes", "view"}
    if unknown:
        raise ValueError(f"view='network' does not take {', '.join(sorted(unknown))}; it takes "
                         f"{', '.join(DRAW_OPTIONS)}")
    options = {key: value for key, value in options.items() if key in DRAW_OPTIONS}
    graph, grads = network.graph, network.graph.gradients
    known = {("y", item) for item in network.inputs} | {("w", weight) for weight in network.weights}
    updated, result = {}, []
    for step in steps:
        if step.phase == "update":
            updated.update((part, part.value - learning_rate * grads[part.node]) for _, part in step.keys)
        state = State(known=set(known), highlight=set(step.keys) | set(step.uses), updated=dict(updated))
        title = step.caption if captions else options.get("title")
        picture = draw_network(graph, network=network, grads=grads, state=state,
                               **{**options, "title": title})
        result.append((step, picture))
        known |= set(step.keys)
    return result
