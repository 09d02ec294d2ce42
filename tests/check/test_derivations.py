"""check_derivation: proved, refuted with a counterexample, or "agrees, not proved" — never a false "correct"."""

import importlib.util
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sympy

import microbp
from microbp import DomainError, GraphTooLargeError, TimeLimitError, UnknownVariableError, check_derivation
from microbp.check.proofs import Proof, warm_up

ROOT = Path(__file__).resolve().parents[2]


def load_benchmark():
    spec = importlib.util.spec_from_file_location("benchmarks_derivations", ROOT / "benchmarks" / "derivations.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module             # so that worker processes find its functions
    spec.loader.exec_module(module)
    return module


BENCHMARK = load_benchmark()


@pytest.fixture(scope="module")
def outcomes():
    return BENCHMARK.run()


def test_the_benchmark_meets_the_bar(outcomes):
    """No wrong claim proved, no right claim refuted; every verdict one of three; most wrong ones refuted."""
    shares = BENCHMARK.shares(outcomes)
    assert shares["wrong"] >= 30 and shares["right"] >= 30
    assert shares["wrong proved"] == 0 and shares["right refuted"] == 0
    assert set(shares["verdicts"]) <= {"proved", "refuted", "agrees"}
    assert shares["wrong refuted"] >= 0.9 * shares["wrong"], BENCHMARK.table(outcomes)
    assert shares["right proved"] >= 0.9 * shares["right"], BENCHMARK.table(outcomes)
    assert "wrong claims refuted with a counterexample" in BENCHMARK.table(outcomes)


def test_every_counterexample_is_one_by_sympys_own_evaluation(outcomes):
    """Each counterexample, checked independently: sympy's evalf at 50 digits, where both sides are defined."""
    for outcome in outcomes:
        if outcome.verdict == "refuted":
            check_counterexample(outcome.case, outcome.result)


def check_counterexample(case, result):
    assert result.refuted and not result and "WRONG" in str(result)
    point = {sympy.Symbol(name, real=True): sympy.Rational(value) for name, value in result.counterexample.items()}
    function, claim = microbp.check.sympy_bridge.parse_sympy(case.expression), microbp.check.sympy_bridge.parse_sympy(case.claimed)
    derivative = sympy.diff(function, sympy.Symbol(case.wrt, real=True))
    values = [sympy.N(e.subs(point), 50) for e in (function, derivative, claim)]
    assert all(v.is_real and v.is_finite for v in values)
    assert abs(values[1] - values[2]) > 1e-30 * abs(values[1]), case
    assert result.correct_value == pytest.approx(float(values[1]), rel=1e-12)
    assert result.claimed_value == pytest.approx(float(values[2]), rel=1e-12)


@pytest.mark.parametrize("expr, claimed", [("2*x", "2"), ("sin(x)**2 + cos(x)**2", "0"), ("x + 5", 1),
                                           ("x / 3", "1/3"), ("x * 0.1", 0.1)])
def test_a_constant_claim_is_proved(expr, claimed):
    result = check_derivation(expr, "x", claimed)
    assert result.proved and result.ok and str(result).startswith("correct (symbolic)")


def test_a_wrt_that_does_not_occur_is_an_error_naming_the_variables():
    with pytest.raises(UnknownVariableError, match="z does not appear in the expression 'x\\*y'; "
                                                   "its variables are x, y"):
        check_derivation("x*y", "z", "y")
    with pytest.raises(UnknownVariableError, match="its variables are none"):
        check_derivation("2 + 3", "x", "0")
    with pytest.raises(UnknownVariableError, match="q given a value but not in the expression or the claim"):
        check_derivation("x*y", "x", "y", q=1.0)
    assert issubclass(UnknownVariableError, (microbp.ExpressionError, ValueError))


def test_a_variable_sympy_cancels_is_still_the_users():
    result = check_derivation("x + y - y", "y", "0")
    assert result.proved


@pytest.mark.parametrize("args, status, text", [
    (["check", "x + 5", "--wrt", "x", "--claimed", "1"], 0, "correct (symbolic)"),
    (["check", "x + 5", "--wrt", "X", "--claimed", "1"], 2, "microbp check: check_derivation: X does not appear"),
])
def test_the_command_line_gets_a_verdict_or_a_usage_error(args, status, text):
    result = subprocess.run([sys.executable, "-m", "microbp", *args], capture_output=True, text=True)
    assert result.returncode == status and "Traceback" not in result.stderr
    assert text in result.stdout + result.stderr


@pytest.mark.parametrize("seed", range(3))
def test_a_factor_two_on_a_narrow_interval_is_caught_at_every_seed(seed):
    """Wrong only on [1, 1.002]: random points alone find it almost never; the kinks at 1 and 1.002 do."""
    result = check_derivation("x**2", "x", "2*x + 2*x*(step(x - 1) - step(x - 1.002))", seed=seed)
    assert result.refuted and 1 <= result.counterexample["x"] <= 1.002


def test_a_claim_wrong_only_outside_the_domain_is_proved():
    """log x is defined for x > 0 only: 1/|x| is its derivative there, and x = -1.56 is no counterexample."""
    result = check_derivation("log(x)", "x", "1/abs(x)")
    assert result.proved and "(0, ∞)" in result.how
    assert check_derivation("sqrt(x)**2", "x", "1 + relu(-x)").proved      # sqrt(x)**2 is x, for x >= 0 only


def test_a_kink_where_the_claim_differs_from_the_convention_is_said():
    result = check_derivation("relu(x)", "x", "1 - step(-x)")
    assert result.proved
    assert "except at the kink x = 0" in str(result) and "microbp takes 0, the claim gives 1" in str(result)


@pytest.mark.parametrize("expr, claimed, tie", [
    ("max(x, 1)", "step(x - 1)", "x = 1, where the function has no derivative: microbp takes 0.5, the claim gives 0"),
    ("min(x, 1)", "step(1 - x)", "x = 1, where the function has no derivative: microbp takes 0.5, the claim gives 0"),
    ("min(x, 2)", "step(2 - x)", "x = 2, where the function has no derivative: microbp takes 0.5, the claim gives 0"),
    ("max(2*x, 1)", "2*step(2*x - 1)", "x = 0.5, where the function has no derivative: microbp takes 1, the claim "
                                       "gives 0"),
])
def test_a_tie_of_max_or_min_is_a_kink_not_a_counterexample(expr, claimed, tie):
    """At a tie max and min have no derivative (microbp takes half each, as PyTorch): the claim is proved on
    each side, and the tie is noted as relu's kink is (once, at 16 digits, x ± 1e-30 was x itself, so the
    tie looked smooth and was given as a counterexample)."""
    result = check_derivation(expr, "x", claimed)
    assert result.proved, str(result)
    assert f"except at the kink {tie}" in str(result)


def test_a_tie_of_two_variables_is_no_counterexample():
    result = check_derivation("max(x, y)", "x", "step(x - y)")
    assert not result.refuted, str(result)


def test_cancellation_is_no_counterexample():
    """At 50 digits sigmoid(1e4) * (1 - sigmoid(1e4)) is 0; interval arithmetic knows it is e^-10000 or so."""
    result = check_derivation("sigmoid(z)", "z", "sigmoid(z) * (1 - sigmoid(z))", time_limit=0)
    assert result.verdict == "agrees" and result.interval == (-1e30, 1e30)


def test_a_numeric_pass_never_says_correct(monkeypatch):
    monkeypatch.setattr(microbp.check.proofs, "prove", lambda *args: Proof(None))
    result = check_derivation("sigmoid(z)", "z", "exp(z) / (1 + exp(z))**2", time_limit=None)
    text = str(result)
    assert result.verdict == "agrees" and not result.ok and not result.refuted
    assert text.startswith("NOT PROVED") and "correct" not in text.split("\n")[0]
    assert f"agrees at {result.points} points with z in [-1e+30, 1e+30], not proved" in text
    assert not check_derivation("sigmoid(z)", "z", "exp(z) / (1 + exp(z))").ok


def test_the_time_limit_falls_back_to_the_numeric_verdict_and_says_so():
    nested = "x"
    for _ in range(12):
        nested = f"sigmoid({nested})"
    result = check_derivation(nested, "x", "0", time_limit=0.2)
    assert result.refuted and "the symbolic step stopped after 0.2 s; pass time_limit=" in str(result)


def test_sympy_expressions_and_the_users_own_symbols():
    x, y = sympy.symbols("x y")                                  # not declared real: matched by name
    result = check_derivation(x * sympy.sin(y), y, x * sympy.cos(y))
    assert result.proved and result.correct.free_symbols == {x, y}
    mine = sympy.Symbol("w", positive=True)
    result = check_derivation("w**2", "w", "3*w", symbols=[mine])
    assert result.refuted and result.correct == 2 * mine
    assert check_derivation("x * y", "x", "y", y=3.0).proved


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(ValueError, match="x is the variable of differentiation"):
        check_derivation("x * y", "x", "y", x=3.0)
    with pytest.raises(TypeError, match="strings or sympy expressions"):
        check_derivation(microbp.Value(1.0), "x", "1")
    with pytest.raises(TypeError, match="y= needs a finite real number"):
        check_derivation("x * y", "x", "y", y="3")
    with pytest.raises(DomainError, match="no point where the function, its derivative and the claim"):
        check_derivation("sqrt(-x*x - 1)", "x", "x")


def test_expressions_over_the_limits_are_refused_before_sympy_works():
    with pytest.raises(GraphTooLargeError, match=r"check_derivation \(expr\): .* pass max_nodes="):
        check_derivation("tanh(x) * x + x ** 2", "x", "0", max_nodes=3)
    with pytest.raises(GraphTooLargeError, match=r"nested 5 levels deep.*pass max_depth=5"):
        check_derivation("tanh(tanh(tanh(tanh(x))))", "x", "0", max_depth=4)


@pytest.mark.parametrize("expr, claimed", [
    ("sqrt(3 ** (x1 + x0))", "log(3) * sqrt(3 ** (x1 + x0)) / 2 + 1e-12 * x0 ** 2"),   # interval 3 ** (...)
    ("exp(x0 * x0)", "2 * x0 * exp(x0 * x0) + 1e-6 * relu(x0 - 7)"),                 # 1e-30 of a 1e23
])
def test_found_by_random_claims_small_differences_are_still_counterexamples(expr, claimed):
    """Random derivations with one small mutation (found by a stress run): each is refuted."""
    result = check_derivation(expr, "x0", claimed, time_limit=2)
    assert result.refuted, str(result)


def test_an_infinite_constant_in_a_branch_is_no_crash():
    """relu(x) ** -2 puts 0 ** -2 = zoo in a branch of a Piecewise, which lambdify could not print."""
    claim = "step(x) * 2 * relu(x) ** (-3) * sigmoid(-relu(x) ** (-2)) * (1 - sigmoid(-relu(x) ** (-2)))"
    result = check_derivation("sigmoid(-relu(x) ** (-2))", "x", claim)
    assert result.proved and "(0, ∞)" in result.how


TOWER = "tanh(tanh(tanh(tanh(x*x+1)*x)*x)*x)"
"""sympy's simplify of its derivative runs for minutes: once it ran 244 s in a Pool worker."""
PRODUCT = " * ".join(f"sigmoid(tanh(x*{i}+1))" for i in range(1, 121))
"""120 factors: sympy.diff alone takes about 25 s, lambdify and cse more."""


def _timed_check(expr, time_limit):
    """(the result's text or the error's, seconds taken), after sympy is warmed up (once per process)."""
    warm_up()
    started = time.monotonic()
    try:
        text = str(check_derivation(expr, "x", "1", time_limit=time_limit))
    except TimeLimitError as error:
        text = f"TimeLimitError: {error}"
    return text, time.monotonic() - started


def _check_in_a_daemon(queue):
    queue.put(_timed_check(TOWER, 1))


def test_in_a_daemon_process_the_check_skips_the_symbolic_step_within_its_time_limit():
    """A daemonic process (a multiprocessing.Pool worker) may not start children: the proof is skipped."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    daemon = context.Process(target=_check_in_a_daemon, args=(queue,), daemon=True)
    daemon.start()
    text, seconds = queue.get(timeout=120)
    daemon.join()
    assert seconds < 1 + 2, text
    assert "the symbolic step was skipped: no worker process could start" in text
    assert "the verdict is the numeric one" in text and text.startswith(("WRONG", "NOT PROVED"))


def test_when_fork_fails_the_check_stays_within_its_time_limit(monkeypatch):
    def no_fork():
        raise OSError(11, "Resource temporarily unavailable (fork refused by the test)")
    monkeypatch.setattr(os, "fork", no_fork)
    text, seconds = _timed_check("tanh(tanh(tanh(x*x+1)*x)*x)", 2)
    assert seconds < 2 + 2, text
    assert "no worker process could start" in text and "fork refused by the test" in text


def test_a_derivative_sympy_cannot_make_in_time_is_a_time_limit_error_in_time():
    text, seconds = _timed_check(PRODUCT, 1)
    assert seconds < 1 + 2, text
    assert text.startswith("TimeLimitError: check_derivation: sympy could not differentiate the expression "
                           "within time_limit + 1.5 s (time_limit=1)")


def test_the_time_limit_leaves_no_timer_behind():
    text, _ = _timed_check(TOWER, 0.5)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0), text
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None), text


def test_a_refuted_claim_shows_the_values_that_differ_even_beyond_floating_point():
    """The derivative of x**1e308 at 0.5 is about 10^(-3e307): as a float, 0, like the claim. It once read
    "the claim gives 0, but the derivative is 0"."""
    result = check_derivation("x**1e308", "x", "0", time_limit=2)
    assert result.refuted and result.correct_value == 0.0            # the float field, as documented
    first = str(result).splitlines()[0]
    claimed, correct = first.split("the claim gives ")[1].split(", but the derivative is ")
    assert claimed == "0" and correct.startswith("1.58364426") and "e-30102999566398" in correct


# --- variable names reach lambdify only as generated positional names (issue #22, item 14) ---

@pytest.mark.parametrize("expr, claimed, wrong", [
    ("x*'ｘ'", "'ｘ'", "x"),                                          # x and ｘ are one name to Python
    ("'tanh'*tanh(x)", "'tanh'*(1-tanh(x)**2)", "'tanh'*(1-tanh(x)**3)"),  # a variable named like a function
    ("'sqrt' + sqrt(x)", "0.5/sqrt(x)", "1/sqrt(x)"),
    ("'power'*x**3 + '_a0'*x", "3*'power'*x**2 + '_a0'", "3*'power'*x**2"),  # our own generated names
])
def test_names_that_python_would_merge_or_shadow_are_proved_and_refuted_like_any_other(expr, claimed, wrong):
    right = check_derivation(expr, "x", claimed)
    assert right.proved, right
    refuted = check_derivation(expr, "x", wrong)
    assert refuted.verdict == "refuted" and refuted.counterexample is not None, refuted


def test_the_command_line_checks_a_claim_in_lookalike_names_without_an_internal_error():
    result = subprocess.run([sys.executable, "-m", "microbp", "check", "x*'ｘ'", "--wrt", "x", "--claimed", "'ｘ'"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "correct" in result.stdout, result.stdout + result.stderr


def test_each_side_is_parsed_once(monkeypatch):
    """check_derivation once parsed each text three times (sympy, names, domain as written)."""
    import microbp.text.parser as parser
    read = []
    original = parser._syntax_tree
    monkeypatch.setattr(parser, "_syntax_tree", lambda text: read.append(text) or original(text))
    result = check_derivation("sqrt(x)**2 + y - y", "x", "1", time_limit=None, y=2.0)
    assert result.proved and sorted(read) == ["1", "sqrt(x)**2 + y - y"]
