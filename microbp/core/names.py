"""Fresh names: the one place microbp makes up a name, so a node is called the same everywhere.

Figures, captions, ``to_sympy``, ``to_text`` and generated code all name an
unlabelled leaf by ``leaf_names`` (``x0``, ``x1``, ... in the graph's order),
and every other made-up name comes from a ``FreshNames``: ``prefix`` and a
counter (``v1``, ``t3``), or a base and a suffix (``w``, ``w_2``), never one
already taken. Each name costs O(1) on average, however many are made.

>>> names = FreshNames(avoid={"v1"})
>>> names.fresh("v"), names.fresh("v"), names.distinct("w"), names.distinct("w")
('v2', 'v3', 'w', 'w_2')
"""

from __future__ import annotations

LEAF_PREFIX = "x"
"""Unlabelled leaves are ``x0``, ``x1``, ...: in figures, captions, sympy, text and generated code."""
LEAF_START = 0


class FreshNames:
    """Hands out distinct names, skipping ``avoid`` (names it must never give, such as labels
    in use or reserved words) and every name it gave before.

    ``fresh(prefix)`` gives ``prefix`` and the next number; ``distinct(base)`` gives ``base``
    itself if it is free, else ``base_2``, ``base_3``, ... Counters persist, so a
    thousand names cost a thousand steps, not a million.
    """

    def __init__(self, avoid=(), given=()):
        self.avoid = set(avoid)
        self.given = set(given)
        self.counters: dict[str, int] = {}
        self.suffixes: dict[str, int] = {}

    def taken(self, name: str) -> bool:
        return name in self.given or name in self.avoid

    def take(self, name: str) -> str:
        """Mark ``name`` as given (by its label, say) and return it."""
        self.given.add(name)
        return name

    def fresh(self, prefix: str, start: int = 1) -> str:
        """The next ``prefix{n}`` (n from ``start``) that is neither avoided nor given.

        >>> names = FreshNames(avoid={"x0"}); names.fresh("x", start=0), names.fresh("x", start=0)
        ('x1', 'x2')
        """
        number = self.counters.get(prefix, start)
        while self.taken(f"{prefix}{number}"):
            number += 1
        self.counters[prefix] = number + 1
        return self.take(f"{prefix}{number}")

    def distinct(self, base: str, avoiding_all: bool = False) -> str:
        """``base``, or ``base_2``, ``base_3``, ..., whichever is not given yet (nor avoided, with
        ``avoiding_all``: a label may be its own name, a suffixed one must not be anyone's label).

        >>> names = FreshNames(avoid={"w_2"}); names.distinct("w"), names.distinct("w")
        ('w', 'w_3')
        """
        name = base
        taken = self.taken if avoiding_all else self.given.__contains__
        if taken(name):
            suffix = self.suffixes.get(base, 2)
            while self.taken(f"{base}_{suffix}"):
                suffix += 1
            self.suffixes[base] = suffix + 1
            name = f"{base}_{suffix}"
        return self.take(name)


def leaf_names(order) -> dict:
    """A distinct name for every leaf in ``order``: its label, else ``x0``, ``x1``, ...

    A label used by two different leaves gets a suffix (``w``, ``w_2``), so a
    name always means one leaf (sympy would otherwise merge them).

    >>> from microbp import Value
    >>> a, b, c = Value(1.0, label="w"), Value(2.0, label="w"), Value(3.0)
    >>> list(leaf_names([a, b, c]).values())
    ['w', 'w_2', 'x0']
    """
    leaves = [node for node in dict.fromkeys(order) if node.op is None]
    names = FreshNames(avoid={leaf.label for leaf in leaves if leaf.label})
    return {leaf: names.distinct(leaf.label) if leaf.label else names.fresh(LEAF_PREFIX, LEAF_START)
            for leaf in leaves}
