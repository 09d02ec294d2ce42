"""The command line, end to end in subprocesses: output and exit statuses."""

import os
import subprocess
import sys

import pytest


def microbp(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "microbp", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, stdin=subprocess.DEVNULL)


def test_help_lists_commands_with_examples():
    result = microbp("--help")
    assert result.returncode == 0
    for word in ("demo", "render", "grad", "check", "examples:"):
        assert word in result.stdout


def test_grad_prints_a_table_and_exits_0_when_all_agree():
    result = microbp("grad", "sigmoid(w*x)", "w=0.5", "x=2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "value: 0.7310585786"
    assert lines[1].split()[:4] == ["leaf", "value", "engine", "sympy"]
    assert lines[2].split()[0] == "w" and lines[2].split()[-1] == "yes"
    assert lines[-1].startswith("all gradients agree")


def test_check_right_and_wrong():
    right = microbp("check", "sigmoid(z)", "--wrt", "z", "--claimed", "sigmoid(z)*(1 - sigmoid(z))")
    assert right.returncode == 0 and right.stdout.startswith("correct (symbolic)")
    wrong = microbp("check", "x**3", "--wrt", "x", "--claimed", "3*x")
    assert wrong.returncode == 1
    assert wrong.stdout.startswith("WRONG: at x = ") and "correct: d/dx x**3 = 3*x**2" in wrong.stdout
    fixed = microbp("check", "x*y", "--wrt", "x", "--claimed", "y", "y=2")
    assert fixed.returncode == 0


@pytest.mark.parametrize("args, message", [
    (["grad", "tanh(foo(x))", "x=1"], "microbp grad: unknown function 'foo'"),
    (["grad", "log(x)", "x=0"], "microbp grad: log: needs x > 0, got x = 0.0"),
    (["grad", "x*y", "x=1"], "microbp grad: no value for 'y'"),
    (["grad", "x", "x=one"], "microbp grad: x: 'one' is not a number"),
    (["grad", "x", "x"], "microbp grad: expected NAME=VALUE"),
    (["grad", "2*3"], "microbp grad: '2*3' has no variables"),
    (["check", "x +", "--wrt", "x", "--claimed", "1"], "microbp check: invalid syntax"),
])
def test_usage_errors_exit_2_with_one_message_and_no_traceback(args, message):
    result = microbp(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(message), result.stderr


def test_parse_errors_show_a_caret():
    lines = microbp("grad", "tanh(foo(x))", "x=1").stderr.splitlines()
    assert lines[1:] == ["  tanh(foo(x))", "       ^"]


def test_argparse_errors_exit_2():
    assert microbp("check", "x").returncode == 2
    assert microbp("frobnicate").returncode == 2
    assert microbp("grad", "x", "x=1", "--bogus").returncode == 2


@pytest.mark.needs_dot
def test_render_writes_the_file(tmp_path):
    out = tmp_path / "n.svg"
    result = microbp("render", "tanh(x*w + b)", "x=2", "w=-3", "b=6.8814", "-o", str(out), "--theme", "print")
    assert result.returncode == 0 and result.stdout.strip() == str(out)
    assert "tanh" in out.read_text()


def test_render_without_dot_fails_cleanly_and_writes_nothing(tmp_path):
    result = microbp("render", "x*2", "x=1", "-o", "g.png", cwd=tmp_path, env={**os.environ, "PATH": ""})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "apt-get install graphviz" in result.stderr and list(tmp_path.iterdir()) == []
