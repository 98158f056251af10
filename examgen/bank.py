"""Load a folder of YAML question files into a validated ``Bank``.

Every problem in every file is collected (not just the first) with its file and line,
so ``examgen check`` can list them all at once.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import BankError, Problem
from .gcpause import gc_paused
from .model import TYPES, Bank, Difficulty, Gap, Knowledge, Option, Question
from .yamlio import Node, parse_yaml

COMMON_FIELDS = {
    "id", "topic", "difficulty", "knowledge", "points", "type", "text",
    "explanation", "source", "image", "tags", "group",
}
TYPE_FIELDS = {
    "single": {"options"},
    "multiple": {"options"},
    "truefalse": {"answer"},
    "short": {"answers", "case_sensitive"},
    "numeric": {"value", "tolerance", "unit"},
    "open": {"model_answer", "answer_lines"},
    "cloze": {"gaps"},
}
ALL_FIELDS = COMMON_FIELDS.union(*TYPE_FIELDS.values())
FILE_FIELDS = {"topic", "questions"}
OPTION_FIELDS = {"text", "correct", "fixed_order"}
GAP_FIELDS = {"answers", "options"}
REQUIRED = ("id", "difficulty", "knowledge", "type", "text")
GAP_MARK = re.compile(r"\{\{(\d+)\}\}")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def suggest(word: str, choices) -> str:
    """' (did you mean 'x'?)' for the closest valid value, or nothing."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclass
class _FileContext:
    """What the checks of one file need: where it is and where to put findings."""

    display: str
    folder: Path
    root: Path
    problems: list[Problem] = field(default_factory=list)

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.display, line, message))


def load_bank(path: str | Path) -> Bank:
    """Load and validate every ``*.yaml`` below ``path``; raise BankError listing all problems."""
    bank, problems = check_bank(path)
    if problems:
        raise BankError(problems)
    return bank


def check_bank(path: str | Path) -> tuple[Bank, list[Problem]]:
    """Load what is valid and return it with the list of every problem found."""
    with gc_paused():
        return _check_bank(Path(path))


def _check_bank(root: Path) -> tuple[Bank, list[Problem]]:
    if not root.is_dir():
        raise BankError([Problem(str(root), 0, "no such bank folder (give --bank DIR)")])
    files = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        raise BankError([Problem(str(root), 0, "the bank folder holds no .yaml files")])
    digest = hashlib.sha256()
    questions: list[Question] = []
    problems: list[Problem] = []
    seen: dict[str, Question] = {}
    resolved_root = root.resolve()
    for file in files:
        raw = file.read_bytes()
        rel = file.relative_to(root).as_posix()
        digest.update(rel.encode() + b"\0" + raw + b"\0")
        ctx = _FileContext(str(file), file.parent, resolved_root)
        for q in _load_file(raw, ctx):
            if q.id in seen:
                first = seen[q.id]
                ctx.report(q.line, f"duplicate id '{q.id}' (first defined at {first.file}:"
                                   f"{first.line}); give each question its own id")
                continue
            seen[q.id] = q
            questions.append(q)
            if q.image is not None:
                digest.update(q.image.read_bytes())
        problems.extend(ctx.problems)
    return Bank(root, tuple(questions), digest.hexdigest()), problems


def _load_file(raw: bytes, ctx: _FileContext) -> list[Question]:
    try:
        data = parse_yaml(raw)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "cannot parse"
        if exc.context and exc.context_mark and exc.problem:
            what += f" ({exc.context} started at line {exc.context_mark.line + 1})"
        ctx.report(line, f"YAML syntax error at column {col}: {what}")
        return []
    except yaml.YAMLError as exc:
        ctx.report(1, f"YAML error: {exc}")
        return []
    if not isinstance(data, Node):
        ctx.report(1, "a bank file is a mapping with 'topic:' and a 'questions:' list")
        return []
    for key in data:
        if key not in FILE_FIELDS:
            ctx.report(data.key_lines[key], f"unknown field '{key}' at file level"
                       f"{suggest(key, FILE_FIELDS)}; a file holds 'topic' and 'questions'")
    topic = data.get("topic")
    if topic is not None and not _is_text(topic):
        ctx.report(data.key_lines["topic"], "'topic' must be a text")
        topic = None
    items = data.get("questions")
    if not isinstance(items, list):
        ctx.report(data.key_lines.get("questions", data.line),
                   "'questions' must be a list of questions (- id: ...)")
        return []
    out = []
    for item in items:
        if not isinstance(item, Node):
            ctx.report(data.key_lines["questions"], "every entry of 'questions' is a mapping")
            continue
        q = _question(item, topic, ctx)
        if q is not None:
            out.append(q)
    return out


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _question(node: Node, file_topic: str | None, ctx: _FileContext) -> Question | None:
    before = len(ctx.problems)
    qid = node.get("id")
    label = f"question '{qid}'" if _is_text(qid) else "question"

    def report(key: str | None, message: str) -> None:
        ctx.report(node.key_lines.get(key, node.line) if key else node.line,
                   f"{label}: {message}")

    for key in REQUIRED:
        if key not in node:
            report(None, f"missing field '{key}'")
    if "topic" not in node and file_topic is None:
        report(None, "missing field 'topic' (give it here or once at the top of the file)")
    qtype = node.get("type")
    if qtype is not None and qtype not in TYPES:
        report("type", f"unknown type '{qtype}'{suggest(qtype, TYPES)}; "
                       f"valid: {', '.join(TYPES)}")
        qtype = None
    allowed = COMMON_FIELDS | TYPE_FIELDS.get(qtype, ALL_FIELDS)
    for key in node:
        if key not in allowed:
            report(key, f"unknown field '{key}'{_field_hint(key, allowed, qtype)}")
    if qid is not None and not (_is_text(qid) and _ID.match(str(qid))):
        report("id", f"id '{qid}' must be letters, digits, '-', '_' or '.'")
    difficulty = _enum(node, "difficulty", Difficulty, report)
    knowledge = _enum(node, "knowledge", Knowledge, report)
    text = node.get("text")
    if text is not None and not _is_text(text):
        report("text", "'text' must be a non-empty text")
    points = node.get("points", 1)
    if not _is_number(points) or points <= 0:
        report("points", f"'points' must be a positive number, not {points!r}")
    tags = node.get("tags", [])
    if not (isinstance(tags, list) and all(_is_text(t) for t in tags)):
        report("tags", "'tags' must be a list of words, e.g. [cnn, deepfakes]")
        tags = []
    for key in ("explanation", "source", "group", "topic"):
        if key in node and not _is_text(node[key]):
            report(key, f"'{key}' must be a non-empty text")
    image = _image(node, report, ctx)
    fields = _TYPE_PARSERS[qtype](node, report) if qtype in TYPES else {}
    if len(ctx.problems) > before:
        return None
    return Question(
        id=qid, topic=node.get("topic", file_topic), difficulty=difficulty,
        knowledge=knowledge, type=qtype, text=text.strip(), points=points,
        explanation=node.get("explanation", "").strip(), source=node.get("source", ""),
        image=image, tags=tuple(tags), group=node.get("group", ""),
        file=ctx.display, line=node.line, **fields,
    )


def _field_hint(key: str, allowed: set[str], qtype: str) -> str:
    if key in ("level", "colour", "color"):
        return "; the level colour is derived from difficulty and knowledge: remove it"
    if key in ALL_FIELDS:
        return f"; '{key}' belongs to another question type than '{qtype}'"
    return suggest(key, allowed) or "; remove it or check its spelling"


def _enum(node: Node, key: str, enum, report):
    value = node.get(key)
    if value is None:
        return None
    valid = [e.value for e in enum]
    if value not in valid:
        report(key, f"unknown {key} '{value}'{suggest(value, valid)}; valid: {', '.join(valid)}")
        return None
    return enum(value)


def _image(node: Node, report, ctx: _FileContext) -> Path | None:
    if "image" not in node:
        return None
    rel = node["image"]
    if not _is_text(rel):
        report("image", "'image' must be a path relative to this YAML file")
        return None
    path = (ctx.folder / rel).resolve()
    if not path.is_relative_to(ctx.root):
        report("image", f"image '{rel}' leaves the bank folder; keep images inside it")
        return None
    if not path.is_file():
        report("image", f"image file '{rel}' not found (looked for {path})")
        return None
    return path


def _options(items: Any, report, key: str, where: str) -> tuple[Option, ...]:
    if not isinstance(items, list) or not items:
        report(key, f"{where} needs a list of options")
        return ()
    options = []
    for item in items:
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            options.append(Option(str(item)))
            continue
        if not isinstance(item, Node) or not _is_text(item.get("text")):
            report(key, f"{where}: an option is a text or a mapping with 'text:'")
            continue
        for k in item:
            if k not in OPTION_FIELDS:
                report(key, f"{where}: unknown option field '{k}'{suggest(k, OPTION_FIELDS)}")
        options.append(Option(item["text"], item.get("correct") is True,
                              item.get("fixed_order") is True))
    seen = set()
    for o in options:
        norm = " ".join(o.text.split()).casefold()
        if norm in seen:
            report(key, f"{where}: duplicate option '{o.text}'")
        seen.add(norm)
    return tuple(options)


def _choice(node: Node, report, single: bool) -> dict[str, Any]:
    options = _options(node.get("options"), report, "options", "'options'")
    correct = sum(o.correct for o in options)
    if options and len(options) < 2:
        report("options", "a choice question needs at least 2 options")
    if single and options and correct != 1:
        report("options", f"a 'single' question needs exactly one correct option, it has "
                          f"{correct}; mark one with 'correct: true' (or use type 'multiple')")
    if not single and options and correct == 0:
        report("options", "a 'multiple' question needs at least one option with 'correct: true'")
    return {"options": options}


def _truefalse(node: Node, report) -> dict[str, Any]:
    answer = node.get("answer")
    if not isinstance(answer, bool):
        report("answer", "a 'truefalse' question needs 'answer: true' or 'answer: false'")
    return {"answer": answer}


def _text_list(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        value = [value]
    if isinstance(value, list) and value and all(
        isinstance(v, (str, int, float)) and str(v).strip() for v in value
    ):
        return tuple(str(v).strip() for v in value)
    return None


def _short(node: Node, report) -> dict[str, Any]:
    answers = _text_list(node.get("answers"))
    if answers is None:
        report("answers", "a 'short' question needs 'answers:' with one or more accepted texts")
    return {"answers": answers or (), "case_sensitive": node.get("case_sensitive") is True}


def _numeric(node: Node, report) -> dict[str, Any]:
    value, tolerance = node.get("value"), node.get("tolerance", 0)
    if not _is_number(value):
        report("value", "a 'numeric' question needs 'value:' with a number, e.g. value: 0.15")
    if not _is_number(tolerance) or tolerance < 0:
        report("tolerance", "'tolerance' must be a number >= 0")
    unit = node.get("unit", "")
    return {"value": value, "tolerance": tolerance, "unit": str(unit)}


def _open(node: Node, report) -> dict[str, Any]:
    model = node.get("model_answer", "")
    lines = node.get("answer_lines", 6)
    if "model_answer" in node and not _is_text(model):
        report("model_answer", "'model_answer' must be a text")
    if not isinstance(lines, int) or isinstance(lines, bool) or not 1 <= lines <= 40:
        report("answer_lines", "'answer_lines' must be a whole number from 1 to 40")
    return {"model_answer": str(model).strip(), "answer_lines": lines}


def _cloze(node: Node, report) -> dict[str, Any]:
    items = node.get("gaps")
    if not isinstance(items, list) or not items:
        report("gaps" if "gaps" in node else None,
               "a 'cloze' question needs 'gaps:', one entry per {{n}} mark in its text")
        return {"gaps": ()}
    gaps = []
    for n, item in enumerate(items, 1):
        where = f"gap {n}"
        if not isinstance(item, Node):
            report("gaps", f"{where} is a mapping with 'answers:' or 'options:'")
            continue
        for k in item:
            if k not in GAP_FIELDS:
                report("gaps", f"{where}: unknown field '{k}'{suggest(k, GAP_FIELDS)}")
        if "options" in item:
            options = _options(item["options"], report, "gaps", where)
            if options and (len(options) < 2 or sum(o.correct for o in options) != 1):
                report("gaps", f"{where}: a choice gap needs 2 or more options, exactly one "
                               "with 'correct: true'")
            gaps.append(Gap(options=options))
        else:
            answers = _text_list(item.get("answers"))
            if answers is None:
                report("gaps", f"{where} needs 'answers:' (accepted texts) or 'options:'")
            gaps.append(Gap(answers=answers or ()))
    marks = [int(m) for m in GAP_MARK.findall(str(node.get("text", "")))]
    if sorted(marks) != list(range(1, len(items) + 1)):
        report("text", f"the text must mark each of the {len(items)} gaps once as "
                       f"{{{{1}}}}, {{{{2}}}}, ...; it has {marks or 'none'}")
    return {"gaps": tuple(gaps)}


_TYPE_PARSERS = {
    "single": lambda node, report: _choice(node, report, single=True),
    "multiple": lambda node, report: _choice(node, report, single=False),
    "truefalse": _truefalse,
    "short": _short,
    "numeric": _numeric,
    "open": _open,
    "cloze": _cloze,
}
