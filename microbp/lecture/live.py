"""A live lecture page: one offline HTML file that computes the graph's passes in the browser.

``live(root, path)`` writes the graph as the slideshow would draw it (the view
``"auto"`` chooses), with its forward and backward pass as JavaScript
(``microbp.programs.javascript``) and the optimizers' update rules as
JavaScript (``microbp.update_rules``). Change a leaf and every number in the
picture, the table and the step captions is computed again at once; step
through the forward and backward pass at the current values; descend with
SGD, momentum, Adagrad, Adam or AdamW and watch the loss fall. In forward
mode the page shows, where it showed gradients, each node's tangent as one
leaf moves (``microbp.core.forward.tangents`` in JavaScript). ``f`` puts the
picture alone on the screen; printing gives the picture and the table.

The page's script API, on the global ``microbp`` (the browser console, or a test)::

    microbp.names()                   // every node's name, in topological order
    microbp.get("w35")                // {data, grad} of a node, by name or label
    microbp.set("w35", 0.3)           // a leaf's new value; everything recomputes
    microbp.descend(5, 0.5, "adam")   // steps of an optimizer; returns the losses
    microbp.loss()                    // the root's value
    microbp.reset()                   // the leaves' values as written
    microbp.fix("y0")                 // descent leaves y0 alone (fix("y0", false) frees it)
    microbp.tangent("E", "w35")       // dE/dw35 by one forward pass (tangents), as microbp.jvp
    microbp.forwardMode("w35")        // show tangents as w35 moves (get gains .tangent); null: gradients

Nothing is fetched: the style, the script and the picture are inline, and the
file names no web address.
"""

from __future__ import annotations

import html
import json
from importlib import resources

from ..core.engine import Value
from ..core.graph import Graph
from ..text.javascript import script_json
from ..text.naming import node_names
from ..text.notation import MATH, Written, formula
from ..update_rules.rules import REQUIRED, RULES
from .live_picture import live_svg

OPTIMIZERS = {"sgd": "sgd", "momentum": "sgd_momentum", "adagrad": "adagrad", "adam": "adam", "adamw": "adamw"}
"""The page's optimizers and the rules they run; each takes ``microbp.optim``'s defaults, but for the lr."""
PAGE_DEFAULTS = {"momentum": {"momentum": 0.9}}
"""Where the page departs from ``microbp.optim``'s defaults: momentum 0 would make momentum plain SGD."""


def live(root: Value, path, title: str | None = None, view: str = "auto", fixed=()) -> str:
    """Write the live page of ``root`` as one self-contained HTML file; returns the path.

    ``view`` is as for ``microbp.slideshow`` (``"auto"``: the network view for a
    network, the layers view for a dense one, the graph view otherwise). The leaves' values are the values to
    start from; ``root`` need not have been through ``backward()``. Descent
    changes every leaf but those named (by label) in ``fixed``: an example's
    inputs and target, say; the page can fix and free leaves too.

    >>> import os, tempfile
    >>> from microbp import Value
    >>> x = Value(0.5, label="x"); y = (x * x).exp(); y.label = "y"
    >>> page = open(live(y, os.path.join(tempfile.mkdtemp(), "y.html"))).read()
    >>> "microbp.descend" in page, "http" in page
    (True, False)
    """
    from ..files import html_file, write_atomically
    from ..programs.javascript import javascript_graph

    if not isinstance(root, Value):
        raise TypeError(f"live: root must be a Value, got {type(root).__name__}")
    path = html_file(path, "live", "live.html")
    graph = Graph.of(root, "live(root)")
    fixed = _fixed_leaves(graph, fixed)
    program = javascript_graph(root)              # refuses a graph the JS runtime cannot compute
    svg = live_svg(root, view, "live")
    script = (script_start("microbp") + f"const graph = {program};\n"
              + f"const nodes = {script_json(node_facts(graph))};\nconst fixedLeaves = {script_json(fixed)};\n"
              + f"const naryGrads = {nary_local_derivatives(graph)};\n"
              + asset("live_forward.js") + asset("live.js") + "})();\n")
    heading = title or "Backpropagation you can touch"
    write_atomically(path, page(heading, svg, script).encode("utf-8"), "live")
    return str(path)


def _fixed_leaves(graph: Graph, fixed) -> list:
    """The node indices of the leaves labelled in ``fixed``; an unknown label is refused, with the leaves."""
    if isinstance(fixed, str):
        fixed = (fixed,)
    labels = {leaf.label: graph.order.index(leaf) for leaf in graph.leaves if leaf.label}
    unknown = [name for name in fixed if name not in labels]
    if unknown:
        raise ValueError(f"live: fixed names leaves by label; {unknown[0]!r} is none of {sorted(labels)}")
    return [labels[name] for name in fixed]


def node_facts(graph: Graph) -> list:
    """For each node in topological order: its formula, its row, its operands (a node index or a constant)."""
    names = node_names(graph)
    index = {node: i for i, node in enumerate(graph.order)}
    facts = []
    for node in graph.order:
        if node.op is None:
            facts.append({"op": None, "formula": "", "parents": []})
            continue
        parents = [{"constant": p} if type(p) is float else index[p] for p in node.parents]
        facts.append({"op": node.op.name, "formula": str(formula(node, names.__getitem__, MATH)),
                      "parents": parents})
    return facts


def nary_local_derivatives(graph: Graph) -> str:
    """A JS object: for each n-ary node's index, ``(out, x0, x1, ...) => [∂node/∂x0, ...]``, from its row.

    The runtime's ``grads`` has a function per fixed-arity row only; these give the
    page the local derivatives of ``sum``-like nodes, as the backward program writes them.

    >>> from microbp import demo
    >>> text = nary_local_derivatives(Graph(demo.walkthrough_network(backward=False)))
    >>> text[text.index("11:"):text.index("]", text.index("11:")) + 1]
    '11: (out, x0) => [1.0]'
    """
    from ..programs.js_runtime import calls, local_texts
    from ..text.javascript import js_number, name

    functions = {}
    for i, node in enumerate(graph.order):
        if node.op is None or node.op.arity is not None:
            continue
        args = [name(f"x{k}") for k in range(len(node.parents))]
        floats, _ = local_texts(node.op, name("out"), args)
        texts = ", ".join(str(g if isinstance(g, Written) else js_number(g)) for g in floats)
        functions[i] = f"({', '.join(['out'] + [str(a) for a in args])}) => [{texts}]"
    used = sorted(calls(" ".join(functions.values())))
    body = ", ".join(f"{i}: {function}" for i, function in functions.items())
    unpack = f"const {{{', '.join(used)}}} = microbp; " if used else ""
    return f"((microbp) => {{ {unpack}return Object.freeze({{{body}}}); }})(microbp)"


def script_start(global_name: str) -> str:
    """A page script's opening: ``const global_name = (() => {``, the runtime, the optimizers, ``pages.js``."""
    from ..programs.js_runtime import javascript_runtime

    return (f"const {global_name} = (() => {{\n" + javascript_runtime() + "const runtime = microbp;\n"
            + update_functions() + asset("pages.js"))


def update_functions() -> str:
    """The optimizers' update rules as JS functions, and ``const optimizers`` that describes them."""
    from ..update_rules.javascript import javascript

    described, functions = {}, []
    for shown, rule_name in OPTIMIZERS.items():
        rule = RULES[rule_name]
        function = "update" + "".join(word.capitalize() for word in rule_name.split("_"))
        functions.append(javascript(rule_name, function))
        defaults = {name: value for name, value in rule.hyperparameters if value is not REQUIRED}
        defaults.update(PAGE_DEFAULTS.get(shown, {}))
        described[shown] = {"title": rule.title, "defaults": defaults, "state": list(rule.state),
                            "counter": rule.counter or None, "update": function}
    table = ", ".join(f"{json.dumps(name)}: Object.assign({script_json(facts)}, {{update: {facts['update']}}})"
                      for name, facts in described.items())
    return "\n".join(functions) + f"\nconst optimizers = {{{table}}};\n"


def page(heading: str, svg: str, script: str) -> str:
    """The document: the picture, the controls, the table of values, the loss plot, the script."""
    heading = html.escape(heading)
    return (head(heading) + '</style>\n</head>\n<body>\n'
            f'<header><h1>{heading}</h1><p class="hint">Click a leaf to change it; ← → step through the '
            f'passes; f: the picture full screen; the script API is <code>microbp.get / set / descend / loss'
            f'</code>.</p></header>\n<main>\n<div class="graph" id="picture">{_inline(svg)}</div>\n'
            f'<aside>\n<section id="editor" aria-label="the chosen leaf"></section>\n'
            f'<section id="stepper" aria-label="steps"><button id="previous">←</button>'
            f'<span id="counter"></span><button id="next">→</button><button id="all">all</button>'
            f'<button id="fullscreen" title="the picture full screen (f)">full screen</button>'
            f'<p id="caption" aria-live="polite"></p><label>show <select id="mode"></select></label></section>\n'
            f'<section id="descent" aria-label="gradient descent"><label>optimizer <select id="optimizer">'
            f'{optimizer_options()}</select></label> <label>learning rate <input id="rate" type="number" value="0.5" '
            f'step="any" min="0"></label> <button id="descend">descend 1</button> '
            f'<button id="descend10">10</button> <button id="reset">reset</button>'
            f'<svg id="losses" viewBox="0 0 400 150" preserveAspectRatio="none" role="img" aria-label="loss per step"></svg>'
            f'<p id="loss"></p></section>\n'
            f'<section id="table-section"><table id="values"><thead><tr><th>node</th><th>value</th>'
            f'<th class="rate">gradient</th><th>formula</th></tr></thead><tbody></tbody></table></section>\n'
            f'</aside>\n</main>\n<script>\n{script}</script>\n</body>\n</html>\n')


def optimizer_options() -> str:
    """The ``<option>``s of a page's optimizer select: the names of ``OPTIMIZERS``."""
    return "".join(f'<option value="{name}">{name}</option>' for name in OPTIMIZERS)


def _inline(svg: str) -> str:
    """The SVG made fit to sit in HTML (the slideshow's way), with one prefix for its ids."""
    from .slideshow import _inline_svg

    return _inline_svg(svg, prefix="live-")


def head(heading: str) -> str:
    """The start of a page, up to its open ``<style>`` holding ``live.css`` (a page may add rules)."""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{heading}</title>\n<style>\n{asset("live.css")}')


def asset(name: str) -> str:
    """A file of package data beside this module (``live.css``, ``live.js``), as text."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
