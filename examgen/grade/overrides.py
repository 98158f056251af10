"""A filled-in review.csv read back: what a person decided, by copy and item.

Only lines with a decision count; every other column is there for the person and is
ignored, so a spreadsheet may reorder or add columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from examgen.core.csv_cells import read_rows
from examgen.core.errors import InputError


@dataclass(frozen=True)
class Decision:
    text: str
    where: str  # FILE:LINE, for the message when the decision does not fit


def read_overrides(path: Path) -> dict[tuple[int, str], Decision]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the decisions ({exc})") from None
    rows = read_rows(path, text)
    if not rows or not {"copy", "item", "decision"} <= set(rows[0]):
        raise InputError(f"{path}:1: not a review file: it needs the columns copy, item and "
                         "decision (give the review.csv that examgen grade wrote)")
    column = {name: rows[0].index(name) for name in ("copy", "item", "decision")}
    out: dict[tuple[int, str], Decision] = {}
    for line, row in enumerate(rows[1:], start=2):
        cells = {name: row[i].strip() if i < len(row) else "" for name, i in column.items()}
        if not cells["decision"]:
            continue
        if cells["item"] == "page":
            raise InputError(f"{path}:{line}: a page problem cannot be decided here: scan the "
                             "page again or leave the decision empty")
        if not cells["copy"].isdigit():
            raise InputError(f"{path}:{line}: 'copy' must be the copy number, not "
                             f"{cells['copy']!r}")
        out[(int(cells["copy"]), cells["item"])] = Decision(cells["decision"],
                                                           f"{path}:{line}")
    return out
