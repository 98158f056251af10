"""PINGO's Moodle XML: the subset of Moodle XML that PINGO (Universität Paderborn) reads
when questions are imported into its catalogue.

Written after PINGO's own importer (PINGOWebApp: ``app/parsers/moodle_xml_parser.rb``),
whose rules differ from Moodle's, and where one wrong element fails the whole file:

- ``multichoice`` is a single-choice question when its ``<single>`` element has any text
  at all ("false" too), and a multiple-choice question only when it is empty; a
  ``truefalse`` question without ``<single>`` fails the file. So single-choice and
  true/false questions are written as ``multichoice`` with ``<single>true</single>``, and
  multiple-choice ones with an empty ``<single/>``.
- An answer is correct when its fraction, read as a whole number, is above zero; a
  fraction with decimals ("33.33333", as Moodle writes it) fails the file. So each
  correct answer has fraction 100 and each wrong one 0. (Moodle would refuse these
  grades for a multiple-choice question: this file is for PINGO; ``export moodle`` writes
  Moodle's.)
- ``numerical``, ``shortanswer`` and ``essay`` become PINGO's number and free-text
  questions, without their answers (PINGO polls, it does not score them); ``match`` (not
  Moodle's ``matching``) is PINGO's matching question, a ``<subquestion>`` per pair.
- PINGO shows the question and the options as plain text, and typesets ``$...$`` with
  MathJax when the session has LaTeX turned on: texts are written plain, formulas kept.
- Cloze questions (PINGO refuses them) and pictures (PINGO reads no files) are left out
  with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from examgen.core.model import (
    ChoiceQuestion,
    Matching,
    MultipleChoice,
    Numeric,
    OpenQuestion,
    Question,
    ShortAnswer,
    TrueFalse,
)
from examgen.formats.portable import one_line


@dataclass
class PingoExport:
    xml: str = ""
    written: int = 0
    skipped: list[str] = field(default_factory=list)  # "id: why"
    notes: list[str] = field(default_factory=list)


def to_pingo_xml(questions: list[Question],
                 true_false: tuple[str, str] = ("True", "False")) -> PingoExport:
    """The questions PINGO can import, as its Moodle XML; the others named with the
    reason."""
    out = PingoExport()
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n']
    for q in questions:
        body = _body(q, true_false, out.notes)
        if isinstance(body, str):
            out.skipped.append(f"{q.id}: {body}")
            continue
        kind, inner = body
        parts.append(f"  <question type={quoteattr(kind)}>\n"
                     f"    <name><text>{escape(q.id)}</text></name>\n"
                     f'    <questiontext format="plain_text"><text>{_plain(q.text)}</text>'
                     f"</questiontext>\n{inner}  </question>\n")
        out.written += 1
    parts.append("</quiz>\n")
    out.xml = "".join(parts)
    return out


def _body(q: Question, true_false: tuple[str, str], notes: list[str]
          ) -> tuple[str, str] | str:
    """The question's type and its elements after the text, or why PINGO cannot hold
    it."""
    if q.image is not None:
        return "it has a picture, and PINGO's import reads no files (add it in PINGO)"
    if isinstance(q, ChoiceQuestion | TrueFalse):
        if isinstance(q, TrueFalse):
            options = [(true_false[0], q.answer), (true_false[1], not q.answer)]
        elif any(o.image is not None for o in q.options):
            return "an option has a picture, and PINGO's options are text"
        else:
            options = [(o.text, o.correct) for o in q.options]
        answers = "".join(f'    <answer fraction="{100 if right else 0}">'
                          f"<text>{_plain(text)}</text></answer>\n"
                          for text, right in options)
        single = "<single/>" if isinstance(q, MultipleChoice) else "<single>true</single>"
        return "multichoice", f"{answers}    {single}\n"
    if isinstance(q, Numeric):
        return "numerical", (f'    <answer fraction="100"><text>{q.value:.12g}</text>'
                             f"<tolerance>{q.tolerance:.12g}</tolerance></answer>\n")
    if isinstance(q, ShortAnswer | OpenQuestion):
        return "shortanswer" if isinstance(q, ShortAnswer) else "essay", ""
    if isinstance(q, Matching):
        if q.distractors:
            notes.append(f"{q.id}: its {len(q.distractors)} extra right-hand item(s) are "
                         "left out; PINGO's matching question pairs every item")
        pairs = "".join(f"    <subquestion><text>{_plain(p.left)}</text>"
                        f"<answer><text>{_plain(p.right)}</text></answer></subquestion>\n"
                        for p in q.pairs)
        return "match", pairs
    return f"type {q.type}: PINGO's import refuses it"


def _plain(text: str) -> str:
    """Plain text on one line, formulas kept as ``$...$``, escaped for XML."""
    return escape(one_line(text))
