"""The exam manifest ``exam.json``: what was selected, in which orders, with which answers.

It is the contract between ``examgen build`` and everything after it: the PDFs, the
export, ``--exclude-used`` and ``--from`` all read it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import MixError
from .model import Bank, ChoiceQuestion, Exam, Variant, key_answer

Manifest = dict[str, Any]  # the JSON object of exam.json


def to_manifest(exams: list[Exam], bank: Bank, bank_path: str, mix: dict[str, Any],
                header: dict[str, Any]) -> Manifest:
    """One manifest for one exam, or with ``forms`` for parallel forms."""
    top = {"seed": exams[0].seed, "bank": {"path": bank_path, "digest": bank.digest},
           "mix": mix, "header": header}
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
            "answers": {qid: key_answer(by_id[qid], v.options.get(qid)) for qid in v.order},
        } for v in exam.variants],
    }


def dumps(manifest: Manifest) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def read_manifest(path: Path) -> Manifest:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MixError(f"{path}: cannot read the manifest ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise MixError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}); "
                       "give the exam.json that examgen build wrote") from None
    if not isinstance(data, dict) or "seed" not in data or "bank" not in data:
        raise MixError(f"{path}: not an examgen manifest (no 'seed' or 'bank')")
    return data


def question_ids(data: Manifest) -> list[str]:
    """Every question id of a manifest, of all its forms."""
    return [q["id"] for form in data.get("forms") or [data]
            for q in form.get("questions", []) if isinstance(q, dict) and "id" in q]


def exams_from_manifest(data: Manifest, bank: Bank, path: Path) -> list[Exam]:
    """Rebuild the very same exams from a manifest, with the bank's current texts."""
    exams = []
    for form in data.get("forms") or [data]:
        try:
            questions = tuple(bank.by_id[q["id"]] for q in form["questions"])
            variants = tuple(Variant(v["name"], tuple(v["order"]),
                                     {k: tuple(p) for k, p in v["options"].items()})
                             for v in form["variants"])
        except KeyError as exc:
            raise MixError(f"{path}: question or key {exc} is missing from the bank or the "
                           "manifest; was the question renamed or deleted?") from None
        for v in variants:
            for qid, perm in v.options.items():
                q = bank.by_id.get(qid)
                if not isinstance(q, ChoiceQuestion) or sorted(perm) != list(
                        range(len(q.options))):
                    raise MixError(f"{path}: the options of '{qid}' changed since the exam "
                                   "was built; rebuild it with a new seed")
        exams.append(Exam(data["seed"], questions, variants, form.get("name", "")))
    return exams
