"""Load a folder of YAML question files into a validated ``Bank``.

Every problem in every file is collected (not just the first) with its file and line,
so ``examgen check`` can list them all at once. Values are read strictly (``values``):
texts keep the characters written, booleans are true/false, numbers are finite decimals.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from examgen.core.errors import BankError, Problem, suggest
from examgen.core.gcpause import gc_paused
from examgen.core.glyphs import unprintable
from examgen.core.images import image_problem
from examgen.core.latex import formula_problem, formulas_in
from examgen.core.limits import MAX_TEXT
from examgen.core.model import (
    GAP_MARK,
    TYPES,
    Bank,
    ChoiceGap,
    Cloze,
    Difficulty,
    Gap,
    Knowledge,
    MultipleChoice,
    Numeric,
    Observation,
    OpenQuestion,
    Option,
    Question,
    ShortAnswer,
    SingleChoice,
    TextGap,
    TrueFalse,
)
from examgen.core.values import ValueProblem, as_bool, as_number, as_whole
from examgen.core.yamlio import Node, Scalar, Value, read_yaml

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
}
ALL_FIELDS = COMMON_FIELDS.union(*TYPE_FIELDS.values())
FILE_FIELDS = {"topic", "questions"}
OPTION_FIELDS = {"text", "correct", "fixed_order"}
GAP_FIELDS = {"answers", "options", "points"}
REQUIRED = ("id", "difficulty", "knowledge", "type", "text")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass
class _FileContext:
    """What the checks of one file need: where it is and where to put findings."""

    display: str
    folder: Path
    root: Path
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.display, line, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Problem(self.display, line, message, warning=True))


def load_bank(path: str | Path) -> Bank:
    """Load and validate every ``*.yaml`` below ``path``; raise BankError listing all problems."""
    bank, problems = check_bank(path)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise BankError(errors)
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
        problems.extend(ctx.problems + ctx.warnings)
    return Bank(root, tuple(questions), digest.hexdigest()), problems


def _load_file(raw: bytes, ctx: _FileContext) -> list[Question]:
    data = read_yaml(raw, ctx.report)
    if data is None and ctx.problems:
        return []
    if not isinstance(data, Node):
        ctx.report(1, "a bank file is a mapping with 'topic:' and a 'questions:' list")
        return []
    for key in data:
        if key not in FILE_FIELDS:
            ctx.report(data.key_lines[key], f"unknown field '{key}' at file level"
                       f"{suggest(key, FILE_FIELDS)}; a file holds 'topic' and 'questions'")
    topic: str | None = None
    if "topic" in data:
        if _is_text(data["topic"]):
            topic = str(data["topic"]).strip()
        else:
            ctx.report(data.key_lines["topic"], "'topic' must be a text")
    items = data.get("questions")
    if not isinstance(items, list):
        ctx.report(data.key_lines.get("questions", data.line),
                   "'questions' must be a list of questions (- id: ...)")
        return []
    out = []
    for item in items:
        if not isinstance(item, Node):
            ctx.report(_line(item, data.key_lines["questions"]),
                       "every entry of 'questions' is a mapping")
            continue
        q = _question(item, topic, ctx)
        if q is not None:
            out.append(q)
    return out


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _line(value: Any, default: int) -> int:
    """Where a value stands: a scalar's or mapping's own line, else the given one."""
    return getattr(value, "line", default)


class _Fields:
    """One question's mapping, read strictly: each getter reports at the field's line."""

    def __init__(self, node: Node, ctx: _FileContext):
        self.node, self.ctx = node, ctx
        qid = node.get("id")
        self.label = f"question '{qid}'" if _is_text(qid) else "question"

    def report(self, key: str | None, message: str, line: int | None = None) -> None:
        where = line or (self.node.key_lines.get(key, self.node.line) if key
                         else self.node.line)
        self.ctx.report(where, f"{self.label}: {message}")

    def text(self, key: str, default: str = "") -> str:
        """A literal text: the characters written, stripped of surrounding white space."""
        value = self.node.get(key)
        if value is None:
            return default
        if not _is_text(value):
            self.report(key, f"'{key}' must be a non-empty text")
            return default
        return self.bounded(str(value).strip(), f"'{key}'", self.node.key_lines[key])

    def bounded(self, text: str, what: str, line: int) -> str:
        """The text, or a problem when it is longer than any exam text should be."""
        if len(text) > MAX_TEXT:
            self.report(None, f"{what} is {len(text):,} characters long; the limit is "
                              f"{MAX_TEXT:,}: shorten it or split the question", line)
        return text

    def boolean(self, key: str, default: bool = False) -> bool:
        if key not in self.node:
            return default
        try:
            return as_bool(self.node[key])
        except ValueProblem as exc:
            self.report(key, f"'{key}': {exc}")
            return default

    def number(self, key: str, default: float, minimum: float = 0,
               strictly_above: bool = False, node: Node | None = None,
               where: str = "") -> float:
        """A finite number at ``key`` of the question (or of ``node``, e.g. a gap)."""
        node = node or self.node
        if key not in node:
            return default
        line, what = node.key_lines[key], f"{where}: '{key}'" if where else f"'{key}'"
        try:
            value = as_number(node[key])
        except ValueProblem as exc:
            self.report(None, f"{what}: {exc}", line)
            return default
        if value < minimum or (strictly_above and value == minimum):
            relation = ">" if strictly_above else ">="
            self.report(None, f"{what} must be a number {relation} {minimum:g}, not {value:g}",
                        line)
            return default
        return value

    def options(self, items: Value | None, key: str, where: str) -> tuple[Option, ...]:
        default_line = self.node.key_lines.get(key, self.node.line)
        if not isinstance(items, list) or not items:
            self.report(key, f"{where} needs a list of options")
            return ()
        options = []
        seen: set[str] = set()
        for item in items:
            line = _line(item, default_line)
            option = self._option(item, where, line)
            if option is None:
                continue
            norm = " ".join(option.text.split()).casefold()
            if norm in seen:
                self.report(key, f"{where}: duplicate option '{option.text}'", line)
            seen.add(norm)
            options.append(option)
        return tuple(options)

    def _option(self, item: Value, where: str, line: int) -> Option | None:
        if isinstance(item, Scalar) and item.strip():
            return Option(self.bounded(item.strip(), f"{where}: an option", line))
        if not isinstance(item, Node) or not _is_text(item.get("text")):
            self.report(None, f"{where}: an option is a text or a mapping with 'text:'", line)
            return None
        flags = {}
        for k in item:
            if k not in OPTION_FIELDS:
                self.report(None, f"{where}: unknown option field '{k}'"
                                  f"{suggest(k, OPTION_FIELDS)}", item.key_lines[k])
            elif k != "text":
                try:
                    flags[k] = as_bool(item[k])
                except ValueProblem as exc:
                    self.report(None, f"{where}: option '{item['text']}': '{k}': {exc}",
                                item.key_lines[k])
        text = self.bounded(str(item["text"]).strip(), f"{where}: an option", line)
        return Option(text, flags.get("correct", False),
                      flags.get("fixed_order", False))

    def text_list(self, value: Value | None) -> tuple[str, ...] | None:
        """Accepted answers: a text or a list of texts, each kept literally."""
        if isinstance(value, Scalar):
            value = [value]
        if isinstance(value, list) and value and all(_is_text(v) for v in value):
            return tuple(self.bounded(str(v).strip(), "an answer", _line(v, self.node.line))
                         for v in value)
        return None


def _question(node: Node, file_topic: str | None, ctx: _FileContext) -> Question | None:
    before = len(ctx.problems)
    f = _Fields(node, ctx)
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
        knowledge=knowledge, text=f.text("text"),
        points=f.number("points", 1, strictly_above=True),
        minutes=f.number("minutes", 0, strictly_above=True) if "minutes" in node else None,
        explanation=f.text("explanation"), source=f.text("source"), group=f.text("group"),
        tags=_tags(f), image=_image(f, ctx), stats=_stats(f), file=ctx.display,
        line=node.line,
    )
    build = _TYPE_PARSERS.get(qtype) if isinstance(qtype, str) else None
    question = build(f, common) if build else None
    _check_markup(f, node)
    if len(ctx.problems) > before:
        return None
    return question


def _tags(f: _Fields) -> tuple[str, ...]:
    tags = f.node.get("tags", [])
    if isinstance(tags, list) and all(_is_text(t) for t in tags):
        return tuple(str(t).strip() for t in tags)
    f.report("tags", "'tags' must be a list of words, e.g. [cnn, deepfakes]")
    return ()


# Fields in the light markup, where formulas may stand (literal fields never hold one).
MARKUP_FIELDS = ("text", "explanation", "model_answer")


def _check_markup(f: _Fields, node: Node) -> None:
    """Every formula must parse, and every character must have a glyph to print with."""
    texts: list[Value | None] = [node[k] for k in MARKUP_FIELDS if k in node]
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


def _stats(f: _Fields) -> tuple[Observation, ...]:
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
                               facility, discrimination))
    return tuple(out)


def _field_hint(key: str, allowed: set[str], qtype: object) -> str:
    if key in ("level", "colour", "color"):
        return "; the level colour is derived from difficulty and knowledge: remove it"
    if key in ALL_FIELDS:
        return f"; '{key}' belongs to another question type than '{qtype}'"
    return suggest(key, allowed) or "; remove it or check its spelling"


def _enum(f: _Fields, key: str, enum: type[Difficulty] | type[Knowledge]) -> Any:
    value = f.node.get(key)
    if value is None:
        return None
    valid = [e.value for e in enum]
    if value not in valid:
        f.report(key, f"unknown {key} '{value}'{suggest(str(value), valid)}; "
                      f"valid: {', '.join(valid)}")
        return None
    return enum(value)


def _image(f: _Fields, ctx: _FileContext) -> Path | None:
    if "image" not in f.node:
        return None
    rel = f.node["image"]
    if not _is_text(rel):
        f.report("image", "'image' must be a path relative to this YAML file")
        return None
    path = (ctx.folder / str(rel)).resolve()
    if not path.is_relative_to(ctx.root):
        f.report("image", f"image '{rel}' leaves the bank folder; keep images inside it")
        return None
    if not path.is_file():
        f.report("image", f"image file '{rel}' not found (looked for {path})")
        return None
    problem = image_problem(path)
    if problem:
        f.report("image", f"image '{rel}' {problem}")
        return None
    return path


def _single(f: _Fields, common: dict[str, Any]) -> Question:
    options = _choice_options(f, single=True)
    return SingleChoice(options=options, **common)


def _multiple(f: _Fields, common: dict[str, Any]) -> Question:
    options = _choice_options(f, single=False)
    return MultipleChoice(options=options, **common)


def _choice_options(f: _Fields, single: bool) -> tuple[Option, ...]:
    options = f.options(f.node.get("options"), "options", "'options'")
    correct = sum(o.correct for o in options)
    if options and len(options) < 2:
        f.report("options", "a choice question needs at least 2 options")
    if single and options and correct != 1:
        f.report("options", f"a 'single' question needs exactly one correct option, it has "
                            f"{correct}; mark one with 'correct: true' (or use type 'multiple')")
    if not single and options and correct == 0:
        f.report("options", "a 'multiple' question needs at least one option with "
                            "'correct: true'")
    return options


def _truefalse(f: _Fields, common: dict[str, Any]) -> Question:
    if "answer" not in f.node:
        f.report(None, "a 'truefalse' question needs 'answer: true' or 'answer: false'")
    return TrueFalse(answer=f.boolean("answer"), **common)


def _short(f: _Fields, common: dict[str, Any]) -> Question:
    answers = f.text_list(f.node.get("answers"))
    if answers is None:
        f.report("answers", "a 'short' question needs 'answers:' with one or more accepted "
                            "texts")
    return ShortAnswer(answers=answers or (), case_sensitive=f.boolean("case_sensitive"),
                       **common)


def _numeric(f: _Fields, common: dict[str, Any]) -> Question:
    if "value" not in f.node:
        f.report(None, "a 'numeric' question needs 'value:' with a number, e.g. value: 0.15")
    value = f.number("value", 0, minimum=-float("inf"))
    return Numeric(value=value, tolerance=f.number("tolerance", 0), unit=f.text("unit"),
                   **common)


def _open(f: _Fields, common: dict[str, Any]) -> Question:
    lines = 6
    if "answer_lines" in f.node:
        try:
            lines = as_whole(f.node["answer_lines"])
        except ValueProblem:
            lines = 0
        if not 1 <= lines <= 40:
            f.report("answer_lines", "'answer_lines' must be a whole number from 1 to 40")
    return OpenQuestion(model_answer=f.text("model_answer"), answer_lines=lines, **common)


def _cloze(f: _Fields, common: dict[str, Any]) -> Question:
    items = f.node.get("gaps")
    if not isinstance(items, list) or not items:
        f.report("gaps" if "gaps" in f.node else None,
                 "a 'cloze' question needs 'gaps:', one entry per {{n}} mark in its text")
        return Cloze(gaps=(), **common)
    gaps: list[Gap] = []
    for n, item in enumerate(items, 1):
        where = f"gap {n}"
        line = _line(item, f.node.key_lines["gaps"])
        if not isinstance(item, Node):
            f.report(None, f"{where} is a mapping with 'answers:' or 'options:'", line)
            continue
        for k in item:
            if k not in GAP_FIELDS:
                f.report(None, f"{where}: unknown field '{k}'{suggest(k, GAP_FIELDS)}",
                         item.key_lines[k])
        points = f.number("points", 0, strictly_above=True, node=item, where=where) or None
        if "options" in item:
            options = f.options(item["options"], "gaps", where)
            if options and (len(options) < 2 or sum(o.correct for o in options) != 1):
                f.report(None, f"{where}: a choice gap needs 2 or more options, exactly one "
                               "with 'correct: true'", line)
            gaps.append(ChoiceGap(options, points))
        else:
            answers = f.text_list(item.get("answers"))
            if answers is None:
                f.report(None, f"{where} needs 'answers:' (accepted texts) or 'options:'", line)
            gaps.append(TextGap(answers or (), points))
    _check_gap_marks(f, str(f.node.get("text", "")), len(items))
    _check_gap_points(f, gaps, common)
    cloze = Cloze(gaps=tuple(gaps), **common)
    if gaps and not cloze.gaps_in_whole_points():
        shares = ", ".join(f"{p:g}" for p in cloze.gap_points())
        f.ctx.warn(f.node.line, f"{f.label}: its gaps are worth {shares} points; Moodle "
                   "weighs cloze gaps in "
                   "whole points only, so 'export moodle' will refuse it: give whole 'points:' "
                   "per gap, or question points that the gaps share evenly")
    return cloze


def _check_gap_points(f: _Fields, gaps: list[Gap], common: dict[str, Any]) -> None:
    """Points per gap: all gaps or none; the question is then worth their sum."""
    given = [g.points for g in gaps if g.points is not None]
    if not given:
        return
    if len(given) != len(gaps):
        f.report("gaps", "give 'points:' to every gap or to none (the question's points are "
                         "then shared evenly)")
        return
    total = sum(given)
    if "points" in f.node and common["points"] != total:
        f.report("points", f"the gaps' points add up to {total:g}, the question says "
                           f"{common['points']:g}; drop the question's 'points:' or make them "
                           "agree")
    common["points"] = total


def _check_gap_marks(f: _Fields, text: str, count: int) -> None:
    marks = GAP_MARK.findall(text)
    padded = [m for m in marks if m != str(int(m))]
    if padded:
        f.report("text", f"write the gap mark {{{{{padded[0]}}}}} as {{{{{int(padded[0])}}}}}")
        return
    numbers = [int(m) for m in marks]
    if sorted(numbers) != list(range(1, count + 1)):
        f.report("text", f"the text must mark each of the {count} gaps once as "
                         f"{{{{1}}}}, {{{{2}}}}, ...; it has {numbers or 'none'}")


_TYPE_PARSERS: dict[str, Callable[[_Fields, dict[str, Any]], Question]] = {
    "single": _single,
    "multiple": _multiple,
    "truefalse": _truefalse,
    "short": _short,
    "numeric": _numeric,
    "open": _open,
    "cloze": _cloze,
}
