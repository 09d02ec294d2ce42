"""A list of steps in Jupyter draws each frame once: every step's picture and the list's stepper share
the frames the view draws in one pass (``microbp.lecture.notebook.SharedFrames``), and show what a
frame drawn on its own, knowing the steps before it, shows."""

import pytest

import microbp
from microbp.lecture.notebook import Stepper
from microbp.lecture.views.graph import GraphView
from microbp.lecture.views.network import NetworkView


def forward_mode():
    error = microbp.walkthrough_network()
    w35 = next(node for node in microbp.topological_order(error) if node.label == "w35")
    return microbp.steps(error, notation="textbook", mode="forward", seed=w35)


LECTURES = {
    "walkthrough, network view": lambda: microbp.steps(microbp.walkthrough_network(), view="network"),
    "neuron, graph view": lambda: microbp.steps(microbp.lecture_neuron(), view="graph"),
    "walkthrough, textbook, forward mode": forward_mode,
}


def counting(monkeypatch) -> list:
    """Patch both views' ``frames`` to record how many frames each call draws."""
    drawn = []
    for view in (GraphView, NetworkView):
        def frames(self, graph, steps, lecture, original=view.frames):
            made = original(self, graph, steps, lecture)
            drawn.append(len(made))
            return made
        monkeypatch.setattr(view, "frames", frames)
    return drawn


@pytest.mark.parametrize("name", sorted(LECTURES))
def test_each_steps_picture_is_the_frame_drawn_knowing_the_steps_before_it(name):
    lecture = LECTURES[name]()
    planned, made = lecture.lecture, list(lecture)
    alone = [planned.view.frames(planned.graph, made[:i + 1], planned.options)[-1][1].source
             for i in range(len(made))]
    assert [step.picture().source for step in reversed(lecture)][::-1] == alone
    assert len(set(alone)) == len(alone)


@pytest.mark.parametrize("name", sorted(LECTURES))
def test_showing_every_step_draws_each_frame_once(name, monkeypatch):
    lecture = LECTURES[name]()
    drawn = counting(monkeypatch)
    pictures = [step.picture() for step in lecture] + [step.picture() for step in lecture]
    assert drawn == [len(lecture)] and len({id(picture) for picture in pictures}) == len(lecture)


@pytest.mark.needs_dot
def test_the_lists_stepper_shares_the_steps_frames(monkeypatch):
    lecture = LECTURES["walkthrough, network view"]()
    fresh = Stepper(lecture.lecture).iframe()       # the lecture's own frames, drawn again
    drawn = counting(monkeypatch)
    lecture[3]._repr_html_()
    page = lecture._repr_html_()
    lecture[-1]._repr_html_()
    assert drawn == [len(lecture)]
    assert page == fresh
