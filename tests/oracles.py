"""The oracles the tests trust: sympy, and central finite differences.

``PUBLIC`` maps each table row to the public way a user calls it
(``operator.mul`` for ``a * b``, ``microbp.tanh`` for ``tanh``), so tests built
from the table exercise what users type, not the internals.
"""

import math
import operator

import sympy

import microbp
from microbp.core.ops import TABLE

PUBLIC = {row.name: getattr(operator, row.name, None) or getattr(microbp, row.name) for row in TABLE}


def sympy_value(expr, point: dict) -> complex:
    """``expr`` evaluated exactly at ``point`` (symbol -> float), to 30 digits; nan where sympy cannot
    say (a DiracDelta at 0, say)."""
    exact = {symbol: sympy.Float(value, 30) for symbol, value in point.items()}
    try:
        return complex(sympy.N(expr.subs(exact), 30))
    except TypeError:
        return complex(math.nan)


def real_throughout(expr, point: dict) -> bool:
    """True when every subexpression of ``expr`` is a finite real number at ``point``.

    Where one is not (log of a negative number, times 0), sympy's complex answer
    may be finite and real, but the real function has no derivative there.
    """
    for sub in sympy.preorder_traversal(expr):
        if isinstance(sub, sympy.Expr) and not finite_real(sympy_value(sub, point)):
            return False
    return True


def close(engine: float, exact: float, rel: float = 1e-9) -> bool:
    """Agreement to ``rel`` relative, or absolute near zero."""
    return math.isclose(engine, exact, rel_tol=rel, abs_tol=rel)


def central_difference(f, point: list, index: int, h: float = 1e-6):
    """(f(x + h) - f(x - h)) / 2h in coordinate ``index``; None at a kink (one-sided slopes differ)."""
    up, down = list(point), list(point)
    up[index] += h
    down[index] -= h
    high, here, low = f(*up), f(*point), f(*down)
    if not math.isclose((high - here) / h, (here - low) / h, rel_tol=1e-3, abs_tol=1e-4):
        return None
    return (high - low) / (2 * h)


def call_public(row, args):
    """Apply ``row`` to ``args`` the way a user would (``a * b``, ``microbp.dot(w, x)``)."""
    if row.arity is not None:
        return PUBLIC[row.name](*args)
    lists, singles = row.groups(list(args))
    return PUBLIC[row.name](*lists, *singles)


def operand_counts(row) -> list:
    """How many operands ``row`` can take: its arity, or a few sizes an n-ary row accepts."""
    if row.arity is not None:
        return [row.arity]
    lists, singles = row.shape
    return [lists * n + singles for n in ((2, 4, 6) if lists == 1 else (1, 2, 3))]


def finite_real(z: complex) -> bool:
    """True for a finite real number (sympy's zoo, nan and complex values are not)."""
    return math.isfinite(z.real) and math.isfinite(z.imag) and abs(z.imag) < 1e-12


def rebuilt_by_engine(root, replaced=None):
    """The graph of ``root`` made again node by node with ``apply``, in topological order (leaves
    replaced as given; nodes of gradient graphs inside derivative formulas): {old node: new node},
    or the DomainError the engine raises on the way."""
    from microbp.core.autodiff import made_by_gradients
    from microbp.core.engine import apply, derivative_formulas
    from microbp.core.graph import topological_order
    from microbp.errors import DomainError

    made = {}
    try:
        for node in topological_order(root):
            if node.op is None:
                made[node] = (replaced or {}).get(node, node)
                continue
            operands = [p if type(p) is float else made[p] for p in node.parents]
            if made_by_gradients(node):
                with derivative_formulas():
                    made[node] = apply(node.op, operands)
            else:
                made[node] = apply(node.op, operands)
    except DomainError as error:
        return error
    return made

