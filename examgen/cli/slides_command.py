"""``examgen slides``: the lecture's own quiz, as 16:9 slides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from examgen.cli.group import explicit_bank, main
from examgen.cli.options import flag_mix, lecture_options


@main.command()
@lecture_options
@click.option("--matrix", type=click.Choice(["table", "badge", "none"]), default="table",
              show_default=True, help="The question's place on the lecture's matrix: the "
                                      "whole table, its colour alone, or none.")
@click.option("--no-reveal", is_flag=True, help="Leave out the answer slides.")
@click.option("--title-slide", is_flag=True, help="Begin with a title slide.")
@click.option("--summary", is_flag=True, help="End with the topics covered.")
@click.option("--title", default="", help="The title on the slides.")
@click.option("--course", default="", help="The course, in the footer.")
@click.option("--one-per-file", is_flag=True,
              help="Write a folder of single-slide PDFs (slide-01.pdf, ...) to paste into "
                   "a deck.")
@click.option("--png", type=click.IntRange(30, 600), metavar="DPI",
              help="Also write every slide as a PNG at this resolution.")
@click.option("-o", "--out", "out", type=click.Path(path_type=Path),
              default=Path("out/slides.pdf"), show_default=True,
              help="The PDF (or with --one-per-file, the folder) to write.")
@click.pass_context
def slides(ctx: click.Context, /, bank_dir: Path, blueprint: Path | None, out: Path,
           **flags: Any) -> None:
    """Quiz slides for the lecture: each question with its options lettered A, B, C, the
    lecture's matrix, and an answer slide with the explanation.

    Example: examgen slides --topic YOLO=3 --seed 4 --layout de -o out/yolo-quiz.pdf
    """
    from examgen.api import BuildSettings, ExamHeader
    from examgen.lecture import quiz_slides
    from examgen.select.blueprint import load_blueprint

    plan = load_blueprint(blueprint) if blueprint else None
    settings = BuildSettings(seed=flags.pop("seed"), layout=flags.pop("layout"))
    header = ExamHeader(title=flags.pop("title"), course=flags.pop("course"))
    options = {k: flags.pop(k) for k in ("matrix", "no_reveal", "title_slide", "summary",
                                         "one_per_file", "png")}
    bank = explicit_bank(ctx, bank_dir)
    result = quiz_slides(bank if bank or plan else bank_dir, flag_mix(flags), settings,
                         header, blueprint=plan, matrix=options["matrix"],
                         reveal=not options["no_reveal"],
                         title_slide=options["title_slide"], summary=options["summary"])
    from examgen.render.slide_files import write_slides

    written = write_slides(out, result.pdf, options["one_per_file"], options["png"])
    click.echo(f"{len(result.questions)} questions, {result.slides} slides, seed "
               f"{result.seed} (again with --seed {result.seed})")
    click.echo(f"wrote {written}")
