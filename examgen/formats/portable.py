"""What every outside format (Moodle XML, GIFT, ...) says of a question besides its
content: the name it is listed under and the tags that carry its place on the matrix.
One definition, so that an export in one format and in another name and tag alike."""

from __future__ import annotations

from examgen.core.markup import to_plain
from examgen.core.model import GAP_MARK, Question


def display_name(q: Question) -> str:
    """'gan-players: What are the two networks of a GAN called?', cut at a word."""
    text = " ".join(GAP_MARK.sub("___", to_plain(q.text)).split())
    if len(text) > 60:
        text = text[:60].rsplit(" ", 1)[0] + "…"
    return f"{q.id}: {text}"


def tag_words(q: Question) -> list[str]:
    """The matrix tags (difficulty-*, knowledge-*, level-*) and the question's own."""
    words = [f"difficulty-{q.difficulty.value}", f"knowledge-{q.knowledge.value}",
             f"level-{q.level.value}", *q.tags]
    return list(dict.fromkeys(w.replace(",", " ") for w in words))
