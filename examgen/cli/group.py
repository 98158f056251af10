"""The ``examgen`` group: every error becomes a message and its exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from examgen.core.errors import BankError, ExamgenError
from examgen.core.model import Level

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


def explicit_bank(ctx: click.Context, bank_dir: Path) -> Path | None:
    """The --bank the user typed, or None to use the one the manifest or blueprint names."""
    given = ctx.get_parameter_source("bank_dir") != click.core.ParameterSource.DEFAULT
    return bank_dir if given else None


def paint(text: str, level: Level | None) -> str:
    """Terminal colour for a level's cell: green, yellow, red."""
    return click.style(text, fg=level.value) if level else text
