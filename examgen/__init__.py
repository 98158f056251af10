"""examgen: turn a tagged question bank into exams, answer keys and Moodle XML.

The library's public names; each is imported when first used, so that ``examgen --help``
and ``examgen check`` never load the solver or reportlab.

    import examgen
    result = examgen.build_exam("bank", {"difficulty": {"easy": 5, "hard": 2}})
    examgen.write_build("out", result)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from examgen.api import (
        BuildResult,
        BuildSettings,
        CoverageReport,
        ExamHeader,
        build_exam,
        coverage,
        export_source,
        import_moodle_file,
        rebuild_exam,
        write_build,
    )
    from examgen.bank.loader import check_bank, load_bank
    from examgen.core.errors import (
        BankError,
        ExamgenError,
        ExportError,
        InfeasibleError,
        InputError,
        LayoutError,
        MixError,
        Problem,
    )
    from examgen.core.model import (
        Bank,
        Difficulty,
        Exam,
        Knowledge,
        Level,
        Option,
        Question,
        Variant,
    )

_WHERE = {
    **dict.fromkeys(["BuildResult", "BuildSettings", "CoverageReport", "ExamHeader",
                     "build_exam", "coverage", "export_source", "import_moodle_file",
                     "rebuild_exam", "write_build"], "examgen.api"),
    "check_bank": "examgen.bank.loader", "load_bank": "examgen.bank.loader",
    **dict.fromkeys(["BankError", "ExamgenError", "ExportError", "InfeasibleError",
                     "InputError", "LayoutError", "MixError", "Problem"], "examgen.core.errors"),
    **dict.fromkeys(["Bank", "Difficulty", "Exam", "Knowledge", "Level", "Option", "Question",
                     "Variant"], "examgen.core.model"),
}

__all__ = [
    "Bank", "BankError", "BuildResult", "BuildSettings", "CoverageReport", "Difficulty",
    "Exam", "ExamHeader", "ExamgenError", "ExportError", "InfeasibleError", "InputError",
    "Knowledge", "LayoutError", "Level", "MixError", "Option", "Problem", "Question",
    "Variant", "build_exam", "check_bank", "coverage", "export_source", "import_moodle_file",
    "load_bank", "rebuild_exam", "write_build",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'examgen' has no attribute '{name}'")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
