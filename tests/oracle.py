"""An oracle that never asks examgen: what is correct, read straight from the bank's YAML,
and what was printed, read back from the PDFs.

Nothing here imports examgen. The YAML is read with PyYAML's BaseLoader (every scalar is
the text written), the PDFs with pypdf, the layout's labels from its own YAML; so a bug in
examgen's model, variants, renderer or exporter cannot also make the expectation wrong.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import yaml
from pypdf import PdfReader

LAYOUTS = Path(__file__).resolve().parent.parent / "layouts"
TICKED, EMPTY = "\u2612", "\u2610"

# Moodle's grade options (question_bank::fraction_options_full), in percent, from its source.
MOODLE_GRADES = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20,
                 16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0)


# --- what is correct, from the YAML --------------------------------------------------------

@dataclass
class Expected:
    """One question as the bank file states it: only texts, as written."""

    id: str
    type: str
    text: str
    points: str = "1"
    topic: str = ""
    difficulty: str = ""
    knowledge: str = ""
    tags: list[str] = field(default_factory=list)
    explanation: str = ""
    fixed_order: bool = False  # any option keeps its place
    answer_lines: int = 6  # open
    options: list[tuple[str, bool]] = field(default_factory=list)  # single, multiple
    answer: bool | None = None  # truefalse
    answers: list[str] = field(default_factory=list)  # short
    case_sensitive: bool = False
    value: str = ""  # numeric, as written
    tolerance: str = "0"
    unit: str = ""
    model_answer: str = ""
    gaps: list[dict] = field(default_factory=list)  # {"answers"} | {"options"}, "points"
    pairs: list[tuple[str, str]] = field(default_factory=list)  # matching: (left, right)
    distractors: list[str] = field(default_factory=list)

    @property
    def rights(self) -> list[str]:
        """A matching question's right-hand items: each pair's once, then distractors."""
        return list(dict.fromkeys(r for _, r in self.pairs)) + self.distractors


def read_bank(folder: Path, draws: dict[str, dict] | None = None,
              decimal: str = ".") -> dict[str, Expected]:
    """Every question of every *.yaml below ``folder``, by id; a parametrised question
    as its draw in ``draws`` (its parameters' values, as exam.json records them), with
    numbers written with ``decimal``, or with its placeholders when it has none."""
    out = {}
    for data in _yaml_files(folder):
        for q in data["questions"]:
            if "params" in q and draws and q["id"] in draws:
                q = drawn(q, draws[q["id"]], decimal)
            e = Expected(q["id"], q["type"], q["text"].strip(), q.get("points", "1"),
                         q.get("topic", data.get("topic", "")).strip(), q["difficulty"],
                         q["knowledge"], [t.strip() for t in q.get("tags", [])],
                         q.get("explanation", "").strip())
            if e.type in ("single", "multiple"):
                e.options = _options(q["options"])
                e.fixed_order = any(isinstance(o, dict) and o.get("fixed_order") == "true"
                                    for o in q["options"])
            elif e.type == "truefalse":
                e.answer = q["answer"] == "true"
            elif e.type == "short":
                e.answers = _texts(q["answers"])
                e.case_sensitive = q.get("case_sensitive") == "true"
            elif e.type == "numeric":
                e.value, e.tolerance = q["value"], q.get("tolerance", "0")
                e.unit = q.get("unit", "")
            elif e.type == "open":
                e.model_answer = q.get("model_answer", "").strip()
                e.answer_lines = int(q.get("answer_lines", "6"))
            elif e.type == "cloze":
                e.gaps = [{"options": _options(g["options"])} if "options" in g
                          else {"answers": _texts(g["answers"])} for g in q["gaps"]]
                for gap, raw in zip(e.gaps, q["gaps"], strict=True):
                    gap["points"] = raw.get("points")
                if all(g["points"] for g in e.gaps):
                    e.points = str(sum(float(g["points"]) for g in e.gaps))
            elif e.type == "matching":
                e.pairs = [(p["left"].strip(), p["right"].strip()) for p in q["pairs"]]
                e.distractors = [d.strip() for d in q.get("distractors", [])]
            out[e.id] = e
    return out


def matching_score(e: Expected, ticked: set[str]) -> tuple[float, str]:
    """Points and response of a matching question from the boxes ticked on its sheet
    rows: a box says "left:right" (indexes in the YAML's order, right items each once,
    then the distractors). A left item scores an equal share of the points when its row
    holds exactly the box of its own right item; the response is the right item's letter
    per left item, "-" for none or two."""
    rows: dict[int, list[int]] = {}
    for value in ticked:
        left, right = value.split(":")
        rows.setdefault(int(left), []).append(int(right))
    chosen = [rows[k][0] if len(rows.get(k, [])) == 1 else None for k in range(len(e.pairs))]
    right = sum(c is not None and e.rights[c] == e.pairs[k][1] for k, c in enumerate(chosen))
    response = ";".join("-" if c is None else "abcdefghijkl"[c] for c in chosen)
    return float(e.points) * right / len(e.pairs), response


def _yaml_files(folder: Path) -> list[dict]:
    return [yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
            for file in sorted(folder.rglob("*.y*ml"))]


# --- parametrised questions, by the rules docs/bank-format.md states -----------------------

_PLACEHOLDER = re.compile(r"\{\{(?!\s*[0-9]+\s*\}\})(.*?)\}\}", re.S)
_EXACT = {"value", "tolerance", "correct", "answer", "fixed_order", "points", "minutes",
          "answer_lines", "case_sensitive"}


def _half_up(x: float, digits: int = 0):
    exact = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return float(exact) if digits else int(exact)


_FUNCTIONS = {"abs": abs, "min": min, "max": max, "round": _half_up,
              "floor": lambda x: int(math.floor(x)), "ceil": lambda x: int(math.ceil(x)),
              "int": int, "sqrt": math.sqrt, "exp": math.exp, "log": math.log,
              "log2": math.log2, "log10": math.log10, "sin": math.sin, "cos": math.cos,
              "tan": math.tan, "sum": sum, "len": len, "mean": lambda xs: sum(xs) / len(xs),
              "pi": math.pi, "e": math.e}


def evaluate(expression: str, values: dict):
    """The oracle's evaluation: Python itself, on our own bank's expressions only."""
    return eval(expression, {"__builtins__": {}, **_FUNCTIONS}, dict(values))  # noqa: S307


def drawn(q: dict, params: dict, decimal: str = ".") -> dict:
    """A parametrised question's mapping (as read) with one draw written in."""
    values = dict(params)
    for name, expression in (q.get("let") or {}).items():
        values[name] = evaluate(expression, values)
    body = {k: v for k, v in q.items() if k not in ("params", "let", "where")}
    return _fill(body, "", values, decimal)


def _fill(value, key: str, values: dict, decimal: str):
    if isinstance(value, dict):
        return {k: _fill(v, k, values, decimal) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, key, values, decimal) for v in value]
    whole = _PLACEHOLDER.fullmatch(value.strip())
    if whole and key in _EXACT:
        result = evaluate(whole.group(1).split("|")[0], values)
        if isinstance(result, bool):
            return "true" if result else "false"
        return repr(result) if isinstance(result, float) and not result.is_integer() \
            else str(int(result))

    def one(m: re.Match) -> str:
        expression, _, spec = m.group(1).partition("|")
        inside = len(re.findall(r"(?<!\\)\$", value[:m.start()])) % 2 == 1
        return shown(evaluate(expression, values), spec.strip(), decimal, inside)
    return _PLACEHOLDER.sub(one, value)


def shown(value, spec: str = "", decimal: str = ".", in_math: bool = False) -> str:
    """A drawn value as printed (docs/bank-format.md, "Numbers in texts")."""
    if isinstance(value, list):
        return ", ".join(shown(v, spec, decimal, in_math) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)

    def digits(places: int) -> str:
        return f"{exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):f}"
    if spec == "d":
        text = str(int(exact))
    elif spec.endswith("%"):
        text = f"{(exact * 100).quantize(Decimal(1).scaleb(-int(spec[1:-1])), ROUND_HALF_UP):f}%"
    elif spec.endswith("f"):
        text = digits(int(spec[1:-1]))
    elif spec.endswith("g"):
        text = digits(int(spec[1:-1]) - 1 - exact.adjusted())
    else:
        text = digits(9 - exact.adjusted()) if exact else "0"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    if re.fullmatch(r"-0\.?0*%?", text):
        text = text[1:]
    negative = text.startswith("-")
    whole, _, rest = text.lstrip("-").partition(".")
    if len(whole.rstrip("%")) > 4:
        digits = whole.rstrip("%")
        groups = [digits[max(0, i - 3):i] for i in range(len(digits), 0, -3)][::-1]
        whole = ("\\," if in_math else "\u202f").join(groups) + whole[len(digits):]
    mark = "{,}" if in_math and decimal == "," else decimal
    text = whole + (mark + rest if rest else "")
    if in_math and text.endswith("%"):
        text = text[:-1] + "\\%"
    if not negative:
        return text
    return "{-" + text + "}" if in_math else "\u2212" + text


def _options(items: list) -> list[tuple[str, bool]]:
    return [(o.strip(), False) if isinstance(o, str)
            else (o.get("text", "").strip(), o.get("correct") == "true") for o in items]


def _texts(value: str | list[str]) -> list[str]:
    return [v.strip() for v in ([value] if isinstance(value, str) else value)]


# The lecture's matrix, written out again: (difficulty, knowledge) -> level colour.
LEVEL = {("easy", "recall"): "green", ("easy", "application"): "yellow",
         ("medium", "recall"): "yellow", ("medium", "application"): "red",
         ("hard", "recall"): "red", ("hard", "application"): "red"}


def correct_texts(options: list[tuple[str, bool]]) -> list[str]:
    return [text for text, right in options if right]


# Formulas, by the rule docs/bank-format.md states (the oracle's own reading of it).
_MATH = re.compile(r"\\\$|\$\$(.+?)\$\$|\\\[(.+?)\\\]|\\\((.+?)\\\)"
                   r"|\$([^\s$](?:[^$]*?[^\s\\$])?)\$(?![0-9])", re.S)


def _formulas(text: str, show) -> str:
    def one(m: re.Match) -> str:
        if m.group(0) == "\\$":
            return "$"
        return show(m)
    return _MATH.sub(one, text)


def printed(text: str) -> str:
    """The text layer of a PDF: formulas are vector drawings, so they and the punctuation
    right after an inline one (typeset with it) are not in it."""
    text = re.sub(r"(\$[^\s$](?:[^$]*?[^\s\\$])?\$(?![0-9])|\\\(.+?\\\))[.,;:!?)]+(?=\s|$)",
                  r"\1", text)
    return plain(_formulas(text, lambda m: " "))


def mathjax(text: str) -> str:
    """Text as Moodle gets it: formulas as \\(...\\) and \\[...\\] for MathJax."""
    def show(m: re.Match) -> str:
        display = m.group(1) or m.group(2)
        if display is not None:
            return "\\[" + display.strip() + "\\]"
        return "\\(" + (m.group(3) or m.group(4)).strip() + "\\)"
    return plain(_formulas(text, show))


def plain(text: str) -> str:
    """Bank text as printed: the light markup's marks removed, white space folded."""
    text = re.sub(r"`([^`\n]+)`", r"\1", text)
    text = re.sub(r"\*\*([^\s*](?:.*?[^\s*])?)\*\*", r"\1", text)
    text = re.sub(r"\*([^\s*](?:[^*\n]*?[^\s*])?)\*", r"\1", text)
    return fold(text)


def fold(text: str) -> str:
    return " ".join(text.split())


def number(text: str) -> float:
    """A number as the lecturer wrote it (the oracle's own reading)."""
    return float(text)


# --- what was printed, from the PDFs -------------------------------------------------------

def labels(layout: str) -> dict[str, str]:
    """The layout's labels (a copy: callers may change it)."""
    return dict(_labels(layout))


@lru_cache(maxsize=8)
def _labels(layout: str) -> dict[str, str]:
    """Read once: the checks ask for the labels thousands of times, and PyYAML's pure
    Python reader took 80 % of the oracle's time."""
    data = yaml.load((LAYOUTS / layout / "layout.yaml").read_text(encoding="utf-8"),
                     Loader=yaml.BaseLoader)
    return data["labels"]


def pdf_lines(path: Path, layout: str) -> list[str]:
    """The text lines of every page, the footer (left text, page X of Y, variant) dropped."""
    page_line = re.compile("^" + re.escape(labels(layout)["page"])
                           .replace(r"\{page\}", r"\d+").replace(r"\{pages\}", r"\d+") + "$")
    lines: list[str] = []
    for page in PdfReader(path).pages:
        text = [line.strip() for line in page.extract_text().splitlines()]
        footer = max(i for i, line in enumerate(text) if page_line.match(line))
        lines += [line for line in text[:footer - 1] if line]
    return lines


_OPTION = re.compile(rf"^([{TICKED}{EMPTY}])\s*([a-z])\)\s*(.*)$")
DIFFICULTIES, KNOWLEDGE, COLOURS = ("easy", "medium", "hard"), ("recall", "application"), (
    "green", "yellow", "red")


def _words(layout: str, keys: tuple[str, ...]) -> str:
    """An alternation of the layout's words for these values: (leicht|mittel|schwer)."""
    names = labels(layout)
    return "(" + "|".join(re.escape(names[k]) for k in keys) + ")"


def _badge(layout: str) -> re.Pattern[str]:
    """The key's cell badge in the layout's words: 'leicht · Abfragewissen · grün · id'."""
    return re.compile(f"^{_words(layout, DIFFICULTIES)} · {_words(layout, KNOWLEDGE)} · "
                      f"{_words(layout, COLOURS)} · (\\S+)$")


def _cell(layout: str) -> re.Pattern[str]:
    return re.compile(f"^{_words(layout, DIFFICULTIES)}/{_words(layout, KNOWLEDGE)}$")


def value_of(layout: str, word: str) -> str:
    """The bank's value a layout word stands for: 'leicht' -> 'easy'."""
    return next(k for k, v in labels(layout).items() if v == word
                and k in DIFFICULTIES + KNOWLEDGE + COLOURS)


@dataclass
class Printed:
    """One question as a PDF shows it."""

    number: int
    lines: list[str]
    id: str = ""  # from the key's badge
    badge: tuple[str, str, str] = ("", "", "")  # difficulty, knowledge, colour it names
    options: list[tuple[str, str, bool]] = field(default_factory=list)  # letter, text, ticked
    notes: dict[str, list[str]] = field(default_factory=dict)  # label -> texts


def exam_questions(lines: list[str], count: int) -> list[Printed]:
    """The exam's questions 1..count, found in sequence (a text line is never '7.')."""
    starts = []
    at = 0
    for n in range(1, count + 1):
        at = lines.index(f"{n}.", at)
        starts.append(at)
    return [_printed(n + 1, lines[s:e], {}) for n, (s, e)
            in enumerate(zip(starts, [*starts[1:], len(lines)], strict=True))]


def key_questions(lines: list[str], layout: str) -> list[Printed]:
    """The key's questions, each starting at its cell badge (which names its id)."""
    notes = {labels(layout)[k]: k for k in ("accepted", "value", "values", "model_answer",
                                             "gap", "explanation", "source")}
    badge = _badge(layout)
    starts = [i for i, line in enumerate(lines) if badge.match(line)]
    end = next(i for i, line in enumerate(lines) if line == labels(layout)["totals_per_cell"])
    out = []
    for n, (s, e) in enumerate(zip(starts, [*starts[1:], end], strict=True), 1):
        printed = _printed(n, lines[s + 1:e], notes)
        found = badge.match(lines[s])
        printed.id = found.group(4)
        printed.badge = tuple(value_of(layout, found.group(i)) for i in (1, 2, 3))
        out.append(printed)
    return out


def _printed(n: int, lines: list[str], notes: dict[str, str]) -> Printed:
    """Options (box, letter, text on the lines below) and key notes (label: text...)."""
    printed = Printed(n, lines)
    raw: dict[str, list[list[str]]] = {}
    current: list[str] | None = None
    for line in lines:
        option = _OPTION.match(line)
        label = next((lab for lab in notes if line.startswith(lab + ":")), None)
        if option:
            printed.options.append((option.group(2), option.group(3), option.group(1) == TICKED))
            current = None
        elif label:
            current = [line[len(label) + 1:].strip()]
            raw.setdefault(notes[label], []).append(current)
        elif current is not None:
            current.append(line)
        elif printed.options:
            letter, text, ticked = printed.options[-1]
            printed.options[-1] = (letter, f"{text} {line}".strip(), ticked)
    printed.notes = {k: [fold(" ".join(v)) for v in vs] for k, vs in raw.items()}
    return printed


def key_grid(lines: list[str], layout: str) -> list[str]:
    """The grid's answer column, by question number (a wrapped answer joined again)."""
    names = labels(layout)
    header = [names["number"], names["answer"], names["points"], names["cell"]]
    badge, cell_line = _badge(layout), _cell(layout)
    first_badge = next(i for i, line in enumerate(lines) if badge.match(line))
    rows = [line for line in lines[lines.index(names["grid"]) + 1:first_badge]
            if line not in header]
    answers, cells = [], [i for i, line in enumerate(rows) if cell_line.match(line)]
    start = 0
    for cell in cells:
        number_line, *answer, _points = rows[start:cell]
        assert number_line == str(len(answers) + 1), rows[start:cell]
        answers.append(fold(" ".join(answer)))
        start = cell + 1
    return answers
