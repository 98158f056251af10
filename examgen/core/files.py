"""Atomic writes: a reader never sees half a file or half a set of files, and a failed
run leaves what was there intact."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from examgen.core.errors import OutputError


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    _check_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_bytes(data))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_set(folder: Path, files: Mapping[str, bytes | str], last: str,
              remove: Iterable[str] = ()) -> None:
    """Write a whole set of files into ``folder`` or none of them.

    Everything is written to a staging folder beside ``folder`` first; only then are the
    files moved in, ``last`` (the manifest) at the end, and the files in ``remove`` (an
    earlier build's that this set replaces) deleted.
    """
    for name in files:
        _check_target(folder / name)
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".tmp"))
    try:
        for name, data in files.items():  # a name may hold a subfolder: annotated/x.pdf
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(_bytes(data))
            os.chmod(staging / name, 0o644)
        for name in sorted(files, key=lambda n: n == last):
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, folder / name)
        for name in remove:
            (folder / name).unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_target(path: Path) -> None:
    if path.exists() and not path.is_file():
        raise OutputError(f"{path} is a folder, not a file; move it away or write to another "
                          "place (-o)")
    if path.parent.exists() and not path.parent.is_dir():
        raise OutputError(f"{path.parent} is a file, not a folder; give another output folder")


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data
