"""One question's mapping read into a ``Question``: the fields every question has, the
checks of its markup, its picture and its measured statistics; each type's own fields
are read by ``question_types``. A problem goes to the file's context with its line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from examgen.bank.fields import Fields, FileContext, is_text
from examgen.bank.question_types import TYPE_PARSERS
from examgen.core.errors import suggest
from examgen.core.glyphs import unprintable
from examgen.core.latex import formula_problem, formulas_in
from examgen.core.model import (
    TYPES,
    Difficulty,
    Knowledge,
    Observation,
    Question,
)
from examgen.core.yamlio import Node, Scalar, Value

COMMON_FIELDS = {
    "id", "topic", "difficulty", "knowledge", "points", "minutes", "type", "text",
    "explanation", "source", "image", "tags", "group", "stats",
}
TYPE_FIELDS = {
    "single": {"options"},
    "multiple": {"options"},
    "truefalse": {"answer"},
    "short": {"answers", "case_sensitive"},
    "numeric": {"value", "tolerance", "unit"},
    "open": {"model_answer", "answer_lines"},
    "cloze": {"gaps"},
    "matching": {"pairs", "distractors"},
}
ALL_FIELDS = COMMON_FIELDS.union(*TYPE_FIELDS.values())
REQUIRED = ("id", "difficulty", "knowledge", "type", "text")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def parse_question(node: Node, file_topic: str | None, ctx: FileContext) -> Question | None:
    """The question of ``node``, or None when it has a problem (reported to ``ctx``)."""
    before = len(ctx.problems)
    f = Fields(node, ctx)
    for key in REQUIRED:
        if key not in node:
            f.report(None, f"missing field '{key}'")
    if "topic" not in node and file_topic is None:
        f.report(None, "missing field 'topic' (give it here or once at the top of the file)")
    qtype = node.get("type")
    if qtype is not None and qtype not in TYPES:
        f.report("type", f"unknown type '{qtype}'{suggest(str(qtype), TYPES)}; "
                         f"valid: {', '.join(TYPES)}")
        qtype = None
    allowed = COMMON_FIELDS | (TYPE_FIELDS[qtype] if isinstance(qtype, str) else ALL_FIELDS)
    for key in node:
        if key not in allowed:
            f.report(key, f"unknown field '{key}'{_field_hint(key, allowed, qtype)}")
    qid = f.text("id")
    if "id" in node and qid and not _ID.match(qid):
        f.report("id", f"id '{qid}' must be letters, digits, '-', '_' or '.'")
    difficulty = _enum(f, "difficulty", Difficulty)
    knowledge = _enum(f, "knowledge", Knowledge)
    common: dict[str, Any] = dict(
        id=qid, topic=f.text("topic", file_topic or ""), difficulty=difficulty,
        knowledge=knowledge, text=_question_text(f),
        points=f.number("points", 1, strictly_above=True),
        minutes=f.number("minutes", 0, strictly_above=True) if "minutes" in node else None,
        explanation=f.text("explanation"), source=f.text("source"), group=f.text("group"),
        tags=_tags(f), image=_image(f, ctx), stats=_stats(f), file=ctx.display,
        line=node.line,
    )
    build = TYPE_PARSERS.get(qtype) if isinstance(qtype, str) else None
    question = build(f, common) if build else None
    _check_markup(f, node)
    if len(ctx.problems) > before:
        return None
    return question


def _tags(f: Fields) -> tuple[str, ...]:
    tags = f.node.get("tags", [])
    if isinstance(tags, list) and all(is_text(t) for t in tags):
        return tuple(str(t).strip() for t in tags)
    f.report("tags", "'tags' must be a list of words, e.g. [cnn, deepfakes]")
    return ()


# Fields in the light markup, where formulas may stand (literal fields never hold one).
MARKUP_FIELDS = ("text", "explanation", "model_answer")


def _check_markup(f: Fields, node: Node) -> None:
    """Every formula must parse, and every character must have a glyph to print with."""
    texts: list[Value | None] = [node[k] for k in MARKUP_FIELDS if k in node]
    for pair in node.get("pairs") or [] if node.get("type") == "matching" else []:
        if isinstance(pair, Node):
            texts += [pair.get("left"), pair.get("right")]
    distractors = node.get("distractors") if node.get("type") == "matching" else None
    texts += distractors if isinstance(distractors, list) else []
    for holder in [node, *[g for g in node.get("gaps") or [] if isinstance(g, Node)]]:
        options = holder.get("options") if isinstance(holder, Node) else None
        if isinstance(options, list):
            texts += [o.get("text") if isinstance(o, Node) else o for o in options]
    for value in texts:
        if not isinstance(value, Scalar):
            continue
        start = value.line + (1 if getattr(value, "block", False) else 0)
        for offset, latex in formulas_in(value):
            problem = formula_problem(latex)
            if problem:
                line = start + value.count("\n", 0, offset)
                f.report(None, f"formula ${latex}$: {problem}", line)
        for char, where in unprintable(value):
            line = start + value.count("\n", 0, value.find(char))
            f.ctx.warn(line, f"{f.label}: '{char}' (U+{ord(char):04X}) in {where} has no glyph "
                             "in examgen's fonts and would print as an empty box")


def _stats(f: Fields) -> tuple[Observation, ...]:
    """The measured statistics examgen calibrate wrote: checked, never trusted blindly."""
    items = f.node.get("stats")
    if items is None:
        return ()
    if not isinstance(items, list):
        f.report("stats", "'stats' is the list examgen calibrate writes; remove it to "
                          "start afresh")
        return ()
    out = []
    for item in items:
        line = getattr(item, "line", f.node.key_lines["stats"])
        if not isinstance(item, Node) or not {"exam", "n", "facility"} <= set(item):
            f.report(None, "every entry of 'stats' has exam, n and facility", line)
            continue
        n = f.number("n", 0, minimum=1, node=item, where="stats")
        facility = f.number("facility", 0, node=item, where="stats")
        if facility > 1:
            f.report(None, f"stats: 'facility' is a share from 0 to 1, not {facility:g}", line)
        discrimination = (f.number("discrimination", 0, minimum=-1, node=item, where="stats")
                          if "discrimination" in item else None)
        if not float(n).is_integer():
            f.report(None, f"stats: 'n' must be a whole number, not {n:g}", line)
        out.append(Observation(str(item["exam"]), str(item.get("date", "")), int(n),
                               facility, discrimination, str(item.get("cohort", ""))))
    return tuple(out)


def _field_hint(key: str, allowed: set[str], qtype: object) -> str:
    if key in ("level", "colour", "color"):
        return "; the level colour is derived from difficulty and knowledge: remove it"
    if key in ALL_FIELDS:
        return f"; '{key}' belongs to another question type than '{qtype}'"
    return suggest(key, allowed) or "; remove it or check its spelling"


def _enum(f: Fields, key: str, enum: type[Difficulty] | type[Knowledge]) -> Any:
    value = f.node.get(key)
    if value is None:
        return None
    valid = [e.value for e in enum]
    if value not in valid:
        f.report(key, f"unknown {key} '{value}'{suggest(str(value), valid)}; "
                      f"valid: {', '.join(valid)}")
        return None
    return enum(value)


def _question_text(f: Fields) -> str:
    """The question's text; empty only when a picture is the question (as Moodle allows:
    ``text: ""`` with ``image:``)."""
    value = f.node.get("text")
    if isinstance(value, str) and not value.strip() and "image" in f.node:
        return ""
    return f.text("text")


def _image(f: Fields, ctx: FileContext) -> Path | None:
    if "image" not in f.node:
        return None
    return f.picture(f.node["image"], "image", f.node.key_lines["image"])
