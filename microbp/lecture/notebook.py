"""Lectures in Jupyter: a step shows as its frame and caption, a list of steps as a stepper.

``microbp.stepper(root)`` is the slideshow (``microbp.lecture.slideshow``'s own
page, built by its functions) inline in a notebook: an ``<iframe>`` whose
``srcdoc`` holds the whole self-contained page, so ←/→ (after a click on it) and
the buttons step through it in JupyterLab, in Jupyter Notebook and in a notebook
exported to HTML, with nothing fetched and no widgets.

>>> import microbp
>>> lecture = microbp.steps(microbp.Value(0.5, label="x").exp())
>>> type(lecture).__name__, lecture[-1]
('Steps', Step(2, 'backward', 'df/dx = df/df · ∂f/∂x = 1 × 1.649 = 1.649'))
"""

from __future__ import annotations

import html
from functools import partial

HEIGHT = 560        # pixels of the stepper in a notebook; the page fits any size


class Steps(list):
    """The steps of a lecture (a list), which Jupyter shows as a stepper; each step shows its frame.

    The frames are drawn once, when one is first shown, and shared: by every step's picture and by the
    stepper of the whole list (``SharedFrames``).
    """

    def __init__(self, lecture, made: list):
        super().__init__(made)
        self.lecture, self.frames = lecture, SharedFrames(lecture, made)
        for step in made:
            step.picture = partial(self.frames.picture, step.index)

    def _repr_html_(self) -> str:
        return Stepper(self.lecture, self.frames).iframe()


class SharedFrames:
    """The frames of one list of steps, drawn by the view once, all together, when first asked for.

    A frame knows what the steps before it computed, so the view draws them in one pass
    (``View.frames``); drawing step i's frame alone would draw the i before it again.

    >>> import microbp
    >>> lecture = microbp.steps(microbp.Value(0.5, label="x").exp())
    >>> lecture[2].picture() is lecture.frames()[2][1] is lecture[2].picture()
    True
    """

    def __init__(self, lecture, made: list):
        self.lecture, self.made, self._slides = lecture, list(made), None

    def __call__(self) -> list:
        """(step, graphviz.Digraph) for each step."""
        if self._slides is None:
            self._slides = self.lecture.view.frames(self.lecture.graph, self.made, self.lecture.options)
        return self._slides

    def picture(self, index: int):
        """The frame of step ``index`` (a ``graphviz.Digraph``)."""
        return self()[index][1]


class Stepper:
    """A lecture as the slideshow's page, shown inline in a notebook (``_repr_html_``) or saved.

    ``frames`` (a ``SharedFrames``) are the frames of steps already made; without them the lecture's own.
    """

    def __init__(self, lecture, frames: SharedFrames | None = None, title: str | None = None):
        from .planning import lecture_frames
        from .workload import check_workload

        if frames is None:
            slides = lecture_frames(lecture)
        else:
            check_workload(lecture.view, lecture.graph, lecture.options)
            slides = frames()
        self.count, self.html = len(slides), _page(lecture, slides, title)

    def __repr__(self) -> str:
        return f"Stepper({self.count} steps)"

    def iframe(self, height: int = HEIGHT) -> str:
        """The page in an ``<iframe srcdoc>``: its script runs in its own document, as in the slideshow."""
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" title="lecture, {self.count} steps" '
                f'style="width: 100%; height: {height}px; border: 0" allow="fullscreen"></iframe>')

    def _repr_html_(self) -> str:
        return self.iframe()


def _page(lecture, slides: list, title: str | None) -> str:
    """The slideshow's page for ``slides``, by the slideshow's own functions (its frames, bar and script)."""
    from ..figures.render import image_bytes
    from ..figures.themes import THEMES
    from .slideshow import page, section

    sections = [section(step, [("LR", image_bytes(frame, "svg").decode("utf-8"))], len(slides))
                for step, frame in slides]
    heading = html.escape(title or f"Backpropagation, step by step ({len(slides)} steps)")
    return page(heading, sections, THEMES[lecture.options.drawing.theme])


def stepper(root, title: str | None = None, view: str = "auto", **options) -> Stepper:
    """The lecture of ``root`` as a stepper: shown inline in Jupyter, ←/→ or the buttons to step.

    ``options`` are ``microbp.slideshow``'s (``order``, ``learning_rate``,
    ``optimizer``, ``notation``, ``derivatives``, ``theme``, ...). ``.html``
    is the page itself, the slideshow's.

    >>> from microbp import Value
    >>> shown = stepper(Value(0.5, label="x").exp())
    >>> shown, shown._repr_html_().startswith("<iframe srcdoc=")
    (Stepper(3 steps), True)
    """
    from .planning import plan

    lecture = plan(root, "stepper", view, captions=False, **options)     # the captions are HTML text
    return Stepper(lecture, title=title)
