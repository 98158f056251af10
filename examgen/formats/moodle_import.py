"""Moodle XML in: a Moodle question bank export turned into bank YAML, one file a category.

The reverse of ``moodle.py`` for everything the bank can hold: multichoice (single and
multiple), truefalse, shortanswer, numerical (tolerance, unit), essay, matching and
multianswer (cloze gaps: short answer and multiple choice), with pictures written next to
the YAML.
HTML is reduced to the bank's light markup: bold, italic, code, line breaks and MathJax
formulas; any other tag keeps its text and is named in the report. What the bank cannot
hold (other question types, per-answer feedback, hints, partial-credit answers) is named
in the report with the question; a question that cannot be held whole is not written.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from html import unescape
from typing import Any, BinaryIO
from xml.etree import ElementTree

from examgen.core.model import Difficulty, Knowledge, format_number
from examgen.core.scoring import penalty_share, share
from examgen.formats.moodle_html import as_html, literal, said, to_markup
from examgen.formats.moodle_stream import read_questions
from examgen.formats.portable import portable_name

TYPES = {"multichoice", "truefalse", "shortanswer", "numerical", "essay", "cloze", "matching"}
# Moodle's cloze parser (qtype_multianswer): an answer ends before ~, # or } unless a
# backslash or an entity's & stands before it.
_FRACTION = r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%"
_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
_ALT = rf"({_FRACTION})?({_ANSWER})(#(.*?(?<!\\)(?=[~}}]|$)))?"
_GAP = re.compile(r"\{([0-9]*):(SHORTANSWER|SA|MW|MULTICHOICE_S|MULTICHOICE|MCS|MC):"
                  rf"({_ALT}(~{_ALT})*)\}}", re.S)
_IMG = re.compile(r'<p>\s*<img[^>]*src="@@PLUGINFILE@@/([^"]+)"[^>]*>\s*</p>'
                  r'|<img[^>]*src="@@PLUGINFILE@@/([^"]+)"[^>]*>')


MAX_TEXT = 1_000_000  # characters of a question's texts: more is no exam question
MAX_PICTURE = 20_000_000  # bytes of one picture


@dataclass
class Entry:
    """One question read from the XML, with where it stands there."""

    topic: str
    question: dict[str, Any]
    where: str  # SOURCE:LINE of its <question>
    name: str


@dataclass
class Imported:
    files: dict[str, bytes | str] = field(default_factory=dict)  # relative name -> content
    report: list[str] = field(default_factory=list)
    questions: int = 0
    skipped: int = 0
    entries: list[Entry] = field(default_factory=list)


def import_moodle(xml: BinaryIO, source: str, topic_level: int = -1,
                  difficulty: str | None = None, knowledge: str | None = None,
                  report: list[str] | None = None) -> Imported:
    """The questions of a Moodle XML export (a file open for reading, read as a stream),
    each with its line; raises InputError for XML it cannot read. Notes go to
    ``report`` as they are found (the caller prints them even when a later step fails)."""
    result = Imported(report=report if report is not None else [])
    topic = "Imported"
    seen: set[str] = set()
    for raw in read_questions(xml, source, MAX_TEXT, MAX_PICTURE):
        element, where = raw.element, f"{source}:{raw.line}"
        kind = element.get("type", "")
        if kind == "category":
            path = element.findtext("category/text", "").strip()
            parts = [p for p in re.split(r"(?<!/)/(?!/)", path) if p]
            parts = [p.replace("//", "/") for p in parts if p not in ("$course$", "$system$",
                                                                      "$module$", "top")]
            if parts:
                topic = parts[max(-len(parts), min(topic_level, len(parts) - 1))]
            continue
        name = " ".join(element.findtext("name/text", "")[:200].split()) or "(no name)"
        notes: list[str] = []
        try:
            if raw.too_large:
                raise _Skip(f"{raw.too_large} (the limit of a question)")
            if kind == "description":
                raise _Skip("a description (text for the quiz, no question)")
            if kind not in TYPES:
                raise _Skip(f"type {kind or '(none)'} cannot be held by the bank")
            q = _question(element, kind, name, notes, result.files, difficulty, knowledge)
        except _Skip as exc:
            notes.append(f"{exc}; left out")
            result.skipped += 1
            result.report += [f"{where}: '{name}': {note}" for note in notes]
            continue
        result.report += [f"{where}: '{name}': {note}" for note in notes]
        base = q["id"]
        n = 2
        while q["id"] in seen:
            q["id"] = f"{base}-{n}"
            n += 1
        seen.add(q["id"])
        result.entries.append(Entry(topic, q, where, name))
        result.questions += 1
    return result


class _Skip(Exception):
    """A question the bank cannot hold whole."""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "imported"


def _markup(element: ElementTree.Element | None, what: str, notes: list[str]) -> str:
    html = element.findtext("text", "") if element is not None else ""
    text, other = to_markup(html, element.get("format") if element is not None else None)
    if other:
        notes.append(f"{what}: {said(other)}")
    return text


def _question(element: ElementTree.Element, kind: str, name: str, notes: list[str],
              files: dict[str, bytes | str], difficulty: str | None,
              knowledge: str | None) -> dict[str, Any]:
    tags = [t.text.strip() for t in element.findall("tags/tag/text") if t.text]
    cell = {"difficulty": difficulty, "knowledge": knowledge}
    extra: dict[str, str] = {}  # group and source, from the tags examgen writes
    own = []
    for tag in tags:
        axis, _, value = tag.partition("-")
        if axis in cell and value in ([d.value for d in Difficulty] if axis == "difficulty"
                                      else [k.value for k in Knowledge]):
            cell[axis] = value
        elif axis == "group" and re.fullmatch(r"group-[A-Za-z0-9._-]+", tag):
            extra["group"] = value
        elif axis == "source" and value:
            extra["source"] = value
        elif axis != "level":
            own.append(tag)
    if cell["difficulty"] is None or cell["knowledge"] is None:
        raise _Skip("no difficulty-* or knowledge-* tag; give --difficulty and --knowledge "
                    "to tag untagged questions")
    qid = (element.findtext("idnumber") or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9._-]+", qid):
        qid = slug(name.split(":")[0] if ":" in name else name)[:40]
    question_text = element.find("questiontext")
    html = question_text.findtext("text", "") if question_text is not None else ""
    q: dict[str, Any] = {"id": qid, "difficulty": cell["difficulty"],
                         "knowledge": cell["knowledge"]}
    images = [m.group(1) or m.group(2) for m in _IMG.finditer(html)]
    html = _IMG.sub("", html)
    if images:
        q["image"] = _image(question_text, images[0], files)
        if len(images) > 1:
            notes.append("only its first picture is kept")
    if element.find("hint") is not None:
        notes.append("hints are not kept")
    if any((a.findtext("feedback/text") or "").strip() for a in element.findall("answer")):
        notes.append("per-answer feedback is not kept")
    points = element.findtext("defaultgrade")
    body = _types(element, kind, html, q, notes, files,
                  question_text.get("format") if question_text is not None else None)
    if points and kind != "cloze":
        q["points"] = _number(points)
    q.update(body)
    explanation = _markup(element.find("generalfeedback"), "feedback", notes)
    if explanation:
        q["explanation"] = explanation
    q.update(extra)
    if own:
        q["tags"] = own
    return q


def _types(element: ElementTree.Element, kind: str, html: str, q: dict[str, Any],
           notes: list[str], files: dict[str, bytes | str],
           text_format: str | None = "html") -> dict[str, Any]:
    answers = element.findall("answer")
    if kind == "cloze":
        return _cloze(as_html(html, text_format), notes)
    text, other = to_markup(html, text_format)
    if other:
        notes.append(f"text: {said(other)}")
    if not text.strip() and "image" not in q:
        raise _Skip("its text is empty")
    out: dict[str, Any] = {"type": "", "text": text}
    if kind == "multichoice":
        single = (element.findtext("single") or "true").strip() == "true"
        fractions = [float(a.get("fraction", "0")) for a in answers]
        if single and sorted(fractions, reverse=True)[1:2] and \
                sorted(fractions, reverse=True)[1] > 0:
            raise _Skip("partial credit for a second option in a one-answer question")
        options: list[Any] = []
        kept: list[float] = []
        for n, (a, fraction) in enumerate(zip(answers, fractions, strict=True), start=1):
            option, why = _option(a, n, files)
            if option is None:
                if fraction > 0:
                    raise _Skip(f"its correct option {n} {why}")
                notes.append(f"option {n} {why}; left out")
                continue
            options.append({**option, "correct": True} if fraction > 0 else option)
            kept.append(fraction)
        notes.extend(_grades_not_kept(kept, single))
        if (element.findtext("shuffleanswers") or "true").strip() in ("false", "0") and options:
            options[-1]["fixed_order"] = True  # Moodle keeps all in place; the bank, the last
        out.update(type="single" if single else "multiple", options=options)
    elif kind == "truefalse":
        right = next((a.findtext("text", "").strip().lower() for a in answers
                      if float(a.get("fraction", "0")) > 0), "true")
        out.update(type="truefalse", answer=right == "true")
    elif kind == "shortanswer":
        full = [a for a in answers if float(a.get("fraction", "0")) >= 100]
        if len(full) < len(answers):
            notes.append("answers with partial credit are left out")
        out.update(type="short", answers=[unescape(a.findtext("text", "")).strip().replace(
            "\\*", "*") for a in full])
        if (element.findtext("usecase") or "0").strip() == "1":
            out["case_sensitive"] = True
    elif kind == "numerical":
        full = [a for a in answers if float(a.get("fraction", "0")) >= 100]
        if not full:
            raise _Skip("no answer with full marks")
        out.update(type="numeric", value=_number(full[0].findtext("text", "0")),
                   tolerance=_number(full[0].findtext("tolerance", "0") or "0"))
        unit = element.findtext("units/unit/unit_name")
        if unit and unit.strip():
            out["unit"] = unit.strip()
    elif kind == "matching":
        out.update(_matching(element, notes))
    elif kind == "essay":
        out["type"] = "open"
        model = _markup(element.find("graderinfo"), "grader information", notes)
        if model:
            out["model_answer"] = model
        lines = element.findtext("responsefieldlines")
        if lines and lines.strip().isdigit():
            out["answer_lines"] = int(lines)
    return out


def _matching(element: ElementTree.Element, notes: list[str]) -> dict[str, Any]:
    """Moodle's subquestions: one with a text is a pair (its answer is plain text), one
    without is a distractor."""
    pairs: list[dict[str, str]] = []
    distractors: list[str] = []
    for n, sub in enumerate(element.findall("subquestion"), start=1):
        html = sub.findtext("text", "")
        left, other = to_markup(html, sub.get("format"))
        right = literal(" ".join(unescape(sub.findtext("answer/text", "")).split()),
                        formulas=True)
        if other:
            notes.append(f"subquestion {n}: {said(other)}")
        if not left.strip() and "<img" in html:
            raise _Skip(f"its subquestion {n} is only a picture, and bank pairs are texts")
        if not right:
            if left.strip():
                raise _Skip(f"its subquestion {n} has no answer")
            continue  # Moodle ignores an entry with neither
        if left.strip():
            pairs.append({"left": left, "right": right})
        else:
            distractors.append(right)
    rights = {" ".join(p["right"].split()).casefold() for p in pairs}
    kept = list(dict.fromkeys(d for d in distractors if d.casefold() not in rights))
    if len(kept) < len(distractors):
        notes.append("a distractor that repeats a right-hand item is left out")
    lefts = [" ".join(p["left"].split()).casefold() for p in pairs]
    if len(set(lefts)) < len(lefts):
        raise _Skip("two subquestions have the same text")
    if len(pairs) < 2:
        raise _Skip("fewer than 2 subquestions with a text")
    out: dict[str, Any] = {"type": "matching", "pairs": pairs}
    if kept:
        out["distractors"] = kept
    return out


def _cloze(html: str, notes: list[str]) -> dict[str, Any]:
    gaps: list[dict[str, Any]] = []
    weights: list[int] = []

    def gap(match: re.Match[str]) -> str:
        weight = int(match.group(1) or "1")
        kind, rest = match.group(2), match.group(3)
        parsed = []
        while rest:
            alt = re.match("~?" + _ALT, rest, re.S)
            if alt is None:
                break
            fraction = 100.0 if alt.group(1) == "=" else float((alt.group(2) or "0")
                                                                .replace(",", "."))
            answer = unescape(alt.group(3)).replace("\\}", "}").replace("\\#", "#")
            parsed.append((fraction, answer))
            rest = rest[len(alt.group(0)):]
        partial = [t for f, t in parsed if 0 < f < 100]
        if partial:  # the bank's gaps are right or wrong: only full marks count as right
            notes.append(f"gap {len(gaps) + 1}: partial credit in the file for "
                         f"{', '.join(repr(t) for t in partial)}; "
                         + ("left out" if kind in ("SHORTANSWER", "SA", "MW")
                            else "taken as wrong here"))
        if kind in ("SHORTANSWER", "SA", "MW"):
            gaps.append({"answers": [t.replace("\\*", "*") for f, t in parsed if f >= 100]})
        else:
            options: list[Any] = [({"text": to_markup(t)[0], "correct": True} if f >= 100
                                   else {"text": to_markup(t)[0]}) for f, t in parsed]
            if kind in ("MULTICHOICE", "MC") and options:
                options[-1]["fixed_order"] = True
            gaps.append({"options": options})
        weights.append(weight)
        return "\x00" + str(len(gaps)) + "\x00"

    marked = _GAP.sub(gap, html)
    other_gap = re.search(r"\{[0-9]*:([A-Z_]+):", marked)
    if other_gap:
        raise _Skip(f"a cloze gap of kind {other_gap.group(1)}, which the bank's gaps (short "
                    "answer, multiple choice) cannot hold")
    text, other = to_markup(marked)
    if other:
        notes.append(f"text: {said(other)}")
    if not gaps:
        raise _Skip("a cloze question without gaps")
    text = re.sub("\x00(\\d+)\x00", lambda m: "{{" + m.group(1) + "}}", text)
    out: dict[str, Any] = {"type": "cloze", "points": sum(weights), "text": text}
    if len(set(weights)) > 1:
        for g, w in zip(gaps, weights, strict=True):
            g["points"] = w
    out["gaps"] = gaps
    return out


def _grades_not_kept(given: list[float], single: bool) -> list[str]:
    """A note when the file grades its options otherwise than examgen will (a penalty on
    a wrong answer of a one-answer question, uneven shares): the bank keeps which options
    are correct, not their grades, and examgen scores and exports its own."""
    right = sum(f > 0 for f in given)
    try:
        ours = [100.0 if f > 0 else 0.0 for f in given] if single else [
            share(right) if f > 0 else -penalty_share(len(given) - right) for f in given]
    except ValueError:  # a count Moodle has no grade for: the export says so
        return []
    if all(abs(a - b) < 0.01 for a, b in zip(given, ours, strict=True)):
        return []
    shown = "/".join(format_number(f) for f in given)
    return [f"its grades {shown} % are not kept: examgen grades these options "
            f"{'/'.join(format_number(f) for f in ours)} %, in print and in its Moodle export"]


def _option(answer: ElementTree.Element, n: int, files: dict[str, bytes | str]
            ) -> tuple[dict[str, Any] | None, str]:
    """A multichoice answer as a bank option: its text, and its picture if it shows one
    (a picture alone is an option too); or None and why the bank cannot hold it."""
    html = answer.findtext("text", "")
    pictures = [m.group(1) or m.group(2) for m in _IMG.finditer(html)]
    text, _ = to_markup(_IMG.sub("", html), answer.get("format"))
    option: dict[str, Any] = {"text": text} if text.strip() else {}
    if len(pictures) > 1:
        return None, f"shows {len(pictures)} pictures, and a bank option shows one"
    if pictures:
        try:
            option["image"] = _image(answer, pictures[0], files)
        except _Skip as exc:
            return None, f"shows a picture that cannot be read ({exc})"
    return (option, "") if option else (None, "is blank")


def _image(question_text: ElementTree.Element | None, name: str,
           files: dict[str, bytes | str]) -> str:
    for file in (question_text.findall("file") if question_text is not None else []):
        if file.get("name") == name and file.get("encoding") == "base64":
            try:
                data = base64.b64decode(file.text or "", validate=True)
            except (ValueError, binascii.Error):
                raise _Skip(f"its picture {name[:60]} is not valid base64") from None
            path = f"images/{portable_name(name, set())}"
            if files.get(path) != data:  # the same picture again is written once
                path = f"images/{portable_name(name, files)}"
            files[path] = data
            return path
    raise _Skip(f"its picture {name[:60]} is not in the file")


def _number(text: str) -> float | int:
    value = float(text.strip())
    return int(value) if value.is_integer() and abs(value) < 1e15 else value
