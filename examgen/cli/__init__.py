"""The ``examgen`` command: one small module per command or group, each parsing its flags,
calling one library function (``examgen.api`` and the parts) and printing its result."""

from examgen.cli import (  # noqa: F401  # each adds its commands to the group
    build_command,
    check_command,
    coverage_command,
    export_command,
    grade_command,
    import_command,
    practice_command,
    slides_command,
)
from examgen.cli.group import main

__all__ = ["main"]
