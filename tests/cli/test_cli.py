"""The command line: output and exit statuses, end to end in subprocesses and through main() in-process."""

import contextlib
import io
import os
import re
import subprocess
import sys
import time

import pytest

from microbp import TABLE, parse, topological_order
from microbp.cli.commands import main
from microbp.text.parser import allowed_names


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
    (["grad", "x", "x=one"], "microbp grad: x: 'one' is not a finite real number"),
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


# --- in this process: main(argv) never raises, and says what is wrong in one line ----------------------

def run(*argv):
    """``main(argv)`` in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def one_line_error(status, out, err, status_wanted=2) -> str:
    assert status == status_wanted and out == "", (status, out, err)
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999", "NaN", "-1e400", "infinity"])
def test_non_finite_values_are_refused_naming_the_variable(value):
    err = one_line_error(*run("grad", "x*x", f"x={value}"))
    assert err == (f"microbp grad: x: {value!r} is not a finite real number (nan, inf and numbers beyond ±1.8e308 "
                   f"are refused); give one such as x=1.5\n")
    assert one_line_error(*run("check", "x*y", "--wrt", "x", "--claimed", "y", f"y={value}")).startswith(
        f"microbp check: y: {value!r} is not a finite real number")


@pytest.mark.parametrize("args, message", [
    (["grad", "x*1e400", "x=1"], "microbp grad: the value of 'x * inf' is inf, beyond floating point"),
    (["grad", "x*1e308*10", "x=1"], "microbp grad: the value of"),
    (["grad", "log(x)", "x=1e-320"], "microbp grad: the gradient of 'x' is inf, beyond floating point"),
    (["grad", "x", "x=1", "x=2"], "microbp grad: x is given twice"),
    (["check", "x*1e400", "--wrt", "x", "--claimed", "1"], "microbp check: "),
])
def test_overflowing_numbers_in_the_expression_are_one_line_and_exit_2(args, message):
    assert one_line_error(*run(*args)).startswith(message)


def test_a_huge_literal_is_a_parse_error_pointing_at_it():
    status, out, err = run("grad", "x*" + "9" * 400, "x=1")
    assert status == 2 and out == "" and "Traceback" not in err
    assert err.startswith("microbp grad: a number too large for a float (at most about 1.8e308) at column 3")
    assert err.count("\n") == 3 and err.splitlines()[-1].strip() == "^"


def test_an_unexpected_exception_is_one_line_asking_for_a_report(monkeypatch):
    import microbp.check.derivations
    import microbp.check.verification

    monkeypatch.setattr(microbp.check.verification, "verify", lambda root: {}["boom"])
    err = one_line_error(*run("grad", "x*x", "x=1"), status_wanted=1)
    assert err.startswith("microbp grad: internal error: KeyError: 'boom'; please report it as a bug in microbp")


def test_an_interrupt_is_status_130_without_a_traceback(monkeypatch):
    import microbp.check.derivations
    import microbp.check.verification

    def interrupted(root):
        raise KeyboardInterrupt
    monkeypatch.setattr(microbp.check.verification, "verify", interrupted)
    assert run("grad", "x*x", "x=1") == (130, "", "microbp grad: interrupted\n")


def test_escape_sequences_in_input_are_shown_not_sent_to_the_terminal():
    status, out, err = run("grad", "x\x1b[2J\x0b*", "x=1")       # a parse error: the message, the text, a caret
    assert status == 2 and len(err.splitlines()) == 3 and "Traceback" not in err
    assert "\x1b" not in err and "\x0b" not in err and "  x\\x1b[2J\\x0b*" in err.splitlines()
    err = one_line_error(*run("render", "x", "x=1", "-o", "\x1b[2J\u2028.xyz"))
    assert "\x1b" not in err and "\u2028" not in err and "'\\x1b[2J\\u2028.xyz'" in err


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """An empty working folder holding a file 'afile' and a folder named like a file, 'existing.svg'."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("mine")
    (tmp_path / "existing.svg").mkdir()
    return tmp_path


def snapshot(folder) -> dict:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None, p.stat().st_mode)
            for p in sorted(folder.rglob("*"))}


@pytest.mark.parametrize("args, message", [
    (["render", "x*2", "x=1", "-o", "a.xyz"], "cannot tell the format from 'a.xyz'; end the file name with one of"),
    (["render", "x*2", "x=1", "-o", "noext"], "cannot tell the format from 'noext'"),
    (["render", "x*2", "x=1", "-o", "-"], "cannot tell the format from '-'"),
    (["render", "x*2", "x=1", "-o", "x.jpg"], "cannot tell the format from 'x.jpg'"),
    (["render", "x*2", "x=1", "-o", "existing.svg"],
     "'existing.svg' is a folder, not a file; give a file name inside it, such as 'existing.svg/graph.svg'"),
    (["render", "x*2", "x=1", "-o", "new.svg/"], "'new.svg/' is a folder, not a file"),
    (["render", "x*2", "x=1", "-o", "afile/b.svg"], "'afile' is a file, not a folder; choose another path"),
    (["render", "x*2", "x=1", "-o", "afile/deeper/b.dot"],
     "cannot write into 'afile/deeper': 'afile' is a file, not a folder; choose another path"),
    (["render", "x*2", "x=1", "-o", ""], "cannot tell the format from ''; end the file name with one of"),
    (["demo", "-o", "afile"], "'afile' is a file, not a folder; give a folder name"),
    (["steps", "x*2", "x=1", "-o", "a.svg"], "-o takes a slideshow ending in .html or a folder ending in /"),
    (["steps", "x*2", "x=1", "-o", "afile/"], "'afile/' is a file, not a folder; give a folder name"),
    (["steps", "x*2", "x=1", "-o", "afile/x.html"], "'afile' is a file, not a folder; choose another path"),
])
def test_bad_output_paths_are_one_line_exit_2_and_write_nothing(scratch, args, message):
    before = snapshot(scratch)
    err = one_line_error(*run(*args))
    assert err.startswith(f"microbp {args[0]}: {message}"), err
    assert snapshot(scratch) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_a_read_only_folder_is_one_line_exit_2(tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o555)
    try:
        err = one_line_error(*run("render", "x*2", "x=1", "-o", str(folder / "a.svg")))
        assert "(permission denied); choose a folder you can write to" in err and list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_an_os_error_while_writing_is_one_line_exit_2(tmp_path, monkeypatch):
    def refuse(*args):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(os, "replace", refuse)
    err = one_line_error(*run("render", "x*2", "x=1", "-o", str(tmp_path / "a.dot")))
    assert err == (f"microbp render: cannot write {str(tmp_path / 'a.dot')!r}: Permission denied; "
                   f"choose a folder you can write to\n")
    assert list(tmp_path.iterdir()) == []


def many_terms(count: int) -> str:
    """An expression of about 2 * count + 2 nodes."""
    return "sum([" + ", ".join(f"sin(x*{k})" for k in range(1, count + 1)) + "])"


@pytest.mark.parametrize("command, default, out", [("render", 200, "g.dot"), ("steps", 60, "s.html"),
                                                   ("grad", 200, None)])
def test_max_nodes_is_an_option_and_the_error_names_it(tmp_path, command, default, out):
    expression = many_terms(default // 2 + 5)
    nodes = len(topological_order(parse(expression, x=0.5)))
    output = ["-o", str(tmp_path / out)] if out else []
    err = one_line_error(*run(command, expression, "x=0.5", *output))
    assert err.startswith(f"microbp {command}: the graph has {nodes} nodes, over the limit of {default} (")
    assert err.endswith(f"); pass --max-nodes {nodes} to go on anyway\n") and "max_nodes=" not in err
    assert one_line_error(*run(command, "x*2", "x=1", "--max-nodes", "1", *output)).startswith(
        f"microbp {command}: the graph has 2 nodes, over the limit of 1")
    assert list(tmp_path.iterdir()) == []
    if command != "steps":          # steps would draw 2 frames a node
        assert run(command, expression, "x=0.5", "--max-nodes", str(nodes), *output)[0] == 0


@pytest.mark.parametrize("value", ["0", "-3", "1.5", "many", "inf"])
def test_max_nodes_must_be_a_positive_whole_number(value):
    err = one_line_error(*run("render", "x", "x=1", "-o", "x.dot", "--max-nodes", value))
    assert err == (f"microbp render: argument --max-nodes: must be a positive whole number, got {value!r}; "
                   f"see 'microbp render --help'\n")


def test_check_decides_by_numbers_when_sympy_runs_out_of_time_and_names_the_option():
    slow = "*".join(f"tanh(x+{k})" for k in range(6))       # sympy's simplify takes minutes on this
    started = time.monotonic()
    status, out, err = run("check", slow, "--wrt", "x", "--claimed", "x", "--timeout", "0.5")
    assert time.monotonic() - started < 10
    assert status == 1 and out.startswith("WRONG: at x = ") and err == ""
    assert out.rstrip().endswith("(the symbolic step stopped after 0.5 s; pass --timeout 1 to allow more)")


@pytest.mark.parametrize("verdict, status", [("proved", 0), ("refuted", 1), ("agrees", 3)])
def test_checks_exit_status_says_proved_refuted_or_not_proved(monkeypatch, verdict, status):
    import microbp.check.derivations
    import microbp.check.verification

    real = microbp.check.derivations.check_derivation

    def pretend(*args, **options):
        result = real("x*x", "x", "2*x")
        result.verdict = verdict
        return result
    monkeypatch.setattr(microbp.check.derivations, "check_derivation", pretend)
    assert run("check", "x*x", "--wrt", "x", "--claimed", "2*x")[0] == status


@pytest.mark.parametrize("args", [
    ["grad", "-log(x)", "x=2"],
    ["grad", "--", "-log(x)", "x=2"],
    ["grad", "-log(x)", "--wrt", "x", "x=2"],
    ["grad", "--wrt", "x", "-log(x)", "x=2"],
    ["grad", "--wrt=x", "-log(x)", "x=2"],
    ["grad", "-log(x)", "--wrt", "x", "--max-nodes", "5", "x=2"],
])
def test_an_expression_may_start_with_a_minus(args):
    status, out, err = run(*args)
    assert status == 0 and err == "", err
    assert out.splitlines()[0] == "value: -0.6931471806" and out.splitlines()[2].split()[:3] == ["x", "2", "-0.5"]


def test_option_values_may_start_with_a_minus():
    assert run("check", "-x**2", "--wrt", "x", "--claimed", "-2*x")[0] == 0
    assert run("check", "-x**2", "--wrt", "x", "--claimed", "-2")[0] == 1
    assert one_line_error(*run("grad", "-x", "x=1", "--bogus")) == (
        "microbp grad: unrecognized arguments: --bogus; see 'microbp grad --help'\n")


def test_grad_wrt_shows_only_those_rows_and_rejects_unknown_names():
    status, out, _ = run("grad", "x*y*z", "x=1", "y=2", "z=3", "--wrt", "z,x")
    assert status == 0 and [line.split()[0] for line in out.splitlines()[2:-1]] == ["x", "z"]
    err = one_line_error(*run("grad", "x*y", "x=1", "y=2", "--wrt", "x,w"))
    assert err == "microbp grad: --wrt 'w': no such variable; the variables are x, y\n"


@pytest.mark.parametrize("command", ["render", "grad", "check", "steps"])
def test_every_command_lists_the_expression_functions(command, capsys):
    assert main([command, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert f"EXPRESSION: numbers, names, + - * / ** and {allowed_names()}" in text
    assert all(row.name in text for row in TABLE if row.notation.form in ("call", "lists"))
    assert len(text) < 1500


def test_a_time_limit_of_a_year_or_more_is_no_limit():
    status, out, err = run("grad", "x*x", "x=1", "--timeout", "1e300")
    assert status == 0 and err == "" and out.endswith("all gradients agree (rtol 1e-06)\n")


def test_a_lecture_too_large_in_all_names_the_command_lines_own_option(tmp_path):
    expression = many_terms(120)                       # 242 nodes: over max_elements in all its frames
    out = str(tmp_path / "s.html")
    err = one_line_error(*run("steps", expression, "x=0.5", "-o", out, "--max-nodes", "400"))
    needed = int(err.split("pass --max-elements ")[1].split()[0])
    assert err.startswith("microbp steps: the lecture would draw ") and "max_elements=" not in err
    assert needed > 50_000 and list(tmp_path.iterdir()) == []


def test_codegen_prints_a_program_that_computes_the_engines_gradients():
    status, out, err = run("codegen", "n = x*w + b; tanh(n) * x", "--wrt", "x,w", "b=0.5")
    assert status == 0 and err == "" and "def f(x, w):" in out and "b = 0.5" in out
    namespace = {}
    exec(out, namespace)
    value, grads = namespace["f"](0.3, -1.2)
    root = parse("n = x*w + b; tanh(n) * x", x=0.3, w=-1.2, b=0.5)
    expected = microbp_gradients(root)
    assert value == root.data and grads == [expected["x"], expected["w"]]


def test_codegen_mode_forward_prints_the_tangent_program_that_gives_jvps_numbers():
    from microbp import jvp

    status, out, err = run("codegen", "n = x*w + b; tanh(n) * x", "--wrt", "x,w", "b=0.5", "--mode", "forward")
    assert status == 0 and err == "" and "def f(x, w, tangent_x, tangent_w):" in out and "# tangents" in out
    namespace = {}
    exec(out, namespace)
    root = parse("n = x*w + b; tanh(n) * x", x=0.3, w=-1.2, b=0.5)
    leaves = {node.label: node for node in topological_order(root) if node.op is None}
    assert namespace["f"](0.3, -1.2, 0.0, 1.0) == jvp(root, [leaves["x"], leaves["w"]], [0.0, 1.0])
    assert one_line_error(*run("codegen", "x*y", "--mode", "sideways")).startswith(
        "microbp codegen: argument --mode: invalid choice: 'sideways'")


def microbp_gradients(root) -> dict:
    from microbp import gradients
    return {leaf.label: grad for leaf, grad in gradients(root).items()}


@pytest.mark.parametrize("args, message", [
    (["codegen", "x*y", "--wrt", "x"], "microbp codegen: 'y' needs a value, to be written in as a constant"),
    (["codegen", "x*y", "--wrt", "z"], "microbp codegen: --wrt 'z': no such variable; the variables are x, y"),
    (["codegen", "2*3"], "microbp codegen: '2*3' has no variables"),
    (["steps", "x*2", "x=1", "--code", "-o", "frames/"], "microbp steps: --code shows code in a slideshow"),
])
def test_codegen_and_steps_code_refuse_bad_input_in_one_line(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert one_line_error(*run(*args)).startswith(message)


@pytest.mark.needs_dot
def test_steps_code_puts_the_generated_lines_in_the_slideshow(tmp_path):
    out = tmp_path / "lecture.html"
    assert run("steps", "tanh(x*w)", "x=2", "w=-1", "--code", "-o", str(out))[0] == 0
    page = out.read_text(encoding="utf-8")
    assert page.count('<pre class="code"') == page.count('<section class="frame') > 0
    assert "grad_x += w * grad_v1" in page


@pytest.mark.parametrize("seconds", ["0.0001", "1e-6", "0.003"])
def test_any_timeout_gives_one_line_and_exit_2_never_a_signal(seconds):
    """A tiny --timeout once left SIGALRM's timer running, and the process died of it (status 142)."""
    for _ in range(5):
        result = microbp("grad", "x*x", "x=1", "--timeout", seconds)
        if result.returncode == 0:                              # it can finish inside even 1 µs... rarely
            continue
        assert result.returncode == 2, (result.returncode, result.stderr)
        assert result.stderr.startswith("microbp grad: gave up after ") and result.stderr.count("\n") == 1


def test_a_time_limit_leaves_no_timer_and_no_stray_error_behind():
    import signal

    from microbp import TimeLimitError
    from microbp.deadline import time_limit

    handler = signal.getsignal(signal.SIGALRM)
    for seconds in (1e-9, 1e-6, 1e-4, 1e-3):
        with contextlib.suppress(TimeLimitError):
            with time_limit(seconds, "up"):
                sum(range(10_000))
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGALRM) is handler
    time.sleep(0.3)                                            # a stray alarm would raise here


def test_an_inner_time_limit_gives_the_outer_one_back():
    import signal

    from microbp.deadline import time_limit

    with time_limit(30, "outer"):
        with time_limit(0.5, "inner"):
            pass
        left, repeat = signal.getitimer(signal.ITIMER_REAL)
        assert 29 < left <= 30 and repeat == 0.1
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.parametrize("args, message", [
    (["log(y)*x", "y=-1"], "microbp codegen: log: needs x > 0, got x = -1.0\n"),
    (["x/y", "y=0"], "microbp codegen: truediv: division by zero (0.5 / 0.0), whatever the arguments' values; "
                     "change the given values\n"),
    (["exp(y)*x", "y=1000"], "microbp codegen: a part computed from the given values alone is inf, beyond "
                             "floating point (about ±1.8e308); use values that keep every number finite\n"),
    (["tanh(x*w + b)", "x=2", "w=-3", "b=6.88"],
     "microbp codegen: every variable has a value, so there is nothing to differentiate by; name them with "
     "--wrt (as in --wrt x,w,b), or leave out their values\n"),
])
def test_codegen_refuses_code_that_could_only_give_nan_raise_or_no_gradient(args, message):
    """Once these printed code giving (nan, [nan]), a raw ZeroDivisionError, or no backward pass at all."""
    result = microbp("codegen", *args)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message)


@pytest.mark.parametrize("args", [["x**y", "y=0.5"], ["x/y", "x=1"], ["sqrt(y)*x", "y=4"], ["log(x*y)", "y=-1"]])
def test_codegen_still_prints_code_whose_domain_depends_on_the_arguments(args):
    result = microbp("codegen", *args)
    assert result.returncode == 0 and result.stdout.startswith(("def f(", "from microbp.runtime import"))


@pytest.mark.needs_dot
def test_steps_takes_the_view_the_order_and_the_learning_rate(tmp_path):
    import html
    import re

    import microbp as library
    root = parse("tanh(x*w + b)", x=2.0, w=-3.0, b=6.8814)
    root.backward()
    for order in ("layers", "reverse-topological"):
        out = tmp_path / f"{order}.html"
        status, _, err = run("steps", "tanh(x*w + b)", "x=2", "w=-3", "b=6.8814", "-o", str(out), "--view", "graph",
                             "--order", order, "--learning-rate", "0.5")
        assert status == 0, err
        page = out.read_text(encoding="utf-8")
        wanted = [step.caption for step in library.steps(root, view="graph", order=order)]
        shown = [html.unescape(c) for c in re.findall(r'<p class="caption"[^>]*>(.*?)</p>', page, flags=re.DOTALL)]
        assert shown == wanted
    status, _, err = run("steps", "x*2", "x=1", "-o", str(tmp_path / "n.html"), "--view", "network")
    assert status == 2 and "view='network' needs units" in err
    status, _, err = run("steps", "x*2", "x=1", "-o", str(tmp_path / "n.html"), "--order", "sideways")
    assert status == 2 and "invalid choice: 'sideways'" in err


def test_steps_passes_notation_and_optimizer_on_to_the_lecture(tmp_path, monkeypatch):
    import microbp.lecture.slideshow
    seen = {}

    def recording(root, path, **options):
        seen.update(options)
        return str(path)
    monkeypatch.setattr(microbp.lecture.slideshow, "slideshow", recording)
    status, _, err = run("steps", "x*2", "x=1", "-o", str(tmp_path / "a.html"), "--notation", "textbook",
                         "--optimizer", "adam")
    assert status == 0, err
    assert seen["notation"] == "textbook" and seen["optimizer"] == "adam" and seen["view"] == "auto"
    seen.clear()
    run("steps", "x*2", "x=1", "-o", str(tmp_path / "a.html"))
    assert "notation" not in seen and "optimizer" not in seen


def test_render_passes_the_view_and_the_notation_on_to_the_picture(tmp_path, monkeypatch):
    import microbp.drawing
    seen = {}

    def recording(root, path, **options):
        seen.update(options)
        return str(path)
    monkeypatch.setattr(microbp.drawing, "render", recording)
    status, _, err = run("render", "x*2", "x=1", "-o", str(tmp_path / "a.svg"), "--view", "network",
                         "--notation", "labels")
    assert status == 0, err
    assert seen["notation"] == "labels" and seen["view"] == "network"
    seen.clear()
    run("render", "x*2", "x=1", "-o", str(tmp_path / "a.svg"))
    assert "notation" not in seen and seen["view"] == "auto"


@pytest.mark.parametrize("args, message", [
    (["--notation", "greek"], ("argument --notation: invalid choice: 'greek' (choose from 'walkthrough', "
                               "'textbook', 'labels')")),
    (["--notation", "textbook"], ("notation='textbook' names a network's units, inputs and weights, which "
                                  "view='network' draws")),
    (["--order", "layers"], "--order is for a lecture (microbp steps): a single picture has no steps"),
    (["--learning-rate", "0.5", "--optimizer", "adam"], "--learning-rate, --optimizer are for a lecture"),
])
def test_render_refuses_what_a_single_picture_cannot_show_in_one_line(tmp_path, args, message):
    out = tmp_path / "a.svg"
    err = one_line_error(*run("render", "tanh(x*w)", "x=2", "w=-3", "-o", str(out), *args))
    assert message in err and not out.exists()


def test_render_help_lists_the_notations_but_not_the_lecture_flags():
    status, out, _ = run("render", "--help")
    assert status == 0 and "--view" in out and "walkthrough, textbook, labels" in " ".join(out.split())
    assert not {"--order", "--learning-rate", "--optimizer"} & set(re.findall(r"--[a-z-]+", out))


def test_generated_code_hides_the_domain_checks_unless_asked(tmp_path):
    status, out, _ = run("codegen", "log(x) * x**2", "--wrt", "x")
    assert status == 0 and "check_" not in out
    status, out, _ = run("codegen", "log(x) * x**2", "--wrt", "x", "--checks")
    assert status == 0 and "check_log(x)" in out and "check_pow(x, 2.0)" in out
    status, _, err = run("steps", "log(x)", "x=2", "-o", str(tmp_path / "a.html"), "--checks")
    assert status == 2 and "--checks adds the domain checks to --code's lines: give --code too" in err


@pytest.mark.needs_dot
def test_steps_code_shows_checks_only_with_checks(tmp_path):
    plain, checked = tmp_path / "plain.html", tmp_path / "checked.html"
    assert run("steps", "log(x) * x**2", "x=2", "--code", "-o", str(plain))[0] == 0
    assert run("steps", "log(x) * x**2", "x=2", "--code", "--checks", "-o", str(checked))[0] == 0
    assert "check_" not in plain.read_text(encoding="utf-8")
    assert "check_log(x)" in checked.read_text(encoding="utf-8")
