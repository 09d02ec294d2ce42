"""Where output may go: checked before any work is done, and operating-system errors said plainly.

Every writer (``render``, ``slideshow``, ``render_steps``, the command line)
checks its path here first, so a bad path is refused before ``dot`` runs, with
a message that names the caller, the path, and what to do.

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> output_file(os.path.join(folder, "graph.svg"), "render").name
'graph.svg'
>>> output_file(folder, "render")   # doctest: +ELLIPSIS
Traceback (most recent call last):
  ...
microbp.errors.OutputError: render: '...' is a folder, not a file; give a file name inside it, such as '...graph.svg'
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from .errors import OutputError

HINTS = {   # errno -> what to do about it
    errno.EACCES: "choose a folder you can write to",
    errno.EPERM: "choose a folder you can write to",
    errno.EROFS: "the disk is read-only: choose a folder on another disk",
    errno.ENOSPC: "the disk is full: free some space or choose another disk",
    getattr(errno, "EDQUOT", errno.ENOSPC): "the disk quota is used up: free some space or choose another disk",
    errno.ENAMETOOLONG: "choose a shorter name",
    errno.EISDIR: "it is a folder: give a file name inside it",
    errno.ENOTDIR: "part of the path is a file, not a folder: choose another path",
}


def output_file(path, caller: str, example: str = "graph.svg") -> Path:
    """``path`` as a Path, or ``OutputError`` if a file cannot be written (or replaced) there.

    ``example`` is the file name suggested when ``path`` is a folder.

    >>> output_file("graphs/new/neuron.svg", "render").name     # missing folders are made when writing
    'neuron.svg'
    """
    text = _path_text(path, caller)
    if text.endswith(("/", os.sep)) or os.path.isdir(text):
        raise OutputError(f"{caller}: {text!r} is a folder, not a file; give a file name inside it, "
                          f"such as {os.path.join(text, example)!r}")
    if os.path.isfile(text) and not os.access(text, os.W_OK):
        raise OutputError(f"{caller}: {text!r} is read-only; make it writable or choose another name")
    _check_folder(Path(text).parent, caller)
    return Path(text)


def html_file(path, caller: str, example: str) -> Path:
    """``output_file`` for a page: ``ValueError`` unless the name ends in ``.html`` (or ``.htm``).

    >>> html_file("lecture.svg", "slideshow", "lecture.html")
    Traceback (most recent call last):
      ...
    ValueError: slideshow: the file name must end in .html, got 'lecture.svg'
    """
    if Path(path).suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"{caller}: the file name must end in .html, got {str(Path(path))!r}")
    return output_file(path, caller, example=example)


def output_folder(path, caller: str) -> Path:
    """``path`` as a Path, or ``OutputError`` if files cannot be written into a folder there.

    >>> import tempfile
    >>> output_folder(tempfile.mkstemp()[1], "render_steps")    # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    microbp.errors.OutputError: render_steps: '...' is a file, not a folder; give a folder name
    """
    text = _path_text(path, caller)
    if _exists(text.rstrip("/" + os.sep) or text) and not os.path.isdir(text.rstrip("/" + os.sep) or text):
        raise OutputError(f"{caller}: {text!r} is a file, not a folder; give a folder name")
    _check_folder(Path(text), caller)
    return Path(text)


def write_error(error: OSError, path, caller: str) -> OutputError:
    """The ``OutputError`` to raise for an ``OSError`` met while writing ``path``.

    >>> import errno
    >>> print(write_error(OSError(errno.ENOSPC, "No space left on device"), "g.svg", "render"))
    render: cannot write 'g.svg': No space left on device; the disk is full: free some space or choose another disk
    """
    hint = HINTS.get(error.errno, "choose another path")
    return OutputError(f"{caller}: cannot write {os.fspath(path)!r}: {error.strerror or error}; {hint}")


def _path_text(path, caller: str) -> str:
    text = os.fsdecode(os.fspath(path))
    if not text:
        raise OutputError(f"{caller}: the output path is empty; give a file name")
    if "\0" in text:
        raise OutputError(f"{caller}: the output path {text!r} holds a NUL character; give another name")
    return text


def _check_folder(folder: Path, caller: str) -> None:
    """The nearest folder that exists must be a folder that we may write into."""
    existing = next(p for p in [folder, *folder.parents] if _exists(p))
    if not os.path.isdir(existing):
        blocked = "" if existing == folder else f"cannot write into {str(folder)!r}: "
        raise OutputError(f"{caller}: {blocked}{str(existing)!r} is a file, not a folder; choose another path")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{caller}: cannot write into {os.fspath(existing)!r} (permission denied); "
                          f"choose a folder you can write to")


def _exists(path) -> bool:
    """True when something is at ``path`` (a file, a folder, a link), even if it cannot be read."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


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
