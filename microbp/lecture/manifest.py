"""Lecture frames in a folder, and the manifest that lets microbp remove only what it wrote.

``render_steps`` writes ``step-000.svg``, ``step-001.svg``, ... into a folder
the user names, which may hold anything else too. The folder's manifest,
``.microbp-frames``, lists each frame microbp wrote there with a hash of its
bytes; a stale frame is removed only when it is listed and unchanged.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from ..files import output_folder, write_atomically

MANIFEST = ".microbp-frames"
HEADER = "# microbp: the frames it wrote here (sha256, name); it removes only these, and only unchanged"
LINE = re.compile(r"([0-9a-f]{64})  (step-[0-9]{3,}\.(?:svg|png|pdf|dot))")


def write_frames(folder, frames: dict, caller: str = "render_steps") -> list:
    """Write ``frames`` (file name -> bytes) into ``folder``; remove the stale frames of an earlier run.

    Only what microbp wrote is ever removed: the folder's manifest,
    ``.microbp-frames``, lists every frame written there with a hash of its
    bytes. A listed frame of the same format that this run does not write is
    removed if its bytes are unchanged; every other file in the folder (notes,
    a hand-made ``step-1.svg``, an edited frame) stays as it is. Returns the paths written.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> _ = write_frames(folder, {"step-000.dot": b"a", "step-001.dot": b"b"})
    >>> open(os.path.join(folder, "step-1.dot"), "w").write("mine")
    4
    >>> [os.path.basename(p) for p in write_frames(folder, {"step-000.dot": b"c"})]
    ['step-000.dot']
    >>> sorted(os.listdir(folder))
    ['.microbp-frames', 'step-000.dot', 'step-1.dot']
    """
    folder = output_folder(folder, caller)
    written = {(name, _digest(content)) for name, content in frames.items()}
    earlier = _read_manifest(folder)
    _write_manifest(folder, earlier | written, caller)       # first, so a crash midway forgets nothing
    for name, content in frames.items():
        write_atomically(folder / name, content, caller)
    formats = {os.path.splitext(name)[1] for name in frames}
    others = set()          # frames of other formats, still as microbp wrote them
    for name, digest in earlier:
        if name in frames or not _unchanged(folder / name, digest):
            continue
        if os.path.splitext(name)[1] in formats:
            _remove(folder / name)          # a stale frame of this run's format
        else:
            others.add((name, digest))
    _write_manifest(folder, written | others, caller)
    return [str(folder / name) for name in frames]


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass            # gone already, or not ours to remove after all: leave it


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _unchanged(path: Path, digest: str) -> bool:
    """True when ``path`` is a plain file whose bytes are still the ones microbp wrote."""
    try:
        return path.is_file() and not path.is_symlink() and _digest(path.read_bytes()) == digest
    except OSError:
        return False


def _read_manifest(folder: Path) -> set:
    """(name, sha256) for each frame listed in the folder's manifest; lines of any other shape are ignored."""
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    return {(match[2], match[1]) for match in map(LINE.fullmatch, text.splitlines()) if match}


def _write_manifest(folder: Path, entries: set, caller: str) -> None:
    lines = [HEADER] + [f"{digest}  {name}" for name, digest in sorted(entries)]
    write_atomically(folder / MANIFEST, ("\n".join(lines) + "\n").encode("utf-8"), caller)
