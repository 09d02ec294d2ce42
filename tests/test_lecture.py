"""Lecture mode: captions, frames and the steps command (the slideshow is in test_slides.py)."""

import math
import os
import re
import subprocess
import sys

import pytest

import microbp
from microbp import Value, lecture_neuron, render_steps, steps
from microbp.nn import MLP

NEURON_CAPTIONS = [
    "x1·w1 = x1 × w1 = 2 × (−3) = −6",
    "x2·w2 = x2 × w2 = 0 × 1 = 0",
    "x1·w1 + x2·w2 = (x1·w1) + (x2·w2) = (−6) + 0 = −6",
    "n = (x1·w1 + x2·w2) + b = (−6) + 6.881 = 0.8814",
    "o = tanh(n) = tanh(0.8814) = 0.7071",
    "do/do = 1",
    "∂o/∂n = 1 − o × o = 0.5\ndo/dn = do/do · ∂o/∂n = 1 × 0.5 = 0.5",
    "∂n/∂b = 1\ndo/db = do/dn · ∂n/∂b = 0.5 × 1 = 0.5",
    "∂n/∂(x1·w1 + x2·w2) = 1\ndo/d(x1·w1 + x2·w2) = do/dn · ∂n/∂(x1·w1 + x2·w2) = 0.5 × 1 = 0.5",
    "∂(x1·w1 + x2·w2)/∂(x2·w2) = 1\n"
    "do/d(x2·w2) = do/d(x1·w1 + x2·w2) · ∂(x1·w1 + x2·w2)/∂(x2·w2) = 0.5 × 1 = 0.5",
    "∂(x2·w2)/∂w2 = x2 = 0\ndo/dw2 = do/d(x2·w2) · ∂(x2·w2)/∂w2 = 0.5 × 0 = 0",
    "∂(x2·w2)/∂x2 = w2 = 1\ndo/dx2 = do/d(x2·w2) · ∂(x2·w2)/∂x2 = 0.5 × 1 = 0.5",
    "∂(x1·w1 + x2·w2)/∂(x1·w1) = 1\n"
    "do/d(x1·w1) = do/d(x1·w1 + x2·w2) · ∂(x1·w1 + x2·w2)/∂(x1·w1) = 0.5 × 1 = 0.5",
    "∂(x1·w1)/∂w1 = x1 = 2\ndo/dw1 = do/d(x1·w1) · ∂(x1·w1)/∂w1 = 0.5 × 2 = 1",
    "∂(x1·w1)/∂x1 = w1 = −3\ndo/dx1 = do/d(x1·w1) · ∂(x1·w1)/∂x1 = 0.5 × (−3) = −1.5",
]


def test_captions_of_the_lecture_neuron():
    assert [step.caption for step in steps(lecture_neuron(backward=False))] == NEURON_CAPTIONS


def test_backward_products_equal_the_engines_gradients():
    x, y = Value(0.7, label="x"), Value(-1.2, label="y")
    root = ((x * y).sigmoid() + x * x + y.exp() * 2) * (x - y)
    grads = microbp.Graph(root).gradients
    for step in steps(root):
        if step.phase == "backward" and step.terms:
            total = sum(upstream * local for _, upstream, local in step.terms)
            assert math.isclose(total, grads[step.node], rel_tol=1e-12) and step.value == grads[step.node]
    # x feeds three nodes (x * y, x * x twice, x - y): four terms summed in its caption
    last_x = [s for s in steps(root) if s.phase == "backward" and s.node is x][0]
    assert len(last_x.terms) == 4 and last_x.caption.count(" + ") >= 3


def test_steps_leave_grads_alone_and_are_ordered():
    o = lecture_neuron(backward=False)
    all_steps = steps(o)
    assert all(node.grad == 0 for node in microbp.topological_order(o))
    phases = [s.phase for s in all_steps]
    assert phases == ["forward"] * 5 + ["backward"] * 10 and [s.index for s in all_steps] == list(range(15))


def test_a_network_steps_neuron_by_neuron_when_collapsed():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    out = model([0.5, -1.0])
    collapsed = steps(out, collapse=2)
    forward = [s for s in collapsed if s.phase == "forward"]
    # affine and tanh, with the neuron's 2 weights and bias; the output is linear, with 3 weights and a bias
    assert [len(s.nodes) for s in forward] == [5, 5, 5, 5]
    assert [s.node.scope[:2] for s in forward] == [("L1", "N1"), ("L1", "N2"), ("L1", "N3"), ("L2", "N1")]
    assert forward[0].caption.startswith("L1 / N1 (2 operations, 3 parameters): v2 = ")
    backward = [s for s in collapsed if s.phase == "backward"]
    assert [s.node.scope[:2] for s in backward] == [("L2", "N1"), ("L1", "N3"), ("L1", "N2"), ("L1", "N1")]
    assert len(collapsed) == 8                       # no step for a parameter inside a neuron


@pytest.mark.needs_dot
def test_frames_hide_what_is_not_computed_yet(tmp_path):
    paths = render_steps(lecture_neuron(backward=False), tmp_path / "frames", fmt="dot")
    assert [os.path.basename(p) for p in paths] == [f"step-{i:03d}.dot" for i in range(15)]
    first, last_forward, root_step, last = (open(paths[i], encoding="utf-8").read() for i in (0, 4, 5, 14))
    assert first.count("data ?") == 4 and first.count("grad ?") == 10          # o, n, and two sums unknown
    assert last_forward.count("data ?") == 0 and last_forward.count("grad ?") == 10
    assert root_step.count("grad ?") == 9 and "label=<do/do = 1>" in root_step
    assert last.count("grad ?") == 0 and 'CELLBORDER="3"' in last


@pytest.mark.needs_dot
def test_frames_are_deterministic_and_stale_frames_go(tmp_path):
    root = lecture_neuron(backward=False)
    folder = tmp_path / "frames"
    (folder).mkdir()
    (folder / "step-099.svg").write_text("stale")
    first = [open(p, "rb").read() for p in render_steps(root, folder)]
    second = [open(p, "rb").read() for p in render_steps(lecture_neuron(backward=False), folder)]
    assert first == second and not (folder / "step-099.svg").exists()
    assert first[0].lstrip().startswith(b"<?xml")


@pytest.mark.needs_dot
def test_steps_command_writes_a_slideshow_or_frames(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "microbp", "steps", *args], capture_output=True, text=True)
    result = run("tanh(x*w + b)", "x=2", "w=-3", "b=6.8814", "-o", str(tmp_path / "lecture.html"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "lecture.html").read_text().count('class="frame"') == 9
    result = run("x*x", "x=3", "-o", str(tmp_path / "frames") + os.sep)
    assert result.returncode == 0 and len(list((tmp_path / "frames").glob("step-*.svg"))) == 3
