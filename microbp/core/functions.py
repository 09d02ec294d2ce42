"""The table's operations as module-level functions: ``microbp.tanh(x)``, ``microbp.dot(w, x)``.

One function per row that is called by name (not the operators): it takes
Values or numbers, and gives a node, or a float when every operand is a
number. The n-ary rows take lists, as their ``shape`` says:
``sum(values)``, ``dot(weights, inputs)``, ``affine(weights, inputs, bias)``.

>>> from microbp import Value
>>> tanh(0.0), tanh(Value(0.0)).op.name
(0.0, 'tanh')
>>> total = sum([Value(1.0), Value(2.0), 3.0]); total.data, len(total.parents)
(6.0, 3)
"""

from __future__ import annotations

from .engine import Value, apply, weighted_sum
from .ops import TABLE, Op


def _function(row: Op):
    """The module-level form of a row: takes Values or numbers (numbers alone give a float)."""
    if row.arity is not None:
        def function(*operands):
            return apply(row, operands)
    elif is_weighted_sum(row):                  # a neuron's weighted sum: the engine's fast path
        count = sum(row.shape)

        def function(*groups):
            if len(groups) == count:
                try:
                    return weighted_sum(row, *groups)
                except TypeError:
                    _check_lists(row, groups)   # says what is wrong, if it is the lists
                    raise
            _check_lists(row, groups)
    else:
        def function(*groups):
            _check_lists(row, groups)
            lists = row.shape[0]
            operands = [x for group in groups[:lists] for x in group] + list(groups[lists:])
            return apply(row, operands) if operands else 0.0
    function.__name__ = function.__qualname__ = row.name
    function.__doc__ = f"{row.doc}\n\n{_example(row)}"
    return function


def is_weighted_sum(row: Op) -> bool:
    """Whether a row takes weights and inputs (and maybe a bias): Σ wᵢ·xᵢ (+ b), told by its ``shape``.

    These rows are built by ``engine.weighted_sum``, a test holding its numbers equal to the rows'.

    >>> [row.name for row in TABLE if is_weighted_sum(row)]
    ['dot', 'affine']
    """
    return row.shape is not None and row.shape[0] == 2 and row.shape[1] <= 1


def _check_lists(row: Op, groups: tuple) -> None:
    """A TypeError naming the row unless ``groups`` are its lists (then its single operands)."""
    lists, singles = row.shape
    written = f"write {row.name}({', '.join(['[...]'] * lists + ['b'] * singles)})"
    if len(groups) != lists + singles:
        raise TypeError(f"{row.name}: takes {lists} list(s)" + (f" and {singles} more" if singles else "")
                        + f", got {len(groups)} arguments; {written}")
    for group in groups[:lists]:
        if isinstance(group, (Value, str, bytes)) or not hasattr(group, "__iter__"):
            raise TypeError(f"{row.name}: takes lists of Values or numbers, got {group!r}; {written}")


def _example(row: Op) -> str:
    """A doctest for the generated function: it makes a node of this row."""
    if row.arity is None:
        lists, singles = row.shape
        args = ", ".join(["[Value(0.5), Value(2.0)]"] * lists + ["Value(1.0)"] * singles)
    else:
        args = ", ".join(["Value(0.5)"] * row.arity)
    return f"    >>> {row.name}({args}).op.name\n    {row.name!r}\n"


PUBLIC_FUNCTIONS = {row.name: _function(row) for row in TABLE if row.notation.form in ("call", "lists")}
"""name -> the public function of every row called by name (``microbp.tanh``): Values in, a node out."""

globals().update(PUBLIC_FUNCTIONS)
__all__ = list(PUBLIC_FUNCTIONS)
