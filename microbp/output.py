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

import errno
import os
import secrets
import stat
import subprocess
from pathlib import Path

from .drawing import draw
from .errors import DotFailedError, GraphvizNotFoundError
from .paths import output_file, write_error

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


def write_atomically(path, content: bytes, caller: str = "write") -> None:
    """Write ``content`` to ``path`` all at once, or not at all.

    The bytes go to a temporary file in the same folder (``.mbp-XXXXXXXX.tmp``,
    short, so it fits wherever the final name does), which is then moved over
    ``path``. A file replaced keeps its permission bits; a new one gets
    0o666 less the umask, as ``open`` gives. A symbolic link is followed: its
    target is replaced and the link kept. On failure the temporary file is
    removed and ``OutputError`` says why and what to do.

    >>> import os, stat, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "private.txt")
    >>> _ = open(path, "w"); os.chmod(path, 0o600)
    >>> write_atomically(path, b"new")
    >>> open(path, "rb").read(), oct(stat.S_IMODE(os.stat(path).st_mode))
    (b'new', '0o600')
    """
    path = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = _mode(path)
        temporary, handle = _temporary_file(path.parent)
    except OSError as error:
        raise write_error(error, path, caller) from error
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as error:
        _remove(temporary)
        if isinstance(error, OSError):
            raise write_error(error, path, caller) from error
        raise


def _mode(path: Path):
    """The permission bits of the file at ``path``, or None if there is none."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode) & 0o777
    except FileNotFoundError:
        return None


def _temporary_file(folder: Path) -> tuple:
    """A new, empty file in ``folder``, created 0o666 less the umask: (its path, an open descriptor)."""
    for _ in range(100):
        temporary = folder / f".mbp-{secrets.token_hex(4)}.tmp"
        try:
            return temporary, os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                                      0o666)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def mimebundle(root) -> dict:
    """What Jupyter shows for a Value: its graph as SVG, or its repr when that cannot be drawn."""
    bundle = {"text/plain": repr(root)}
    try:
        bundle["image/svg+xml"] = image_bytes(draw(root), "svg").decode("utf-8")
    except Exception:       # no dot, too large, dot failed, a broken install: show the text, never a traceback
        pass
    return bundle
