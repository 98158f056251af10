"""examgen: turn a tagged question bank into exams, answer keys and Moodle XML."""

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

__all__ = [
    "Bank", "BankError", "Difficulty", "Exam", "ExamgenError", "ExportError",
    "InfeasibleError", "Knowledge", "LayoutError", "Level", "MixError", "Option",
    "Problem", "Question", "Variant", "check_bank", "coverage", "load_bank",
]
