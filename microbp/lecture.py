"""Lecture mode: the forward and backward pass of any graph, one step at a time.

Forward steps compute each node from its parents, in topological order; then
backward steps compute each gradient as "local derivative × upstream
gradient", summed over the nodes it feeds, in reverse. Captions spell out the
formula with names and with numbers.

>>> from microbp import Value
>>> x = Value(2.0, label="x"); w = Value(-3.0, label="w"); b = Value(6.8814, label="b")
>>> z = x * w + b; z.label = "z"
>>> o = z.tanh(); o.label = "o"
>>> for step in steps(o): print(step.caption)
x × w = 2 × (-3) = -6
z = (x × w) + b = (-6) + 6.881 = 0.8814
o = tanh(z) = tanh(0.8814) = 0.7071
∂o/∂o = 1
∂o/∂z = ∂o/∂o · ∂o/∂z = 1 × 0.5 = 0.5
∂o/∂b = ∂o/∂z · ∂z/∂b = 0.5 × 1 = 0.5
∂o/∂(x × w) = ∂o/∂z · ∂z/∂(x × w) = 0.5 × 1 = 0.5
∂o/∂w = ∂o/∂(x × w) · ∂(x × w)/∂w = 0.5 × 2 = 1
∂o/∂x = ∂o/∂(x × w) · ∂(x × w)/∂x = 0.5 × (-3) = -1.5
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .engine import Value, topological_order
from .functions import gradients, leaf_names

NAME_LIMIT = 24


@dataclass
class Step:
    """One step of a lecture: which node, which phase, and the caption that explains it.

    ``nodes`` are the graph nodes the step covers (one, or a whole collapsed
    scope); ``value`` is what the step computes (data forward, gradient
    backward); ``terms`` lists the backward contributions as (child, upstream,
    local) with upstream × local summing to ``value``.
    """

    index: int
    phase: str
    nodes: list
    caption: str
    value: float
    terms: list = field(default_factory=list)

    @property
    def node(self) -> Value:
        return self.nodes[-1]


def steps(root: Value, number_format: str = ".4g", collapse: int | None = None) -> list:
    """The forward steps in topological order, then the backward steps in reverse.

    Leaves are given, so forward starts at the first computed node; backward
    starts at the root (∂root/∂root = 1) and ends at the leaves. With
    ``collapse``, the nodes of each scope at that depth make a single step
    (a whole neuron at a time).

    >>> from microbp import Value
    >>> a = Value(3.0, label="a")
    >>> [step.caption for step in steps(a * a)]
    ['a × a = 3 × 3 = 9', '∂(a × a)/∂(a × a) = 1', '∂(a × a)/∂a = ∂(a × a)/∂(a × a) · ∂(a × a)/∂a + ∂(a × a)/∂(a × a) · ∂(a × a)/∂a = 1 × 3 + 1 × 3 = 6']
    """
    order = _order(root, "steps")
    return _steps(root, order, gradients(root), number_format, collapse)


def _order(root, caller: str) -> list:
    if not isinstance(root, Value):
        raise TypeError(f"{caller}(root) needs a Value, got {root!r} ({type(root).__name__})")
    return topological_order(root)


def _steps(root, order, grads, number_format, collapse) -> list:
    text = _Text(order, number_format)
    groups = _groups(order, collapse)
    result = []
    for group in groups:
        if group[-1].op is not None:
            result.append(Step(len(result), "forward", group, _forward_caption(group, text), group[-1].data))
    children = _children(order)
    root_name = text.operand_name(root)
    for group in reversed(groups):
        node = group[-1]
        terms = [(child, grads[child], local) for child, local in children.get(node, [])]
        caption = _backward_caption(group, terms, root_name, grads, text, node is root)
        result.append(Step(len(result), "backward", group, caption, grads[node], terms))
    return result


class _Text:
    """Names and numbers as the captions write them."""

    def __init__(self, order, number_format):
        self.number_format = number_format
        self.names = {}
        leaves = leaf_names(order)
        for position, node in enumerate(order):
            if node.op is None:
                self.names[node] = leaves[node]
            elif node.label:
                self.names[node] = node.label
            else:
                formula = self.formula(node, self.operand_name)
                self.names[node] = formula if len(formula) <= NAME_LIMIT else f"v{position}"

    def name(self, node) -> str:
        return self.names[node]

    def number(self, x: float) -> str:
        text = format(x, self.number_format)
        return f"({text})" if text.startswith("-") else text

    def operand_name(self, node) -> str:
        """A name fit to stand in a formula: wrapped in parentheses unless it is one word."""
        name = self.names[node]
        return name if re.fullmatch(r"\w+", name) else f"({name})"

    def formula(self, node, operand) -> str:
        """The node's operation written over its operands (names or numbers)."""
        args = [operand(p) if type(p) is not float else self.number(p) for p in node.parents]
        op = node.op
        if op.arity is None:             # sum: a + b + c; dot and affine: w1·x1 + w2·x2 (+ b)
            lists, singles = op.groups(args)
            terms = lists[0] if len(lists) == 1 else ["·".join(pair) for pair in zip(*lists)]
            return " + ".join(terms + singles)
        if op.name == "neg":
            return f"−{args[0]}"
        if op.name == "abs":
            return f"|{args[0]}|"
        if op.infix:
            return f"{args[0]} {op.symbol} {args[1]}"
        return f"{op.symbol}({', '.join(args)})"


def _forward_caption(group, text) -> str:
    node = group[-1]
    if len(group) > 1:
        return (f"{' / '.join(node.scope.path)}: {len(group)} operations forward, "
                f"{text.name(node)} = {format(node.data, text.number_format)}")
    symbolic = text.formula(node, text.operand_name)
    numeric = text.formula(node, lambda p: text.number(p.data))
    result = format(node.data, text.number_format)
    name = text.name(node)
    head = f"{name} = {symbolic}" if name != symbolic else symbolic
    return f"{head} = {numeric} = {result}"


def _backward_caption(group, terms, root_name, grads, text, is_root) -> str:
    node = group[-1]
    name = text.operand_name(node)
    value = format(grads[node], text.number_format)
    if is_root:
        return f"∂{root_name}/∂{name} = {value}"
    if len(group) > 1:
        return (f"{' / '.join(node.scope.path)}: gradients flow back through {len(group)} operations; "
                f"∂{root_name}/∂{name} = {value}")
    if not terms:
        return f"∂{root_name}/∂{name} = {value}"
    symbolic = " + ".join(f"∂{root_name}/∂{text.operand_name(child)} · ∂{text.operand_name(child)}/∂{name}"
                          for child, _, _ in terms)
    numeric = " + ".join(f"{text.number(upstream)} × {text.number(local)}" for _, upstream, local in terms)
    return f"∂{root_name}/∂{name} = {symbolic} = {numeric} = {value}"


def _children(order) -> dict:
    """node -> [(child, local derivative)], one entry per edge (``a * a`` gives two)."""
    children = {}
    for node in order:
        for parent, local in zip(node.parents, node.local_grads):
            if type(parent) is not float:
                children.setdefault(parent, []).append((node, local))
    return children


def _groups(order, collapse) -> list:
    """The nodes in order, as lists: one node each, or a collapsed scope's nodes together."""
    if collapse is None:
        return [[node] for node in order]
    groups, by_scope = [], {}
    for node in order:
        path = node.scope.path[:collapse] if node.scope is not None and len(node.scope.path) >= collapse else None
        if path is None or node.op is None:
            groups.append([node])
        elif path in by_scope:
            by_scope[path].append(node)
        else:
            by_scope[path] = [node]
            groups.append(by_scope[path])
    return groups


def frames(root: Value, collapse: int | None = None, captions: bool = True, **options) -> list:
    """(step, graphviz.Digraph) for every step: what ``render_steps`` and ``slideshow`` draw.

    Each frame highlights the step's nodes and where their inputs (forward) or
    their gradient (backward) come from, and shows as ``?`` what is not computed
    yet; with ``captions`` the step's caption is the graph's title.

    >>> from microbp import Value
    >>> [step.phase for step, frame in frames(Value(3.0, label="a").exp())]
    ['forward', 'backward', 'backward']
    """
    from .drawing import draw

    order = _order(root, "frames")
    grads = gradients(root)
    all_steps = _steps(root, order, grads, ".4g", collapse)
    everything = set(order)
    computed = {node for node in order if node.op is not None}
    phase, known, result = None, set(), []   # known: nodes done so far in the current phase
    for step in all_steps:
        if step.phase != phase:
            phase, known = step.phase, set()
        known |= set(step.nodes)
        if step.phase == "forward":
            inputs = {p for node in step.nodes for p in node.parents if type(p) is not float}
            shown = {"unknown_data": computed - known, "unknown_grads": everything,
                     "highlight": set(step.nodes) | inputs}
        else:
            upstream = {child for child, _, _ in step.terms}
            shown = {"unknown_data": set(), "unknown_grads": everything - known,
                     "highlight": set(step.nodes) | upstream}
        title = step.caption if captions else None
        result.append((step, draw(root, collapse=collapse, grads=grads, title=title, **shown, **options)))
    return result


def render_steps(root: Value, folder, fmt: str = "svg", collapse: int | None = None, **options) -> list:
    """Write one frame per step (``step-000.svg``, ...) into ``folder``; returns the paths.

    Each frame highlights the step's node (and where its inputs or its gradient
    come from), hides what is not computed yet, and carries the caption.
    Frames that an earlier run wrote here and this one does not are removed,
    and nothing else: the folder's ``.microbp-frames`` lists what microbp wrote
    (see ``microbp.manifest``), so notes or a hand-made
    ``step-1.svg`` beside the frames stay. A bad folder is refused before any
    frame is drawn.

    >>> import tempfile
    >>> from microbp import Value
    >>> paths = render_steps(Value(3.0, label="a").exp(), tempfile.mkdtemp(), fmt="dot")
    >>> [path.rsplit("/", 1)[-1] for path in paths]
    ['step-000.dot', 'step-001.dot', 'step-002.dot']
    """
    from .manifest import write_frames
    from .output import FORMATS, image_bytes
    from .paths import output_folder

    if fmt not in FORMATS:
        raise ValueError(f"render_steps: fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    folder = output_folder(folder, "render_steps")
    contents = [frame.source.encode("utf-8") if fmt == "dot" else image_bytes(frame, fmt)
                for _, frame in frames(root, collapse=collapse, **options)]
    return write_frames(folder, {f"step-{i:03d}.{fmt}": content for i, content in enumerate(contents)})
