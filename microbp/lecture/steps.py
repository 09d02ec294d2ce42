"""Lecture mode: the forward and backward pass of any graph, one step at a time.

Forward steps compute each node from its parents, in topological order; then
backward steps compute each gradient: each local derivative with its formula
(∂, from the table of operations) and number, then the chain rule for the
total derivative (d): local derivative × upstream gradient, summed over the
nodes it feeds. Nodes are named as the figure names them (``microbp.text.naming``).
Each function reads its options once (``microbp.lecture.options``), chooses
the view once (``microbp.lecture.views.registry``) and asks it for the steps and frames:
The view is ``"auto"`` by default: for a network of two units or more the
network view, which steps through it unit by unit; the graph view otherwise.

>>> from microbp import Value
>>> x = Value(2.0, label="x"); w = Value(-3.0, label="w"); b = Value(6.8814, label="b")
>>> z = x * w + b; z.label = "z"
>>> o = z.tanh(); o.label = "o"
>>> for step in steps(o): print(step.caption)
v1 = x × w = 2 × (−3) = −6
z = v1 + b = (−6) + 6.881 = 0.8814
o = tanh(z) = tanh(0.8814) = 0.7071
do/do = 1
∂o/∂z = 1 − o² = 0.5
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
from .planning import lecture_frames, plan


def steps(root: Value, number_format: str = ".4g", collapse: int | None = None, order: str | None = None,
          view: str = "auto", learning_rate: float | None = 0.1, derivatives: str = "simplified",
          notation: str = "walkthrough", optimizer=None, mode: str = "reverse", seed=None) -> list:
    """The forward steps in topological order, then the backward steps.

    Leaves are given, so forward starts at the first computed node; backward
    starts at the root (∂root/∂root = 1) and ends at the leaves. ``order`` is
    ``"reverse-topological"`` (the graph view's default: depth first, one path
    after another) or ``"layers"`` (the network view's default: everything one
    step from the output, then two steps, ...). With ``collapse``, the nodes of
    each scope at that depth (and the parameters only they use) make a single
    step. ``view="network"`` gives the network's lecture, ending with the weight
    updates at ``learning_rate`` (``None``: none), or with ``optimizer``'s update
    in its own equations (``"adam"``, or an optimizer or schedule from
    ``microbp.optim``: ``microbp.lecture.update_captions``). Local derivatives are
    simplified as a textbook writes them (``derivatives="chain"``: the table's
    product as computed); ``notation`` names a network's values
    (``"walkthrough"``, ``"textbook"``, ``"labels"``: ``microbp.network.notation``).
    The list shows in Jupyter as a stepper, each step as its frame and caption
    (``microbp.lecture.notebook``). ``mode="forward"`` with ``seed=x`` gives
    forward mode instead: each node's value and tangent, as ``x`` moves at
    speed 1 (``microbp.lecture.tangent_steps``).

    >>> from microbp import Value
    >>> a = Value(3.0, label="a")
    >>> [step.caption for step in steps(a * a)]
    ['f = a × a = 3 × 3 = 9', 'df/df = 1', '∂f/∂a = a + a = 6\\ndf/da = df/df · ∂f/∂a = 1 × 6 = 6']
    """
    lecture = plan(root, "steps", view, number_format=number_format, collapse=collapse, order=order,
                   learning_rate=learning_rate, derivatives=derivatives, notation=notation, optimizer=optimizer,
                   mode=mode, seed=seed)
    from .notebook import Steps

    return Steps(lecture, lecture.view.steps(lecture.graph, lecture.options))


def frames(root: Value, collapse: int | None = None, captions: bool = True, order: str | None = None,
           view: str = "auto", learning_rate: float | None = 0.1, **options) -> list:
    """(step, graphviz.Digraph) for every step: what ``render_steps`` and ``slideshow`` draw.

    Each frame highlights the step's nodes and where their inputs (forward) or
    their gradient (backward) come from, and shows as ``?`` what is not computed
    yet; with ``captions`` the step's caption is the graph's title. Before any
    work, the size is checked (``microbp.lecture.workload``): a lecture too large to
    draw raises ``GraphTooLargeError``, naming the option that raises the limit.
    ``options`` are ``microbp.draw``'s, ``max_elements``, and ``mode`` and ``seed`` (forward mode, as in ``steps``).

    >>> from microbp import Value
    >>> [step.phase for step, frame in frames(Value(3.0, label="a").exp())]
    ['forward', 'backward', 'backward']
    """
    return lecture_frames(plan(root, "frames", view, collapse=collapse, captions=captions, order=order,
                               learning_rate=learning_rate, **options))


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
