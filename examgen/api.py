"""The library core a script can call: what each ``examgen`` command does, typed in and
typed out, with no click inside. The command line parses flags, calls one of these and
prints or writes the result.

    from examgen.api import BuildSettings, build_exam, write_build
    result = build_exam("bank", {"difficulty": {"easy": 5, "hard": 2}}, BuildSettings(seed=7))
    write_build("out", result)
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from examgen.bank.coverage_report import CoverageReport, Excluded, coverage_report
from examgen.bank.loader import load_bank
from examgen.bank.parametrised import DEFAULT_STYLE
from examgen.core.errors import ExamgenError, InputError
from examgen.core.files import write_set
from examgen.core.header import TEXT_KEYS, ExamHeader
from examgen.core.limits import SETTINGS
from examgen.core.model import Bank, Exam, Question
from examgen.core.number_format import NumberStyle
from examgen.core.scoring import DEFAULT_SCHEME
from examgen.core.sheet_geometry import Copy
from examgen.formats.moodle_calculated import Calculated, calculated_questions
from examgen.formats.moodle_import import Imported
from examgen.select.blueprint import Blueprint, BuildSettings
from examgen.select.draws import draw_values, with_drawn
from examgen.select.manifest import Manifest, read_manifest, to_manifest
from examgen.select.mix import FLAGS, Mix, ResolvedMix, merge, resolve, used_ids
from examgen.select.seating import class_and_room, class_copies, earlier_copies
from examgen.select.variants import DEFAULT_ORDER

__all__ = ["BuildResult", "BuildSettings", "CoverageReport", "ExamHeader", "ExportSource",
           "build_exam", "coverage", "export_source", "import_moodle_file",
           "rebuild_exam", "resolve_mix", "write_build"]

DEFAULT_BANK = Path("bank")


@dataclass(frozen=True)
class BuildResult:
    """One build: its exams (one per form), every file it writes, named and rendered in
    memory, and what the lecturer should hear about it (``notes``)."""

    exams: list[Exam]
    files: dict[str, bytes | str]
    bank: Bank
    notes: list[str] = field(default_factory=list)
    private: bool = False  # names of students in it (a roster): readable by the owner only

    @property
    def seed(self) -> int:
        return self.exams[0].seed


def resolve_mix(bank: Bank, given: dict[str, Any], blueprint: Blueprint | None = None,
                names: Callable[[str], str] = FLAGS.__getitem__) -> ResolvedMix:
    """The mix to solve: ``given`` (in the blueprint's ``mix:`` shape) over the
    blueprint's; messages name a given key by ``names`` (its flag, by default) and a
    blueprint's by its file and line."""
    plan = blueprint or Blueprint()
    merged = merge(plan.mix, given)
    mix = Mix.from_mapping(merged, lambda key: names(key) if key in given else plan.where(key))
    return resolve(mix, bank, _origins(plan, given))


def selection(bank: str | Path | Bank | None, mix: dict[str, Any],
               settings: BuildSettings | None, blueprint: Blueprint | None
               ) -> tuple[Blueprint, BuildSettings, Bank, ResolvedMix, int]:
    """What every selection starts from: the blueprint, the settings over its, the bank,
    the resolved mix and the seed (a fresh one when none is given)."""
    plan = blueprint or Blueprint()
    chosen = (settings or BuildSettings()).over(plan.settings)
    loaded = bank if isinstance(bank, Bank) else load_bank(
        Path(bank) if bank is not None else Path(chosen.bank or DEFAULT_BANK))
    resolved = resolve_mix(loaded, mix, plan)
    seed = chosen.seed if chosen.seed is not None else secrets.randbelow(10**9)
    return plan, chosen, loaded, resolved, seed


def build_exam(bank: str | Path | Bank | None, mix: dict[str, Any],
               settings: BuildSettings | None = None, header: ExamHeader | None = None, *,
               blueprint: Blueprint | None = None, pdf: bool = True,
               workers: int | None = None) -> BuildResult:
    """Select questions for ``mix`` with the 0-1 program and render the exam.

    ``settings`` and ``header`` go over the blueprint's, and the blueprint's over the
    defaults. ``bank`` None: the blueprint's bank, else ``bank/``. Without ``pdf`` only
    exam.json (and sheets.pdf with answer sheets) is rendered.
    """
    plan, chosen, loaded, resolved, seed = selection(bank, mix, settings, blueprint)
    from examgen.select.selection import build_exams  # HiGHS and NumPy: only to solve

    chosen = _per_copy(chosen)
    roster, seats = class_and_room(chosen)
    if seats is not None:
        from examgen.select.seating import variants_needed

        chosen = replace(chosen, variants=chosen.variants or variants_needed(
            seats, chosen.neighbours == 4))
    exams, notes = draw_values(build_exams(loaded, resolved, seed, chosen.variants or 1,
                                           chosen.forms or 1, chosen.overlap or 0,
                                           chosen.order or DEFAULT_ORDER))
    texts = plan.header.with_texts(given_texts(header))
    full = replace(texts, layout=chosen.layout or "default", paper=chosen.paper or "a4")
    sheets = _sheets(chosen, {})
    if sheets and (roster or seats):
        sheets = (class_copies(exams, chosen, roster, seats), sheets[1])
    result = _render(loaded, exams, resolved.to_json(), full, sheets, pdf, workers, notes)
    return replace(result, private=roster is not None)


def rebuild_exam(manifest: str | Path, bank: str | Path | None = None,
                 settings: BuildSettings | None = None, header: ExamHeader | None = None, *,
                 pdf: bool = True, workers: int | None = None) -> BuildResult:
    """The very exam of an earlier exam.json again: the same questions and orders, with
    the bank's current texts. Only how it is drawn may change: header texts, layout,
    paper and the answer sheets (``settings``); anything that would select or order
    otherwise is refused. The copies keep their numbers, variants, students and seats;
    with a roster (``settings.roster``) their students' names are printed again (exam.json
    holds no names)."""
    chosen = settings or BuildSettings()
    changing = [name for name in ("variants", "forms", "overlap", "seed", "order", "bank",
                                  "draw", "seating")
                if getattr(chosen, name) is not None]
    if changing:
        raise InputError(f"a rebuild keeps the exam as it was; it cannot change "
                         f"{', '.join(changing)}")
    earlier, loaded, exams, notes = _exams_of(manifest, bank)
    drawn = earlier.header.with_texts(given_texts(header))
    full = replace(drawn, layout=chosen.layout or drawn.layout,
                   paper=chosen.paper or drawn.paper)
    sheets = _sheets(chosen, earlier.sheets or {})
    if sheets and chosen.copies is None and earlier.sheets:
        sheets = (earlier_copies(earlier.sheets, chosen, notes), sheets[1])
    elif chosen.roster:
        raise InputError("--roster with --from names the earlier build's own copies: drop "
                         "--copies" if chosen.copies is not None else
                         "--roster with --from names the copies of the earlier build; it "
                         "had no copies with answer sheets to name")
    result = _render(loaded, exams, earlier.mix, full, sheets, pdf, workers, notes)
    return replace(result, private=chosen.roster is not None)


def _exams_of(manifest: str | Path, bank: str | Path | None
              ) -> tuple[Manifest, Bank, list[Exam], list[str]]:
    """An earlier exam.json, its bank (``bank`` None: the one it names), its exams, and a
    warning when the bank changed since."""
    from examgen.select.manifest import exams_from_manifest

    earlier = read_manifest(Path(manifest))
    loaded = load_bank(Path(bank) if bank is not None else Path(earlier.bank_path))
    notes = []
    if loaded.digest != earlier.bank_digest:
        notes.append(f"Warning: the bank {loaded.path} changed since {manifest} was built; "
                     "the same questions are used with their current texts.")
    return earlier, loaded, exams_from_manifest(earlier, loaded), notes


def _per_copy(chosen: BuildSettings) -> BuildSettings:
    """With ``draw: per-copy`` every copy is a variant of its own: its own order, option
    order and numbers."""
    if chosen.draw != "per-copy":
        return chosen
    if not chosen.copies:
        raise InputError("--draw per-copy gives every copy its own numbers: add --sheet "
                         "--copies N")
    if chosen.variants not in (None, 1, chosen.copies):
        raise InputError(f"--draw per-copy makes each of the {chosen.copies} copies its own "
                         f"variant; drop --variants {chosen.variants}")
    most = SETTINGS["variants"][1] or chosen.copies
    if chosen.copies > most:
        raise InputError(f"--draw per-copy makes each copy a variant, and an exam has at most "
                         f"{most} variants; use fewer --copies")
    return replace(chosen, variants=chosen.copies)


def given_texts(header: ExamHeader | None) -> dict[str, str | None]:
    """The texts of ``header`` that were given (None where empty)."""
    return {} if header is None else {k: getattr(header, k) or None for k in TEXT_KEYS}


def _sheets(chosen: BuildSettings, earlier: dict[str, Any]
            ) -> tuple[int | list[Copy], str] | None:
    """(copies, scoring) when the build has answer sheets, else None; a rebuild has the
    sheets its manifest had, unless told otherwise."""
    wanted = chosen.sheet if chosen.sheet is not None else bool(earlier)
    count = chosen.copies if chosen.copies is not None else len(earlier.get("copies", []))
    if count and not wanted:
        raise InputError("--copies numbers answer sheets: add --sheet (or 'sheet: true' in the "
                         "blueprint)")
    if not wanted:
        return None
    return count, chosen.scoring or earlier.get("scoring") or DEFAULT_SCHEME


def _render(bank: Bank, exams: list[Exam], mix: dict[str, Any], header: ExamHeader,
            sheets: tuple[int | list[Copy], str] | None, pdf: bool, workers: int | None,
            notes: list[str]) -> BuildResult:
    """The manifest, the PDFs and the answer sheets of selected exams."""
    if sheets:  # the exam's instructions send students to the sheet and its rules
        header = replace(header, answer_sheet=sheets[1])
    from examgen.render.outputs import render_outputs

    layout = plan = None
    style = DEFAULT_STYLE
    if pdf or sheets:  # Jinja2 and reportlab: only for the builds that draw
        from examgen.render.layout import load_layout

        layout = load_layout(header.layout, header.paper)
        style = NumberStyle(layout.labels.get("decimal", "."))
        notes = [*notes, *header.unprintable()]
    exams = with_drawn(exams, style)  # each variant's draws as the layout prints numbers
    manifest = to_manifest(exams, bank, str(bank.path), mix, header)
    if sheets and layout is not None:
        from examgen.core.sheet_geometry import plan_sheets

        plan = plan_sheets(exams, manifest, sheets[0], layout.settings["sheet"][
            "student_digits"], header.paper, layout.labels, sheets[1])
    files = render_outputs(exams, manifest, layout if pdf else None, header.paper, plan,
                           workers)
    return BuildResult(exams, files, bank, notes)


def write_build(out_dir: str | Path, result: BuildResult) -> str:
    """Write the whole set at once; an earlier build's PDFs that it replaces go away.

    Returns a line naming the earlier manifest that was replaced, so that a lecturer who
    keeps exam.json files for --exclude-used notices; or nothing.
    """
    from examgen.render.outputs import MANIFEST, PDF_NAME

    folder = Path(out_dir)
    before = ""
    old = folder / MANIFEST
    if old.is_file():
        try:
            earlier = read_manifest(old)
            before = (f"replaced {old} (seed {earlier.seed}, "
                      f"{len(earlier.question_ids)} questions)")
        except ExamgenError:
            before = f"replaced {old} (not readable as a manifest)"
    stale = [p.name for p in folder.glob("*.pdf")
             if old.is_file() and PDF_NAME.fullmatch(p.name) and p.name not in result.files]
    write_set(folder, result.files, last=MANIFEST, remove=stale, private=result.private)
    return before


def coverage(bank: str | Path | Bank | None, mix: dict[str, Any] | None = None, *,
             blueprint: Blueprint | None = None, least: int | None = None,
             stress_runs: int | None = None) -> CoverageReport:
    """The bank against the matrix (``examgen coverage``). With a mix (or a blueprint
    with one): how many exams of it the bank can still give, and with ``stress_runs``
    which questions the mix never or rarely draws, and why; questions of the exams it
    excludes (``exclude_used``) are left out of the counts."""
    plan = blueprint or Blueprint()
    loaded = bank if isinstance(bank, Bank) else load_bank(
        Path(bank) if bank is not None else Path(plan.settings.bank or DEFAULT_BANK))
    given = mix or {}
    merged = merge(plan.mix, given)
    resolved = resolve_mix(loaded, given, plan) if set(merged) - {
        "exclude_used", "prefer_unused"} else None
    if stress_runs and resolved is None:
        raise InputError("--stress builds a mix: give a blueprint or mix flags, e.g. "
                         "--easy 5 --hard 2 --stress 200")
    # the earlier exams are read once: the resolved mix holds them when there is one
    used = resolved.used if resolved else used_ids(
        tuple(str(m) for m in merged.get("exclude_used") or ()))
    remaining = Bank(loaded.path, tuple(q for q in loaded.questions if q.id not in used),
                     loaded.digest) if used else loaded
    report = coverage_report(remaining, least)
    if used:
        report = replace(report, excluded=Excluded(len(used.keys() & loaded.by_id.keys()),
                                                   tuple(sorted(set(used.values())))))
    if resolved is None:
        return report
    from examgen.select.capacity import capacity, capacity_json, render_capacity

    found = capacity(loaded, resolved)
    lines = render_capacity(found, blueprint.path if blueprint else "this mix")
    stress_json = None
    if stress_runs:
        from examgen.select.stress import stress, stress_report

        stress_json, stress_lines = stress_report(stress(loaded, resolved, stress_runs))
        lines += stress_lines
    return replace(report, capacity=capacity_json(found), stress=stress_json,
                   lines=tuple(lines))


@dataclass(frozen=True)
class ExportSource:
    """What an export writes: the bank's questions, or one exam's (with its forms and
    header), and the top of the category tree."""

    questions: list[Question]
    root: str
    exams: list[Exam] = field(default_factory=list)
    header: ExamHeader = field(default_factory=ExamHeader)
    notes: list[str] = field(default_factory=list)
    # parametrised questions that go out as Moodle calculated questions, by id
    calculated: dict[str, Calculated] = field(default_factory=dict)


def export_source(bank: str | Path | None, manifest: str | Path | None = None,
                  category_root: str | None = None, draws: int = 1,
                  calculated: bool = False) -> ExportSource:
    """The questions to export: the whole bank, or with ``manifest`` those of one exam
    (``bank`` None: the bank the manifest names), a parametrised one as ``draws`` frozen
    draws (an exam's: its first variant's draw, unless ``draws`` asks for more); with
    ``calculated``, one that fits Moodle's calculated question as that, with ``draws``
    (at least 2, else 20) draws in its dataset."""
    from examgen.formats.frozen_draws import frozen_draws, parametrised_note

    if manifest is None:
        loaded = load_bank(Path(bank) if bank is not None else DEFAULT_BANK)
        questions, header = list(loaded.questions), ExamHeader()
        exams: list[Exam] = []
        notes: list[str] = []
    else:
        earlier, loaded, exams, notes = _exams_of(manifest, bank)
        questions = list({q.id: e.variants[0].question(q) for e in exams
                          for q in e.questions}.values())
        header = earlier.header
    root = category_root or loaded.path.resolve().name
    chosen = calculated_questions(questions, draws, notes) if calculated else {}
    rest = [q for q in questions if q.id not in chosen]
    note = "" if manifest is not None else parametrised_note(rest, draws)
    out: list[Question] = []
    for q in questions:
        out += [q] if q.id in chosen else frozen_draws([q], draws)
    return ExportSource(out, root, exams, header, notes + ([note] if note else []), chosen)


def import_moodle_file(xml_file: str | Path, out_dir: str | Path, topic_from: int = -1,
                       difficulty: str | None = None, knowledge: str | None = None,
                       rename: bool = False, notes: list[str] | None = None) -> Imported:
    """Turn a Moodle XML export into bank YAML in ``out_dir`` (pictures beside it).

    Question by question: one the bank cannot hold (its own check says so, in memory) is
    left out with a note naming its line in the XML, and the rest is imported. With
    ``out_dir`` inside an existing bank, ids the bank already has are refused (both places
    named) unless ``rename`` gives the new ones a suffix. Nothing is overwritten, and the
    files written always pass ``examgen check``; raises ``NothingImported`` (exit 1) when
    no question could be imported. The notes go to ``notes`` as they are found."""
    from examgen.formats.moodle_bank import checked_files
    from examgen.formats.moodle_import import import_moodle

    source, folder = Path(xml_file), Path(out_dir)
    try:
        with source.open("rb") as xml:  # read as a stream: a file may be huge
            result = import_moodle(xml, str(source), topic_from, difficulty, knowledge, notes)
    except OSError as exc:
        raise InputError(f"{source}: cannot read the file ({exc.strerror})") from None
    result.files = checked_files(result, folder, rename)
    existing = [name for name in result.files if (folder / name).exists()]
    if existing:
        raise InputError(f"{folder / existing[0]} exists; import into a new folder (-o) so "
                         "that nothing is overwritten")
    write_set(folder, result.files, last=next(iter(result.files)))
    return result


def _origins(plan: Blueprint, given: dict[str, Any]) -> dict[str, str]:
    """Which rules came from the blueprint, and from which line: a flag overrides a whole
    key, or one value of a mapping (--easy over difficulty: {easy: ...})."""
    out = {}
    for key, value in plan.mix.items():
        if isinstance(value, dict):
            flagged = given.get(key)
            flagged = flagged if isinstance(flagged, dict) else {}
            out.update({f"{key}.{v}": plan.where(key) for v in value if v not in flagged})
        elif key not in given:
            out[key] = plan.where(key)
    return out

