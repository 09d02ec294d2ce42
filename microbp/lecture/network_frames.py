"""The frames of a network's lecture: what each picture knows, highlights and has updated.

A frame knows the inputs and the weights, and every quantity the steps
before it computed; it highlights what its step computes and what that step
uses; in the update phase its edges carry the weights updated so far (the values
its update step computed, by plain gradient descent or by the lecture's optimizer).
``network_workload`` counts the frames and what each draws, before any is drawn.

>>> from microbp import Value, scope
>>> from microbp.lecture.network_steps import network_steps
>>> from microbp.lecture.options import LectureOptions
>>> y0 = Value(1.0, label="y0"); w = Value(0.5, label="w01")
>>> with scope("layer 1"):
...     y1 = (w * y0).sigmoid()
>>> network = Network.of(y1)
>>> frames = network_frames(network, network_steps(network), LectureOptions.checked("frames", "layers"))
>>> [step.phase for step, _ in frames], "?" in frames[0][1].source, "?" in frames[-1][1].source
(['forward', 'backward', 'backward', 'backward', 'backward', 'update'], True, False)
"""

from __future__ import annotations

from ..figures.network_view import State, draw_network_as
from ..network.model import Network


def network_frames(network: Network, steps: list, lecture) -> list:
    """(step, graphviz.Digraph) per step; ``lecture`` is a ``LectureOptions``."""
    drawing, grads = lecture.drawing, network.graph.gradients
    known = {("y", item) for item in network.inputs} | {("w", weight) for weight in network.weights}
    updated, result = {}, []
    for step in steps:
        if step.phase == "update":
            updated.update(step.terms)          # (weight, its new value): the optimizer's numbers
        state = State(known=set(known), highlight=set(step.keys) | set(step.uses), updated=dict(updated))
        picture = draw_network_as(network, drawing, grads=grads, state=state,
                                  title=step.caption if lecture.captions else drawing.title)
        result.append((step, picture))
        known |= set(step.keys)
    return result


def network_workload(network) -> tuple:
    """(frames, nodes and edges per frame) of a network's lecture (``microbp.network.model.Network``)."""
    units = len(network.units)
    drawn = len(network.inputs) + units + len(network.layers) + 1
    edges = len(network.weights) + (len(network.loss.sources) if network.loss else 0)
    frames = 2 * units + 1 + 2 * units + len(network.weights) + len(network.inputs) + units
    return frames, drawn + edges
