"""A lecture planned once: the graph walked, the view chosen, the options checked, the size known.

Every public lecture function (``steps``, ``frames``, ``render_steps``,
``slideshow``, ``stepper``) starts with ``plan`` and draws with ``lecture_frames``.

>>> from microbp import Value
>>> lecture = plan(Value(2.0, label="x").exp(), "steps", "auto")
>>> lecture.view.name, len(lecture.graph.order), lecture.options.order
('graph', 2, 'reverse-topological')
"""

from __future__ import annotations

from typing import NamedTuple

from ..core.graph import Graph
from .options import LectureOptions
from .tangent_steps import check_seed
from .views.registry import resolve_view
from .views.view import View
from .workload import check_workload


class Lecture(NamedTuple):
    """A lecture about to be made: the graph, its view, and the options, all checked."""

    graph: Graph
    view: View
    options: LectureOptions


def plan(root, caller: str, view, given: dict | None = None, **options) -> Lecture:
    """Check ``root`` and the options once, and choose the view once, for the public function ``caller``."""
    graph = Graph.of(root, f"{caller}(root)")
    chosen = resolve_view(view, graph, caller, {**options, **(given or {})})
    lecture = LectureOptions.checked(caller, chosen.order_for(graph), **options)
    chosen.check(graph, lecture.drawing, caller)
    check_seed(graph, lecture, caller)
    return Lecture(graph, chosen, lecture)


def lecture_steps(lecture: Lecture) -> list:
    """The steps of a planned lecture, once its size is known to be within the limits."""
    check_workload(lecture.view, lecture.graph, lecture.options)
    return lecture.view.steps(lecture.graph, lecture.options)


def lecture_frames(lecture: Lecture) -> list:
    """The frames of a planned lecture, once its size is known to be within the limits."""
    return lecture.view.frames(lecture.graph, lecture_steps(lecture), lecture.options)
