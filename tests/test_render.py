"""Rendering with the real ``dot``, atomic files, the missing-Graphviz error, and Jupyter."""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import microbp
from microbp import GraphvizNotFoundError, Value, lecture_neuron, render
from microbp.output import INSTALL_HINT, mimebundle

HOSTILE_LABELS = ["x|y", "{w}", "<b>bold</b>", "p->q", 'say "hi"', "it's", "back\\slash", "a:b", "α₁", "∂L/∂w",
                  "a & b", "tab\there", "[x]", "  spaced  "]


def svg_texts(path) -> list:
    """Every text run in an SVG file (it must parse as XML)."""
    root = ET.parse(path).getroot()
    return [text for element in root.iter() if element.tag.endswith("text") for text in element.itertext()]


@pytest.mark.needs_dot
def test_svg_holds_labels_values_gradients_local_derivatives_and_symbols(tmp_path):
    path = render(lecture_neuron(), tmp_path / "neuron.svg")
    texts = svg_texts(path)
    for expected in ["x1", "w1", "b", "o", "data 0.7071", "grad -1.5", "grad 0.5", "data 6.881",
                     "tanh", "×", "+", "-3", "0.5"]:
        assert expected in texts, expected


@pytest.mark.needs_dot
@pytest.mark.parametrize("extension, magic", [("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-")])
def test_png_and_pdf_are_real_files(tmp_path, extension, magic):
    path = render(lecture_neuron(), tmp_path / f"neuron.{extension}")
    assert open(path, "rb").read().startswith(magic)


@pytest.mark.needs_dot
def test_hostile_labels_survive_into_the_svg_unchanged(tmp_path):
    leaves = [Value(float(i), label=label) for i, label in enumerate(HOSTILE_LABELS)]
    root = microbp.sum(leaves)
    root.label = "Σ <all> | {them}"
    texts = svg_texts(render(root, tmp_path / "hostile.svg"))
    for label in HOSTILE_LABELS + [root.label]:
        shown = " ".join(label.split())       # Graphviz folds runs of white space, as HTML does
        assert shown in [" ".join(text.split()) for text in texts], label


def test_dot_format_needs_no_graphviz(tmp_path):
    path = render(lecture_neuron(), tmp_path / "neuron.dot")
    assert open(path, encoding="utf-8").read() == microbp.draw(lecture_neuron()).source


def test_unknown_extension_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(ValueError, match=r"end the file name with one of \.svg, \.png, \.pdf, \.dot"):
        render(lecture_neuron(), tmp_path / "neuron.jpeg")
    assert list(tmp_path.iterdir()) == []


def run_without_dot(code: str, cwd) -> subprocess.CompletedProcess:
    """Run Python code with an empty PATH, as on a machine without Graphviz."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PATH": ""})


def test_missing_dot_says_how_to_install_and_writes_nothing(tmp_path):
    (tmp_path / "keep.svg").write_text("old picture")
    code = """
import microbp
for name in ("new.svg", "keep.svg"):
    try:
        microbp.render(microbp.lecture_neuron(), name)
    except microbp.GraphvizNotFoundError as error:
        print(type(error).__name__, "|", error)
"""
    result = run_without_dot(code, tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("GraphvizNotFoundError | ") for line in lines)
    assert "apt-get install graphviz" in lines[0] and "brew install graphviz" in lines[0]
    assert "draw(root).source" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.svg"]
    assert (tmp_path / "keep.svg").read_text() == "old picture"


def test_install_hint_covers_every_platform():
    for words in ("apt-get", "brew", "conda", "Windows"):
        assert words in INSTALL_HINT
    assert issubclass(GraphvizNotFoundError, RuntimeError)


def test_a_failed_render_leaves_an_existing_file_untouched(tmp_path):
    target = tmp_path / "graph.svg"
    target.write_text("old")
    x = Value(1.0)
    for _ in range(600):
        x = x * 1.0
    with pytest.raises(microbp.GraphTooLargeError):
        render(x, target)
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["graph.svg"]


@pytest.mark.needs_dot
def test_render_replaces_a_file_atomically_and_makes_folders(tmp_path):
    target = tmp_path / "deep" / "er" / "graph.svg"
    render(lecture_neuron(), target)
    first = target.read_bytes()
    render(lecture_neuron(), target)
    assert target.read_bytes() == first
    assert sorted(p.name for p in target.parent.iterdir()) == ["graph.svg"]


@pytest.mark.needs_dot
def test_jupyter_shows_the_graph_as_svg():
    bundle = lecture_neuron()._repr_mimebundle_()
    assert bundle["text/plain"] == "Value(data=0.7071, grad=1, label='o')"
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")


def test_jupyter_falls_back_to_repr_without_dot_or_when_too_large(monkeypatch):
    x = Value(1.0)
    for _ in range(600):
        x = x + 1
    assert mimebundle(x) == {"text/plain": repr(x)}
    monkeypatch.setenv("PATH", "")
    assert mimebundle(lecture_neuron()) == {"text/plain": "Value(data=0.7071, grad=1, label='o')"}


@pytest.mark.needs_dot
def test_demo_command_renders_the_neuron(tmp_path):
    result = subprocess.run([sys.executable, "-m", "microbp", "demo", "-o", str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    written = result.stdout.split()
    assert [os.path.basename(p) for p in written] == ["neuron.svg", "neuron.png", "neuron-steps.html"]
    assert "grad -1.5" in svg_texts(written[0])


def test_demo_command_without_dot_fails_cleanly(tmp_path):
    result = subprocess.run([sys.executable, "-m", "microbp", "demo", "-o", str(tmp_path)],
                            capture_output=True, text=True, env={**os.environ, "PATH": ""})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("microbp demo: Graphviz's 'dot' program is needed")
    assert list(tmp_path.iterdir()) == []
