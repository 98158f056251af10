"""CSV as examgen writes and reads it back: one writer for every CSV file, with cells a
spreadsheet would run as a formula escaped as OWASP recommends.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe, which spreadsheets show as text and do not evaluate; a plain number
("-0.25") is no formula and stays a number. examgen's own readers (``unescape``) take the
apostrophe off again, so a text such as "-" survives the round trip through the results,
review and responses files.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from examgen.core.errors import InputError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def escape(cell: object) -> str:
    """The cell as CSV text, defused when a spreadsheet would read it as a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if _formula(text.lstrip("'")) else text


def unescape(cell: str) -> str:
    """A cell as ``escape`` wrote it, back as it was."""
    return cell[1:] if cell.startswith("'") and _formula(cell.lstrip("'")) else cell


def _line_feeds(cell: object) -> str:
    text = "" if cell is None else str(cell)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _formula(text: str) -> bool:
    """Whether a spreadsheet may run ``text``; apostrophes before it are escapes."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


MAX_CELL = csv.field_size_limit()  # characters in one cell: 131,072


def read_rows(path: object, text: str) -> list[list[str]]:
    """The rows of a CSV file's ``text``, each cell as ``escape`` would have written it
    before; a cell over ``MAX_CELL`` characters, or a broken quote, is an input error
    at its line."""
    reader = csv.reader(text.splitlines())
    try:
        return [[unescape(c) for c in row] for row in reader]
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: not readable as CSV ({exc}); a cell "
                         f"holds at most {MAX_CELL:,} characters") from None


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as CSV with "\\n" line ends, every cell through ``escape``; a carriage return
    inside a cell becomes a line feed (the writer would leave it unquoted)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [escape(_line_feeds(c)) for c in row] for row in rows)
    return out.getvalue()
