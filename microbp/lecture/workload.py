"""How much a lecture would draw, known before any of it is drawn.

A slideshow (or ``render_steps``) draws the whole graph once per step, so its
work grows as frames × (nodes + edges per frame): about twice the square of
the graph's size. Each view counts both from the graph alone, in one pass and
without making a caption (``graph_frames.graph_workload``,
``network_frames.network_workload``), and
``check_workload`` refuses with ``GraphTooLargeError`` past ``max_nodes`` per
frame or ``MAX_LECTURE_ELEMENTS`` in all, naming the option that raises the limit.

>>> import microbp.lecture.steps
>>> from microbp import Value
>>> x = Value(1.0)
>>> for _ in range(150):
...     x = x * 1.01
>>> microbp.lecture.steps.frames(x)
Traceback (most recent call last):
  ...
microbp.errors.GraphTooLargeError: lecture: 301 frames of up to 751 nodes and edges is 226051 to draw, over the limit of 50000 (minutes of work, and a file of many megabytes); pass max_elements=226051 to make it anyway, or draw less per frame (view='layers' for a network of units, else collapse=1)
"""

from __future__ import annotations

from ..errors import GraphTooLargeError

MAX_LECTURE_ELEMENTS = 50_000       # frames × (nodes + edges per frame): about 10 s of dot (0.2 ms each)


def check_workload(view, graph, lecture) -> None:
    """Refuse a lecture too large to draw: over ``max_nodes`` per frame, or ``max_elements`` in all.

    ``view.workload(graph, lecture)`` counts (frames, nodes and edges per frame); ``view.lighter``
    says how to draw less in that view.
    """
    frames, elements = view.workload(graph, lecture)
    limit = lecture.max_elements
    if frames * elements > limit:
        raise GraphTooLargeError(
            f"lecture: {frames} frames of up to {elements} nodes and edges is {frames * elements} to draw, over "
            f"the limit of {limit} (minutes of work, and a file of many megabytes); pass "
            f"max_elements={frames * elements} to make it anyway, {view.lighter}",
            option="max_elements", needed=frames * elements, limit=limit)
