"""A large CSV file's columns as integer codes into their distinct values.

A class of 10,000 students answering 100 questions is a million rows; Python's csv module
alone takes over a second for them, and a list of rows holds half a gigabyte. Answers
repeat (a hundred question ids, a few letters and point values), so each wanted column
becomes one code per row plus its distinct texts, and the caller checks every distinct
text once instead of every cell.

A file without quotes or carriage returns in its cells, such as the ``responses.csv``
``examgen grade`` writes, is split with NumPy; any other file is read with the csv module,
row by row, with the same result.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from examgen.core.csv_cells import MAX_CELL, unescape
from examgen.core.errors import InputError


@dataclass(frozen=True)
class Column:
    codes: np.ndarray  # int per row: the index of its text in ``values``
    values: list[str]  # the distinct texts, unescaped


@dataclass(frozen=True)
class Columns:
    header: list[str]
    columns: dict[str, Column]  # the wanted columns the header has
    lines: np.ndarray  # per row, its line in the file (1 is the header)


def read_columns(path: Path, wanted: set[str]) -> Columns:
    """The ``wanted`` columns of the file; blank lines are skipped, a short row's missing
    cells are empty, a broken file is an input error at its line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\r" in raw and b"\r" not in raw.replace(b"\r\n", b""):
        raw = raw.replace(b"\r\n", b"\n")
    fast = None if b'"' in raw or b"\r" in raw else _split(path, raw, wanted)
    return fast if fast is not None else _read_slowly(path, raw, wanted)


class _BadCell(Exception):
    def __init__(self, row: int, why: str):
        super().__init__(why)
        self.row, self.why = row, why


def _header(path: Path, first: bytes) -> list[str]:
    try:
        return next(csv.reader([first.decode("utf-8")]), [])
    except UnicodeDecodeError:
        raise InputError(f"{path}:1: not UTF-8 text; save the file as CSV UTF-8") from None


CHUNK = 8 << 20  # bytes split at once: bounds the temporary arrays


def _split(path: Path, raw: bytes, wanted: set[str]) -> Columns | None:
    """Fields found with NumPy; None when a line is blank or has another number of cells
    than the header (the csv module then reads the file)."""
    data = raw if raw.endswith(b"\n") else raw + b"\n"
    first = data.find(b"\n")
    header = _header(path, data[:first])
    width = len(header)
    if width == 0 or b"\n\n" in data:
        return None
    at = {i: name for i, name in enumerate(header) if name in wanted}
    found = {i: _Distinct() for i in at}
    rows = 0
    begin = first + 1
    while begin < len(data):
        stop = data.find(b"\n", min(begin + CHUNK, len(data) - 1)) + 1
        chunk = np.frombuffer(data, dtype=np.uint8, count=stop - begin, offset=begin)
        separators = np.flatnonzero((chunk == 44) | (chunk == 10))
        if len(separators) % width:
            return None
        cuts = separators.reshape(-1, width)
        if (chunk[cuts[:, -1]] != 10).any() or (width > 1 and (chunk[cuts[:, :-1]] != 44).any()):
            return None
        starts = np.concatenate(([0], cuts[:-1, -1] + 1))
        for i in at:
            left = starts if i == 0 else cuts[:, i - 1] + 1
            try:
                found[i].add(_words(chunk, left, cuts[:, i]))
            except _BadCell as bad:
                raise InputError(f"{path}:{rows + bad.row + 2}: {bad.why}") from None
        rows += len(cuts)
        begin = stop
    columns = {name: _column(path, found[i].codes(), found[i].values)
               for i, name in at.items()}
    return Columns(header, columns, np.arange(2, rows + 2))


def _words(chunk: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Each field's bytes, zero-padded to whole 64-bit words, after its length: two rows
    are equal exactly when the fields are."""
    length = right - left
    longest = int(length.max()) if len(length) else 0
    if longest > MAX_CELL:
        raise _BadCell(int(np.argmax(length)), f"a cell of {longest:,} characters; a cell "
                       f"holds at most {MAX_CELL:,}")
    count = -(-max(longest, 1) // 8)
    padded = np.concatenate((chunk, np.zeros(8 * count, dtype=np.uint8)))
    words = np.empty((len(length), count + 1), dtype=np.uint64)
    words[:, 0] = length
    words[:, 1:] = sliding_window_view(padded, 8 * count)[left].view(np.uint64)
    words[:, 1:] &= _keep(count)[length]  # the bytes after the field are not its own
    return words


def _keep(count: int) -> np.ndarray:
    """Per field length (row), the masks that keep its bytes in each of ``count`` words."""
    keep = np.zeros((8 * count + 1, 8 * count), dtype=np.uint8)
    keep[np.tril_indices(8 * count + 1, -1, 8 * count)] = 255
    return keep.view(np.uint64)


class _Distinct:
    """A column's distinct fields over all chunks, and each row's code into them."""

    def __init__(self) -> None:
        self.values: list[bytes] = []
        self.index: dict[bytes, int] = {}
        self.parts: list[np.ndarray] = []

    def add(self, words: np.ndarray) -> None:
        """Equal fields get equal codes: a hash of their words groups them, and every row
        is compared with its group's first, so a collision cannot merge two texts."""
        factors = np.random.default_rng(0x5EED).integers(1, 2**63, size=words.shape[1],
                                                         dtype=np.uint64) | np.uint64(1)
        digest = words[:, 0] * factors[0]
        for i in range(1, words.shape[1]):
            digest += words[:, i] * factors[i]
        _, first, local = np.unique(digest, return_index=True, return_inverse=True)
        local = local.reshape(-1)
        if not (words == words[first][local]).all():
            _, first, local = np.unique(words, axis=0, return_index=True, return_inverse=True)
            local = local.reshape(-1)
        known = []
        for row in first.tolist():
            value = words[row, 1:].tobytes()[:int(words[row, 0])]
            if value not in self.index:
                self.index[value] = len(self.values)
                self.values.append(value)
            known.append(self.index[value])
        self.parts.append(np.array(known, dtype=np.int32)[local])

    def codes(self) -> np.ndarray:
        return np.concatenate(self.parts) if self.parts else np.zeros(0, dtype=np.int32)


def _column(path: Path, codes: np.ndarray, values: list[bytes]) -> Column:
    texts = []
    for i, value in enumerate(values):
        try:
            texts.append(unescape(value.decode("utf-8")))
        except UnicodeDecodeError:
            line = int(np.argmax(codes == i)) + 2
            raise InputError(f"{path}:{line}: not UTF-8 text; save the file as CSV "
                             "UTF-8") from None
    return Column(codes, texts)


def _read_slowly(path: Path, raw: bytes, wanted: set[str]) -> Columns:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text; save the file as CSV UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        at = {name: i for i, name in enumerate(header) if name in wanted}
        seen: dict[str, dict[str, int]] = {name: {} for name in at}
        codes: dict[str, list[int]] = {name: [] for name in at}
        lines: list[int] = []
        start = reader.line_num + 1
        for row in reader:
            if row and "".join(row).strip():
                lines.append(start)
                for name, i in at.items():
                    cell = unescape(row[i]) if i < len(row) else ""
                    codes[name].append(seen[name].setdefault(cell, len(seen[name])))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: not readable as CSV ({exc}); a cell "
                         f"holds at most {MAX_CELL:,} characters") from None
    return Columns(header, {name: Column(np.array(codes[name], dtype=np.int64),
                                         list(seen[name])) for name in at},
                   np.array(lines, dtype=np.int64))
