"""The ``examgen`` command: parse options, call one core function, write or print the result."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .bank import check_bank, load_bank
from .coverage import coverage, render_text
from .errors import BankError, ExamgenError

_COLOURS = {"green": "green", "yellow": "yellow", "red": "red"}


class _Group(click.Group):
    """Turns every ExamgenError into a clear message and its exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ExamgenError as exc:
            click.echo(f"Error: {exc}" if not isinstance(exc, BankError) else str(exc), err=True)
            ctx.exit(exc.exit_code)


def bank_option(func):
    return click.option(
        "--bank", "bank_dir", type=click.Path(path_type=Path), default=Path("bank"),
        show_default=True, help="Folder of YAML question files.",
    )(func)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="examgen")
def main():
    """Turn a tagged question bank into exams, answer keys and Moodle XML."""


@main.command()
@bank_option
def check(bank_dir: Path):
    """Validate the bank and list every problem as FILE:LINE: message.

    Example: examgen check --bank bank/
    """
    bank, problems = check_bank(bank_dir)
    for problem in problems:
        click.echo(str(problem))
    files = len({q.file for q in bank.questions} | {p.file for p in problems})
    if problems:
        click.echo(f"{len(problems)} problem(s) in {bank_dir}; fix them and run again.")
        raise SystemExit(2)
    click.echo(f"{bank_dir} is valid: {len(bank.questions)} questions in {files} files.")


@main.command("coverage")
@bank_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead.")
def coverage_cmd(bank_dir: Path, as_json: bool):
    """Show the bank against the difficulty x knowledge matrix and where it is thin.

    Example: examgen coverage --bank bank/ --json
    """
    report = coverage(load_bank(bank_dir))
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(report, lambda text, level: click.style(
            text, fg=_COLOURS[level.value]) if level else text))
