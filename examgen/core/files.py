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
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def file_mode(private: bool = False) -> int:
    """0644, or 0600 for files with personal data, each narrowed by the umask."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o600 if private else 0o644) & ~mask


def write_set(folder: Path, files: Mapping[str, bytes | str], last: str,
              remove: Iterable[str] = (), private: bool = False) -> None:
    """Write a whole set of files into ``folder`` or none of them.

    Everything is written to a staging folder inside ``folder`` first, and every folder
    a file goes to is checked to be writable; only then are the files moved in, ``last``
    (the manifest) at the end, and the files in ``remove`` (an earlier run's that this set
    replaces) deleted. Nothing is written or deleted through a link to elsewhere, and
    errors name ``folder``, never the staging folder. ``private`` files (results,
    grades: personal data) are readable by their owner only.
    """
    mode = file_mode(private)
    for name in files:
        _check_target(folder / name)
    _check_no_links(folder, [*files, *remove])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=".examgen-", suffix=".tmp"))
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write there ({exc.strerror or exc}); give "
                          "another output folder (-o)") from None
    try:
        for name, data in files.items():  # a name may hold a subfolder: annotated/x.pdf
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(_bytes(data))
            os.chmod(staging / name, mode)
        for target in sorted({(folder / name).parent for name in files}):
            if target.exists() and not os.access(target, os.W_OK | os.X_OK):
                raise OutputError(f"{target} is not writable; nothing was written (make it "
                                  "writable, or give another output folder with -o)")
        for name in sorted(files, key=lambda n: n == last):
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, folder / name)
        for name in remove:
            (folder / name).unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write there ({exc.strerror or exc}); give "
                          "another output folder (-o)") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_no_links(folder: Path, names: Iterable[str]) -> None:
    """Every file stays inside ``folder``: no folder on its way there is a link."""
    for name in names:
        for inner in reversed(Path(name).parents[:-1]):
            if (folder / inner).is_symlink():
                raise OutputError(f"{folder / inner} is a link to {os.readlink(folder / inner)}; "
                                  "examgen writes and deletes only inside the output folder: "
                                  "remove the link or give another output folder (-o)")


def _check_target(path: Path) -> None:
    if path.exists() and not path.is_file():
        raise OutputError(f"{path} is a folder, not a file; move it away or write to another "
                          "place (-o)")
    if path.parent.exists() and not path.parent.is_dir():
        raise OutputError(f"{path.parent} is a file, not a folder; give another output folder")


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data
