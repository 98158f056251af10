"""What every outside format (Moodle XML, GIFT, ...) says of a question besides its
content: the name it is listed under and the tags that carry its place on the matrix,
and the one line of plain text the live polls hold. One definition, so that an export in
one format and in another name, tag and word alike."""

from __future__ import annotations

import re

from examgen.core.latex import formulas_in
from examgen.core.markup import to_plain
from examgen.core.model import (
    GAP_MARK,
    ChoiceQuestion,
    Matching,
    Numeric,
    OpenQuestion,
    Question,
    ShortAnswer,
)


def display_name(q: Question, readable: bool = False) -> str:
    """'gan-players: What are the two networks of a GAN called?', cut at a word; with
    ``readable``, formulas in plain characters instead of LaTeX."""
    text = " ".join(GAP_MARK.sub("___", to_plain(q.text, readable)).split())
    if len(text) > 60:
        text = text[:60].rsplit(" ", 1)[0] + "…"
    return f"{q.id}: {text}"


def one_line(text: str) -> str:
    """Bank text as the live-poll tools hold it (Kahoot, Particify, PINGO): plain, on one
    line, formulas as their LaTeX source."""
    return " ".join(to_plain(text).split())


TAG_LENGTH = 50  # Moodle's longest tag name


def tag_words(q: Question) -> list[str]:
    """The matrix tags (difficulty-*, knowledge-*, level-*), the group and source (group-*,
    source-*: the import reads them back) and the question's own."""
    words = [f"difficulty-{q.difficulty.value}", f"knowledge-{q.knowledge.value}",
             f"level-{q.level.value}"]
    if q.group:
        words.append(f"group-{q.group}")
    if source_tag(q):
        words.append(source_tag(q))
    words += q.tags
    return list(dict.fromkeys(w.replace(",", " ") for w in words))


def source_tag(q: Question) -> str:
    """The source as a tag, when a tag can hold it whole (short, no comma)."""
    tag = f"source-{q.source}"
    return tag if q.source and len(tag) <= TAG_LENGTH and "," not in tag else ""


def dropped(questions: list[Question], fmt: str) -> str:
    """One line naming what the format cannot carry of these questions, or ""."""
    counts: dict[str, int] = {}

    def count(what: str) -> None:
        counts[what] = counts.get(what, 0) + 1

    for q in questions:
        if q.source and not source_tag(q):
            count("source (too long for a tag, or with a comma)")
        if isinstance(q, OpenQuestion) and fmt == "moodle" and q.answer_lines % 5 and \
                q.answer_lines < 40:
            count("answer lines (rounded up to Moodle's steps of 5)")
        if isinstance(q, Matching) and any(formulas_in(t) for t in q.choices):
            count("formulas in matching answers (Moodle's menus show them as LaTeX)")
        if fmt != "gift":
            continue
        if q.points != 1:
            count("points (GIFT has none: Moodle gives 1; set them in the quiz)")
        if isinstance(q, OpenQuestion):
            count("answer lines (GIFT has none)")
            if q.model_answer:
                count("~model answer, as general feedback")
        if q.image is not None or (isinstance(q, ChoiceQuestion) and
                                   any(o.image for o in q.options)):
            count("pictures")
        if isinstance(q, Numeric) and q.unit:
            count("units")
        if isinstance(q, ShortAnswer) and q.case_sensitive:
            count("case sensitivity")
    lost = [f"{what}: {n} question(s)" for what, n in counts.items() if what[0] != "~"]
    moved = [f"{what[1:]}: {n} question(s)" for what, n in counts.items() if what[0] == "~"]
    return "; ".join(([f"Not carried: {'; '.join(lost)}"] if lost else [])
                     + ([f"carried elsewhere: {'; '.join(moved)}"] if moved else []))


_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.I)  # Windows


def portable_name(name: str, taken: dict[str, bytes | str] | set[str]) -> str:
    """A file name every system can hold: letters, digits, '.', '-', '_'; no Windows device
    name (CON, aux.png), no name of dots only, at most 100 characters, and not taken."""
    base = re.sub(r"[^A-Za-z0-9._-]", "_", name.replace("\\", "/").rsplit("/", 1)[-1])
    stem, dot, ext = base.rpartition(".") if "." in base.strip(".") else (base, "", "")
    stem, ext = stem.strip(".") or "picture", ext[:10]
    if _RESERVED.fullmatch(stem):
        stem = f"{stem}_"
    stem = stem[:100 - len(ext) - 5]
    candidate, n = f"{stem}{dot}{ext}", 2
    while f"images/{candidate}" in taken:
        candidate, n = f"{stem}-{n}{dot}{ext}", n + 1
    return candidate
