"""Hostile command lines: whatever is typed, microbp exits 0, 1 or 2, explains on stderr, shows no traceback.

The bulk runs ``microbp.cli.commands.main`` in this process (fast); a few cases run the
real entry points in subprocesses. Every run happens in a scratch folder
holding a file and a folder named like an image, which must come out as they
went in, with no temporary file left behind.
"""

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from microbp.cli.commands import main

EXPRESSIONS = ["x*x", "-log(x)", "tanh(x*w + b)", "sigmoid(w*x)", "x*1e400", "x*" + "9" * 400, "1e999", "x +",
               "", " ", "\x00", "x\x01", "\x1b[2J", "sum([x, y])", "log(x)", "sqrt(-x)", "x**x**x", "exp(exp(x))",
               "(" * 300 + "x" + ")" * 300, "x" * 20_000, "foo(x)", "__import__('os')", "x.data", "lambda: 1",
               "--x", "-", "-x", "1/x", "abs(x)", "relu(x)", "dot([x], [y])", "x\ud800", "x\u2028y", "2*3"]
VALUES = ["x=1", "x=-2.5", "x=nan", "x=inf", "x=-inf", "x=1e999", "x=1e-320", "x=", "=1", "x", "y=2", "w=-3",
          "b=6.88", "x=1=2", "x=0x10", "x=\x00", "x=1_000", "é=1", "if=1", "x=" + "9" * 5000, "x=1", "y=nan"]
PATHS = ["out.svg", "out.dot", "out.png", "out.xyz", "noext", "-", "", "dir.svg", "file/x.svg", "frames/", "s.html",
         "n" * 300 + ".svg", "\x01.dot", "a\nb.dot", "new/deeper/g.dot", "file", "dir.svg/", "s.htm"]
OPTIONS = ([["-o", path] for path in PATHS] + [["--out=" + path] for path in PATHS[:4]] +
           [["-o"], ["--wrt", "x"], ["--wrt", "z"], ["--wrt", "x,,y"], ["--wrt=-x"], ["--claimed", "2*x"],
            ["--claimed", "-1/x**2"], ["--claimed", "\x00"], ["--claimed", "1"], ["--max-nodes", "3"],
            ["--max-nodes", "0"], ["--max-nodes", "1e999"], ["--timeout", "nan"], ["--theme", "neon"],
            ["--theme", "dark"], ["--rankdir", "XY"], ["--bogus"], ["--"], ["-x"], ["-h"], ["--ma", "3"]])
COMMANDS = ["grad", "grad", "render", "render", "steps", "check", "check", "codegen", "demo", "frobnicate", "", "-h"]


@st.composite
def command_lines(draw) -> list:
    """A command, then an expression, NAME=VALUE pairs and options, in any order."""
    parts = [[draw(st.sampled_from(EXPRESSIONS) | st.text(max_size=12))]]
    parts += [[value] for value in draw(st.lists(st.sampled_from(VALUES), max_size=3))]
    parts += draw(st.lists(st.sampled_from(OPTIONS), max_size=3))
    order = draw(st.permutations(range(len(parts))))
    command = draw(st.sampled_from(COMMANDS))
    limit = ["--timeout", "5"] if command in ("grad", "check") else []     # keep sympy's work short here
    return [command, *limit, *(token for i in order for token in parts[i])]


@contextlib.contextmanager
def scratch_folder():
    """Work in a fresh folder holding 'file' and a folder 'dir.svg'; check both are untouched afterwards."""
    previous = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            Path("file").write_text("mine")
            Path("dir.svg").mkdir()
            yield Path(folder)
            assert Path("file").read_text() == "mine" and Path("dir.svg").is_dir()
            assert not [p for p in Path(folder).rglob("*") if p.name.startswith(".mbp-")], "a temporary file is left"
        finally:
            os.chdir(previous)


def check_outcome(status: int, out: str, err: str) -> None:
    assert status in (0, 1, 2, 3), (status, err)
    assert "Traceback" not in err and "Traceback" not in out
    if status == 2:
        lines = err.splitlines()
        assert err and (len(lines) == 1 or (len(lines) == 3 and lines[2].strip() == "^")), err
    if status == 1:
        assert out or len(err.splitlines()) == 1, err        # a "no" answer, or one line saying why


@settings(max_examples=60, deadline=None)
@given(command_lines())
def test_any_command_line_exits_0_1_or_2_without_a_traceback(argv):
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    with scratch_folder(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    assert time.monotonic() - started < 30, argv
    check_outcome(status, out.getvalue(), err.getvalue())


ENTRY_POINTS = [[sys.executable, "-m", "microbp"], [str(Path(sys.executable).parent / "microbp")]]


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=["python -m microbp", "microbp"])
@pytest.mark.parametrize("argv", [
    ["grad", "x*x", "x=nan"],
    ["grad", "-log(x)", "x=2", "--wrt", "x"],
    ["grad", "x*" + "9" * 400, "x=1"],
    ["render", "x\x01", "x=1", "-o", "dir.svg"],
    ["render", "x*2", "x=1", "-o", "file/x.svg"],
    ["steps", "x*2", "x=1", "-o", "a.svg"],
    [b"grad", b"x\xff", b"x=1"],                        # not UTF-8: Python decodes it with surrogates
    [b"render", b"x*2", b"x=1", b"-o", b"\xff.dot"],
    ["check", "x", "--wrt", "x", "--claimed", "-"],
    [],
])
def test_the_real_entry_points_never_print_a_traceback(entry, argv):
    if not os.path.exists(entry[0]):
        pytest.skip(f"{entry[0]} is not installed")
    with scratch_folder() as folder:
        result = subprocess.run(entry + argv, capture_output=True, cwd=folder, stdin=subprocess.DEVNULL, timeout=60)
        check_outcome(result.returncode, result.stdout.decode("utf-8", "replace"),
                      result.stderr.decode("utf-8", "replace"))
