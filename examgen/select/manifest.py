"""The exam manifest ``exam.json``: what was selected, in which orders, with which answers.

It is the contract between ``examgen build`` and everything after it: the PDFs, the
export, ``--exclude-used`` and ``--from`` all read it. It is written as JSON with a
format version and read back, checked, into ``Manifest`` once; a hand-edited or foreign
file is refused with its line instead of failing somewhere later.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from examgen.core.errors import InputError
from examgen.core.header import ExamHeader
from examgen.core.model import Bank, Exam, Variant, key_answer, shuffled_count
from examgen.select.draws import with_drawn

FORMAT = 2  # 1: examgen 0.1.0 (no "format" key); 2: adds "format" and "files"
ManifestJSON = dict[str, Any]  # the JSON object of exam.json, as written


def to_manifest(exams: list[Exam], bank: Bank, bank_path: str, mix: dict[str, Any],
                header: ExamHeader) -> ManifestJSON:
    """One manifest for one exam, or with ``forms`` for parallel forms."""
    top = {"format": FORMAT, "seed": exams[0].seed,
           "bank": {"path": bank_path, "digest": bank.digest}, "mix": mix,
           "header": header.to_json()}
    if len(exams) == 1:
        return {**top, **_exam(exams[0])}
    return {**top, "forms": [{"name": e.name, **_exam(e)} for e in exams]}


def _exam(exam: Exam) -> dict[str, Any]:
    by_id = {q.id: q for q in exam.questions}
    return {
        "questions": [{"id": q.id, "topic": q.topic, "difficulty": q.difficulty.value,
                       "knowledge": q.knowledge.value, "level": q.level.value,
                       "type": q.type, "points": q.points} for q in exam.questions],
        "variants": [{
            "name": v.name,
            "order": list(v.order),
            "options": {qid: list(p) for qid, p in v.options.items()},
            **({"values": v.values} if v.values else {}),
            "answers": {qid: key_answer(v.question(by_id[qid]), v.options.get(qid))
                        for qid in v.order},
        } for v in exam.variants],
    }


def dumps(manifest: ManifestJSON) -> str:
    """exam.json's text: objects indented by two spaces a level, and a list of numbers or
    texts on one line. Python indents JSON only in pure Python; with the lists inline, the
    manifest of 300 variants with answer sheets is a third of the size and written in a
    tenth of the time."""
    return _encode(manifest, 0) + "\n"


# One encoder for every piece: json.dumps with a setting of its own builds a new one per
# call, which was half the time of writing exam.json.
_PIECE = json.JSONEncoder(ensure_ascii=False)


def _encode(value: Any, level: int) -> str:
    inner = "  " * (level + 1)
    if isinstance(value, dict) and value:
        items = [f"{inner}{_PIECE.encode(str(k))}: {_encode(v, level + 1)}"
                 for k, v in value.items()]
    elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        items = [inner + _encode(v, level + 1) for v in value]
    else:
        return _PIECE.encode(value)
    close = "}" if isinstance(value, dict) else "]"
    return f"{'{' if close == '}' else '['}\n" + ",\n".join(items) + f"\n{'  ' * level}{close}"


@dataclass(frozen=True)
class ManifestForm:
    """One exam of a manifest (its only one, or one of its parallel forms)."""

    name: str
    question_ids: tuple[str, ...]
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class Manifest:
    """An exam.json as read back: checked, typed, with where it came from."""

    path: Path
    seed: int
    bank_path: str
    bank_digest: str
    forms: tuple[ManifestForm, ...]
    mix: dict[str, Any] = field(default_factory=dict)
    header: ExamHeader = field(default_factory=ExamHeader)
    sheets: dict[str, Any] | None = None  # the answer sheets' plan, with --sheet

    @property
    def question_ids(self) -> list[str]:
        """Every question id, of all forms."""
        return [qid for form in self.forms for qid in form.question_ids]


def read_manifest(path: Path) -> Manifest:
    """Read and check an exam.json; every problem names the file and the line."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the manifest ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}:1: not a manifest (not UTF-8 text); give the exam.json that "
                         "examgen build wrote") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}); "
                         "give the exam.json that examgen build wrote") from None
    return _Reader(path, raw).manifest(data)


class _Reader:
    """Checks one manifest's JSON; a problem is reported at the line of its key or value."""

    def __init__(self, path: Path, raw: str):
        self.path, self.raw = path, raw

    def fail(self, message: str, near: str = "", hint: bool = True) -> NoReturn:
        line = 1
        if near:
            found = re.search(re.escape(json.dumps(near, ensure_ascii=False)), self.raw)
            if found:
                line = self.raw.count("\n", 0, found.start()) + 1
        advice = ("; give the exam.json that examgen build wrote (or build the exam again)"
                  if hint else "")
        raise InputError(f"{self.path}:{line}: {message}{advice}")

    def manifest(self, data: Any) -> Manifest:
        if not isinstance(data, dict):
            self.fail("not an examgen manifest (the file is not a JSON object)")
        version = data.get("format", 1)
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.fail("'format' must be a whole number", "format")
        if version > FORMAT:
            self.fail(f"written by a newer examgen (format {version}; this one reads up to "
                      f"{FORMAT}); update examgen", "format", hint=False)
        seed = data.get("seed")
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            self.fail("not an examgen manifest: 'seed' must be a whole number >= 0", "seed")
        bank = data.get("bank")
        if not (isinstance(bank, dict) and isinstance(bank.get("path"), str)
                and isinstance(bank.get("digest", ""), str)):
            self.fail("not an examgen manifest: 'bank' must hold the bank's 'path' and "
                      "'digest'", "bank")
        mix, header = data.get("mix", {}), data.get("header", {})
        if not isinstance(mix, dict):
            self.fail("'mix' must be a JSON object", "mix")
        if not (isinstance(header, dict) and all(isinstance(v, str) for v in header.values())):
            self.fail("'header' must map names to texts", "header")
        if "forms" in data:
            forms = data["forms"]
            if not isinstance(forms, list) or not forms:
                self.fail("'forms' must be a non-empty list", "forms")
            parsed = tuple(self.form(f, f.get("name", "") if isinstance(f, dict) else "")
                           for f in forms)
        else:
            parsed = (self.form(data, ""),)
        sheets = data.get("sheets")
        if sheets is not None and not isinstance(sheets, dict):
            self.fail("'sheets' must be a JSON object", "sheets")
        try:
            exam_header = ExamHeader.from_json(header)
        except InputError as exc:
            self.fail(str(exc), "header", hint=False)
        return Manifest(self.path, seed, bank["path"], bank.get("digest", ""), parsed, mix,
                        exam_header, sheets)

    def form(self, data: Any, name: Any) -> ManifestForm:
        if not isinstance(data, dict) or not isinstance(name, str):
            self.fail("every form is an object with a 'name'", "forms")
        questions = data.get("questions")
        if not isinstance(questions, list) or not questions:
            self.fail("'questions' must be a non-empty list", "questions")
        ids = []
        for q in questions:
            if not (isinstance(q, dict) and isinstance(q.get("id"), str)):
                self.fail("every entry of 'questions' is an object with an 'id'", "questions")
            ids.append(q["id"])
        if len(set(ids)) != len(ids):
            twice = next(i for i in ids if ids.count(i) > 1)
            self.fail(f"question '{twice}' is listed twice", twice)
        variants = data.get("variants")
        if not isinstance(variants, list) or not variants:
            self.fail("'variants' must be a non-empty list", "variants")
        return ManifestForm(name, tuple(ids), tuple(self.variant(v, ids) for v in variants))

    def variant(self, data: Any, ids: list[str]) -> Variant:
        if not (isinstance(data, dict) and isinstance(data.get("name"), str)):
            self.fail("every variant is an object with a 'name'", "variants")
        name, order, options = data["name"], data.get("order"), data.get("options", {})
        if not (isinstance(order, list) and all(isinstance(i, str) for i in order)):
            self.fail(f"variant {name}: 'order' must be a list of question ids", "order")
        if sorted(order) != sorted(ids):
            odd = [i for i in order if i not in ids] + [i for i in ids if i not in order]
            what = f" ('{odd[0]}' is not a question of the exam or is missing)" if odd else ""
            self.fail(f"variant {name}: 'order' must list each question of the exam once{what}",
                      odd[0] if odd else "order")
        if not isinstance(options, dict):
            self.fail(f"variant {name}: 'options' must map question ids to permutations",
                      "options")
        perms = {}
        for qid, perm in options.items():
            if qid not in ids or not (isinstance(perm, list) and all(
                    isinstance(i, int) and not isinstance(i, bool) for i in perm)):
                self.fail(f"variant {name}: options of '{qid}' must be a list of option "
                          "numbers of a question in the exam", qid)
            perms[qid] = tuple(perm)
        values = data.get("values", {})
        if not (isinstance(values, dict) and all(
                qid in ids and isinstance(v, dict) and all(_value(x) for x in v.values())
                for qid, v in values.items())):
            self.fail(f"variant {name}: 'values' must map questions of the exam to their "
                      "drawn numbers and texts", "values")
        return Variant(name, tuple(order), perms, values)


def _value(value: Any) -> bool:
    """A drawn value: a number, a text, or a list of them."""
    if isinstance(value, list):
        return all(_value(v) for v in value)
    return isinstance(value, int | float | str)


def exams_from_manifest(manifest: Manifest, bank: Bank) -> list[Exam]:
    """Rebuild the very same exams from a manifest, with the bank's current texts."""
    exams = []
    for form in manifest.forms:
        missing = [qid for qid in form.question_ids if qid not in bank.by_id]
        if missing:
            raise InputError(f"{manifest.path}: question '{missing[0]}' is not in the bank "
                             f"{bank.path}{_and_more(missing)}; was it renamed or deleted?")
        questions = tuple(bank.by_id[qid] for qid in form.question_ids)
        for v in form.variants:
            for qid, perm in v.options.items():
                if sorted(perm) != list(range(shuffled_count(bank.by_id[qid]))):
                    raise InputError(f"{manifest.path}: the options of '{qid}' changed since "
                                     "the exam was built; rebuild it with a new seed")
            for qid, values in v.values.items():
                template = bank.by_id[qid].template
                if template is None or {p.name for p in template.params} != set(values):
                    raise InputError(f"{manifest.path}: the parameters of '{qid}' changed "
                                     "since the exam was built; rebuild it with a new seed")
            for q in questions:
                if q.template is not None and q.id not in v.values:
                    raise InputError(f"{manifest.path}: variant {v.name} has no draw of "
                                     f"'{q.id}', a parametrised question in the bank now; "
                                     "rebuild the exam")
                if shuffled_count(q) and q.id not in v.options:
                    raise InputError(f"{manifest.path}: variant {v.name} has no option order "
                                     f"for '{q.id}', a choice question in the bank now; "
                                     "rebuild the exam")
        exams.append(Exam(manifest.seed, questions, form.variants, form.name))
    return with_drawn(exams)


def _and_more(missing: list[str]) -> str:
    return f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
