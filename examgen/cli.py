"""The ``examgen`` command: parse options, call one core function, write or print the result."""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .bank import check_bank, load_bank
from .blueprint import Blueprint, load_blueprint
from .coverage import coverage, render_text
from .errors import BankError, ExamgenError, MixError
from .export import EXPORTERS
from .files import write_atomic, write_set
from .limits import SETTINGS
from .manifest import exams_from_manifest, read_manifest, to_manifest
from .mix import FLAGS, Mix, ResolvedMix, merge, resolve, used_ids
from .model import (
    CELLS,
    PAPERS,
    TYPES,
    Bank,
    Difficulty,
    Exam,
    Knowledge,
    Level,
    Question,
    cell_of,
    topic_of,
    type_of,
)
from .options import (
    HEADER_FLAGS,
    bank_option,
    complete_layout,
    flag_mix,
    header_options,
    mix_options,
    out_option,
    seed_option,
)
from .scoring import DEFAULT_SCHEME, SCHEMES
from .variants import DEFAULT_ORDER, ORDERS

BUG_EXIT = 70  # EX_SOFTWARE: examgen itself failed, whatever the input


class _Group(click.Group):
    """Every ExamgenError becomes a clear message and its exit code, never a traceback.

    Anything else is a bug in examgen: one line that says so and how to report it, exit
    70, and the traceback only with --debug (so scripts can tell a bug from bad input).
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ExamgenError as exc:
            click.echo(f"Error: {exc}" if not isinstance(exc, BankError) else str(exc), err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            # the reader stopped reading (examgen coverage | head): nothing went wrong here
            # and every file was written before the report; quiet, and no second error
            # when Python flushes the closed pipe at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(2)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(f"examgen: internal error ({type(exc).__name__}: {exc}). This is a bug in "
                       "examgen, not in your input: please report it to the examgen issue "
                       "tracker with the command you ran and the output of --debug.", err=True)
            ctx.exit(BUG_EXIT)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="examgen")
@click.option("--debug", is_flag=True, envvar="EXAMGEN_DEBUG",
              help="Show the full traceback of an internal error.")
def main(debug: bool) -> None:
    """Turn a tagged question bank into exams, answer keys and Moodle XML.

    Example: examgen build --easy 5 --hard 2 --seed 7

    Start with examgen check, see the bank with examgen coverage, and ask any command
    for --help. Shell completion (bash): eval "$(_EXAMGEN_COMPLETE=bash_source examgen)"
    """


@main.command()
@bank_option
def check(bank_dir: Path) -> None:
    """Validate the bank and list every problem as FILE:LINE: message.

    Example: examgen check --bank bank/
    """
    bank, problems = check_bank(bank_dir)
    for problem in problems:
        click.echo(str(problem))
    files = len({q.file for q in bank.questions} | {p.file for p in problems})
    errors = sum(not p.warning for p in problems)
    if errors:
        click.echo(f"{errors} problem(s) in {bank_dir}; fix them and run again.")
        raise SystemExit(2)
    warned = len(problems)
    click.echo(f"{bank_dir} is valid: {len(bank.questions)} questions in {files} files"
               + (f" ({warned} warning(s) above)." if warned else "."))


@main.command("coverage")
@bank_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead.")
@click.option("--min", "least", type=click.IntRange(1), metavar="N",
              help="Warn where a topic's cell has fewer than N questions.")
@click.option("--blueprint", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A blueprint: how many exams of its mix the bank can still give.")
@mix_options
@click.option("--stress", type=click.IntRange(1, 10_000), metavar="RUNS",
              help="Build the mix with seeds 1..RUNS and name the questions never or "
                   "rarely drawn, with the rule that keeps them out.")
@click.option("--pdf", type=click.Path(path_type=Path),
              help="Also draw the report as a PDF (coloured matrix, one per topic).")
@click.option("--layout", metavar="NAME|PATH", default="default", show_default=True,
              shell_complete=complete_layout, help="Layout whose colours and fonts the PDF uses.")
@click.pass_context
def coverage_cmd(ctx: click.Context, /, bank_dir: Path, as_json: bool, least: int | None,
                 blueprint: Path | None, stress: int | None, pdf: Path | None, layout: str,
                 **flags: Any) -> None:
    """Show the bank against the difficulty x knowledge matrix and where it is thin.

    With a blueprint or mix flags, also how many exams of that mix the bank can still
    give with no question repeated, and which rule runs out first.

    Example: examgen coverage --bank bank/ --min 2

    Capacity: examgen coverage --blueprint final.yaml --exclude-used out/exam.json

    Picture and stress test: examgen coverage --easy 5 --hard 2 --pdf cov.pdf --stress 200
    """
    plan = load_blueprint(blueprint) if blueprint else Blueprint()
    bank = load_bank(_explicit_bank(ctx, bank_dir) or Path(plan.settings.get("bank", bank_dir)))
    given = flag_mix(flags)
    merged = merge(plan.mix, given)
    has_mix = bool(set(merged) - {"exclude_used", "prefer_unused"})
    mix = _resolve_mix(plan, flags, bank) if has_mix else None
    # the earlier exams are read once: the resolved mix holds them when there is one
    used = mix.used if mix else used_ids(tuple(str(m) for m in merged.get("exclude_used") or ()))
    remaining = Bank(bank.path, tuple(q for q in bank.questions if q.id not in used),
                     bank.digest) if used else bank
    report = coverage(remaining, least)
    if used:
        report["excluded"] = {"questions": len(used.keys() & bank.by_id.keys()),
                              "manifests": sorted(set(used.values()))}
    lines: list[str] = []
    if mix is not None:
        from .capacity import capacity, capacity_json, render_capacity

        result = capacity(bank, mix)
        report["capacity"] = capacity_json(result)
        lines = render_capacity(result, str(blueprint) if blueprint else "this mix")
        if stress:
            from .stress import stress as run_stress
            from .stress import stress_report

            report["stress"], stress_lines = stress_report(run_stress(bank, mix, stress))
            lines += stress_lines
    elif stress:
        raise MixError("--stress builds a mix: give a blueprint or mix flags, e.g. "
                       "--easy 5 --hard 2 --stress 200")
    if pdf:
        from .render.coverage import render_coverage
        from .render.layout import load_layout

        title = f"Coverage of {bank.path.resolve().name}"
        write_atomic(pdf, render_coverage(report, load_layout(layout, "a4"), title,
                                          [line for line in lines if line]))
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    click.echo(render_text(report, _paint))
    if used:
        click.echo(f"\n(without the {report['excluded']['questions']} questions used in "
                   f"{', '.join(report['excluded']['manifests'])})")
    if lines:
        click.echo("\n" + "\n".join(lines))
    if pdf:
        click.echo(f"\nwrote {pdf}")


def _paint(text: str, level: Level | None) -> str:
    return click.style(text, fg=level.value) if level else text  # green, yellow, red


@main.command()
@bank_option
@click.option("--blueprint", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML file with the mix, header, layout, variants and seed.")
@mix_options
@seed_option
@click.option("--variants", type=click.IntRange(*SETTINGS["variants"]),
              help="Versions A, B, ... (default 1).")
@click.option("--forms", type=click.IntRange(*SETTINGS["forms"]),
              help="Parallel exams with different questions (default 1).")
@click.option("--overlap", type=click.IntRange(*SETTINGS["overlap"]),
              help="With --forms: questions two forms may share at most (default 0).")
@click.option("--order", type=click.Choice(ORDERS),
              help="Question order in every variant: random (default), difficulty (easy "
                   "first), topic (grouped), bank (the bank's order).")
@click.option("--from", "from_manifest", type=click.Path(path_type=Path),
              help="Rebuild exactly the exam of an earlier exam.json.")
@click.option("--layout", metavar="NAME|PATH", shell_complete=complete_layout,
              help="Layout for the PDFs: default, de, or a layout folder.")
@click.option("--paper", type=click.Choice(sorted(PAPERS)), help="Paper size (default a4).")
@click.option("--pdf/--no-pdf", default=True, help="Write the PDFs (default) or only exam.json.")
@header_options
@click.option("--sheet", is_flag=True, default=None,
              help="Add machine-readable answer sheets (sheets.pdf) for examgen grade.")
@click.option("--copies", type=click.IntRange(*SETTINGS["copies"]),
              help="With --sheet: numbered copies; variants cycle A, B, ... (default: one "
                   "per variant).")
@click.option("--scoring", type=click.Choice(SCHEMES),
              help="With --sheet: how multiple-response questions score on paper "
                   "(default moodle, as the Moodle export).")
@out_option
@click.pass_context
def build(ctx: click.Context, /, bank_dir: Path, blueprint: Path | None, seed: int | None,
          variants: int | None, forms: int | None, overlap: int | None, order: str | None,
          from_manifest: Path | None, layout: str | None, paper: str | None, pdf: bool,
          sheet: bool | None, copies: int | None, scoring: str | None,
          out_dir: Path, **flags: Any) -> None:
    """Select questions for the mix with a 0-1 program and write the exam.

    Example: examgen build --easy 5 --hard 2 --seed 7

    For paper grading: examgen build --easy 5 --hard 2 --variants 2 --sheet --copies 120
    """
    from .outputs import Workers, render_outputs

    # forked now, they get ready to draw while this process solves; they end with the command
    workers = ctx.with_resource(Workers(pdf))
    given = {key: flags.pop(key) for key in HEADER_FLAGS}  # the header's, not the mix's
    texts = {key: text for key, text in given.items() if text is not None}
    plan = load_blueprint(blueprint) if blueprint else Blueprint()
    if from_manifest:
        _refuse_with_from(blueprint, seed, variants, forms, overlap, flags, order)
        bank, exams, mix, header = _rebuild(from_manifest, _explicit_bank(ctx, bank_dir))
    else:
        bank_dir = _explicit_bank(ctx, bank_dir) or Path(plan.settings.get("bank", bank_dir))
        bank, exams, mix, header = _select(plan, load_bank(bank_dir), flags, seed, variants,
                                           forms, overlap, order)
    header = {**header, **texts, "layout": _first(layout, plan.settings.get("layout"),
                                         header.get("layout"), "default"),
              "paper": _first(paper, plan.settings.get("paper"), header.get("paper"), "a4")}
    sheets = _sheet_settings(plan, from_manifest, sheet, copies, scoring)
    if sheets:  # the exam's instructions send students to the sheet and its rules
        header["answer_sheet"] = sheets[1]
    manifest = to_manifest(exams, bank, str(bank.path), mix, header)
    chosen = None
    if pdf or sheets:  # Jinja2 and reportlab: only for the builds that draw
        from .render.layout import load_layout

        chosen = load_layout(header["layout"], header["paper"])
    plan_of_sheets = None
    if sheets and chosen is not None:
        from .sheet import plan_sheets

        plan_of_sheets = plan_sheets(exams, manifest, sheets[0], chosen.settings["sheet"][
            "student_digits"], header["paper"], chosen.labels, sheets[1])
    files = render_outputs(exams, manifest, chosen if pdf else None, header["paper"],
                           plan_of_sheets, workers)
    replaced = _write_build(out_dir, files)
    _print_summary(exams, out_dir, list(files), replaced)


def _sheet_settings(plan: Blueprint, from_manifest: Path | None, sheet: bool | None,
                    copies: int | None, scoring: str | None) -> tuple[int, str] | None:
    """(copies, scoring) when the build has answer sheets, else None: flags over the
    blueprint, and --from rebuilds the sheets the manifest had."""
    earlier = (read_manifest(from_manifest).sheets if from_manifest else None) or {}
    wanted = _first(sheet, plan.settings.get("sheet"), bool(earlier))
    count = _first(copies, plan.settings.get("copies"), len(earlier.get("copies", [])))
    if count and not wanted:
        raise MixError("--copies numbers answer sheets: add --sheet (or 'sheet: true' in the "
                       "blueprint)")
    if not wanted:
        return None
    return count, _first(scoring, plan.settings.get("scoring"), earlier.get("scoring"),
                         DEFAULT_SCHEME)


def _write_build(out_dir: Path, files: dict[str, bytes | str]) -> str:
    """Write the whole set at once; an earlier build's PDFs that it replaces go away.

    Returns a line naming the earlier manifest that was replaced, so that a lecturer who
    keeps exam.json files for --exclude-used notices; or nothing.
    """
    from .outputs import MANIFEST, PDF_NAME

    before = ""
    old = out_dir / MANIFEST
    if old.is_file():
        try:
            earlier = read_manifest(old)
            before = (f"replaced {old} (seed {earlier.seed}, "
                      f"{len(earlier.question_ids)} questions)")
        except MixError:
            before = f"replaced {old} (not readable as a manifest)"
    stale = [p.name for p in out_dir.glob("*.pdf")
             if old.is_file() and PDF_NAME.fullmatch(p.name) and p.name not in files]
    write_set(out_dir, files, last=MANIFEST, remove=stale)
    return before


def _select(plan: Blueprint, bank: Bank, flags: dict[str, Any], seed: int | None,
            variants: int | None, forms: int | None, overlap: int | None,
            order: str | None) -> tuple[Bank, list[Exam], dict[str, Any], dict[str, Any]]:
    """Solve the mix: flags over the blueprint, the blueprint over the defaults."""
    settings = plan.settings
    mix = _resolve_mix(plan, flags, bank)
    seed = _first(seed, settings.get("seed"), secrets.randbelow(10**9))
    from .build import build_exams  # HiGHS and NumPy: only for the commands that solve

    exams = build_exams(bank, mix, seed, _first(variants, settings.get("variants"), 1),
                        _first(forms, settings.get("forms"), 1),
                        _first(overlap, settings.get("overlap"), 0),
                        _first(order, settings.get("order"), DEFAULT_ORDER))
    return bank, exams, mix.to_json(), plan.header


def _refuse_with_from(blueprint: Path | None, seed: int | None, variants: int | None,
                      forms: int | None, overlap: int | None, flags: dict[str, Any],
                      order: str | None = None) -> None:
    """--from rebuilds an exam as it was; anything that would change it is a mistake."""
    changed = [name for name, value in (("--blueprint", blueprint), ("--seed", seed),
                                        ("--variants", variants), ("--forms", forms),
                                        ("--overlap", overlap), ("--order", order))
               if value is not None]
    changed += [FLAGS[key] for key in flag_mix(flags)]
    if changed:
        raise MixError(f"--from rebuilds the exam exactly as it was; drop {', '.join(changed)} "
                       "(or build a new exam without --from)")


def _explicit_bank(ctx: click.Context, bank_dir: Path) -> Path | None:
    """The --bank the user typed, or None to use the one the manifest names."""
    given = ctx.get_parameter_source("bank_dir") != click.core.ParameterSource.DEFAULT
    return bank_dir if given else None


T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def _first(*values: T | None) -> T:
    """The first value given: a flag over the blueprint, the blueprint over the default."""
    return next(v for v in values if v is not None)


def _resolve_mix(plan: Blueprint, flags: dict[str, Any], bank: Bank) -> ResolvedMix:
    given = flag_mix(flags)
    merged = merge(plan.mix, given)
    mix = Mix.from_mapping(merged, lambda key: FLAGS[key] if key in given else plan.where(key))
    return resolve(mix, bank, _origins(plan, given))


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


def _rebuild(path: Path, bank_dir: Path | None
             ) -> tuple[Bank, list[Exam], dict[str, Any], dict[str, Any]]:
    manifest = read_manifest(path)
    bank = load_bank(bank_dir or Path(manifest.bank_path))
    if bank.digest != manifest.bank_digest:
        click.echo(f"Warning: the bank {bank.path} changed since {path} was built; the same "
                   "questions are used with their current texts.", err=True)
    return bank, exams_from_manifest(manifest, bank), manifest.mix, manifest.header


def _print_summary(exams: list[Exam], out_dir: Path, names: list[str], replaced: str) -> None:
    written = out_dir / "exam.json"
    if len(exams) > 1:
        click.echo(_forms_side_by_side(exams) + "\n")
    for exam in exams if len(exams) == 1 else ():
        click.echo(f"{len(exam.questions)} questions, {exam.total_points:g} points, about "
                   f"{exam.minutes} minutes, variants {', '.join(v.name for v in exam.variants)}")
        report = coverage(Bank(Path("."), exam.questions, ""))
        click.echo(render_text(report, _paint, warnings=False))
        click.echo("")
    click.echo(f"seed {exams[0].seed} (rebuild with --seed {exams[0].seed} or "
               f"--from {written})")
    click.echo(f"wrote {', '.join(str(out_dir / n) for n in names)}")
    if replaced:
        click.echo(replaced)


def _forms_side_by_side(exams: list[Exam]) -> str:
    """Parallel forms in columns: questions, points, and the count per cell, type and
    topic, with a note on every row where they differ."""
    def count(exam: Exam, key: Callable[[Question], str], value: str) -> float:
        return sum(1 for q in exam.questions if key(q) == value)

    rows: list[tuple[str, list[float]]] = [
        ("questions", [len(e.questions) for e in exams]),
        ("points", [e.total_points for e in exams]),
        ("minutes", [e.minutes for e in exams])]
    keys: list[tuple[str, Callable[[Question], str], tuple[str, ...]]] = [
        ("", cell_of, CELLS), ("type ", type_of, TYPES), ("", topic_of, ())]
    for label, key, order in keys:
        seen = {key(q) for e in exams for q in e.questions}
        values = [v for v in order if v in seen] or list(
            dict.fromkeys(key(q) for e in exams for q in e.questions))
        rows += [(f"{label}{v}", [count(e, key, v) for e in exams]) for v in values]
    width = max(len(name) for name, _ in rows) + 2
    lines = [f"{'':<{width}}" + "".join(f"{'Form ' + e.name:>9}" for e in exams)]
    unequal = []
    for name, numbers in rows:
        mark = "" if len(set(numbers)) == 1 else "  <- differs"
        if mark:
            unequal.append(name)
        lines.append(f"{name:<{width}}" + "".join(f"{n:>9g}" for n in numbers) + mark)
    variants = ", ".join(v.name for v in exams[0].variants)
    lines.append(f"variants {variants} of each form")
    if unequal:
        lines.append(f"Note: the bank cannot make the forms alike in {', '.join(unequal)}; "
                     "give those counts in the mix (--cell, --type, --topic) or add "
                     "questions to balance them.")
    return "\n".join(lines)


@main.command()
@click.argument("scans", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--manifest", type=click.Path(path_type=Path), default=Path("out/exam.json"),
              show_default=True, help="The exam.json of the build with --sheet.")
@bank_option
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path),
              default=Path("results"), show_default=True,
              help="Folder for results.csv, responses.csv, the review and annotated copies.")
@click.option("--overrides", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A review.csv with decisions filled in: apply them and grade again.")
@click.option("--scale", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Grading scale: lines of threshold and grade, e.g. '50%  4.0'.")
@click.option("--workers", type=click.IntRange(1, 64), help="Processes (default: all cores).")
@click.pass_context
def grade(ctx: click.Context, /, scans: tuple[Path, ...], manifest: Path, bank_dir: Path,
          out_dir: Path, overrides: Path | None, scale: Path | None,
          workers: int | None) -> None:
    """Grade scanned answer sheets (PDF, PNG, JPEG, TIFF, or folders of them).

    Example: examgen grade scans/*.pdf --manifest out/exam.json -o results
    """
    from .grade.command import run_grade

    report = run_grade(list(scans), manifest, _explicit_bank(ctx, bank_dir), out_dir,
                       overrides, scale, workers)
    for line in report.lines:
        click.echo(line)
    if report.bad_input:
        ctx.exit(2)


@main.command()
@click.argument("responses", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--manifest", type=click.Path(path_type=Path), default=Path("out/exam.json"),
              show_default=True, help="The exam.json of the exam the answers belong to.")
@bank_option
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path),
              default=Path("analysis"), show_default=True,
              help="Folder for report.pdf, items.csv and analysis.json.")
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON instead.")
@click.pass_context
def analyze(ctx: click.Context, /, responses: Path, manifest: Path, bank_dir: Path,
            out_dir: Path, as_json: bool) -> None:
    """Item analysis of graded answers: facility, discrimination, flags, reliability.

    Example: examgen analyze results/responses.csv --manifest out/exam.json
    """
    from .analyze.command import run_analyze, summary

    analysis = run_analyze(responses, manifest, _explicit_bank(ctx, bank_dir),
                           None if as_json else out_dir)
    if as_json:
        click.echo(json.dumps(analysis.to_json(), indent=1))
        return
    for line in summary(analysis, out_dir):
        click.echo(line)


@main.command()
@click.argument("analyses", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@bank_option
@click.option("--apply", is_flag=True, help="Retag the questions whose measured difficulty "
                                            "left their band (default: only propose).")
@click.option("--bands", metavar="EASY:HARD", help="Facility bands: easy at least EASY, hard "
                                                   "below HARD (default 0.7:0.4).")
def calibrate(analyses: tuple[Path, ...], bank_dir: Path, apply: bool,
              bands: str | None) -> None:
    """Write measured facility and discrimination into the bank (stats: per question).

    Example: examgen calibrate analysis/analysis.json --bank bank --apply
    """
    from .analyze.calibrate import band_settings, table
    from .analyze.calibrate import calibrate as run

    written, moves = run(list(analyses), bank_dir, apply, band_settings(bands))
    for line in table(moves, apply):
        click.echo(line)
    click.echo(f"wrote stats into {len(written)} file(s)" + (
        ": " + ", ".join(written) if written else ""))


@main.command(short_help="Keep examgen loaded, so that commands start at once (Linux).")
def serve() -> None:
    """Keep examgen loaded so that every examgen command started meanwhile, by this user
    from this installation, starts at once (Python takes a quarter of a second to load
    what a build needs). Each command still runs in a process of its own.

    Example: examgen serve &

    Stop it with Ctrl-C or kill; EXAMGEN_SOCKET names another socket than the default
    (for the server and its commands alike).
    """
    from .client import SERVABLE, socket_path
    from .server import serve as listen

    if not SERVABLE:
        raise click.UsageError("examgen serve needs Linux: it hands each command the "
                               "caller's terminal over a Unix socket and asks who called")
    listen(socket_path())


@main.group()
def export() -> None:
    """Export the bank or an exam to other systems (Moodle XML, GIFT, QTI 2.1).

    Example: examgen export moodle --manifest out/exam.json -o out/exam-moodle.xml
    """


def _export_options(default: str, what: str) -> Callable[[F], F]:
    """--bank, --manifest, -o and --category-root, as every export takes them."""
    def decorate(func: F) -> F:
        options: list[Callable[[Any], Any]] = [
                bank_option,
                click.option("--manifest", type=click.Path(path_type=Path),
                             help="Export only the questions of this exam.json."),
                click.option("-o", "--output", type=click.Path(path_type=Path),
                             default=Path(default), show_default=True, help=what),
                click.option("--category-root", metavar="NAME",
                             help="Top of the category tree (default: the bank folder's "
                                  "name)."),
                click.pass_context]
        for option in reversed(options):
            func = option(func)
        return func  # the same command function, its options added
    return decorate


@export.command("moodle")
@_export_options("out/moodle.xml", "The XML file to write.")
def export_moodle(ctx: click.Context, bank_dir: Path, manifest: Path | None, output: Path,
                  category_root: str | None) -> None:
    """Write Moodle XML: one category per topic, questions tagged by cell and level.

    Example: examgen export moodle --bank bank/ -o out/moodle.xml
    """
    questions, root = _exported(ctx, bank_dir, manifest, category_root)
    write_atomic(output, EXPORTERS["moodle"](questions, root))
    topics = len({q.topic for q in questions})
    click.echo(f"wrote {output}: {len(questions)} questions in {topics} categories under "
               f"$course$/top/{root}")


@export.command("gift")
@_export_options("out/questions.gift", "The GIFT file to write.")
def export_gift(ctx: click.Context, bank_dir: Path, manifest: Path | None, output: Path,
                category_root: str | None) -> None:
    """Write GIFT, Moodle's text format: one category per topic, tags and ids kept.

    Example: examgen export gift --bank bank/ -o out/questions.gift
    """
    from .export.gift import to_gift

    questions, root = _exported(ctx, bank_dir, manifest, category_root)
    result = to_gift(questions, root)
    write_atomic(output, result.text)
    for line in result.skipped:
        click.echo(f"Left out: {line}", err=True)
    for line in result.notes:
        click.echo(f"Note: {line}", err=True)
    written = len(questions) - len(result.skipped)
    click.echo(f"wrote {output}: {written} of {len(questions)} questions under "
               f"$course$/top/{root}")


@export.command("qti")
@_export_options("out/exam-qti.zip", "The QTI content package (zip) to write.")
def export_qti(ctx: click.Context, bank_dir: Path, manifest: Path | None, output: Path,
               category_root: str | None) -> None:
    """Write an IMS QTI 2.1 content package: an item per question, a test per exam.

    With --manifest, each exam (each form) becomes an assessmentTest with its questions
    in printed order; with --bank, the package holds the items alone.

    Example: examgen export qti --manifest out/exam.json -o out/exam-qti.zip
    """
    from .export.qti import QtiTest, identifier, to_qti

    questions, root, exams, header = _exported_exams(ctx, bank_dir, manifest, category_root)
    title = str(header.get("title") or "Exam")
    tests = []
    for exam in exams:
        by_id = {q.id: q for q in exam.questions}
        name = f"{title}, form {exam.name}" if exam.name else title
        tests.append(QtiTest(identifier(f"exam-{exam.name}" if exam.name else "exam"),
                             name, tuple(by_id[i] for i in exam.variants[0].order)))
    package = to_qti(questions, tests, root)
    write_atomic(output, package.zip_bytes())
    click.echo(f"wrote {output}: {package.items} items"
               + (f", {package.tests} test(s)" if package.tests else ""))


def _exported(ctx: click.Context, bank_dir: Path, manifest: Path | None,
              category_root: str | None) -> tuple[list[Question], str]:
    """The bank's questions or those of one exam (--manifest), and the category root."""
    questions, root, _, _ = _exported_exams(ctx, bank_dir, manifest, category_root)
    return questions, root


def _exported_exams(ctx: click.Context, bank_dir: Path, manifest: Path | None,
                    category_root: str | None
                    ) -> tuple[list[Question], str, list[Exam], dict[str, Any]]:
    """As ``_exported``, with the manifest's exams and header (none with --bank)."""
    exams: list[Exam] = []
    header: dict[str, Any] = {}
    if manifest:
        bank, exams, _, header = _rebuild(manifest, _explicit_bank(ctx, bank_dir))
        questions = list({q.id: q for e in exams for q in e.questions}.values())
    else:
        bank = load_bank(bank_dir)
        questions = list(bank.questions)
    return questions, category_root or bank.path.resolve().name, exams, header


@main.group("import")
def import_() -> None:
    """Read questions from other systems into bank YAML files.

    Example: examgen import moodle moodle.xml -o bank/imported --difficulty medium
    """


@import_.command("moodle")
@click.argument("xml_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Bank folder to write (one YAML file per category; must not exist yet "
                   "or hold none of the files).")
@click.option("--topic-from", type=int, default=-1, show_default=True, metavar="LEVEL",
              help="Which level of the category path names the topic (-1: the last).")
@click.option("--difficulty", type=click.Choice([d.value for d in Difficulty]),
              help="For questions without a difficulty-* tag.")
@click.option("--knowledge", type=click.Choice([k.value for k in Knowledge]),
              help="For questions without a knowledge-* tag.")
def import_moodle_cmd(xml_file: Path, out_dir: Path, topic_from: int, difficulty: str | None,
                      knowledge: str | None) -> None:
    """Turn a Moodle XML export into bank YAML (images written next to it).

    Example: examgen import moodle moodle.xml -o bank/imported --difficulty medium
    """
    import tempfile

    from .export.moodle_import import import_moodle

    result = import_moodle(xml_file.read_bytes(), str(xml_file), topic_from, difficulty,
                           knowledge)
    if not result.files:
        raise MixError(f"{xml_file}: no question could be imported"
                       + "".join(f"\n  {line}" for line in result.report))
    existing = [name for name in result.files if (out_dir / name).exists()]
    if existing:
        raise MixError(f"{out_dir / existing[0]} exists; import into a new folder (-o) so "
                       "that nothing is overwritten")
    with tempfile.TemporaryDirectory() as tmp:  # the files must load as a bank first
        for name, data in result.files.items():
            (Path(tmp) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / name).write_bytes(data.encode() if isinstance(data, str) else data)
        load_bank(tmp)
    write_set(out_dir, result.files, last=next(iter(result.files)))
    for line in result.report:
        click.echo(f"Note: {line}", err=True)
    click.echo(f"wrote {result.questions} questions into {out_dir} "
               f"({sum(1 for n in result.files if n.endswith('.yaml'))} files)"
               + (f"; {result.skipped} left out (see the notes)" if result.skipped else ""))
