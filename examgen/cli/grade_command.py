"""``examgen grade``, ``analyze`` and ``calibrate``: from scans to results, from results
to item statistics, and from statistics back into the bank."""

from __future__ import annotations

import json
from pathlib import Path

import click

from examgen.cli.group import explicit_bank, main
from examgen.cli.options import bank_option


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
@click.option("--force", is_flag=True,
              help="Replace the results of another exam in the output folder.")
@click.option("--roster", type=click.Path(path_type=Path),
              help="Class list (CSV: number, name, email or ID number; Moodle's and "
                   "campus exports as they are): writes grades.csv and checks who is missing.")
@click.option("--roster-number", metavar="COLUMN", help="The roster's student-number column.")
@click.option("--roster-name", metavar="COLUMN", help="The roster's name column.")
@click.option("--export", "exports", type=click.Choice(["moodle-grades"]), multiple=True,
              help="With --roster: also write grades-moodle.csv for Moodle's gradebook "
                   "import.")
@click.option("--grade-item", default="Exam", show_default=True,
              help="The grade item's name in Moodle (the CSV's grade column).")
@click.option("--moodle-key", type=click.Choice(["idnumber", "email"]),
              help="What Moodle finds students by (default: ID number when every student "
                   "has one, else email).")
@click.pass_context
def grade(ctx: click.Context, /, scans: tuple[Path, ...], manifest: Path, bank_dir: Path,
          out_dir: Path, overrides: Path | None, scale: Path | None,
          workers: int | None, force: bool, roster: Path | None, roster_number: str | None,
          roster_name: str | None, exports: tuple[str, ...], grade_item: str,
          moodle_key: str | None) -> None:
    """Grade scanned answer sheets (PDF, PNG, JPEG, TIFF, or folders of them).

    Pages that cannot be read are named and left out, and the rest is graded: the exit
    code is then 1. Blank pages are left out with a note.

    Example: examgen grade scans/*.pdf --manifest out/exam.json -o results
    """
    from examgen.grade import require_scan_readers

    require_scan_readers()  # before anything imports OpenCV
    from examgen.core.errors import InputError
    from examgen.core.roster import read_roster
    from examgen.grade.run_grading import Gradebook, run_grade

    if exports and roster is None:
        raise InputError("--export moodle-grades needs the class list: add --roster "
                         "students.csv")
    book = None if roster is None else Gradebook(
        read_roster(roster, roster_number, roster_name), "moodle-grades" in exports,
        moodle_key, grade_item)
    report = run_grade(list(scans), manifest, explicit_bank(ctx, bank_dir), out_dir,
                       overrides, scale, workers, force, book)
    for line in report.lines:
        click.echo(line)
    if report.skipped:  # the good pages are graded and written; these were left out
        ctx.exit(1)


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
    from examgen.analyze.run_analysis import run_analyze, summary

    analysis = run_analyze(responses, manifest, explicit_bank(ctx, bank_dir),
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
    from examgen.analyze.calibrate import band_settings, table
    from examgen.analyze.calibrate import calibrate as run

    written, moves, notes = run(list(analyses), bank_dir, apply, band_settings(bands))
    for line in table(moves, apply):
        click.echo(line)
    for note in notes:
        click.echo(f"Note: {note}")
    click.echo(f"wrote stats into {len(written)} file(s)" + (
        ": " + ", ".join(written) if written else ""))
