"""A large CSV file's columns as integer codes into their distinct values.

A class of 10,000 students answering 100 questions is a million rows; Python's csv module
alone takes over a second for them, and a list of rows holds half a gigabyte. Answers
repeat (a hundred question ids, a few letters and point values), so each wanted column
becomes one code per row plus its distinct texts, and the caller checks every distinct
text once instead of every cell.

A file without quotes and with LF or CRLF line ends, such as the ``responses.csv``
``examgen grade`` writes, is split with NumPy; any other file (quoted cells, blank lines,
rows of another length) is read with the csv module, row by row, with the same result.
"""

from __future__ import annotations

import csv
import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

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
    # the fast split takes LF or CRLF line ends; quotes or a lone CR need the csv module
    plain = b'"' not in raw and raw.count(b"\r") == raw.count(b"\r\n")
    fast = _split(path, raw, wanted) if plain else None
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


CHUNK = 4 << 20  # bytes split at once: bounds the temporary arrays


def _split(path: Path, raw: bytes, wanted: set[str]) -> Columns | None:
    """Fields found with NumPy; None when a line is blank or has another number of cells
    than the header (the csv module then reads the file). Chunks are split on two
    threads: NumPy releases the interpreter lock while it works on an array."""
    data = raw if raw.endswith(b"\n") else raw + b"\n"
    first = data.find(b"\n")
    header = _header(path, data[:first].rstrip(b"\r"))
    width = len(header)
    if width == 0 or b"\n\n" in data or b"\n\r\n" in data:
        return None
    at = [i for i, name in enumerate(header) if name in wanted]
    bounds = []
    begin = first + 1
    while begin < len(data):
        stop = data.find(b"\n", min(begin + CHUNK, len(data) - 1)) + 1
        bounds.append((begin, stop))
        begin = stop
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        parts = list(pool.map(lambda span: _chunk(data, span, width, at), bounds))
    if any(part is None for part in parts):
        return None
    found = {i: _Distinct() for i in at}
    rows = 0
    for part in parts:
        assert part is not None
        count, columns = part
        for i, column in columns.items():
            if isinstance(column, _BadCell):
                raise InputError(f"{path}:{rows + column.row + 2}: {column.why}")
            found[i].add(*column)
        rows += count
    return Columns(header, {header[i]: _column(path, found[i].codes(), found[i].values)
                            for i in at}, np.arange(2, rows + 2))


def _chunk(data: bytes, span: tuple[int, int], width: int, at: list[int]
           ) -> tuple[int, dict[int, tuple[list[bytes], np.ndarray] | _BadCell]] | None:
    """The rows of ``data[span]``: their count and, per wanted column, its distinct
    fields and each row's index into them; None when a line has another number of cells."""
    begin, stop = span
    chunk = np.frombuffer(data, dtype=np.uint8, count=stop - begin, offset=begin)
    padded = np.concatenate((chunk, np.zeros(8, dtype=np.uint8)))
    separators = np.flatnonzero((chunk == 44) | (chunk == 10))
    if len(separators) % width:
        return None
    cuts = separators.reshape(-1, width)
    if (chunk[cuts[:, -1]] != 10).any() or (width > 1 and (chunk[cuts[:, :-1]] != 44).any()):
        return None
    starts = np.concatenate(([0], cuts[:-1, -1] + 1))
    line_end = cuts[:, -1] - (chunk[np.maximum(cuts[:, -1] - 1, 0)] == 13)
    columns: dict[int, tuple[list[bytes], np.ndarray] | _BadCell] = {}
    for i in at:
        left = starts if i == 0 else cuts[:, i - 1] + 1
        right = line_end if i == width - 1 else cuts[:, i]
        try:
            columns[i] = _distinct(_words(padded, left, right))
        except _BadCell as bad:
            columns[i] = bad
    return len(cuts), columns


def _words(padded: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Each field's bytes, zero-padded to whole 64-bit words, after its length: two rows
    are equal exactly when the fields are. ``padded``: the chunk and 8 zero bytes."""
    length = right - left
    longest = int(length.max()) if len(length) else 0
    if longest > MAX_CELL:
        raise _BadCell(int(np.argmax(length)), f"a cell of {longest:,} characters; a cell "
                       f"holds at most {MAX_CELL:,}")
    count = -(-max(longest, 1) // 8)
    # every byte offset read as a little-endian 64-bit number (unaligned, no copy)
    numbers = np.ndarray((len(padded) - 7,), dtype="<u8", buffer=padded, strides=(1,))
    words = np.empty((len(length), count + 1), dtype=np.uint64)
    words[:, 0] = length
    for i in range(count):
        at = np.minimum(left + 8 * i, len(numbers) - 1)
        words[:, i + 1] = numbers[at] & _KEEP[np.clip(length - 8 * i, 0, 8)]
    return words


# per number of bytes (0 to 8) of a field in a word, the mask that keeps them
_KEEP = np.array([(1 << (8 * n)) - 1 for n in range(8)] + [2**64 - 1], dtype=np.uint64)


def _distinct(words: np.ndarray) -> tuple[list[bytes], np.ndarray]:
    """The distinct fields and each row's index into them. Equal fields get equal codes: a
    hash of their words groups them, and every row is compared with its group's first,
    so a collision cannot merge two texts."""
    if words.shape[1] == 2 and int(words[:, 0].max(initial=0)) < 8:
        # up to 7 bytes: the bytes and the length fit one number exactly
        first, local = _group(words[:, 1] | (words[:, 0] << np.uint64(56)))
    else:
        factors = np.random.default_rng(0x5EED).integers(
            1, 2**63, size=words.shape[1], dtype=np.uint64) | np.uint64(1)
        digest = words[:, 0] * factors[0]
        for i in range(1, words.shape[1]):
            digest += words[:, i] * factors[i]
        first, local = _group(digest)
        if not (words == words[first][local]).all():
            _, first, local = np.unique(words, axis=0, return_index=True, return_inverse=True)
            local = local.reshape(-1)
    values = [words[row, 1:].tobytes()[:int(words[row, 0])] for row in first.tolist()]
    return values, local


class _Distinct:
    """A column's distinct fields over all chunks, and each row's code into them."""

    def __init__(self) -> None:
        self.values: list[bytes] = []
        self.index: dict[bytes, int] = {}
        self.parts: list[np.ndarray] = []

    def add(self, values: list[bytes], local: np.ndarray) -> None:
        known = []
        for value in values:
            if value not in self.index:
                self.index[value] = len(self.values)
                self.values.append(value)
            known.append(self.index[value])
        self.parts.append(np.array(known, dtype=np.int32)[local])

    def codes(self) -> np.ndarray:
        return np.concatenate(self.parts) if self.parts else np.zeros(0, dtype=np.int32)


def _group(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct key and every row's group. Answers repeat: when the
    first rows already hold every distinct key, a lookup replaces the sort."""
    sample, at = np.unique(keys[:4096], return_index=True)
    local = _lookup(sample, keys)
    if (sample[local] == keys).all():
        return at, local
    _, first, local = np.unique(keys, return_index=True, return_inverse=True)
    return first, local.reshape(-1)


def _lookup(sample: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Each key's index in the sorted ``sample`` if it is there (anything otherwise): a
    table indexed by a multiplicative hash when one without collisions is found among a
    few, else a binary search."""
    if len(sample) <= 256:
        for multiplier in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                           0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53):
            slots = (sample * np.uint64(multiplier)) >> np.uint64(48)
            if len(np.unique(slots)) == len(sample):
                table = np.zeros(1 << 16, dtype=np.int64)
                table[slots.astype(np.int64)] = np.arange(len(sample))
                found: np.ndarray = table[((keys * np.uint64(multiplier))
                                           >> np.uint64(48)).astype(np.int64)]
                return found
    return np.minimum(np.searchsorted(sample, keys), len(sample) - 1)


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
