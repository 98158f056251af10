"""``examgen calibrate``: the measured difficulty goes back into the bank's YAML, and the
bank is never damaged on the way.

Every analysed question gets a ``stats:`` block (one line per exam and class: exam id,
cohort, date, n, facility, discrimination), written by ``stats_lines`` as text at the
places the YAML parser reports, so ``git diff`` shows only the new lines. What an
analysis.json says is checked before it is used; the new files are re-read by the bank
loader in memory before any is replaced; one run at a time holds the bank. A difficulty
move is proposed where the evidence is enough (at least ``MIN_ANSWERS`` answers in all and
a pooled facility above chance outside the tagged band), never for a question a flag
holds, and written only with ``--apply``.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from examgen.analyze.flags import corrected
from examgen.analyze.stats_lines import Edit, edit_file
from examgen.bank.fields import FileContext
from examgen.bank.loader import load_bank, load_file
from examgen.core.errors import BusyError, InputError
from examgen.core.facility import FACILITY_BANDS, MIN_ANSWERS, band_of, pooled_facility
from examgen.core.model import Bank, Observation, Question
from examgen.core.scoring import chance_fraction


@dataclass(frozen=True)
class Move:
    question: str
    where: str
    tagged: str
    observed: str
    facility: float
    n: int


@dataclass(frozen=True)
class Measured:
    """What one analysis.json says, checked: its observations and the questions whose
    flags forbid retagging (a miskey, no variance)."""

    observations: dict[str, Observation]
    chance: dict[str, float]
    held: dict[str, str]  # question -> the flag that holds it


_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HEX = re.compile(r"[0-9a-f]{0,64}")
HOLDING = {"miskeyed", "nobody-right", "everybody-right", "no-variance"}
LOCK = ".examgen-calibrate.lock"  # in the bank folder; held while calibrate writes
MAX_N = 10_000_000


def read_analysis(path: Path) -> Measured:
    """An analysis.json, every value checked for type and range before it is used: the
    bank only ever receives numbers and identifiers formatted by examgen."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the analysis ({exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}); give the "
                         "analysis.json that examgen analyze wrote") from None
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from None

    def bad(what: str) -> InputError:
        return InputError(f"{path}: {what}; give the analysis.json that examgen analyze "
                          "wrote, unedited")

    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise bad("not an examgen analysis (no 'items' list)")
    exam, date, cohort = data.get("exam"), data.get("date"), data.get("cohort", "")
    if not isinstance(exam, str) or not _PLAIN.fullmatch(exam):
        raise bad(f"'exam' must be an exam id (letters, digits, . _ : -), not {exam!r:.60}")
    if not isinstance(date, str) or not _DATE.fullmatch(date):
        raise bad(f"'date' must be a date such as 2027-02-12, not {date!r:.60}")
    if not isinstance(cohort, str) or not _HEX.fullmatch(cohort):
        raise bad(f"'cohort' must be the digest analyze wrote, not {cohort!r:.60}")
    observations: dict[str, Observation] = {}
    chance: dict[str, float] = {}
    for at, item in enumerate(data["items"]):
        if not isinstance(item, dict):
            raise bad(f"items[{at}] is not an object")
        qid = item.get("id")
        if not isinstance(qid, str) or not _PLAIN.fullmatch(qid):
            raise bad(f"items[{at}]: 'id' must be a question id, not {qid!r:.60}")
        n, facility = item.get("n"), item.get("facility")
        disc, guess = item.get("discrimination"), item.get("chance", 0.0)
        if type(n) is not int or not 1 <= n <= MAX_N:
            raise bad(f"items[{at}] ('{qid}'): 'n' must be a whole number from 1 to "
                      f"{MAX_N:,}, not {str(n)[:40]}")
        if not _share(facility, 0, 1):
            raise bad(f"items[{at}] ('{qid}'): 'facility' must be from 0 to 1, not "
                      f"{str(facility)[:40]}")
        if disc is not None and not _share(disc, -1, 1):
            raise bad(f"items[{at}] ('{qid}'): 'discrimination' must be from -1 to 1 or "
                      f"null, not {str(disc)[:40]}")
        if not _share(guess, 0, 0.99):
            raise bad(f"items[{at}] ('{qid}'): 'chance' must be from 0 to 0.99, not "
                      f"{str(guess)[:40]}")
        observations[qid] = Observation(exam, date, n, float(facility),  # type: ignore[arg-type]
                                        None if disc is None else float(disc), cohort)
        chance[qid] = float(guess)
    held = {}
    for flag in data.get("flags") or []:
        if isinstance(flag, dict) and flag.get("kind") in HOLDING and \
                flag.get("question") in observations:
            held[str(flag["question"])] = str(flag["kind"])
    return Measured(observations, chance, held)


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows (analyze writes null)")


def _share(value: object, low: float, high: float) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and \
        math.isfinite(value) and low <= value <= high


def calibrate(analyses: list[Path], bank_dir: Path, apply: bool,
              bands: dict[str, tuple[float, float]] = FACILITY_BANDS
              ) -> tuple[list[str], list[Move], list[str]]:
    """Merge the analyses into the bank's files; returns the files written, the moves and
    notes on what was left alone. Everything is computed and checked in memory first;
    then the files are replaced, each atomically, under a lock."""
    with bank_lock(bank_dir):
        bank = load_bank(bank_dir)
        merged: dict[str, dict[tuple[str, str], Observation]] = {
            q.id: {(o.exam, o.cohort): o for o in q.stats} for q in bank.questions}
        chance: dict[str, float] = {}
        held: dict[str, str] = {}
        for path in analyses:
            measured = read_analysis(path)
            unknown = [qid for qid in measured.observations if qid not in merged]
            if unknown:
                raise InputError(f"{path}: question '{unknown[0]}' is not in the bank "
                                 f"{bank_dir}; calibrate the bank the exam was built from "
                                 "(--bank)")
            for qid, o in measured.observations.items():
                # a line from before cohorts were recorded stood for the exam's one class
                merged[qid].pop((o.exam, ""), None)
                merged[qid][(o.exam, o.cohort)] = o
            chance.update(measured.chance)
            held.update(measured.held)
        moves, notes = proposals(bank, merged, bands, chance, held)
        moving = {m.question: m.observed for m in moves} if apply else {}
        planned = _plan(bank, bank_dir, merged, moving, notes)
        for path, (new, _) in planned.items():
            write_keeping(path, new)
        load_bank(bank_dir)  # the bank still loads, stats and all
    return [file for _, (_, file) in planned.items()], moves, notes


def _plan(bank: Bank, bank_dir: Path, merged: dict[str, dict[tuple[str, str], Observation]],
          moving: dict[str, str], notes: list[str]) -> dict[Path, tuple[bytes, str]]:
    """Every file's new bytes, each re-read and re-checked as the loader would."""
    root = bank_dir.resolve()
    planned: dict[Path, tuple[bytes, str]] = {}
    for file, questions in _by_file(bank).items():
        path = Path(file)
        edits = {q.id: Edit(tuple(merged[q.id].values()), moving.get(q.id, ""))
                 for q in questions if merged[q.id]}
        if not edits:
            continue
        if path.is_symlink() or not path.resolve().is_relative_to(root):
            raise InputError(f"{file}: is a link (or lies outside the bank {bank_dir}); "
                             "calibrate writes no file through a link: replace the link by "
                             "the file, or calibrate the bank it points into")
        raw = path.read_bytes()
        bom = raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8-sig")
        new, skipped = edit_file(text, edits)
        notes += [f"{file}:{note}" for note in skipped]
        if new == text:
            continue
        data = (b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8")
        ctx = FileContext(file, path.parent, root)
        loaded = {q.id: q for q in load_file(data, ctx)}
        if ctx.problems or set(loaded) != {q.id for q in questions}:
            why = (f"line {ctx.problems[0].line}: {ctx.problems[0].message}"
                   if ctx.problems else "questions would be lost")
            raise InputError(f"{file}: calibrate would break this file ({why}); nothing was "
                             "written. This is a bug in examgen: please report it with the "
                             "file")
        planned[path] = (data, file)
    return planned


def write_keeping(path: Path, data: bytes) -> None:
    """Replace the file atomically, keeping its mode and (where allowed) its owner."""
    before = path.stat()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, stat.S_IMODE(before.st_mode))
        if hasattr(os, "chown"):
            with contextlib.suppress(PermissionError):
                os.chown(tmp, before.st_uid, before.st_gid)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def bank_lock(bank_dir: Path) -> Iterator[None]:
    """One calibrate at a time per bank: a second one is refused, not interleaved."""
    if not bank_dir.is_dir():  # the bank's loader says what is wrong with the folder
        yield
        return
    lock = bank_dir / LOCK
    try:
        handle = lock.open("a")
    except OSError as exc:
        raise InputError(f"{bank_dir}: cannot write the lock file {LOCK} ({exc.strerror})"
                         ) from None
    with handle:
        try:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # no fcntl (Windows): no lock
            pass
        except OSError:
            raise BusyError(f"{bank_dir}: another examgen calibrate is writing to this bank; "
                            "run again when it has finished") from None
        yield



def _by_file(bank: Bank) -> dict[str, list[Question]]:
    out: dict[str, list[Question]] = {}
    for q in bank.questions:
        out.setdefault(q.file, []).append(q)
    return out


def proposals(bank: Bank, merged: dict[str, dict[tuple[str, str], Observation]],
              bands: dict[str, tuple[float, float]], chance: dict[str, float] | None = None,
              held: dict[str, str] | None = None) -> tuple[list[Move], list[str]]:
    """Moves for questions whose pooled facility above chance left their band; a
    question a flag holds (a miskey, no variance) is never moved."""
    moves, notes = [], []
    for q in bank.questions:
        facility, n = pooled_facility(list(merged[q.id].values()))
        if facility is None or n < MIN_ANSWERS:
            continue
        guess = (chance or {}).get(q.id, chance_fraction(q))
        observed = band_of(corrected(facility, guess), bands)
        if observed == q.difficulty.value:
            continue
        if held and q.id in held:
            notes.append(f"{q.file}:{q.line}: '{q.id}' is not retagged: flagged "
                         f"{held[q.id]}; fix the question first")
            continue
        moves.append(Move(q.id, f"{q.file}:{q.line}", q.difficulty.value, observed,
                          facility, n))
    return moves, notes


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
