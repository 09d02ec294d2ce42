"""How a unit's net input splits into weights, inputs and a bias; local derivatives between drawn values.

What kind of sum or product a row is, is read off the table, not its name:
a row with two lists of operands (``dot``, ``affine``) is a weighted sum; a
row whose every local derivative is 1 adds; a row of two operands whose
derivatives are each other (``∂(a·b)/∂a = b``) multiplies.

>>> from microbp import OPS
>>> [row_kind(OPS[name]) for name in ("affine", "add", "sum", "mul", "tanh")]
['weighted', 'sum', 'sum', 'product', None]
"""

from __future__ import annotations

from functools import lru_cache

from ..core.graph import chain_rule
from ..core.ops import FLOATS
from ..errors import NotANetworkError
from ..text.notation import Style, Written, number, text_interpreter, write


@lru_cache(maxsize=None)
def row_kind(row) -> str | None:
    """``"weighted"``, ``"sum"``, ``"product"`` or None, from the row's shape and derivatives."""
    if row.shape is not None and row.shape[0] == 2:
        return "weighted"
    probe = (2.0, 3.0) if row.arity == 2 else (2.0,) * (row.arity or 3)
    grads = row.grads(FLOATS, row.forward(*probe), *probe)
    if all(g == 1.0 for g in grads):
        return "sum"
    if row.arity == 2 and grads == (3.0, 2.0) and row.forward(*probe) == 6.0:
        return "product"
    return None


def connections(unit, outputs: set, shared: set) -> tuple:
    """([(source, weight)], bias or None) of ``unit``'s net input: the nodes, not yet named."""
    members = set(unit.nodes) - ({unit.y} if not unit.linear else set())
    pairs, biases, queue = [], [], [unit.x]
    for node in queue:                          # grows while it is read: the sums' operands
        kind = row_kind(node.op)
        if kind == "weighted":
            lists, singles = node.op.groups(list(node.parents))
            pairs += list(zip(*lists))
            biases += singles
        elif kind == "sum":
            for p in node.parents:
                if type(p) is not float and p in members:
                    queue.append(p)
                elif _source_score(p, outputs, shared) > 0:
                    pairs.append((1.0, p))      # an input added as it is: weight 1
                else:
                    biases.append(p)
        elif kind == "product" and not any(p in members for p in node.parents if type(p) is not float):
            pairs.append(_weight_and_source(*node.parents, outputs=outputs, shared=shared))
        else:
            raise NotANetworkError(f"view='network': the net input of the unit in scope {'/'.join(unit.path)!r} "
                                   f"is not a weighted sum (it uses {node.op.name}); write it as "
                                   "affine(w, x, b), dot(w, x) or a sum of w * x")
    if len(biases) > 1:
        raise NotANetworkError(f"view='network': the unit in scope {'/'.join(unit.path)!r} adds "
                               f"{len(biases)} values that are not weighted inputs; a unit has one bias")
    return [(source, weight) for weight, source in pairs], (biases[0] if biases else None)


def _source_score(p, outputs: set, shared: set) -> int:
    """How surely ``p`` is an input rather than a weight: another unit's output, a number, a shared value."""
    if type(p) is float:
        return 2 if id(p) in shared else 1
    if p in outputs:
        return 3
    if p in shared:
        return 1
    return -1 if (p.label or "").startswith("w") else 0


def _weight_and_source(a, b, outputs: set, shared: set) -> tuple:
    """(weight, input) of a product; the first operand is the weight when nothing else tells."""
    return (b, a) if _source_score(a, outputs, shared) > _source_score(b, outputs, shared) else (a, b)


class _Name(Written):
    """A drawn value's name in a formula: ``y ** 1`` and ``1 × y`` are written ``y``."""

    __slots__ = ()

    def __pow__(self, other):
        return self if other == 1 else Written.__pow__(self, other)

    def __mul__(self, other):
        return self if other == 1 else Written.__mul__(self, other)

    def __rmul__(self, other):
        return self if other == 1 else Written.__rmul__(self, other)


def _times(local, upstream):
    """One chain-rule factor times the next, as text: numbers multiplied, factors of 1 left out."""
    if type(local) is float and type(upstream) is float:
        return local * upstream
    if type(upstream) is float and upstream == 1:
        return local
    if type(local) is float and local == 1:
        return upstream
    return local * upstream


def region_partials(top, region: list, names: dict, number_format: str) -> dict:
    """(top, node) -> (formula, number): ∂top/∂node for the drawn values below ``region``.

    ``region`` holds the nodes between (in topological order, ``top`` last);
    ``names`` names the drawn values (a shared float by its ``id``); the
    other nodes of the region are written out as their formulas.
    """
    style = Style(False, number_format)
    written = {}

    def text(p):
        if type(p) is float:
            return _Name(names[id(p)], style=style) if id(p) in names else p
        if p in names:
            return _Name(names[p], style=style)
        return written[p]

    for node in region:
        formula = write(node.op, [text(p) for p in node.parents], style)
        written[node] = _Name(formula.parts, formula.precedence, style)
    interpreter = text_interpreter(style)
    numbers = chain_rule(region, top, 1.0, lambda node: node.local_grads)
    try:
        texts = chain_rule(region, top, 1.0, lambda node: node.op.grads(interpreter, text(node),
                                                                        *map(text, node.parents)),
                           zero=None, product=_times)
    except ArithmeticError:                     # a formula that divides by a constant 0: numbers only
        texts = numbers
    inside = set(region)                        # a zero derivative is a result too: the number chain skips it
    return {(top, node): (str(text) if isinstance(text, Written) else str(number(text, style)),
                          numbers.get(node, 0.0))
            for node, text in texts.items() if node not in inside}


def region_formula(region: list, names: dict, style: Style, numbers: bool = False) -> str:
    """The last node of ``region`` written out over the drawn values: by name, or by number.

    The nodes in between are written as their formulas, from the table (``w₁₃ × y₁ + w₂₃ × y₂``).
    """
    written = {}

    def text(p):
        if type(p) is float:
            if id(p) in names:
                return number(p, style) if numbers else Written(names[id(p)], style=style)
            return p
        if p in written:
            return written[p]
        return number(p.data, style) if numbers else Written(names[p], style=style)

    for node in region:
        written[node] = write(node.op, [text(p) for p in node.parents], style)
    return str(written[region[-1]])
