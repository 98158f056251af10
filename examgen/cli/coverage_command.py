"""``examgen coverage``: the bank against the matrix, and what a mix can still give."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from examgen.cli.group import explicit_bank, main, paint
from examgen.cli.options import bank_option, complete_layout, flag_mix, mix_options
from examgen.core.files import write_atomic


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
    from examgen.api import coverage
    from examgen.select.blueprint import load_blueprint

    plan = load_blueprint(blueprint) if blueprint else None
    bank = explicit_bank(ctx, bank_dir) or (None if plan and plan.settings.bank else bank_dir)
    report = coverage(bank, flag_mix(flags), blueprint=plan, least=least, stress_runs=stress)
    if pdf:
        from examgen.render.coverage_pdf import render_coverage
        from examgen.render.layout import load_layout

        title = f"Coverage of {report.bank.resolve().name}"
        write_atomic(pdf, render_coverage(report, load_layout(layout, "a4"), title))
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        return
    click.echo(report.to_text(paint))
    if report.excluded:
        click.echo(f"\n(without the {report.excluded.questions} questions used in "
                   f"{', '.join(report.excluded.manifests)})")
    if report.lines:
        click.echo("\n" + "\n".join(report.lines))
    if pdf:
        click.echo(f"\nwrote {pdf}")
