"""Imported questions into bank files that pass ``examgen check``: each question is loaded
by the bank's own loader, in memory, before anything is written.

A question the loader refuses is left out with a note naming its line in the XML; what
is left must then load as a whole bank. If it does not, that is a bug in examgen, never
the user's file: the run ends with an internal error (exit 70) and writes nothing. Ids
the bank around the output folder already has are refused, or renamed on request.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from examgen.bank.fields import FileContext
from examgen.bank.loader import check_bank, load_file
from examgen.core.errors import ExamgenError, InputError
from examgen.core.model import TYPES, Difficulty, Knowledge, format_number
from examgen.formats.moodle_import import Entry, Imported, slug


class NothingImported(ExamgenError):
    """Not one question of the file could be imported."""

    exit_code = 1


def checked_files(result: Imported, folder: Path, rename: bool) -> dict[str, bytes | str]:
    """The files to write: pictures and YAML of every question the bank can hold."""
    pictures = {name: data for name, data in result.files.items()
                if not name.endswith(".yaml")}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, data in pictures.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data if isinstance(data, bytes) else data.encode())
        kept = [e for e in result.entries if _holds(e, root, result)]
        bank = _enclosing_bank(folder)
        if bank is not None:
            kept = _against_bank(kept, bank, folder, rename, result)
        result.questions = len(kept)
        if not kept:
            raise NothingImported("no question could be imported (see the notes above)")
        files = bank_files(kept)
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8")
        _, problems = check_bank(root)
        errors = [p for p in problems if not p.warning]
        if errors:  # every question loaded alone: together they must too
            raise RuntimeError(f"the imported bank does not pass its own check "
                               f"({errors[0].message}); nothing was written")
    used = {str(picture) for e in kept for picture in _pictures(e.question)}
    return {**files, **{n: d for n, d in pictures.items() if n in used}}


def _pictures(question: dict[str, Any]) -> list[str]:
    """The pictures a question shows: its own, and its options'."""
    options = question.get("options", [])
    return [p for p in [question.get("image"), *(o.get("image") for o in options
                                                 if isinstance(o, dict))] if p]


def _holds(entry: Entry, root: Path, result: Imported) -> bool:
    """Whether the bank's loader takes the question; if not, a note says why."""
    ctx = FileContext(entry.where, root, root.resolve())
    load_file(question_yaml(entry.topic, [entry.question]).encode("utf-8"), ctx)
    if not ctx.problems:
        return True
    why = "; ".join(p.message.split(": ", 1)[-1] for p in ctx.problems[:3])
    result.report.append(f"{entry.where}: '{entry.name}': the bank cannot hold it ({why}); "
                         "left out")
    result.skipped += 1
    return False


def _enclosing_bank(folder: Path) -> Path | None:
    """The bank ``folder`` lies in: the nearest existing folder above it that holds YAML
    files directly (``bank`` for ``-o bank/imported``)."""
    for parent in folder.resolve().parents:
        if parent == Path.cwd().resolve().parent:
            break
        if parent.is_dir() and any(parent.glob("*.yaml")):
            return parent
    return None


def _against_bank(entries: list[Entry], bank: Path, folder: Path, rename: bool,
                  result: Imported) -> list[Entry]:
    """Ids the bank already has: refused with both places, or renamed with ``rename``."""
    loaded, _ = check_bank(bank)
    have = {q.id: q for q in loaded.questions
            if not Path(q.file).resolve().is_relative_to(folder.resolve())}
    taken = set(have) | {str(e.question["id"]) for e in entries}
    clashes = [e for e in entries if e.question["id"] in have]
    if clashes and not rename:
        first = clashes[0]
        there = have[str(first.question["id"])]
        raise InputError(
            f"{first.where}: id '{first.question['id']}' is already in the bank {bank} "
            f"({there.file}:{there.line})" + (f", and {len(clashes) - 1} more id(s)"
                                              if len(clashes) > 1 else "")
            + "; give --rename to import them with the suffix -imported, or import into a "
              "folder outside the bank")
    for e in clashes:
        base, n = f"{e.question['id']}-imported", 2
        new = base
        while new in taken:
            new, n = f"{base}-{n}", n + 1
        taken.add(new)
        result.report.append(f"{e.where}: '{e.name}': id '{e.question['id']}' is already in "
                             f"the bank; imported as '{new}'")
        e.question["id"] = new
    return entries


def bank_files(entries: list[Entry]) -> dict[str, str]:
    """One YAML file per topic, numbered so that the bank loads them in the XML's order."""
    by_topic: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_topic.setdefault(entry.topic, []).append(entry.question)
    width = len(str(len(by_topic)))
    return {f"{n:0{width}d}-{slug(topic)}.yaml": question_yaml(topic, questions)
            for n, (topic, questions) in enumerate(by_topic.items(), start=1)}


def question_yaml(topic: str, questions: list[dict[str, Any]]) -> str:
    """A bank file: every text double-quoted (JSON is valid YAML), so nothing is reread
    as another type."""
    lines = [f"topic: {_quote(topic)}", "questions:"]
    for q in questions:
        first = True
        for key, value in q.items():
            lead = "  - " if first else "    "
            first = False
            lines += _entry(lead, key, value, "    ")
        lines.append("")
    return "\n".join(lines)


def _entry(lead: str, key: str, value: Any, indent: str) -> list[str]:
    if isinstance(value, list):
        out = [f"{lead}{key}:"]
        for item in value:
            if isinstance(item, dict):
                first = True
                for k, v in item.items():
                    out += _entry(f"{indent}  - " if first else f"{indent}    ", k, v,
                                  indent + "    ")
                    first = False
            else:
                out.append(f"{indent}  - {_scalar(item)}")
        return out
    return [f"{lead}{key}: {_scalar(value)}"]


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, str) and value in {d.value for d in Difficulty} | \
            {k.value for k in Knowledge} | set(TYPES):
        return value
    return _quote(str(value))


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
