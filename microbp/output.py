"""Render a graph to a file (SVG, PNG, PDF or DOT), and inline in Jupyter.

Files are written atomically: the image is made in memory, written to a
temporary file beside the target and moved into place, so a failure leaves no
partial file and an existing file untouched.

>>> import os, tempfile
>>> from microbp import Value
>>> path = render(Value(2.0) * 3, os.path.join(tempfile.mkdtemp(), "graph.dot"))
>>> open(path).read().startswith("digraph microbp")
True
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .drawing import draw
from .errors import GraphvizNotFoundError, MicrobpError

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
        GraphvizNotFoundError: ``dot`` is not installed (nothing is written).

    >>> import os, tempfile
    >>> from microbp import Value
    >>> path = render(Value(2.0, label="x").tanh(), os.path.join(tempfile.mkdtemp(), "x.dot"))
    >>> path.endswith("x.dot")
    True
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"render: cannot tell the format from {str(path)!r}; "
                         f"end the file name with one of {', '.join('.' + f for f in FORMATS)}")
    graph = draw(root, **options)
    content = graph.source.encode("utf-8") if fmt == "dot" else image_bytes(graph, fmt)
    write_atomically(path, content)
    return str(path)


def image_bytes(graph, fmt: str) -> bytes:
    """Run ``dot`` on the graph, or raise GraphvizNotFoundError saying how to install it."""
    import graphviz

    try:
        return graph.pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFoundError(INSTALL_HINT) from None


def write_atomically(path: Path, content: bytes) -> None:
    """Write to a temporary file in the same folder, then move it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def mimebundle(root) -> dict:
    """What Jupyter shows for a Value: its graph as SVG, or its repr when that cannot be drawn."""
    bundle = {"text/plain": repr(root)}
    try:
        bundle["image/svg+xml"] = image_bytes(draw(root), "svg").decode("utf-8")
    except (MicrobpError, OSError, RuntimeError):   # no dot, too large, a broken install: no traceback
        pass
    return bundle
