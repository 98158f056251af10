"""``examgen import``: questions from other systems into bank YAML."""

from __future__ import annotations

from pathlib import Path

import click

from examgen.cli.group import main
from examgen.core.model import Difficulty, Knowledge


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
@click.option("--rename", is_flag=True,
              help="Inside an existing bank: import questions whose id the bank already "
                   "has with the suffix -imported (default: refuse them).")
def import_moodle_cmd(xml_file: Path, out_dir: Path, topic_from: int, difficulty: str | None,
                      knowledge: str | None, rename: bool) -> None:
    """Turn a Moodle XML export into bank YAML (images written next to it).

    Questions the bank cannot hold are left out, each with a note naming its line in the
    XML; the rest is imported (exit 1 when nothing could be).

    Example: examgen import moodle moodle.xml -o bank/imported --difficulty medium
    """
    from examgen.api import import_moodle_file

    notes: list[str] = []
    try:
        result = import_moodle_file(xml_file, out_dir, topic_from, difficulty, knowledge,
                                    rename, notes)
    finally:  # the notes say why, also when nothing could be imported
        for line in notes:
            click.echo(f"Note: {line}", err=True)
    files = sum(1 for n in result.files if n.endswith(".yaml"))
    click.echo(f"wrote {result.questions} question{'s' * (result.questions != 1)} into "
               f"{out_dir} ({files} file{'s' * (files != 1)})"
               + (f"; {result.skipped} left out (see the notes)" if result.skipped else ""))
