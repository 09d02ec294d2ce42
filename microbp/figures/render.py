"""Render a graph to a file (SVG, PNG, PDF or DOT), and inline in Jupyter.

Files are written atomically: the image is made in memory, written to a
temporary file beside the target and moved into place, so a failure leaves no
partial file and an existing file untouched. A bad path is refused before
anything is drawn, with an ``OutputError`` that says what to do.

>>> import os, tempfile
>>> from microbp import Value
>>> path = render(Value(2.0) * 3, os.path.join(tempfile.mkdtemp(), "graph.dot"))
>>> open(path).read().startswith("digraph microbp")
True
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ..errors import DotFailedError, GraphvizNotFoundError
from ..files import output_file, write_atomically
from .graph_view import draw

FORMATS = ("svg", "png", "pdf", "dot")

INSTALL_HINT = (
    "Graphviz's 'dot' program is needed to render images, and it is not on PATH. Install Graphviz: "
    "Debian/Ubuntu 'sudo apt-get install graphviz', macOS 'brew install graphviz', "
    "conda 'conda install -c conda-forge graphviz', Windows 'winget install graphviz' "
    "(then add its bin folder to PATH). Without it, microbp.draw(root).source still gives the DOT text, "
    "and render(root, 'graph.dot') still works.")


def render(root, path, **options) -> str:
    """Draw ``root``'s graph to ``path``; the format comes from the extension.

    Args:
        root: the output value.
        path: ``*.svg``, ``*.png``, ``*.pdf`` or ``*.dot`` (DOT needs no Graphviz install).
        **options: passed to ``microbp.draw`` (``theme``, ``rankdir``, ``collapse``, ...).

    Returns:
        The path written, as a string.

    Raises:
        ValueError: the extension is not one of the formats (checked before anything is drawn).
        OutputError: the path is a folder, in a folder that cannot be made or written, read-only,
            or the disk refuses the file (checked before drawing where possible).
        GraphvizNotFoundError: ``dot`` is not installed.
        DotFailedError: ``dot`` could not render the graph.

    Nothing is written when it fails, and a file it replaces keeps its permissions.

    >>> import os, tempfile
    >>> from microbp import Value
    >>> path = render(Value(2.0, label="x").tanh(), os.path.join(tempfile.mkdtemp(), "x.dot"))
    >>> path.endswith("x.dot")
    True
    """
    fmt = Path(os.fsdecode(path)).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"render: cannot tell the format from {os.fsdecode(path)!r}; "
                         f"end the file name with one of {', '.join('.' + f for f in FORMATS)}")
    path = output_file(path, "render", example=f"graph.{fmt}")
    graph = draw(root, **options)
    content = graph.source.encode("utf-8") if fmt == "dot" else image_bytes(graph, fmt)
    write_atomically(path, content, "render")
    return str(path)


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


def mimebundle(root) -> dict:
    """What Jupyter shows for a Value: its graph as SVG, or its repr when that cannot be drawn."""
    bundle = {"text/plain": repr(root)}
    try:
        bundle["image/svg+xml"] = image_bytes(draw(root), "svg").decode("utf-8")
    except Exception:       # no dot, too large, dot failed, a broken install: show the text, never a traceback
        pass
    return bundle
