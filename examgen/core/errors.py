"""One family of errors, so the CLI can map each to an exit code without a traceback."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


class ExamgenError(Exception):
    """Base of every error examgen reports to the lecturer."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One finding in a bank file: where it is and what to do about it."""

    file: str
    line: int
    message: str
    warning: bool = False  # worth knowing, but the bank still loads

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {'warning: ' if self.warning else ''}{self.message}"


class BankError(ExamgenError):
    """The bank (or a blueprint) has problems; each one carries file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class InputError(ExamgenError):
    """A file or value given to examgen is malformed: a manifest, a CSV of responses or
    overrides, a grading scale, a file to import, a setting that does not fit."""


class MixError(InputError):
    """The mix itself is malformed (bad flag value, unknown topic, ...)."""


class InfeasibleError(ExamgenError):
    """The mix is well formed but the bank cannot meet it."""

    exit_code = 1

    def __init__(self, message: str, conflict: tuple[str, ...] = ()):
        self.conflict = conflict
        super().__init__(message)


class BusyError(ExamgenError):
    """Another examgen process holds what this one would change; run again later."""

    exit_code = 1


class LayoutError(ExamgenError):
    """A layout folder or one of its templates is broken."""


class ExportError(ExamgenError):
    """A question cannot be written faithfully in the target format."""

    exit_code = 1


class OutputError(ExamgenError):
    """An output cannot be written where it was asked for (a folder in the way, ...)."""


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest valid value, or nothing."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
