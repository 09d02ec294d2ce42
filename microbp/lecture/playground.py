"""micrograd's demo, live: a classifier of 2-D points trains in the browser, its decision boundary redrawn.

``playground(model, points, labels, path)`` writes one offline HTML page. The
training step is the compiled program of one example (``microbp.compile``'s
idea): one example's margin, relu(1 − y·model(x)), as JavaScript
(``microbp.programs.javascript``), run over the points of a batch, the mean
taken, plus ``l2`` · Σ p²; then the optimizers' update rules as JavaScript
(``microbp.update_rules``), with the learning rate decaying linearly
(``LinearLR``). With the whole data as the batch and SGD this is
``examples/moons.py``'s training step for step.

The page's script API, on the global ``playground``::

    playground.step()          // one training step; returns {loss, accuracy}
    playground.train(100)      // steps, as fast as it can; returns the last {loss, accuracy}
    playground.weights()       // the parameters, in model.parameters() order
    playground.settings        // {lr, optimizer, l2, endFactor, totalIters, batch}: change, then reset()
    playground.reset()         // the weights as written

Opening the page at ``#train=100`` trains 100 steps first.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

from ..core.engine import Value
from ..core.graph import Graph
from ..text.javascript import script_json
from .live import asset, head, optimizer_options, script_start

SETTINGS = {"lr": 1.0, "optimizer": "sgd", "l2": 1e-4, "endFactor": 0.1, "totalIters": 100, "batch": 0}
"""The page's first settings: micrograd's demo (batch 0: every point, each step)."""


def example_margin(model, x1: float = 0.0, x2: float = 0.0, y: float = 1.0):
    """(one example's margin relu(1 − y·model([x1, x2])), its inputs x1, x2, y, the model's score)."""
    x1, x2, label = Value(x1, label="x1"), Value(x2, label="x2"), Value(y, label="y")
    score = model([x1, x2])
    if not isinstance(score, Value):
        raise TypeError("playground: model([x1, x2]) must give one Value, the score; make the last layer one unit")
    score.label = "score"
    margin = (1 - label * score).relu()
    margin.label = "margin"
    return margin, (x1, x2, label), score


def playground(model, points, labels, path, title: str | None = None, example_page: bool = True) -> str:
    """Write the playground of ``model`` (``microbp.nn.MLP(2, [..., 1])``) on 2-D ``points`` with labels ±1.

    With ``example_page``, also writes the live page (``microbp.live``) of the
    first example's margin beside it (``NAME-example.html``) and links to it.
    Returns the path.

    >>> import os, tempfile, random
    >>> from microbp.nn import MLP
    >>> random.seed(0)
    >>> folder = tempfile.mkdtemp()
    >>> path = playground(MLP(2, [4, 1]), [[0.0, 1.0], [1.0, 0.0]], [1, -1], os.path.join(folder, "p.html"))
    >>> "const playground = " in open(path).read(), sorted(os.listdir(folder))
    (True, ['p-example.html', 'p.html'])
    """
    from ..files import html_file, write_atomically
    from ..programs.javascript import javascript_graph
    from ..update_rules.javascript import javascript

    path = html_file(path, "playground", "playground.html")
    rows = _rows(points, labels)
    margin, inputs, score = example_margin(model)
    facts = {"points": rows, **_slots(list(model.parameters()), margin, inputs, score), "settings": SETTINGS}
    link = _example_page(model, rows[0], path) if example_page else ""
    script = (script_start("playground") + javascript("linear_lr") + f"\nconst margin = {javascript_graph(margin)};\n"
              + f"const scorer = {javascript_graph(score)};\nconst facts = {script_json(facts)};\n"
              + asset("playground.js") + "})();\n")
    write_atomically(path, _page(html.escape(title or "Playground: an MLP learns the two moons"), link,
                                 script).encode("utf-8"), "playground")
    return str(path)


def _slots(parameters: list, margin: Value, inputs: tuple, score: Value) -> dict:
    """Where each parameter and input sits among the leaves of the margin's and the score's programs."""
    slots = {id(leaf): i for i, leaf in enumerate(Graph(margin).leaves)}
    missing = [i for i, p in enumerate(parameters) if id(p) not in slots]
    if missing or any(id(x) not in slots for x in inputs):
        raise ValueError(f"playground: model.parameters()[{missing[0] if missing else ''}] does not reach the "
                         "score; every parameter must take part in model([x1, x2])")
    position = {id(p): ["parameter", i] for i, p in enumerate(parameters)}
    position.update({id(x): ["input", k] for k, x in enumerate(inputs[:2])})
    return {"parameterSlots": [slots[id(p)] for p in parameters], "inputSlots": [slots[id(x)] for x in inputs],
            "scorerLeaves": [position[id(leaf)] for leaf in Graph(score).leaves]}


def _example_page(model, row: list, path: Path) -> str:
    """Write the live page of the margin of the example ``row`` beside ``path``; the link to it."""
    from .live import live

    example = path.with_name(path.stem + "-example.html")
    live(example_margin(model, *row)[0], example, title="One example's margin, relu(1 − y·score)",
         fixed=("x1", "x2", "y"))
    return f'<a href="{html.escape(example.name)}">the graph of one example, live</a>'


def _rows(points, labels) -> list:
    """[x1, x2, label] per point, checked: finite pairs, labels ±1, as many as points."""
    points, labels = list(points), list(labels)
    if not points or len(points) != len(labels):
        raise ValueError(f"playground: give as many labels as points (at least one); got {len(points)} points "
                         f"and {len(labels)} labels")
    rows = []
    for i, (point, label) in enumerate(zip(points, labels)):
        pair = [float(x) for x in point]
        if len(pair) != 2 or not all(math.isfinite(x) for x in pair):
            raise ValueError(f"playground: points[{i}] must be two finite numbers, got {point!r}")
        if label not in (1, -1):
            raise ValueError(f"playground: labels[{i}] must be 1 or -1, got {label!r}")
        rows.append([*pair, float(label)])
    return rows


def _page(heading: str, link: str, script: str) -> str:
    return (head(heading) + '\n#board { width: 100%; height: 100%; object-fit: contain; }\n'
            f'</style>\n</head>\n<body>\n<header><h1>{heading}</h1><p class="hint">{link}</p></header>\n<main>\n'
            f'<div class="graph"><canvas id="board" width="600" height="600" aria-label="decision boundary">'
            f'</canvas></div>\n<aside>\n<section><button id="run">train</button> <button id="once">1 step'
            f'</button> <button id="reset">reset</button> <span id="status"></span></section>\n'
            f'<section><label>optimizer <select id="optimizer">{optimizer_options()}</select></label> '
            f'<label>learning rate <input id="lr" type="number" step="any"></label><br>'
            f'<label>decay to × <input id="endFactor" type="number" step="any"></label> '
            f'<label>L2 <input id="l2" type="number" step="any"></label> '
            f'<label>batch (0: all) <input id="batch" type="number" min="0" step="1"></label></section>\n'
            f'<section><h2>loss</h2><svg id="losses" class="plot" viewBox="0 0 400 150" preserveAspectRatio="none"></svg>'
            f'<h2>accuracy</h2><svg id="accuracies" class="plot" viewBox="0 0 400 150" preserveAspectRatio="none"></svg></section>\n'
            f'</aside>\n</main>\n<script>\n{script}</script>\n</body>\n</html>\n')
