"""examgen: turn a tagged question bank into exams, answer keys and Moodle XML.

The names below are imported when first used: the command line starts by asking a
running ``examgen serve`` to do the work, and must not load the bank's modules first.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .bank import check_bank, load_bank
    from .coverage import coverage
    from .errors import (
        BankError,
        ExamgenError,
        ExportError,
        InfeasibleError,
        LayoutError,
        MixError,
        Problem,
    )
    from .model import Bank, Difficulty, Exam, Knowledge, Level, Option, Question, Variant

_WHERE = {
    "check_bank": "bank", "load_bank": "bank", "coverage": "coverage",
    **dict.fromkeys(["BankError", "ExamgenError", "ExportError", "InfeasibleError",
                     "LayoutError", "MixError", "Problem"], "errors"),
    **dict.fromkeys(["Bank", "Difficulty", "Exam", "Knowledge", "Level", "Option", "Question",
                     "Variant"], "model"),
}

__all__ = [
    "Bank", "BankError", "Difficulty", "Exam", "ExamgenError", "ExportError",
    "InfeasibleError", "Knowledge", "LayoutError", "Level", "MixError", "Option",
    "Problem", "Question", "Variant", "check_bank", "coverage", "load_bank",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'examgen' has no attribute '{name}'")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value
