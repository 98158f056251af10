"""``examgen export``: the bank or one exam in Moodle XML, GIFT or QTI 2.1, and for the
live polls Kahoot, Particify and PINGO."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from examgen.cli.group import explicit_bank, main
from examgen.cli.options import bank_option
from examgen.core.errors import InfeasibleError
from examgen.core.files import write_atomic

F = TypeVar("F", bound=Callable[..., Any])


@main.group()
def export() -> None:
    """Export the bank or an exam to other systems (Moodle XML, GIFT, QTI 2.1, and the
    live polls Kahoot, Particify and PINGO).

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
                click.option("--draws", type=click.IntRange(1, 1000), default=1,
                             show_default=True, metavar="N",
                             help="Frozen draws of each parametrised question, filed in a "
                                  "subcategory per question."),
                click.pass_context]
        for option in reversed(options):
            func = option(func)
        return func  # the same command function, its options added
    return decorate


def _source(ctx: click.Context, bank_dir: Path, manifest: Path | None,
            category_root: str | None, draws: int, calculated: bool = False) -> Any:
    from examgen.api import export_source

    source = export_source(explicit_bank(ctx, bank_dir) if manifest else bank_dir, manifest,
                           category_root, draws, calculated)
    for note in source.notes:
        click.echo(note, err=True)
    return source


@export.command("moodle")
@_export_options("out/moodle.xml", "The XML file to write.")
@click.option("--calculated", is_flag=True,
              help="Write a parametrised numeric question whose formulas Moodle can compute "
                   "as a Moodle calculated question, with --draws N draws (default 20) as "
                   "its dataset; the others go out as frozen draws, each with a note why.")
def export_moodle(ctx: click.Context, bank_dir: Path, manifest: Path | None, output: Path,
                  category_root: str | None, draws: int, calculated: bool) -> None:
    """Write Moodle XML: one category per topic, questions tagged by cell and level.

    Example: examgen export moodle --bank bank/ -o out/moodle.xml
    """
    from examgen.formats.moodle_xml import to_moodle_xml
    from examgen.formats.portable import dropped

    source = _source(ctx, bank_dir, manifest, category_root, draws, calculated)
    write_atomic(output, to_moodle_xml(source.questions, source.root, source.calculated))
    summary = dropped(source.questions, "moodle")
    if summary:
        click.echo(summary, err=True)
    from examgen.formats.frozen_draws import category_parts

    categories = len({category_parts(q) for q in source.questions})
    computed = f" ({len(source.calculated)} calculated)" if source.calculated else ""
    click.echo(f"wrote {output}: {len(source.questions)} questions{computed} in {categories} "
               f"categories under $course$/top/{source.root}")


@export.command("gift")
@_export_options("out/questions.gift", "The GIFT file to write.")
def export_gift(ctx: click.Context, bank_dir: Path, manifest: Path | None, output: Path,
                category_root: str | None, draws: int) -> None:
    """Write GIFT, Moodle's text format: one category per topic, tags and ids kept.

    Example: examgen export gift --bank bank/ -o out/questions.gift
    """
    from examgen.formats.gift import to_gift

    source = _source(ctx, bank_dir, manifest, category_root, draws)
    result = to_gift(source.questions, source.root)
    write_atomic(output, result.text)
    for line in result.skipped:
        click.echo(f"Left out: {line}", err=True)
    for line in result.notes:
        click.echo(f"Note: {line}", err=True)
    from examgen.formats.portable import dropped

    summary = dropped(source.questions, "gift")
    if summary:
        click.echo(summary, err=True)
    written = len(source.questions) - len(result.skipped)
    click.echo(f"wrote {output}: {written} of {len(source.questions)} questions under "
               f"$course$/top/{source.root}")


@export.command("kahoot")
@_export_options("out/kahoot.xlsx", "The XLSX file to write.")
@click.option("--time-limit", type=click.Choice([str(t) for t in (5, 10, 20, 30, 60, 90, 120,
                                                                     240)]),
              default="20", show_default=True,
              help="Seconds per question, where the question gives no 'minutes:'.")
def export_kahoot(ctx: click.Context, bank_dir: Path, manifest: Path | None, output: Path,
                  category_root: str | None, draws: int, time_limit: str) -> None:
    """Write Kahoot's quiz spreadsheet (Create > Import spreadsheet): choice and true/false
    questions within Kahoot's limits; every other question is named with the reason.

    Example: examgen export kahoot --bank bank/ -o out/kahoot.xlsx
    """
    from examgen.formats.kahoot import kahoot_rows, to_kahoot_xlsx

    source = _source(ctx, bank_dir, manifest, category_root, draws)
    result = kahoot_rows(source.questions, int(time_limit))
    _write_poll("Kahoot's quiz", output, len(result.rows), result.skipped, [],
                lambda: to_kahoot_xlsx(result, source.header.title or source.root),
                len(source.questions))


def _write_poll(tool: str, output: Path, written: int, skipped: list[str], notes: list[str],
                content: Callable[[], str | bytes], total: int) -> None:
    """A live-poll file: refused when no question fits the tool, else written, with each
    question left out and each note named."""
    if not written:
        raise InfeasibleError(f"no question fits {tool}: " + "; ".join(skipped[:3]))
    write_atomic(output, content())
    for line in skipped:
        click.echo(f"Left out: {line}", err=True)
    for line in notes:
        click.echo(f"Note: {line}", err=True)
    click.echo(f"wrote {output}: {written} of {total} questions")


def _true_false(layout: str) -> tuple[str, str]:
    """The layout's words for a true/false question's two options."""
    from examgen.render.layout import load_layout

    labels = load_layout(layout, "a4").labels
    return labels["true"], labels["false"]


_LAYOUT = click.option("--layout", default="default", show_default=True, metavar="NAME",
                       help="The layout whose words a true/false question's options take.")


@export.command("particify")
@_export_options("out/particify.csv", "The CSV file to write.")
@_LAYOUT
def export_particify(ctx: click.Context, bank_dir: Path, manifest: Path | None, output: Path,
                     category_root: str | None, draws: int, layout: str) -> None:
    """Write Particify's content CSV (a content group of the kind "mixed" > Import):
    choice, true/false, numeric and open questions; every other one is named with the
    reason.

    Example: examgen export particify --bank bank/ -o out/particify.csv
    """
    from examgen.formats.particify import particify_rows, to_particify_csv

    source = _source(ctx, bank_dir, manifest, category_root, draws)
    result = particify_rows(source.questions, _true_false(layout))
    _write_poll("Particify", output, len(result.rows), result.skipped, [],
                lambda: to_particify_csv(result), len(source.questions))


@export.command("pingo")
@_export_options("out/pingo.xml", "The XML file to write.")
@_LAYOUT
def export_pingo(ctx: click.Context, bank_dir: Path, manifest: Path | None, output: Path,
                 category_root: str | None, draws: int, layout: str) -> None:
    """Write the Moodle XML that PINGO imports (Questions > Import > Moodle XML): choice,
    true/false, numeric, short, open and matching questions, as PINGO's importer reads
    them; every other one is named with the reason. For Moodle, use export moodle.

    Example: examgen export pingo --bank bank/ -o out/pingo.xml
    """
    from examgen.formats.pingo import to_pingo_xml

    source = _source(ctx, bank_dir, manifest, category_root, draws)
    result = to_pingo_xml(source.questions, _true_false(layout))
    _write_poll("PINGO", output, result.written, result.skipped, result.notes,
                lambda: result.xml, len(source.questions))


@export.command("qti")
@_export_options("out/exam-qti.zip", "The QTI content package (zip) to write.")
def export_qti(ctx: click.Context, bank_dir: Path, manifest: Path | None, output: Path,
               category_root: str | None, draws: int) -> None:
    """Write an IMS QTI 2.1 content package: an item per question, a test per exam.

    With --manifest, each exam (each form) becomes an assessmentTest with its questions
    in printed order; with --bank, the package holds the items alone.

    Example: examgen export qti --manifest out/exam.json -o out/exam-qti.zip
    """
    from examgen.formats.qti import exam_tests, to_qti

    source = _source(ctx, bank_dir, manifest, category_root, draws)
    package = to_qti(source.questions, exam_tests(source.exams, source.header.title),
                     source.root)
    write_atomic(output, package.zip_bytes())
    click.echo(f"wrote {output}: {package.items} items"
               + (f", {package.tests} test(s)" if package.tests else ""))
