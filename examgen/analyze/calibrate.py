"""``examgen calibrate``: the measured difficulty goes back into the bank's YAML.

Every analysed question gets a ``stats:`` block (one line per exam: exam id, date, n,
facility, discrimination). The files are edited as text at the lines the loader reports,
so comments, order, quoting and line breaks of everything else stay exactly as they were
and ``git diff`` shows only the new lines. A difficulty move is proposed where the
evidence is enough (at least ``MIN_ANSWERS`` answers in all and a pooled facility outside the
tagged band) and written only with ``--apply``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from examgen.bank.loader import load_bank
from examgen.core.errors import InputError
from examgen.core.files import write_atomic
from examgen.core.model import (
    FACILITY_BANDS,
    MIN_ANSWERS,
    Bank,
    Observation,
    Question,
    band_of,
    format_number,
    pooled_facility,
)
from examgen.core.yamlio import Node, read_yaml


@dataclass(frozen=True)
class Move:
    question: str
    where: str
    tagged: str
    observed: str
    facility: float
    n: int


def read_analysis(path: Path) -> tuple[str, str, dict[str, Observation]]:
    """(exam id, date, observation per question) of an analysis.json."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        exam, date = str(data["exam"]), str(data["date"])
        observations = {}
        for item in data["items"]:
            disc = item.get("discrimination")
            observations[str(item["id"])] = Observation(
                exam, date, int(item["n"]), float(item["facility"]),
                None if disc is None else float(disc))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the analysis ({exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}); give the "
                         "analysis.json that examgen analyze wrote") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: not an examgen analysis ({exc}); give the analysis.json "
                         "that examgen analyze wrote") from None
    return exam, date, observations


def calibrate(analyses: list[Path], bank_dir: Path, apply: bool,
              bands: dict[str, tuple[float, float]] = FACILITY_BANDS
              ) -> tuple[list[str], list[Move]]:
    """Merge the analyses into the bank's files; returns the files written and the moves."""
    bank = load_bank(bank_dir)
    merged: dict[str, dict[str, Observation]] = {q.id: {o.exam: o for o in q.stats}
                                                 for q in bank.questions}
    for path in analyses:
        _, _, observations = read_analysis(path)
        unknown = [qid for qid in observations if qid not in merged]
        if unknown:
            raise InputError(f"{path}: question '{unknown[0]}' is not in the bank {bank_dir}; "
                             "calibrate the bank the exam was built from (--bank)")
        for qid, observation in observations.items():
            merged[qid][observation.exam] = observation
    moves = proposals(bank, merged, bands)
    moving = {m.question: m for m in moves} if apply else {}
    edited: dict[str, tuple[Path, str]] = {}
    for file, questions in _by_file(bank).items():
        path = Path(file).resolve()  # a symlinked file is edited where it lives
        text = path.read_text(encoding="utf-8")
        new = _edit(text, path, questions, merged, moving)
        if new != text:
            _check(new, path)
            edited[file] = (path, new)
    for path, new in edited.values():  # every file checked first: all are written, or none
        write_atomic(path, new)
    load_bank(bank_dir)  # the bank still loads, stats and all
    return list(edited), moves


def _by_file(bank: Bank) -> dict[str, list[Question]]:
    out: dict[str, list[Question]] = {}
    for q in bank.questions:
        out.setdefault(q.file, []).append(q)
    return out


def proposals(bank: Bank, merged: dict[str, dict[str, Observation]],
              bands: dict[str, tuple[float, float]]) -> list[Move]:
    moves = []
    for q in bank.questions:
        facility, n = pooled_facility(list(merged[q.id].values()))
        if facility is None or n < MIN_ANSWERS:
            continue
        observed = band_of(facility, bands)
        if observed != q.difficulty.value:
            moves.append(Move(q.id, f"{q.file}:{q.line}", q.difficulty.value, observed,
                              facility, n))
    return moves


def _edit(text: str, path: Path, questions: list[Question],
          merged: dict[str, dict[str, Observation]], moving: dict[str, Move]) -> str:
    """The file with every question's stats block written (and moves applied)."""
    problems: list[str] = []
    data = read_yaml(text.encode("utf-8"), lambda line, msg: problems.append(msg))
    if not isinstance(data, Node) or not isinstance(data.get("questions"), list):
        raise InputError(f"{path}: cannot edit this file ({'; '.join(problems)})")
    nodes = [n for n in data["questions"] if isinstance(n, Node)]
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, list[str]]] = []  # first line, last line (1-based), new
    by_id = {str(n.get("id")): (i, n) for i, n in enumerate(nodes)}
    for q in questions:
        if q.id not in by_id or not merged[q.id]:
            continue
        index, node = by_id[q.id]
        end = (nodes[index + 1].line - 1 if index + 1 < len(nodes) else len(lines))
        end = _last_content(lines, node.line, end)
        indent = _indent(lines[node.key_lines["difficulty"] - 1])
        if "stats" in node.key_lines:
            edits += _update_stats(lines, node, merged[q.id], end, indent)
        else:
            if not lines[end - 1].endswith("\n"):
                lines[end - 1] += "\n"
            block = [f"{indent}stats:  # measured (examgen analyze, calibrate): one line per "
                     "exam\n"]
            block += [f"{indent}  - {_flow(o)}\n" for o in sorted(
                merged[q.id].values(), key=lambda o: (o.date, o.exam))]
            edits.append((end + 1, end, block))
        move = moving.get(q.id)
        if move:
            at = node.key_lines["difficulty"]
            lines[at - 1] = re.sub(r"(difficulty:\s*)[A-Za-z\"']+", rf"\g<1>{move.observed}",
                                   lines[at - 1], count=1)
    for first, last, block in sorted(edits, reverse=True):
        lines[first - 1:last] = block
    return "".join(lines)


def _update_stats(lines: list[str], node: Node, observations: dict[str, Observation],
                  end: int, indent: str) -> list[tuple[int, int, list[str]]]:
    """Edits of an existing stats block: an exam's line replaced when its numbers changed,
    new exams' lines added after the last; its header and comments stay."""
    first = node.key_lines["stats"]
    later = [line for line in node.key_lines.values() if line > first]
    last = _last_content(lines, first, min(later) - 1 if later else end)
    entries = node.get("stats")
    written: dict[str, tuple[int, int]] = {}
    if isinstance(entries, list):
        for entry in entries:
            if isinstance(entry, Node) and "exam" in entry:
                span = [entry.line, *entry.key_lines.values()]
                written[str(entry["exam"])] = (min(span), max(span))
    edits = []
    added = []
    for exam, o in sorted(observations.items(), key=lambda e: (e[1].date, e[0])):
        line = f"{indent}  - {_flow(o)}\n"
        if exam in written:
            start, stop = written[exam]
            if _flow(o) not in "".join(lines[start - 1:stop]):
                edits.append((start, stop, [line]))
        else:
            added.append(line)
    if added:
        edits.append((last + 1, last, added))
    return edits


def _last_content(lines: list[str], first: int, last: int) -> int:
    """The last line from ``first`` to ``last`` that is neither blank nor a comment."""
    while last > first and (not lines[last - 1].strip()
                            or lines[last - 1].lstrip().startswith("#")):
        last -= 1
    return last


def _indent(line: str) -> str:
    """The column the question's keys start at ('  - difficulty:' -> 4 spaces)."""
    match = re.match(r"^(\s*)(-\s+)?", line)
    return " " * (len(match.group(0)) if match else 0)


def _flow(o: Observation) -> str:
    parts = [f'exam: "{o.exam}"', f'date: "{o.date}"', f"n: {o.n}",
             f"facility: {format_number(round(o.facility, 3))}"]
    if o.discrimination is not None:
        parts.append(f"discrimination: {format_number(round(o.discrimination, 3))}")
    return "{" + ", ".join(parts) + "}"


def _check(text: str, path: Path) -> None:
    """The edited file must still parse; a failure here is a bug, never a broken bank."""
    problems: list[str] = []
    if read_yaml(text.encode("utf-8"), lambda line, msg: problems.append(f"{line}: {msg}")) \
            is None or problems:
        raise InputError(f"{path}: calibrate would break this file ({'; '.join(problems)}); "
                         "nothing was written to it")


def table(moves: list[Move], applied: bool) -> list[str]:
    if not moves:
        return [f"no difficulty moves: every question with at least {MIN_ANSWERS} answers is "
                "inside its band"]
    rows = [f"{'question':<28} {'tagged':<7} {'observed':<8} {'facility':>8} {'n':>5}  where"]
    rows += [f"{m.question:<28} {m.tagged:<7} {m.observed:<8} {m.facility:>8.2f} {m.n:>5}  "
             f"{m.where}" for m in moves]
    rows.append("applied" if applied else "proposed only: run again with --apply to retag")
    return rows


def band_settings(text: str | None) -> dict[str, tuple[float, float]]:
    """--bands EASY:HARD, e.g. 0.7:0.4 (easy at least 0.7, hard below 0.4)."""
    if not text:
        return FACILITY_BANDS
    try:
        easy, hard = (float(p) for p in text.split(":"))
    except ValueError:
        raise InputError(f"--bands {text}: write EASY:HARD, e.g. 0.7:0.4") from None
    if not 0 < hard < easy < 1:
        raise InputError(f"--bands {text}: need 0 < hard < easy < 1")
    return {"easy": (easy, 1.0), "medium": (hard, easy), "hard": (0.0, hard)}
