"""One name per node, the same in the figure and in the captions.

A leaf is named as ``Graph.names`` names it (its label, else ``x0``, ``x1``, ...);
a computed node by its label; an unlabelled computed node gets a short
generated name, ``v1``, ``v2``, ... in forward order (``f`` for an unlabelled
root), which the figure shows in its box too, so no caption names what the
picture does not. A name used twice gets a suffix (``n``, ``n_2``).

>>> from microbp import Value, Graph
>>> x = Value(2.0, label="x"); w = Value(-3.0, label="w")
>>> n = x * w + 1; n.label = "n"
>>> list(node_names(Graph(n.tanh())).values())
['x', 'w', 'v1', 'n', 'f']
"""

from __future__ import annotations

import re
import unicodedata

from ..core.names import FreshNames

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def node_names(graph) -> dict:
    """node -> a distinct, short name for every node of ``graph`` (see the module's docstring)."""
    names = dict(graph.names)
    labels = {node.label for node in graph.computed if node.label}
    fresh = FreshNames(avoid=set(names.values()) | labels, given=names.values())
    for node in graph.computed:
        if node.label:
            names[node] = fresh.distinct(node.label)
        elif node is graph.root and not fresh.taken("f"):
            names[node] = fresh.take("f")
        else:
            names[node] = fresh.fresh("v")
    return names


def indexed(letter: str, *indices: int) -> str:
    """A name with subscript indices, as textbooks write them; a comma when an index has two digits.

    >>> indexed("w", 3, 5), indexed("w", 12, 3), indexed("y", 0)
    ('w₃₅', 'w₁₂,₃', 'y₀')
    """
    separator = "," if any(index > 9 for index in indices) else ""
    return letter + separator.join(str(index) for index in indices).translate(SUBSCRIPTS)


DOT_ABOVE = "\u0307"        # combining: Newton's dot, joined to the letter before it (x + ̇ = ẋ)


def dotted(name: str) -> str:
    """The name of a tangent (forward mode's ṅ): a dot over the letter of a letter-and-index name,
    else ``˙`` after the name in parentheses.

    >>> dotted("x₃"), dotted("w13"), dotted("v1"), dotted("E"), dotted("loss"), dotted("(a.b)")
    ('ẋ₃', 'ẇ13', 'v̇1', 'Ė', '(loss)˙', '(a.b)˙')
    """
    if re.fullmatch(r"[^\W\d_][0-9₀-₉,_]*", name):
        return unicodedata.normalize("NFC", name[0] + DOT_ABOVE + name[1:])
    return (name if name.startswith("(") and name.endswith(")") else f"({name})") + "\u02d9"
