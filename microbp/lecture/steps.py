"""Lecture mode: the forward and backward pass of any graph, one step at a time.

Forward steps compute each node from its parents, in topological order; then
backward steps compute each gradient: each local derivative with its formula
(∂, from the table of operations) and number, then the chain rule for the
total derivative (d): local derivative × upstream gradient, summed over the
nodes it feeds. Nodes are named as the figure names them (``microbp.text.naming``).
``view="network"`` steps through a network unit by unit instead
(``microbp.lecture.network_steps``).

>>> from microbp import Value
>>> x = Value(2.0, label="x"); w = Value(-3.0, label="w"); b = Value(6.8814, label="b")
>>> z = x * w + b; z.label = "z"
>>> o = z.tanh(); o.label = "o"
>>> for step in steps(o): print(step.caption)
v1 = x × w = 2 × (−3) = −6
z = v1 + b = (−6) + 6.881 = 0.8814
o = tanh(z) = tanh(0.8814) = 0.7071
do/do = 1
∂o/∂z = 1 − o × o = 0.5
do/dz = do/do · ∂o/∂z = 1 × 0.5 = 0.5
∂z/∂b = 1
do/db = do/dz · ∂z/∂b = 0.5 × 1 = 0.5
∂z/∂v1 = 1
do/dv1 = do/dz · ∂z/∂v1 = 0.5 × 1 = 0.5
∂v1/∂w = x = 2
do/dw = do/dv1 · ∂v1/∂w = 0.5 × 2 = 1
∂v1/∂x = w = −3
do/dx = do/dv1 · ∂v1/∂x = 0.5 × (−3) = −1.5
"""

from __future__ import annotations

from ..core.engine import Value
from ..core.graph import Graph
from ..figures.collapse import collapsed_boxes
from .captions import Captions, Step
from .network_steps import ORDERS
from .workload import check_workload


def steps(root: Value, number_format: str = ".4g", collapse: int | None = None, order: str | None = None,
          view: str = "graph", learning_rate: float | None = 0.1) -> list:
    """The forward steps in topological order, then the backward steps.

    Leaves are given, so forward starts at the first computed node; backward
    starts at the root (∂root/∂root = 1) and ends at the leaves. ``order`` is
    ``"reverse-topological"`` (the graph view's default: depth first, one path
    after another) or ``"layers"`` (the network view's default: everything one
    step from the output, then two steps, ...). With ``collapse``, the nodes of
    each scope at that depth (and the parameters only they use) make a single
    step. ``view="network"`` gives the network's lecture, ending with the weight
    updates at ``learning_rate`` (``None``: none).

    >>> from microbp import Value
    >>> a = Value(3.0, label="a")
    >>> [step.caption for step in steps(a * a)]
    ['f = a × a = 3 × 3 = 9', 'df/df = 1', '∂f/∂a = a + a = 6\\ndf/da = df/df · ∂f/∂a = 1 × 6 = 6']
    """
    graph = _graph(root, "steps")
    return _steps(graph, number_format, collapse, _order(order, view), view, learning_rate)


def _graph(root, caller: str) -> Graph:
    if not isinstance(root, (Value, Graph)):
        raise TypeError(f"{caller}(root) needs a Value, got {root!r} ({type(root).__name__})")
    return Graph.of(root)


def _order(order, view) -> str:
    if order is None:
        return "layers" if view == "network" else "reverse-topological"
    if order not in ORDERS:
        raise ValueError(f"steps: order must be one of {', '.join(map(repr, ORDERS))}, got {order!r}")
    return order


def _steps(graph, number_format, collapse, order, view="graph", learning_rate=0.1) -> list:
    if view == "network":
        from ..network.model import Network
        from .network_steps import network_steps
        return network_steps(Network.of(graph, number_format), number_format, order, learning_rate)
    if view != "graph":
        raise ValueError(f"steps: view must be 'graph' or 'network', got {view!r}")
    grads, children = graph.gradients, graph.children
    text = Captions(graph, number_format)
    groups = _groups(graph, collapse)
    result = []
    for group in groups:
        if group[-1].op is not None:
            result.append(Step(len(result), "forward", group, text.forward(group), group[-1].data))
    for group in (reversed(groups) if order == "reverse-topological" else _by_layer(graph, groups)):
        node = group[-1]
        terms = [(child, grads[child], local) for child, local in children.get(node, [])
                 if len(group) == 1 or child not in group]
        caption = text.backward(group, terms if node is not graph.root else [], grads[node])
        result.append(Step(len(result), "backward", group, caption, grads[node], terms))
    return result


def _by_layer(graph, groups) -> list:
    """Groups by their distance from the root (the longest path), then in forward order."""
    distance = {graph.root: 0}
    for node in reversed(graph.order):
        for parent in node.parents:
            if type(parent) is not float:
                distance[parent] = max(distance.get(parent, 0), distance[node] + 1)
    place = {id(group): i for i, group in enumerate(groups)}
    return sorted(groups, key=lambda group: (min(distance[node] for node in group), place[id(group)]))


def _groups(graph, collapse) -> list:
    """The nodes in order, as lists: one node each, or a collapsed scope's nodes (and parameters) together,
    placed where its last node (its output) is."""
    boxes = collapsed_boxes(graph, collapse)
    return [[node] if node not in boxes else boxes[node].members for node in graph.order
            if node not in boxes or boxes[node].members[-1] is node]


def frames(root: Value, collapse: int | None = None, captions: bool = True, order: str | None = None,
           view: str = "graph", learning_rate: float | None = 0.1, **options) -> list:
    """(step, graphviz.Digraph) for every step: what ``render_steps`` and ``slideshow`` draw.

    Each frame highlights the step's nodes and where their inputs (forward) or
    their gradient (backward) come from, and shows as ``?`` what is not computed
    yet; with ``captions`` the step's caption is the graph's title. Before any
    work, the size is checked (``microbp.lecture.workload``): a lecture too large to
    draw raises ``GraphTooLargeError``, naming the option that raises the limit.

    >>> from microbp import Value
    >>> [step.phase for step, frame in frames(Value(3.0, label="a").exp())]
    ['forward', 'backward', 'backward']
    """
    graph = _graph(root, "frames")
    check_workload(graph, view, collapse, options)
    options.pop("max_elements", None)
    number_format = options.get("number_format", ".4g")
    if view == "network":
        from ..network.model import Network
        from .network_frames import network_frames
        from .network_steps import network_steps
        network = Network.of(graph, number_format)
        lecture = network_steps(network, number_format, _order(order, view), learning_rate)
        return network_frames(network, lecture, captions, options, learning_rate)
    lecture = _steps(graph, number_format, collapse, _order(order, view), view)
    return _graph_frames(graph, lecture, collapse, captions, options)


def _graph_frames(graph, all_steps, collapse, captions, options) -> list:
    from ..figures.graph_view import draw

    order, grads = graph.order, graph.gradients
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
        result.append((step, draw(graph, collapse=collapse, grads=grads, title=title, **shown, **options)))
    return result


def render_steps(root: Value, folder, fmt: str = "svg", collapse: int | None = None, **options) -> list:
    """Write one frame per step (``step-000.svg``, ...) into ``folder``; returns the paths.

    Each frame highlights the step's node (and where its inputs or its gradient
    come from), hides what is not computed yet, and carries the caption.
    Frames that an earlier run wrote here and this one does not are removed,
    and nothing else: the folder's ``.microbp-frames`` lists what microbp wrote
    (see ``microbp.lecture.manifest``), so notes or a hand-made
    ``step-1.svg`` beside the frames stay. A bad folder is refused before any
    frame is drawn.

    >>> import tempfile
    >>> from microbp import Value
    >>> paths = render_steps(Value(3.0, label="a").exp(), tempfile.mkdtemp(), fmt="dot")
    >>> [path.rsplit("/", 1)[-1] for path in paths]
    ['step-000.dot', 'step-001.dot', 'step-002.dot']
    """
    from ..figures.render import FORMATS, image_bytes
    from ..files import output_folder
    from .manifest import write_frames

    if fmt not in FORMATS:
        raise ValueError(f"render_steps: fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    folder = output_folder(folder, "render_steps")
    contents = [frame.source.encode("utf-8") if fmt == "dot" else image_bytes(frame, fmt)
                for _, frame in frames(root, collapse=collapse, **options)]
    return write_frames(folder, {f"step-{i:03d}.{fmt}": content for i, content in enumerate(contents)})
