"""Every row of the table at the edges of the floats, against PyTorch float64: values and gradients.

Inputs: ±0, ±5e-324 (the smallest subnormal), ±1e300, ±inf, nan, 1 and -2.5; binary rows with
both operands Values and with either one a constant (``x ** 2.0``, ``2.0 ** x``). Where microbp
differs from PyTorch on purpose, a named rule below says so (the same rules are listed in
docs/verifying-derivations.md, "Conventions"); any other difference fails. The sign of a zero is
not compared. torch is in the test extra: without it the comparison is skipped with a reason, but
under CI=true it fails.
"""

import itertools
import math
import os
from typing import NamedTuple

import pytest

import microbp
from microbp import DomainError, Value
from microbp.core.ops import TABLE

GRID = [0.0, -0.0, 5e-324, -5e-324, 1e300, -1e300, math.inf, -math.inf, math.nan, 1.0, -2.5]


@pytest.fixture(scope="module")
def torch():
    try:
        import torch
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("torch is not installed, but it is in the test extra (pip install -e '.[test]'): "
                        "under CI=true the comparison with PyTorch must run")
        pytest.skip("torch is not installed (pip install torch==2.13.0): no comparison with PyTorch")
    torch.set_num_threads(1)
    return torch


def torch_functions(torch) -> dict:
    """Each row as PyTorch computes it; ``step`` has no autograd in PyTorch (its derivative is 0)."""
    F = torch.nn.functional
    stacked = torch.stack
    return {
        "add": torch.add, "sub": torch.sub, "mul": torch.mul, "truediv": torch.div, "pow": torch.pow,
        "neg": torch.neg, "pos": torch.positive, "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt,
        "log1p": torch.log1p, "sin": torch.sin, "cos": torch.cos, "sinh": torch.sinh, "cosh": torch.cosh,
        "tanh": torch.tanh, "sigmoid": torch.sigmoid, "softplus": F.softplus, "relu": torch.relu,
        "abs": torch.abs, "sign": torch.sign, "xlogy": torch.xlogy,
        "times": torch.mul,
        "sech": lambda x: torch_sech(torch, x),
        "max": torch.maximum, "min": torch.minimum,
        "step": lambda x: torch.heaviside(x.detach(), torch.zeros((), dtype=torch.float64)),
        "sum": lambda *xs: stacked(xs).sum(),
        "dot": lambda w, x: torch.dot(stacked([w]), stacked([x])),
        "affine": lambda w, x, b: torch.dot(stacked([w]), stacked([x])) + b,
    }


class Case(NamedTuple):
    row: object
    args: tuple
    values: tuple           # True where the operand is a Value (else a constant)


def cases():
    for row in TABLE:
        count = row.arity or {"sum": 2, "dot": 2, "affine": 3}[row.name]
        grid = GRID if count < 3 else GRID[:6] + [math.nan]
        masks = [(True,) * count] + ([(True, False), (False, True)] if count == 2 and row.arity == 2 else [])
        for args in itertools.product(grid, repeat=count):
            for mask in masks:
                yield Case(row, args, mask)


def microbp_result(case):
    """(value, [∂/∂operand for each Value operand]), or the DomainError microbp raises."""
    operands = [Value(a) if is_value else a for a, is_value in zip(case.args, case.values)]
    try:
        out = microbp.apply(case.row, operands)
    except DomainError as error:
        return error
    leaves = [x for x in operands if isinstance(x, Value)]
    grads = microbp.gradients(out, leaves)
    return out.data, [grads[x] for x in leaves]


def torch_result(torch, functions, case):
    tensors = [torch.tensor(a, dtype=torch.float64, requires_grad=is_value)
               for a, is_value in zip(case.args, case.values)]
    out = functions[case.row.name](*tensors)
    if not out.requires_grad:                   # heaviside: no autograd in PyTorch; its derivative is 0
        return out.item(), [0.0 for is_value in case.values if is_value]
    out.backward()
    return out.item(), [t.grad.item() for t, is_value in zip(tensors, case.values) if is_value]


def same(a: float, b: float) -> bool:
    """Equal as numbers (0.0 == -0.0, inf == inf), both nan, or within 1e-12 relative."""
    return a == b or (a != a and b != b) or (math.isfinite(a) and math.isfinite(b)
                                             and abs(a - b) <= 1e-12 * max(abs(a), abs(b)))


def torch_sech(torch, x):
    """PyTorch has no sech: 1/cosh near 0 (exact for tiny x), 2e^-|x|/(1 + e^-2|x|) away from it (no
    inf/inf), each branch fed only its own inputs so that no nan leaks through torch.where."""
    near = x.abs() < 1
    small = torch.where(near, x, torch.zeros_like(x))
    large = torch.where(near, torch.ones_like(x), x).abs()
    return torch.where(near, 1 / torch.cosh(small), 2 * torch.exp(-large) / (1 + torch.exp(-2 * large)))


# --- the rules: each difference from PyTorch that is microbp's convention, by name -------------

def domain(case, mine, theirs) -> bool:
    """microbp refuses what has no real value (log(x <= 0), sqrt(x < 0), log1p(x <= -1), x / 0,
    0 ** negative, negative ** fraction, xlogy(x, y <= 0)) with a DomainError; PyTorch gives inf or
    nan, or a number IEEE 754 defines: xlogy(0, y) = 0 for every y, (-inf) ** (negative fraction) = 0."""
    name, args = case.row.name, case.args
    return isinstance(mine, DomainError) and (not math.isfinite(theirs[0]) or (name == "xlogy" and args[0] == 0)
                                              or (name == "pow" and args[0] == -math.inf and theirs[0] == 0))


def nan_in_nan_out(case, mine, theirs) -> bool:
    """A nan input gives nan, never a number: the value of sign(nan), step(nan) and the derivatives of
    relu and abs at nan; PyTorch's masks turn some of these into numbers."""
    pairs = list(zip([mine[0], *mine[1]], [theirs[0], *theirs[1]]))
    return any(a != a for a in case.args) and all(same(m, t) or (m != m and t == t) for m, t in pairs)


def zero_times_anything(case, mine, theirs) -> bool:
    """Where a ** b is 0, ∂/∂b = xlogy(a ** b, a) is 0 even where log a is nan or ±inf (a < 0, a = ±inf),
    and ∂/∂a = times(b, a ** (b - 1)) is 0 where a ** (b - 1) is 0, even where b is ±inf: zero times
    anything is zero, as in the chain rule; PyTorch computes 0 · log a and inf · 0 = nan."""
    return (case.row.name == "pow" and mine[0] == 0 == theirs[0]
            and all(same(m, t) or (m == 0 and t != t) for m, t in zip(mine[1], theirs[1])))


def chain_rule_product(case, mine, theirs) -> bool:
    """times, the chain rule's product in gradient graphs, is 0 where a factor is 0, even times inf or nan
    (zero passes nothing on, as in backward); PyTorch's mul gives nan. Its derivatives are mul's."""
    return (case.row.name == "times" and 0 in case.args and mine[0] == 0 and theirs[0] != theirs[0]
            and all(map(same, mine[1], theirs[1])))


def subnormal_log1p(case, mine, theirs) -> bool:
    """log1p(x) of a subnormal x is x (log1p(x) = x - x²/2 + ...); PyTorch's CPU kernel returns 0.
    PyTorch's error, not a convention."""
    return case.row.name == "log1p" and 0 < abs(case.args[0]) < 1e-307 and mine[0] == case.args[0] and theirs[0] == 0


def equal_infinities(case, mine, theirs) -> bool:
    """max and min of two equal infinities: a tie's gradient is half each, written 0.5·(1 ± sign(a − b)),
    and ∞ − ∞ has no sign, so it is nan; PyTorch compares a == b and splits."""
    return (case.row.name in ("max", "min") and math.isinf(case.args[0]) and case.args[0] == case.args[1]
            and same(mine[0], theirs[0]) and all(g != g for g in mine[1]))


RULES = [domain, nan_in_nan_out, zero_times_anything, chain_rule_product, subnormal_log1p, equal_infinities]


def agrees(mine, theirs) -> bool:
    return not isinstance(mine, DomainError) and same(mine[0], theirs[0]) and all(map(same, mine[1], theirs[1]))


def test_every_row_at_the_edges_matches_pytorch_or_a_named_rule(torch):
    functions = torch_functions(torch)
    assert set(functions) == {row.name for row in TABLE}, "a new row needs its PyTorch counterpart here"
    used, unexplained, count = {rule.__name__: 0 for rule in RULES}, [], 0
    for case in cases():
        mine, theirs = microbp_result(case), torch_result(torch, functions, case)
        count += 1
        if agrees(mine, theirs):
            continue
        rule = next((rule for rule in RULES if (rule is domain) == isinstance(mine, DomainError)
                     and rule(case, mine, theirs)), None)
        if rule is None:
            unexplained.append(f"{case.row.name}{case.args} values={case.values}: microbp {mine}, PyTorch {theirs}")
        else:
            used[rule.__name__] += 1
    assert not unexplained, f"{len(unexplained)} of {count} cases differ from PyTorch with no rule:\n" + \
        "\n".join(unexplained[:60])
    assert all(used.values()), f"a rule no case needs (remove it, or the grid lost its case): {used}"


@pytest.mark.parametrize("method", ["relu", "abs"])
def test_kinks_at_zero_agree_with_pytorch(torch, method):
    """relu'(0) = abs'(0) = 0 in both: a convention microbp shares with PyTorch, not a difference."""
    for zero in (0.0, -0.0):
        x = Value(zero)
        getattr(x, method)().backward()
        t = torch.tensor(zero, dtype=torch.float64, requires_grad=True)
        getattr(torch, method)(t).backward()
        assert x.grad == t.grad.item() == 0.0


def test_zero_times_anything_through_the_chain_rule(torch):
    """sqrt(x) * 0 at x = 0: the product's derivative by sqrt(x) is 0, so nothing flows to sqrt'(0) = inf;
    PyTorch multiplies 0 by inf and gets nan. microbp's 0 is the exact derivative of the constant 0."""
    x = Value(0.0)
    (x.sqrt() * 0.0).backward()
    t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    (torch.sqrt(t) * 0.0).backward()
    assert x.grad == 0.0 and math.isnan(t.grad.item())


def test_the_gradients_own_nan_conventions():
    """Three places where a formula meets nan or inf and the chain rule's zero makes the answer exact."""
    b = Value(2.0)
    (Value(0.0) ** b).backward()
    assert b.grad == 0.0                                   # ∂(0 ** b)/∂b = 0 for b > 0, not 0 · log 0
    x = Value(-2.0)
    (x ** x.relu()).backward()
    assert x.grad == 0.0                                   # x ** relu(x) = x ** 0 = 1 for x < 0
    tiny = Value(5e-324)
    (tiny.log().relu() + tiny).backward()
    assert tiny.grad == 1.0                                # log 5e-324 < 0: relu passes nothing of 1/x = inf
