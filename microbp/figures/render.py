"""Rendering a picture: running Graphviz's ``dot`` on it, for a file or for Jupyter.

``image_bytes`` turns a drawn graph into SVG, PNG or PDF, and says how to
install Graphviz when ``dot`` is missing; ``mimebundle`` is what Jupyter shows
for a Value. Drawing (``microbp.draw``) and writing files (``microbp.render``,
through ``microbp.files``) live elsewhere.

>>> from microbp import Value, draw
>>> b"<svg" in image_bytes(draw(Value(2.0) * 3), "svg")
True
"""

from __future__ import annotations

import subprocess

from ..core.graph import Graph
from ..errors import DotFailedError, GraphvizNotFoundError
from .graph_view import draw_graph
from .options import DrawOptions

FORMATS = ("svg", "png", "pdf", "dot")

INSTALL_HINT = (
    "Graphviz's 'dot' program is needed to render images, and it is not on PATH. Install Graphviz: "
    "Debian/Ubuntu 'sudo apt-get install graphviz', macOS 'brew install graphviz', "
    "conda 'conda install -c conda-forge graphviz', Windows 'winget install graphviz' "
    "(then add its bin folder to PATH). Without it, microbp.draw(root).source still gives the DOT text, "
    "and render(root, 'graph.dot') still works.")


def image_bytes(graph, fmt: str) -> bytes:
    """Run ``dot`` on the graph; GraphvizNotFoundError says how to install it, DotFailedError why it failed."""
    import graphviz

    try:        # all input at once: if dot stops reading early, its complaint is still read
        return graphviz.pipe("dot", fmt, graph.source.encode("utf-8"), quiet=True)
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFoundError(INSTALL_HINT) from None
    except (subprocess.CalledProcessError, OSError) as error:
        raise DotFailedError(f"dot could not render the graph ({_first_line(error)}); write it as .dot to "
                             f"keep the DOT text, and please report this as a bug in microbp") from error


def _first_line(error) -> str:
    """dot's first line of complaint, its first error preferred (not all of it), or the error itself."""
    output = getattr(error, "stderr", None) or b""
    text = output.decode("utf-8", "replace") if isinstance(output, bytes) else str(output)
    lines = [line.strip() for line in text.splitlines() if line.strip()] or str(error).splitlines()
    first = next((line for line in lines if line.startswith("Error")), lines[0])
    return first if len(first) <= 200 else first[:199] + "…"


def mimebundle(root, draw=None) -> dict:
    """What Jupyter shows for a Value: its picture as SVG, or its repr when that cannot be drawn.

    ``draw`` makes the picture (``microbp.draw``, whose default view is ``"auto"``: a network's
    circles, or the graph); without it, the graph view.
    """
    bundle = {"text/plain": repr(root)}
    try:
        picture = draw(root) if draw else draw_graph(Graph.of(root), DrawOptions())
        bundle["image/svg+xml"] = image_bytes(picture, "svg").decode("utf-8")
    except Exception:       # no dot, too large, dot failed, a broken install: show the text, never a traceback
        pass
    return bundle
