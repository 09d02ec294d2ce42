"""Lecture mode: captions, frames and the steps command (the slideshow is in test_slides.py)."""

import math
import os
import re
import subprocess
import sys

import pytest

import microbp
import microbp.lecture.steps
from microbp import Value, lecture_neuron, render_steps, steps
from microbp.nn import MLP

NEURON_CAPTIONS = [
    "x1·w1 = x1 × w1 = 2 × (−3) = −6",
    "x2·w2 = x2 × w2 = 0 × 1 = 0",
    "x1·w1 + x2·w2 = (x1·w1) + (x2·w2) = (−6) + 0 = −6",
    "n = (x1·w1 + x2·w2) + b = (−6) + 6.881 = 0.8814",
    "o = tanh(n) = tanh(0.8814) = 0.7071",
    "do/do = 1",
    "∂o/∂n = 1 − o² = 0.5\ndo/dn = do/do · ∂o/∂n = 1 × 0.5 = 0.5",
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
    # a network: the walkthrough's order by default, the layers from the last, each in its units' order
    assert [s.node.scope[:2] for s in backward] == [("L2", "N1"), ("L1", "N1"), ("L1", "N2"), ("L1", "N3")]
    topological = [s for s in steps(out, collapse=2, order="reverse-topological") if s.phase == "backward"]
    assert [s.node.scope[:2] for s in topological] == [("L2", "N1"), ("L1", "N3"), ("L1", "N2"), ("L1", "N1")]
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
    (folder / "step-099.svg").write_text("not microbp's")      # only frames microbp wrote go
    first = [open(p, "rb").read() for p in render_steps(root, folder)]
    second = [open(p, "rb").read() for p in render_steps(lecture_neuron(backward=False), folder)]
    assert first == second and (folder / "step-099.svg").read_text() == "not microbp's"
    assert first[0].lstrip().startswith(b"<?xml")
    a = Value(3.0, label="a")
    render_steps(a * a, folder)                                   # 3 frames: 3 to 14 are stale
    assert sorted(p.name for p in folder.glob("step-*")) == [
        "step-000.svg", "step-001.svg", "step-002.svg", "step-099.svg"]


@pytest.mark.needs_dot
def test_steps_command_writes_a_slideshow_or_frames(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "microbp", "steps", *args], capture_output=True, text=True)
    result = run("tanh(x*w + b)", "x=2", "w=-3", "b=6.8814", "-o", str(tmp_path / "lecture.html"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "lecture.html").read_text().count('class="frame"') == 9
    result = run("x*x", "x=3", "-o", str(tmp_path / "frames") + os.sep)
    assert result.returncode == 0 and len(list((tmp_path / "frames").glob("step-*.svg"))) == 3


def test_captions_use_the_labels_the_parser_gives():
    o = microbp.parse("n = x*w + b; o = tanh(n)", x=2, w=-3, b=6.8814)
    captions = [step.caption for step in steps(o)]
    assert captions[:3] == ["v1 = x × w = 2 × (−3) = −6", "n = v1 + b = (−6) + 6.881 = 0.8814",
                            "o = tanh(n) = tanh(0.8814) = 0.7071"]
    assert captions[4] == "∂o/∂n = 1 − o² = 0.5\ndo/dn = do/do · ∂o/∂n = 1 × 0.5 = 0.5"
    assert "tanh(" not in "".join(captions[3:])                    # no formula stands in for a name


def names_in(caption: str) -> set:
    """The names a caption gives derivatives of, and by: d·/d·, ∂·/∂·, and name = on the left."""
    found = set(re.findall(r"[d∂](\(?[^\s/·()]+\)?)/[d∂](\(?[^\s/·]+?\)?)(?=[\s;,]|$)", caption))
    return {name.strip("()") for pair in found for name in pair}


@pytest.mark.parametrize("text", ["tanh(x*w + b)", "sigmoid(x) * exp(-x) + x*x", "log(x + 3) / (1 + x*x)"])
def test_every_name_in_a_caption_is_in_the_figure(text):
    root = microbp.parse(text, x=0.5, w=-1.5, b=0.25)
    source = microbp.draw(root).source
    shown = set(re.findall(r"<B>([^<]+)</B>", source))
    for step in steps(root):
        assert names_in(step.caption) <= shown, step.caption
        if step.phase == "backward" and step.terms:
            local, total = step.caption.split("\n")
            assert "∂" in local and total.startswith("d") and "∂" in total    # d for totals, ∂ for locals


def test_collapsed_frames_keep_the_number_inputs_and_highlight_every_step():
    out = MLP(2, [3, 1], activation="tanh", seed=0)([0.5, -1.0])
    for step, frame in microbp.lecture.steps.frames(out, collapse=2):
        source = frame.source
        assert "label=<0.5>" in source and "label=<-1>" in source, step.index
        assert "penwidth=3" in source, f"step {step.index + 1} highlights nothing"


def chain(length: int):
    x = Value(1.0, label="x")
    for _ in range(length):
        x = x * 1.0001
    return x


@pytest.mark.parametrize("make", [
    lambda root, folder: microbp.slideshow(root, folder / "s.html"),
    lambda root, folder: render_steps(root, folder, fmt="dot"),
    lambda root, folder: microbp.slideshow(root, folder / "s.html", collapse=1, max_nodes=10 ** 9),
])
def test_a_growing_chain_is_refused_before_any_work(make, tmp_path):
    """The memory a refused lecture takes grows with the graph (a walk of it), not with frames × size."""
    import tracemalloc

    peaks = []
    for length in (2_000, 20_000):
        root = chain(length)
        tracemalloc.start()
        with pytest.raises(microbp.GraphTooLargeError, match=r"pass max_(nodes|elements)=\d+"):
            make(root, tmp_path)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] / peaks[0] < 25                      # linear, give or take hash tables: frames × size, 100
    assert peaks[1] / 20_000 < 500                       # a few hundred bytes a node: no caption, no frame
    assert list(tmp_path.iterdir()) == []


def test_the_limit_on_work_can_be_raised(tmp_path):
    root = chain(40)
    with pytest.raises(microbp.GraphTooLargeError, match="max_elements=") as refused:
        microbp.lecture.steps.frames(root, max_elements=1000)
    needed = int(re.search(r"max_elements=(\d+)", str(refused.value))[1])
    assert len(microbp.lecture.steps.frames(root, max_elements=needed)) == 40 + 41
    with pytest.raises(ValueError, match="max_elements must be a positive int"):
        microbp.lecture.steps.frames(root, max_elements=0)
