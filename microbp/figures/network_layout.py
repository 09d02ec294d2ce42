"""The network view's ranks and spacing: the layers' order, the gaps between them, the graph's attributes.

The gaps are fixed in points, not in type sizes, and small: the circles and the weights'
labels already keep the text apart, and every point of width the drawing saves is type
a slide shows larger.

>>> graph_attributes({"background": "white", "fontname": "Helvetica", "text": "black", "fontsize": 18},
...                  "LR", None, None)["ranksep"]
'0.25'
"""

from __future__ import annotations

from .labels import label_text

RANKSEP, NODESEP = "0.25", "0.1"     # inches between layers, and between the circles of a layer
LABELS_RANKSEP = "0.125"             # between ranks where the weights' labels stand in a rank of their own


def widest_rank(network) -> int:
    """The most circles a rank has: the inputs, or a layer's units and its bias's ``1``."""
    return max([len(network.inputs)] + [len(layer) + 1 for layer in network.layers])


def keep_in_order(dot, names: list) -> None:
    """Invisible edges that keep the nodes of a rank in the network's order."""
    for tail, head in zip(names, names[1:]):
        dot.edge(tail, head, style="invis")


def label_on_its_edge(dot, names: tuple, label: str, attributes: dict, row: str, after) -> None:
    """A weight's label as a node on its edge (``names``: the tail, the label's node, the head): the edge runs
    into it and on to the head, so the label stands where its own edge passes. The labels of a layer stand in
    one rank, ``row``, each right of the label node ``after`` (``None``: the first); labels as nodes, the ranks
    keep the gaps Graphviz gives labels on edges (half ``RANKSEP``: the text is not smaller on screen)."""
    tail, name, head = names
    if after is None:
        dot.attr(ranksep=LABELS_RANKSEP)
    with dot.subgraph(name=row) as rank:
        rank.attr(rank="same")
        rank.node(name, label, shape="plaintext", margin="0", width="0", height="0")
        if after:
            rank.edge(after, name, style="invis")
    dot.edge(tail, name, arrowhead="none", **attributes)
    dot.edge(name, head, **attributes)


def graph_attributes(style, rankdir, title, size) -> dict:
    """The graph's attributes: the direction, the theme's colours and type, the spacing, a title under it."""
    attributes = {"rankdir": rankdir, "bgcolor": style["background"], "fontname": style["fontname"],
                  "fontcolor": style["text"], "nodesep": NODESEP, "ranksep": RANKSEP, "newrank": "true",
                  "forcelabels": "true"}
    if size is not None:
        attributes["size"] = "{:g},{:g}".format(*size)
    if title:
        attributes.update(label=f"<{label_text(title)}>", labelloc="b",
                          fontsize=f"{style['fontsize'] + 2:g}")
    return attributes
