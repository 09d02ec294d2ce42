"""A network's names in the lecturer's notation: the walkthrough's, the textbook's, or the user's own labels.

=============  ======  =========  ======  ========  ====  ======
notation       input   net input  output  weight    bias  loss
=============  ======  =========  ======  ========  ====  ======
walkthrough    y₀      x₃         y₃      w₀₃       b₃    E
textbook       x₀      z₃         a₃      w₀₃       b₃    L
labels         the user's label where there is one, else the textbook's
=============  ======  =========  ======  ========  ====  ======

The figure and the captions read the same names, so both change together.
Labels that ``microbp.nn`` gives its parameters (``L1.N1.w1``) are not the
user's: there the textbook's names stand.

>>> from microbp import Value, scope
>>> x = Value(1.0, label="x"); w = Value(0.5, label="w"); b = Value(0.1, label="b")
>>> with scope("neuron"):
...     z = w * x + b; z.label = "z"
...     a = z.sigmoid(); a.label = "a"
>>> from microbp.network.model import Network
>>> net = Network.of(a)
>>> [net.name(node) for node in (x, w, b, z, a)]
['y₀', 'w₀₁', 'b₁', 'x₁', 'y₁']
>>> use_notation(net, "labels"); [net.name(node) for node in (x, w, b, z, a)]
['x', 'w', 'b', 'z', 'a']
>>> use_notation(net, "textbook"); [net.name(node) for node in (x, w, b, z, a)]
['x₀', 'w₀₁', 'b₁', 'z₁', 'a₁']
"""

from __future__ import annotations

import re

from ..text.naming import indexed

LETTERS = {
    "walkthrough": {"input": "y", "net": "x", "output": "y", "loss": "E", "target": "t"},
    "textbook": {"input": "x", "net": "z", "output": "a", "loss": "L", "target": "y"},
}
LETTERS["labels"] = LETTERS["textbook"]
NOTATIONS = tuple(LETTERS)          # the presets, as an error lists them
GENERATED = re.compile(r"L\d+\.N\d+\.")       # microbp.nn's parameter labels: not the user's


def check_notation(caller: str, notation) -> None:
    """Refuse a notation that is not one of ``NOTATIONS``, listing them.

    >>> check_notation("draw", "greek")
    Traceback (most recent call last):
      ...
    ValueError: draw: notation must be one of 'walkthrough', 'textbook', 'labels', got 'greek'
    """
    if not isinstance(notation, str) or notation not in NOTATIONS:
        raise ValueError(f"{caller}: notation must be one of {', '.join(map(repr, NOTATIONS))}, got {notation!r}")


def target_letter(notation: str) -> str:
    """The letter of a target: ``t`` where the outputs are ``y``, ``y`` where they are ``a``."""
    return LETTERS[notation]["target"]


def use_notation(network, notation: str) -> None:
    """Name ``network``'s inputs, units, weights and loss in ``notation`` (one of ``LETTERS``)."""
    letters, own = LETTERS[notation], notation == "labels"

    def label(node, fallback: str) -> str:
        text = getattr(node, "label", "") if type(node) is not float else ""
        return text if own and text and not GENERATED.match(text) else fallback

    for item in network.inputs:
        item.name = label(item.node, indexed(letters["input"], item.index))
    for weight in network.weights:
        source = "" if weight.source is None else weight.source.index
        fallback = (indexed("w", source, weight.unit.index) if weight.source is not None
                    else indexed("b", weight.unit.index))
        weight.name = label(weight.node, fallback)
    if network.loss:
        default = network.graph.root.label if notation == "walkthrough" else ""
        network.loss.name = label(network.loss.node, default or letters["loss"])
    network.names = network.renamed({unit: (label(unit.x, indexed(letters["net"], unit.index)),
                                            label(unit.y, indexed(letters["output"], unit.index)))
                                     for unit in network.units})
    network.__dict__.pop("partials", None)      # computed from the names: computed again
