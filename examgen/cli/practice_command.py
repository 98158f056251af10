"""``examgen practice``: a self-contained HTML page to practise the questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from examgen.cli.group import explicit_bank, main
from examgen.cli.options import flag_mix, lecture_options


@main.command()
@lecture_options
@click.option("--title", default="", help="The page's title.")
@click.option("--draws", type=click.IntRange(1, 100), default=1, show_default=True,
              metavar="N", help="Draws of each parametrised question on the page.")
@click.option("-o", "--out", "out", type=click.Path(path_type=Path),
              default=Path("out/practice.html"), show_default=True,
              help="The HTML file to write.")
@click.pass_context
def practice(ctx: click.Context, /, bank_dir: Path, blueprint: Path | None, out: Path,
             **flags: Any) -> None:
    """A practice page: one HTML file that works offline, each question answered in the
    browser with instant feedback and the explanation, filtered by cell and topic.

    Example: examgen practice --topic YOLO=5 --seed 3 -o out/yolo-practice.html
    """
    from examgen.api import BuildSettings, ExamHeader
    from examgen.core.files import write_atomic
    from examgen.lecture import practice_page
    from examgen.select.blueprint import load_blueprint

    plan = load_blueprint(blueprint) if blueprint else None
    settings = BuildSettings(seed=flags.pop("seed"), layout=flags.pop("layout"))
    header = ExamHeader(title=flags.pop("title"))
    draws = flags.pop("draws")
    bank = explicit_bank(ctx, bank_dir)
    page, questions, seed = practice_page(bank if bank or plan else bank_dir, flag_mix(flags),
                                          settings, header, blueprint=plan, draws=draws)
    write_atomic(out, page)
    click.echo(f"{len(questions)} questions, seed {seed} (again with --seed {seed})")
    click.echo(f"wrote {out}")
