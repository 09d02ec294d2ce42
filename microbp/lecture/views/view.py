"""What every view of a graph does: draw it, list its lecture steps, make its frames, count its work.

The public functions (``microbp.draw``, ``render``, ``steps``, ``render_steps``,
``slideshow``) choose a view once, by name (``microbp.lecture.views.registry``), and
ask it; nothing below them asks which view it is. A view is made afresh for each
call, so it may keep what it learns of the graph (a network's units) between
the questions of one call.

>>> from microbp import Graph, Value
>>> from microbp.lecture.views.registry import resolve_view
>>> view = resolve_view("graph", Value(1.0).exp(), "draw")
>>> view.name, view.order_for(Graph(Value(1.0).exp())), isinstance(view, View)
('graph', 'reverse-topological', True)
"""

from __future__ import annotations


class View:
    """One way of showing a graph. A subclass sets the attributes and defines the four methods."""

    name: str = ""                  # what view= calls it
    default_order: str = "reverse-topological"     # the backward steps' order unless order= says
    lighter: str = ""               # how to draw less, for a lecture refused as too large
    shows_program: bool = False     # a slideshow's code=True: one step per node of the generated program
    layouts: tuple = ("LR", "TB")   # the drawings a slideshow frame carries (the page shows what reads larger)
    type_size: str = "fontsize"     # the themes' row (``microbp.figures.themes``) of this view's usual type size

    def __init__(self, instead=lambda graph: ""):
        self.instead = instead      # graph -> how the other views would draw it (", or view=..."), for a refusal

    def order_for(self, graph) -> str:
        """The backward steps' order for ``graph`` when ``order=`` is not given (``default_order``)."""
        return self.default_order

    def offer(self, graph) -> str:
        """How this view would draw ``graph`` when another refuses it as too large (``""``: it would not)."""
        return ""

    def less_text(self, drawing) -> str:
        """What would show larger type when the drawing already fills the screen (``drawing``: ``DrawOptions``)."""
        return "draw less per frame"

    def check(self, graph, drawing, caller: str) -> None:
        """Refuse, naming them, drawing options (``DrawOptions``) that this view cannot show."""

    def draw(self, graph, drawing):
        """The picture of ``graph`` (a ``graphviz.Digraph``) as ``drawing`` asks."""
        raise NotImplementedError(f"the {self.name!r} view draws nothing yet")

    def steps(self, graph, lecture) -> list:
        """The lecture's steps (``microbp.lecture.step.Step``), as ``lecture`` (``LectureOptions``) asks."""
        raise NotImplementedError(f"the {self.name!r} view has no lecture yet")

    def frames(self, graph, steps: list, lecture) -> list:
        """(step, picture) for each of ``steps``."""
        raise NotImplementedError(f"the {self.name!r} view makes no frames yet")

    def workload(self, graph, lecture) -> tuple:
        """(frames, nodes and edges per frame) of the lecture, counted before any is drawn."""
        raise NotImplementedError(f"the {self.name!r} view cannot count its work yet")
