"""A number with its noun, in the plural when there are several: ``3 units``.

>>> count(1, "operation"), count(3, "parameter"), count(0, "unit")
('1 operation', '3 parameters', '')
"""


def count(n: int, noun: str) -> str:
    """``1 operation``, ``3 operations``; nothing for none."""
    return "" if n == 0 else f"{n} {noun}" + ("s" if n > 1 else "")
