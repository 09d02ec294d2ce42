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
