"""Rendering with the real ``dot``, atomic files, the missing-Graphviz error, and Jupyter."""

import errno
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import microbp
from microbp import GraphvizNotFoundError, Value, lecture_neuron, render, render_steps
from microbp.errors import DotFailedError, OutputError
from microbp.figures.render import INSTALL_HINT, mimebundle

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
    assert [os.path.basename(p) for p in written] == ["neuron.svg", "neuron.png", "neuron-steps.html",
                                                      "network.svg", "network-steps.html"]
    assert "grad -1.5" in svg_texts(written[0])
    assert "dE/dw₃₅" in svg_texts(written[3]) and "0.04791" in svg_texts(written[3])


def test_demo_command_without_dot_fails_cleanly(tmp_path):
    result = subprocess.run([sys.executable, "-m", "microbp", "demo", "-o", str(tmp_path)],
                            capture_output=True, text=True, env={**os.environ, "PATH": ""})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("microbp demo: Graphviz's 'dot' program is needed")
    assert list(tmp_path.iterdir()) == []


# --- output paths: refused up front, in one clear error, with nothing written -----------------------------

@pytest.mark.parametrize("name, error, message", [
    ("graph.jpg", ValueError, r"render: cannot tell the format from '.*graph\.jpg'; end the file name with one of"),
    ("noext", ValueError, "cannot tell the format"),
    ("folder.svg", OutputError, r"'.*folder\.svg' is a folder, not a file; give a file name inside it, "
                                r"such as '.*folder\.svg/graph\.svg'"),
    ("afile/graph.svg", OutputError, r"render: '.*afile' is a file, not a folder; choose another path"),
])
def test_render_refuses_a_bad_path_before_drawing(tmp_path, name, error, message):
    (tmp_path / "folder.svg").mkdir()
    (tmp_path / "afile").write_text("mine")
    with pytest.raises(error, match=message):
        render(lecture_neuron(), tmp_path / name, max_nodes="not checked: the path is refused first")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "folder.svg"]
    assert list((tmp_path / "folder.svg").iterdir()) == [] and (tmp_path / "afile").read_text() == "mine"


def test_output_error_is_a_microbp_error_and_an_os_error():
    assert issubclass(OutputError, microbp.MicrobpError) and issubclass(OutputError, OSError)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_render_into_a_read_only_folder_says_so(tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o555)
    try:
        with pytest.raises(OutputError, match=r"cannot write into '.*read-only' \(permission denied\); choose"):
            render(lecture_neuron(), folder / "a.dot")
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("number, strerror, hint", [
    (errno.EACCES, "Permission denied", "choose a folder you can write to"),
    (errno.ENOSPC, "No space left on device", "the disk is full: free some space or choose another disk"),
    (errno.EROFS, "Read-only file system", "the disk is read-only: choose a folder on another disk"),
])
def test_an_os_error_while_writing_says_what_to_do_and_leaves_nothing(tmp_path, monkeypatch, number, strerror,
                                                                        hint):
    (tmp_path / "graph.dot").write_text("old")

    def refuse(*args):
        raise OSError(number, strerror)
    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputError) as caught:
        render(lecture_neuron(), tmp_path / "graph.dot")
    assert str(caught.value) == f"render: cannot write {str(tmp_path / 'graph.dot')!r}: {strerror}; {hint}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.dot"] and (tmp_path / "graph.dot").read_text() == "old"


def test_the_longest_file_name_the_folder_takes_can_be_written(tmp_path):
    longest = os.pathconf(tmp_path, "PC_NAME_MAX")
    path = tmp_path / ("n" * (longest - len(".dot")) + ".dot")
    assert render(lecture_neuron(), path) == str(path) and path.read_text().startswith("digraph")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]          # no temporary file left


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o604, 0o755])
def test_replacing_a_file_keeps_its_mode(tmp_path, mode):
    path = tmp_path / "private.dot"
    path.write_text("old")
    path.chmod(mode)
    render(lecture_neuron(), path)
    assert stat.S_IMODE(path.stat().st_mode) == mode and path.read_text().startswith("digraph")


@pytest.mark.parametrize("umask", [0o077, 0o022, 0o002, 0o027])
def test_a_new_file_gets_the_mode_the_umask_allows(tmp_path, umask):
    previous = os.umask(umask)
    try:
        render(lecture_neuron(), tmp_path / "new.dot")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.dot").stat().st_mode) == 0o666 & ~umask


def test_a_symbolic_link_is_written_through_and_kept(tmp_path):
    (tmp_path / "real.dot").write_text("old")
    (tmp_path / "link.dot").symlink_to("real.dot")
    render(lecture_neuron(), tmp_path / "link.dot")
    assert (tmp_path / "link.dot").is_symlink() and (tmp_path / "real.dot").read_text().startswith("digraph")


# --- lecture frames: only what microbp wrote is ever removed ----------------------------------------------

def test_render_steps_removes_only_its_own_stale_frames(tmp_path):
    folder = tmp_path / "frames"
    folder.mkdir()
    mine = {"step-notes.dot": "notes", "step-1.dot": "hand-made", "step-099.dot": "mine too", "notes.txt": "x",
            "step-000.svg": "another format", ".microbp-frames.bak": "y"}
    for name, text in mine.items():
        (folder / name).write_text(text)
        (folder / name).chmod(0o600)
    before = {name: ((folder / name).read_bytes(), (folder / name).stat().st_mode) for name in mine}
    long_run = render_steps(lecture_neuron(backward=False), folder, fmt="dot")        # 15 frames
    (folder / "step-014.dot").write_text("edited by hand after microbp wrote it")
    a = Value(3.0, label="a")
    short_run = render_steps(a * a, folder, fmt="dot")                                # 3 frames
    assert len(long_run) == 15 and [os.path.basename(p) for p in short_run] == [f"step-00{i}.dot" for i in range(3)]
    assert sorted(p.name for p in folder.glob("step-0*.dot")) == ["step-000.dot", "step-001.dot", "step-002.dot",
                                                                   "step-014.dot", "step-099.dot"]
    assert {name: ((folder / name).read_bytes(), (folder / name).stat().st_mode) for name in mine} == before
    assert (folder / "step-014.dot").read_text() == "edited by hand after microbp wrote it"


def test_render_steps_keeps_the_frames_of_another_format(tmp_path):
    neuron = lecture_neuron(backward=False)
    svg = render_steps(neuron, tmp_path, fmt="svg") if shutil.which("dot") else []
    dot = render_steps(neuron, tmp_path, fmt="dot")
    render_steps(neuron, tmp_path, fmt="dot")
    assert all(os.path.exists(path) for path in svg + dot)
    assert len(list(tmp_path.glob("step-*"))) == len(svg) + len(dot)


def test_render_steps_refuses_a_file_as_folder_before_drawing(tmp_path):
    (tmp_path / "frames").write_text("mine")
    with pytest.raises(OutputError, match=r"render_steps: '.*frames' is a file, not a folder; give a folder name"):
        render_steps(lecture_neuron(backward=False), tmp_path / "frames", fmt="dot")
    assert (tmp_path / "frames").read_text() == "mine"


def test_a_manifest_cannot_make_render_steps_delete_other_files(tmp_path):
    (tmp_path / "victim.txt").write_text("keep")
    digest = hashlib.sha256(b"keep").hexdigest()
    (tmp_path / ".microbp-frames").write_text(f"{digest}  victim.txt\n{digest}  ../victim.txt\n")
    render_steps(lecture_neuron(backward=False), tmp_path / ".", fmt="dot")
    assert (tmp_path / "victim.txt").read_text() == "keep"


# --- labels and numbers dot cannot take -------------------------------------------------------------------

CONTROL_LABELS = ["\x00", "nul\x00in", "\x01", "\x0b", "\x1b[31mred", "\r", "\x7f", "\x85", "\ufffe", "\uffff",
                  "\U0010ffff", "\ud800", "\ufdd0"]


@pytest.mark.needs_dot
def test_control_characters_in_labels_are_drawn_as_symbols(tmp_path):
    leaves = [Value(float(i), label=label) for i, label in enumerate(CONTROL_LABELS)]
    root = microbp.sum(leaves)
    texts = svg_texts(render(root, tmp_path / "controls.svg", title="title\x00with\x1bcontrols"))
    for expected in ["␀", "nul␀in", "␁", "␋", "␛[31mred", "␍", "␡", "\ufffd"]:
        assert expected in texts, expected
    assert "title␀with␛controls" in texts


@pytest.mark.needs_dot
def test_a_huge_label_is_cut_short_with_an_ellipsis(tmp_path):
    x = Value(1.0, label="x" * 1_000_000)
    texts = svg_texts(render(x * 2, tmp_path / "huge.svg", title="t" * 100_000))
    assert "x" * 199 + "…" in texts and "t" * 999 + "…" in texts


def fake_dot(folder, script: str):
    """A 'dot' on PATH that runs ``script`` instead of Graphviz."""
    (folder / "dot").write_text("#!/bin/sh\n" + script)
    (folder / "dot").chmod(0o755)
    return str(folder)


@pytest.mark.parametrize("script", [
    f'{shutil.which("cat")} >/dev/null; echo "Warning: a warning" >&2; echo "Error: first complaint" >&2; '
    f'echo "second complaint" >&2; exit 1',
    'exec 0<&-; echo "Error: first complaint" >&2; echo "second complaint" >&2; exit 1',   # stops reading
])
def test_a_failing_dot_is_a_microbp_error_quoting_its_first_line(tmp_path, monkeypatch, capfd, script):
    monkeypatch.setenv("PATH", fake_dot(tmp_path, script))
    x = Value(1.0, label="x" * 100)
    for _ in range(300):                 # a large graph, so that dot's input overflows the pipe
        x = x * 1.0
    with pytest.raises(DotFailedError) as caught:
        render(x, tmp_path / "out.svg", max_nodes=400)
    assert "Error: first complaint" in str(caught.value) and "second complaint" not in str(caught.value)
    assert "write it as .dot to keep the DOT text, and please report this" in str(caught.value)
    assert not (tmp_path / "out.svg").exists() and "complaint" not in capfd.readouterr().err
    assert mimebundle(lecture_neuron()) == {"text/plain": "Value(data=0.7071, grad=1, label='o')"}


@pytest.mark.needs_dot
def test_jupyter_draws_labels_with_control_characters():
    bundle = (Value(1.0, label="\x01") * 2)._repr_mimebundle_()
    assert "␁" in bundle["image/svg+xml"]


@pytest.mark.parametrize("spec", ["<>12", "x", "d", "*^20", "a>9", "99999999", ".999999999f", "1000", 3, None])
def test_number_format_must_give_numbers(spec):
    with pytest.raises(ValueError, match=r"draw: number_format must be a format spec that gives numbers, such as "
                                         r"'\.4g' or '\.2f' \(widths and precisions up to 100\), got "):
        microbp.draw(lecture_neuron(), number_format=spec)


@pytest.mark.needs_dot
@pytest.mark.parametrize("spec, shown", [(".2f", "data 0.71"), (",.3f", "data 6.881"), ("+.2f", "data +0.71"),
                                         (".1%", "data 70.7%"), (".3e", "data 7.071e-01"), ("", "data 2.0"),
                                         ("010.3f", "data 000000.707"), (">>", "data 2.0")])
def test_number_formats_that_give_numbers_render(tmp_path, spec, shown):
    assert shown in svg_texts(render(lecture_neuron(), tmp_path / "n.svg", number_format=spec))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may replace a read-only file")
def test_render_refuses_to_replace_a_read_only_file(tmp_path):
    (tmp_path / "kept.dot").write_text("old")
    (tmp_path / "kept.dot").chmod(0o444)
    with pytest.raises(OutputError, match=r"render: '.*kept\.dot' is read-only; make it writable or choose another"):
        render(lecture_neuron(), tmp_path / "kept.dot")
    assert (tmp_path / "kept.dot").read_text() == "old"


def test_without_write_permission_nothing_is_drawn_or_written(tmp_path, monkeypatch):
    """What a user without write permission meets (root is never refused, so os.access plays the user)."""
    (tmp_path / "kept.dot").write_text("old")
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(OutputError, match=r"render: '.*kept\.dot' is read-only; make it writable or choose another"):
        render(lecture_neuron(), tmp_path / "kept.dot")
    with pytest.raises(OutputError, match=r"render: cannot write into '.*' \(permission denied\); choose a folder you"):
        render(lecture_neuron(), tmp_path / "new.dot")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.dot"] and (tmp_path / "kept.dot").read_text() == "old"
