"""``examgen grade``: the manifest and bank in, every result file out, one summary back."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from examgen.bank.loader import load_bank
from examgen.core.errors import InputError, OutputError
from examgen.core.files import write_set
from examgen.core.model import Exam
from examgen.core.roster import Roster
from examgen.core.sheet_geometry import SheetPlan
from examgen.grade.gradebook import (
    GRADES,
    MOODLE_GRADES,
    annotated_name,
    grades_csv,
    join_roster,
    moodle_grades_csv,
    moodle_key,
)
from examgen.grade.grading import grade
from examgen.grade.overrides import Decision, read_overrides
from examgen.grade.reports import (
    annotated_pdfs,
    responses_csv,
    results_csv,
    review_csv,
    review_html,
)
from examgen.grade.scale import read_scale
from examgen.select.manifest import exams_from_manifest, read_manifest

RESULTS = "results.csv"
OWNER = "grade.json"  # which exam the folder's results belong to
_OWN_ITEMS = ("student",)  # what a review line may decide besides a question


@dataclass
class GradeReport:
    lines: list[str] = field(default_factory=list)
    skipped: bool = False  # a file or page that could not be graded was left out


@dataclass(frozen=True)
class Gradebook:
    """What ``grade`` writes for the LMS besides the results: with a roster."""

    roster: Roster
    moodle: bool = False  # write grades-moodle.csv
    key: str | None = None  # idnumber or email; None: what every student has
    item: str = "Exam"  # the grade item's name in Moodle


def run_grade(scans: list[Path], manifest_path: Path, bank_dir: Path | None, out_dir: Path,
              overrides: Path | None, scale_path: Path | None,
              workers: int | None, force: bool = False,
              gradebook: Gradebook | None = None) -> GradeReport:
    manifest = read_manifest(manifest_path)
    if manifest.sheets is None:
        raise InputError(f"{manifest_path}: this exam has no answer sheets; build it with "
                         "--sheet (examgen build ... --sheet --copies N) and print sheets.pdf")
    try:
        plan = SheetPlan.from_json(manifest.sheets)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise InputError(f"{manifest_path}: the 'sheets' block is not examgen's ({exc}); give "
                         "the exam.json that examgen build --sheet wrote") from None
    if not force:
        _refuse_another_exams_results(out_dir, plan.exam)
    bank = load_bank(bank_dir or Path(manifest.bank_path))
    report = GradeReport()
    if bank.digest != manifest.bank_digest:
        report.lines.append(f"Warning: the bank {bank.path} changed since {manifest_path} was "
                            "built; answers and points are taken from its current texts.")
    exams = exams_from_manifest(manifest, bank)
    decisions = read_overrides(overrides) if overrides else {}
    _check_decisions(decisions, plan, exams, manifest_path)
    scale = read_scale(scale_path) if scale_path else None
    missing = [p for p in scans if not p.exists()]
    if missing:
        raise InputError(f"{missing[0]}: no such file or folder")
    key = moodle_key(gradebook.roster, gradebook.key) if gradebook and gradebook.moodle \
        else None
    started = time.perf_counter()
    result = grade(scans, plan, exams, plan.scoring, decisions, workers)
    seconds = time.perf_counter() - started
    names: dict[str, str] = {}
    lms: dict[str, bytes | str] = {}
    if gradebook is not None:
        roster = gradebook.roster
        join_roster(result, roster)
        names = {s.number: annotated_name(s, s.number) for s in roster.students}
        lms[GRADES] = grades_csv(result, roster, scale)
        if key is not None:
            lms[MOODLE_GRADES], left_out = moodle_grades_csv(result, roster, key,
                                                             gradebook.item)
            if left_out:
                report.lines.append(f"{MOODLE_GRADES}: {len(left_out)} student(s) left out "
                                    f"until decided: {', '.join(left_out[:8])}"
                                    + (" and more" if len(left_out) > 8 else ""))
    files: dict[str, bytes | str] = {
        RESULTS: results_csv(result, exams, scale),
        "responses.csv": responses_csv(result),
        "review.csv": review_csv(result),
        "review.html": review_html(result, plan),
        **lms,
        **annotated_pdfs(result, plan, exams, names),
        OWNER: json.dumps({"exam": plan.exam, "manifest": str(manifest_path)}) + "\n",
    }
    stale = [f"annotated/{p.name}" for p in (out_dir / "annotated").glob("*.pdf")
             if f"annotated/{p.name}" not in files] if (out_dir / RESULTS).is_file() else []
    write_set(out_dir, files, last=RESULTS, remove=stale, private=True)  # personal data
    pages = [r for r in result.reviews if r.item == "page" and r.where is not None]
    report.skipped = any("scanned twice" not in r.problem for r in pages)
    open_items = [r for r in result.reviews if r.item != "page"]
    report.lines += [f"{r.where}: {r.problem}" for r in pages]
    if result.thresholded:
        named = ", ".join(str(ref) for ref in result.thresholded[:5])
        more = f" and {len(result.thresholded) - 5} more" if len(result.thresholded) > 5 else ""
        report.lines.append(
            f"Warning: {len(result.thresholded)} page(s) were scanned in black and white "
            f"({named}{more}): pencil lighter than the scanner's threshold is lost there, "
            "and a box with a trace of ink goes to review. Scan in greyscale at 200 dpi or "
            "more.")
    if result.alike:
        report.lines.append(f"{len(result.alike)} page(s) scanned twice and read alike, one "
                            f"kept: {', '.join(f'{b} (as {a})' for a, b in result.alike[:5])}"
                            + (" and more" if len(result.alike) > 5 else ""))
    if result.blank:
        named = ", ".join(str(ref) for ref in result.blank[:5])
        more = f" and {len(result.blank) - 5} more" if len(result.blank) > 5 else ""
        report.lines.append(f"{len(result.blank)} blank page(s) left out: {named}{more}")
    report.lines.append(
        f"graded {len(result.sheets)} sheets from {result.page_count} pages in "
        f"{seconds:.1f} s; {len(open_items)} marks to review"
        + (f", {len(result.unscanned)} copies not scanned" if result.unscanned else ""))
    report.lines.append(f"wrote {out_dir / RESULTS}, responses.csv, review.html, review.csv"
                        + "".join(f", {name}" for name in lms)
                        + f" and {sum(1 for n in files if n.startswith('annotated/'))} "
                        "annotated copies")
    if open_items:
        report.lines.append(f"decide them in {out_dir / 'review.csv'} (see review.html), then "
                            f"run again with --overrides {out_dir / 'review.csv'}")
    return report


def _check_decisions(decisions: dict[tuple[int, str], Decision], plan: SheetPlan,
                     exams: list[Exam], manifest_path: Path) -> None:
    """Every decision names a copy of this exam and a question on it: a decision that
    would be dropped is an error at its line."""
    questions = {e.name: {q.id for q in e.questions} for e in exams}
    for (copy, item), decision in decisions.items():
        printed = plan.by_number.get(copy)
        if printed is None:
            raise InputError(f"{decision.where}: copy {copy} is not in {manifest_path} (its "
                             f"copies are 1 to {len(plan.copies)}); is this the review of "
                             "another exam?")
        if item not in _OWN_ITEMS and item not in questions.get(printed.form, set()):
            raise InputError(f"{decision.where}: copy {copy} has no question '{item}'; give "
                             "the review.csv of this exam with its item column as written")


def _refuse_another_exams_results(out_dir: Path, exam: str) -> None:
    """A results folder of another exam is not overwritten unless the user says so."""
    try:
        owner = json.loads((out_dir / OWNER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # no results yet, or of an examgen that did not say whose they are
    other = owner.get("exam") if isinstance(owner, dict) else None
    if other != exam:
        raise OutputError(f"{out_dir} holds the results of another exam ({other}, graded "
                          f"with {owner.get('manifest') if isinstance(owner, dict) else '?'}); "
                          "give another folder with -o, or --force to replace them")
