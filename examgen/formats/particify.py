"""Particify's content CSV: what Particify (formerly ARSnova) imports into a content group
(its "Import from CSV") and writes when it exports one.

The columns are Particify's own (arsnova-server: ``model/export/ContentExport.java``), in
its order: format, body, additionalText, options, correctOptions, multiple,
abstentionsAllowed. Particify reads them with Jackson's CSV mapper, a header first and a
line break between the items of a list (``service/CsvService.java``); it takes a
separator from the first line, so the header holds neither ``;`` nor a tab.

- **body** and **additionalText** are Markdown with LaTeX: the bank's text as it stands
  (its light markup is Markdown's), and the explanation as the additional text.
- **options** are plain text with LaTeX (Particify renders no Markdown there), and
  **correctOptions** name the correct ones by their text, so two options may not read
  alike.
- A numeric question is ``NUMERIC``: its range as ``min−max`` (U+2212) and its answer as
  ``value±tolerance``. Particify splits the range at any minus sign, so a range below zero
  cannot be written; such a question is left out.
- An open question is ``TEXT``, answered in free text and not scored.

A question Particify's import cannot hold is left out with the reason: a short answer
(the import gives ``SHORT_ANSWER`` no accepted answers), a cloze or matching question
(no such content), or a picture (the file carries none). Scored and unscored contents
go together only into a content group of the kind "mixed".
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field

from examgen.core.model import (
    ChoiceQuestion,
    MultipleChoice,
    Numeric,
    OpenQuestion,
    Question,
    ShortAnswer,
    TrueFalse,
)
from examgen.formats.portable import one_line

COLUMNS = ("format", "body", "additionalText", "options", "correctOptions", "multiple",
           "abstentionsAllowed")
RANGE, TOLERANCE = "\u2212", "\u00b1"  # the separators Particify writes and reads


@dataclass
class ParticifyExport:
    rows: list[dict[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "id: why"


def particify_rows(questions: list[Question],
                   true_false: tuple[str, str] = ("True", "False")) -> ParticifyExport:
    """The questions Particify can hold as rows, the others named with the reason."""
    out = ParticifyExport()
    for q in questions:
        row = _row(q, true_false)
        if isinstance(row, str):
            out.skipped.append(f"{q.id}: {row}")
        else:
            out.rows.append(row)
    return out


def to_particify_csv(export: ParticifyExport) -> str:
    """The rows as Particify's CSV (UTF-8, a header, lists one item per line)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(export.rows)
    return buffer.getvalue()


def _row(q: Question, true_false: tuple[str, str]) -> dict[str, str] | str:
    """The question's row, or why Particify cannot hold it."""
    if q.image is not None:
        return "it has a picture, and Particify's CSV carries none (add it in Particify)"
    row = {"body": q.text, "additionalText": q.explanation or "", "options": "",
           "correctOptions": "", "multiple": "false", "abstentionsAllowed": "true"}
    if isinstance(q, ChoiceQuestion | TrueFalse):
        if isinstance(q, TrueFalse):
            options, correct = list(true_false), [q.answer, not q.answer]
        else:
            if any(o.image is not None for o in q.options):
                return "an option has a picture, and Particify's options are text"
            options = [one_line(o.text) for o in q.options]  # formulas kept
            correct = [o.correct for o in q.options]
        if len(set(options)) < len(options):
            return "two options read alike, and Particify names the correct ones by text"
        return {**row, "format": "CHOICE", "options": "\n".join(options),
                "correctOptions": "\n".join(o for o, c in zip(options, correct, strict=True)
                                            if c),
                "multiple": "true" if isinstance(q, MultipleChoice) else "false"}
    if isinstance(q, Numeric):
        if q.value - q.tolerance < 0:
            return ("its answer is below zero, and Particify's CSV cannot write a range "
                    "below zero")
        body = f"{q.text} ({q.unit})" if q.unit else q.text
        return {**row, "format": "NUMERIC", "body": body,
                "options": f"0{RANGE}{_number(_upper(q.value + q.tolerance))}",
                "correctOptions": f"{_number(q.value)}{TOLERANCE}{_number(q.tolerance)}"}
    if isinstance(q, OpenQuestion):
        return {**row, "format": "TEXT"}
    if isinstance(q, ShortAnswer):
        return ("Particify's import gives a short-answer content no accepted answers; "
                "use Moodle or the practice page")
    return f"type {q.type}: Particify has no such content"


def _upper(top: float) -> float:
    """The top of a numeric question's range: the power of ten at or above twice its
    largest accepted answer, so that the answer sits well inside (at least 1)."""
    return 10.0 ** max(0, math.ceil(math.log10(2 * top))) if top > 0 else 1.0


def _number(value: float) -> str:
    """A number as Java's Double.parseDouble reads it, without a trailing .0."""
    return f"{value:.12g}"
