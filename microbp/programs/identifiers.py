"""Variable names for generated code: from labels where that is safe, generated otherwise.

A label becomes a name only as a safe identifier: ASCII letters, digits and
``_`` (so no look-alike letters), not a keyword, a builtin, a name of the
table's functions or one the generated code uses itself. A label made of such
words joined by dots, spaces or arithmetic gives its words joined by ``_``.
Nothing else of a label reaches generated code.

>>> from microbp import Value
>>> names = Names()
>>> a, b, c = Value(1.0, label="L1.N1.w1"), Value(2.0, label="print('hi')"), Value(3.0, label="L1.N1.w1")
>>> names.add([a, b, c]); [names.value[v] for v in (a, b, c)], names.of_grad(a)
(['L1_N1_w1', 'x1', 'L1_N1_w1_2'], 'grad_L1_N1_w1')
"""

from __future__ import annotations

import builtins
import keyword
import re

from ..core.names import LEAF_PREFIX, FreshNames, leaf_names
from ..runtime import NAMES

SAFE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
"""What a label must look like to become a name: ASCII only, so no look-alike letters."""
WORDS = re.compile(r"[A-Za-z0-9_]+(?:[ .·+×*/-]+[A-Za-z0-9_]+)*")
"""A label of words that ``name_from`` joins into a name: ``L1.N1.w1``, ``x1·w1 + x2·w2``."""
INTERNAL = {"wrt", "inputs", "rows", "seed", "losses", "part", "tangents"}
RESERVED = (set(keyword.kwlist) | set(keyword.softkwlist) | set(dir(builtins)) | set(NAMES) | INTERNAL)


def is_safe(label) -> bool:
    """Whether a label can be a variable name as it is.

    >>> [is_safe(s) for s in ("w1", "x1·w1", "import", "__import__", "ｘ", "len", "a\\nb")]
    [True, False, False, False, False, False, False]
    """
    return isinstance(label, str) and SAFE_NAME.fullmatch(label) is not None and label not in RESERVED


def name_from(label) -> str | None:
    """The name a label gives: itself when it is safe; else, for a label of ASCII words joined
    by dots, spaces and arithmetic (``L1.N1.w1``, ``x1·w1 + x2·w2``), its words joined by
    ``_`` when that is safe; else none (the node gets a generated name). A label with
    anything else in it (quotes, brackets, a newline, a letter outside ASCII) gives none.

    >>> name_from("w1"), name_from("L1.N1.w1"), name_from("x1·w1 + x2·w2"), name_from("ｘ"), name_from("len")
    ('w1', 'L1_N1_w1', 'x1_w1_x2_w2', None, None)
    >>> name_from("print(w)"), name_from("import os")
    (None, 'import_os')
    """
    if not isinstance(label, str):
        return None
    if is_safe(label):
        return label
    if not WORDS.fullmatch(label):
        return None
    base = "_".join(re.findall(r"[A-Za-z0-9]+", label))
    return base if is_safe(base) else None


class Names:
    """A distinct, safe variable name for every node, and one for its gradient.

    Names from labels (``name_from``) are taken first come, first served, a
    label used again with a suffix (``w_2``). An unlabelled leaf is named as
    everywhere else (``x0``, ``x1``, ... by ``core.names.leaf_names``); every
    other node gets ``x``/``v`` and a number (leaves, computed nodes), skipping
    names already taken. Gradients are ``grad_`` and the node's name; tangents
    (forward mode) ``tangent_`` and it.
    """

    def __init__(self):
        self.names = FreshNames(avoid=RESERVED)
        self.value, self.grad, self.tangent = {}, {}, {}

    @property
    def variables(self) -> set:
        """Every name given out: what generated code assigns."""
        return self.names.given

    def add(self, order) -> None:
        """Name the nodes of ``order`` not named yet: from their labels, then generated names.

        Unlabelled leaves are numbered in the order of their *last* occurrence, so that for
        ``wrt + inputs + graph.order`` they are named as the graph names them.
        """
        order = list(order)
        new = [node for node in dict.fromkeys(order) if node not in self.value]
        for node in new:
            base = name_from(node.label)
            if base is not None and is_safe(name := self.names.distinct(base, avoiding_all=True)):
                self.value[node] = name
        usual = leaf_names(list(dict.fromkeys(reversed(order)))[::-1])   # as every other view names leaves
        for node in new:
            name = usual.get(node)
            if node.label is None and name is not None and not self.names.taken(name):
                self.value[node] = self.names.take(name)
        for node in new:
            if node not in self.value:
                self.value[node] = self.fresh(LEAF_PREFIX if node.op is None else "v")

    def fresh(self, prefix: str) -> str:
        """The next unused ``prefix1``, ``prefix2``, ... (``t`` for temporaries)."""
        return self.names.fresh(prefix)

    def of_grad(self, node) -> str:
        """``grad_`` and the node's name (with a suffix if that is taken)."""
        return self._derived(node, "grad_", self.grad)

    def of_tangent(self, node) -> str:
        """``tangent_`` and the node's name (with a suffix if that is taken): its speed in forward mode."""
        return self._derived(node, "tangent_", self.tangent)

    def _derived(self, node, prefix: str, given: dict) -> str:
        if node not in given:
            given[node] = self.names.distinct(prefix + self.value[node], avoiding_all=True)
        return given[node]
