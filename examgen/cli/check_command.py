"""``examgen check``: every problem of the bank as FILE:LINE: message."""

from __future__ import annotations

from pathlib import Path

import click

from examgen.bank.draw_check import DEFAULT_DRAWS, check_draws
from examgen.bank.loader import check_bank
from examgen.cli.group import main
from examgen.cli.options import bank_option

QUICK_DRAWS = 20  # draws of each parametrised question without --draws
QUICK_BUDGET = 400  # and about this many in all (about 2 s), but at least 2 of each


@main.command()
@bank_option
@click.option("--draws", type=click.IntRange(1, 100_000), default=None, is_flag=False,
              flag_value=DEFAULT_DRAWS, metavar="N",
              help=f"Draw each parametrised question N times (default {DEFAULT_DRAWS}) and "
                   "report failing draws, answer ranges and where the correct option lands.")
def check(bank_dir: Path, draws: int | None) -> None:
    """Validate the bank and list every problem as FILE:LINE: message.

    Parametrised questions are drawn 20 times each (fewer in a large bank); --draws N
    draws them N times and reports what the draws look like.

    Example: examgen check --bank bank/ --draws 200
    """
    bank, problems = check_bank(bank_dir)
    if draws and not any(not p.warning for p in problems):
        for report in check_draws(bank.questions, draws):
            for line in report.lines():
                click.echo(line)
            problems += report.problems()
    elif not any(not p.warning for p in problems):
        # a few draws of each parametrised question even unasked: a format or an option
        # that fails on every other draw is found here, not when the exam is built
        parametrised = sum(q.template is not None for q in bank.questions)
        quick = max(2, min(QUICK_DRAWS, QUICK_BUDGET // max(parametrised, 1)))
        for report in check_draws(bank.questions, quick):
            problems += report.problems()
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
