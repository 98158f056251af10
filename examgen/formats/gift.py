"""GIFT, Moodle's plain-text question format, written to the rules of Moodle's importer
(question/format/gift/format.php).

Every text goes out as ``[html]`` (the bank's markup translated, formulas as ``\\(...\\)``)
with GIFT's special characters escaped: ``\\ # = ~ { } :`` and line breaks as ``\\n``.
Grades are Moodle's own steps, as in the Moodle XML export. What GIFT cannot say is left
out and reported, never written half: a cloze question with more than one gap (GIFT has
one gap per question, the "missing word" form), a numeric unit, a case-sensitive short
answer, and pictures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from examgen.core.markup import to_html, to_plain
from examgen.core.model import (
    GAP_MARK,
    ChoiceGap,
    ChoiceQuestion,
    Cloze,
    Matching,
    MultipleChoice,
    Numeric,
    OpenQuestion,
    Question,
    ShortAnswer,
    TextGap,
    TrueFalse,
    assert_never,
    format_number,
)
from examgen.core.scoring import moodle_grades
from examgen.formats.frozen_draws import category_parts
from examgen.formats.portable import display_name, tag_words

_SPECIAL = {"\\": "\\\\", "#": "\\#", "=": "\\=", "~": "\\~", "{": "\\{", "}": "\\}",
            ":": "\\:", "\n": "\\n", "\r": ""}


@dataclass
class GiftExport:
    text: str
    skipped: list[str] = field(default_factory=list)  # "id: why", for the lecturer
    notes: list[str] = field(default_factory=list)  # what was written with less


def escape(text: str) -> str:
    """A text GIFT's importer gives back as exactly these characters."""
    return "".join(_SPECIAL.get(c, c) for c in text)


def _html(text: str) -> str:
    return "[html]" + escape(to_html(text))


def _weight(percent: float) -> str:
    return f"%{format_number(percent)}%"


def to_gift(questions: list[Question], root: str) -> GiftExport:
    """The questions as GIFT, one category per topic below ``root``."""
    out = GiftExport("")
    parts: list[str] = []
    category: tuple[str, ...] = ()
    for q in questions:
        if not q.text.strip():
            out.skipped.append(f"{q.id}: its text is only its picture, and GIFT carries "
                               "no files")
            continue
        if isinstance(q, ChoiceQuestion) and any(not o.text for o in q.options):
            out.skipped.append(f"{q.id}: an option is only its picture, and GIFT carries "
                               "no files")
            continue
        body = _question(q, out)
        if body is None:
            continue
        if category_parts(q) != category:
            category = category_parts(q)
            parts.append(f"$CATEGORY: $course$/top/{'/'.join((root, *category))}\n")
        tags = " ".join(f"[tag:{w.replace(']', '')}]" for w in tag_words(q))
        parts.append(f"// [id:{q.id}] {tags}\n::{escape(display_name(q))}::{body}\n")
        if q.image is not None:
            out.notes.append(f"{q.id}: its picture is left out (GIFT carries no files)")
        if isinstance(q, ChoiceQuestion) and any(o.image for o in q.options):
            out.notes.append(f"{q.id}: its options' pictures are left out (GIFT carries no "
                             "files)")
    out.text = "\n".join(parts)
    return out


def _question(q: Question, out: GiftExport) -> str | None:
    general = q.explanation
    if isinstance(q, OpenQuestion) and q.model_answer:  # GIFT's only place for it
        general = "\n\n".join(t for t in (f"**Model answer:** {q.model_answer}",
                                           q.explanation) if t)
    feedback = f"####{_html(general)}" if general else ""
    match q:
        case ChoiceQuestion():
            grades = moodle_grades(q)
            single = not isinstance(q, MultipleChoice)
            lines = []
            for grade, option in zip(grades, q.options, strict=True):
                mark = ("=" if grade == 100 else "~") if single else "~" + _weight(grade)
                lines.append(f"\t{mark}{_html(option.text)}\n")
            return f"{_html(q.text)}{{\n{''.join(lines)}{feedback}}}"
        case TrueFalse():
            return f"{_html(q.text)}{{{'TRUE' if q.answer else 'FALSE'}{feedback}}}"
        case ShortAnswer():
            if q.case_sensitive:
                out.notes.append(f"{q.id}: GIFT cannot say 'case sensitive'; Moodle will "
                                 "accept any case")
            answers = "".join(f"\t={escape(a.replace('*', chr(92) + '*'))}\n"
                              for a in q.answers)
            return f"{_html(q.text)}{{\n{answers}{feedback}}}"
        case Numeric():
            if q.unit:
                out.notes.append(f"{q.id}: GIFT has no units; the unit '{q.unit}' is left out")
            # digits, '.', '-' and 'e' only: nothing to escape, and ':' is GIFT's here
            value = f"{format_number(q.value)}:{format_number(q.tolerance)}"
            return f"{_html(q.text)}{{#{value}{feedback}}}"
        case OpenQuestion():
            return f"{_html(q.text)}{{{feedback}}}"
        case Cloze():
            return _missing_word(q, out, feedback)
        case Matching():
            return _matching(q, out, feedback)
        case _:
            assert_never(q)


def _matching(q: Matching, out: GiftExport, feedback: str) -> str | None:
    """'=left -> right' per pair, '= -> right' per distractor (as Moodle writes them)."""
    if any("->" in p.left for p in q.pairs):
        out.skipped.append(f"{q.id}: a left item holds '->', which GIFT reads as the arrow "
                           "to its partner; use the Moodle XML export")
        return None
    # the right items are plain text in Moodle's menus: no markup, formulas as source
    lines = [f"\t={_html(p.left)} -> {escape(to_plain(p.right))}\n" for p in q.pairs]
    lines += [f"\t= -> {escape(to_plain(d))}\n" for d in q.distractors]
    return f"{_html(q.text)}{{\n{''.join(lines)}{feedback}}}"


def _missing_word(q: Cloze, out: GiftExport, feedback: str) -> str | None:
    """GIFT's one gap per question: 'text {=answer} text'. More gaps cannot be said."""
    if len(q.gaps) != 1:
        out.skipped.append(f"{q.id}: a cloze question with {len(q.gaps)} gaps (GIFT has one "
                           "gap per question; use the Moodle XML export)")
        return None
    before, _, after = GAP_MARK.split(q.text, maxsplit=1)
    gap = q.gaps[0]
    match gap:
        case ChoiceGap():
            answers = "".join(f"{'=' if o.correct else '~'}{_html(o.text)} "
                              for o in gap.options)
        case TextGap():
            answers = "".join(f"={escape(a.replace('*', chr(92) + '*'))} "
                              for a in gap.answers)
        case _:
            assert_never(gap)
    tail = _html(after) if after.strip() else ""
    return f"{_html(before)}{{{answers}{feedback}}}{tail.removeprefix('[html]')}"
