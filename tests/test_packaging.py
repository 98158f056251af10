"""Installed from the built wheel into a fresh virtual environment and run from a folder
outside the repository, every command works: each --help, and one real run of each.

The venv sees the dependencies already installed here (--system-site-packages: no
download in the tests), but examgen only from the wheel, which is asserted; ``pip check``
then tells whether the installed dependencies meet what the wheel declares.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from examgen.cli import main

from .conftest import ROOT
from .scansim import SCANNER, simulate

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the venv layout of POSIX")


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    """Every command and group below ``group``, as typed ("export moodle"): read from
    the CLI itself, so that a new command cannot be missed here."""
    out = []
    for name, command in sorted(group.commands.items()):
        out.append(f"{prefix}{name}")
        if isinstance(command, click.Group):
            out += _commands(command, f"{prefix}{name} ")
    return out


COMMANDS = _commands(main)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the venv's python, a work folder outside the repository)."""
    tmp = tmp_path_factory.mktemp("wheel")
    wheels, venv, work = tmp / "wheels", tmp / "venv", tmp / "work"
    work.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps",
                    "--no-build-isolation", "-q", "-w", str(wheels)], check=True,
                   capture_output=True, cwd=tmp)
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools' staging folder
    (wheel,) = wheels.glob("examgen-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps",
                    "--disable-pip-version-check", str(wheel)], check=True,
                   capture_output=True, cwd=work)
    return python, work


def _run(installed: tuple[Path, Path], *args: str) -> subprocess.CompletedProcess[str]:
    python, work = installed
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([str(python), "-m", "examgen", *args], cwd=work, env=env,
                          capture_output=True, text=True)


def test_examgen_comes_from_the_wheel_and_its_requirements_are_met(installed):
    python, work = installed
    where = subprocess.run([str(python), "-c", "import examgen; print(examgen.__file__)"],
                           cwd=work, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(python.parent.parent)), where.stdout
    check = subprocess.run([str(python), "-m", "pip", "check"], capture_output=True,
                           text=True)
    assert "examgen" not in check.stdout, check.stdout


def test_every_command_and_group_has_help(installed):
    for command in COMMANDS:
        result = _run(installed, *command.split(), "--help")
        assert result.returncode == 0 and "Example:" in result.stdout, (command, result.stderr)


def test_every_command_runs_from_the_wheel(installed):
    _, work = installed
    bank = str(ROOT / "bank")

    def ok(*args: str) -> str:
        result = _run(installed, *args)
        assert result.returncode == 0, (args, result.stderr)
        return result.stdout

    assert "is valid" in ok("check", "--bank", bank)
    assert json.loads(ok("coverage", "--bank", bank, "--json"))["total"] > 0
    ok("build", "--bank", bank, "--total", "4", "--seed", "1", "--layout", "de", "--sheet",
       "--copies", "2", "-o", "out")
    for name in ("exam.pdf", "key.pdf", "sheets.pdf", "exam.json"):
        assert (work / "out" / name).stat().st_size > 1_000, name
    ok("export", "moodle", "--bank", bank, "-o", "moodle.xml")
    ok("export", "gift", "--bank", bank, "-o", "questions.gift")
    ok("export", "qti", "--manifest", "out/exam.json", "-o", "exam-qti.zip")
    for tool, name in (("kahoot", "kahoot.xlsx"), ("particify", "particify.csv"),
                       ("pingo", "pingo.xml")):
        assert "wrote" in ok("export", tool, "--bank", bank, "-o", name)
    assert "slides" in ok("slides", "--bank", bank, "--total", "3", "--seed", "1", "-o",
                          "slides.pdf")
    assert "wrote" in ok("practice", "--bank", bank, "--total", "3", "--seed", "1", "-o",
                         "practice.html")
    assert "wrote" in ok("import", "moodle", "moodle.xml", "-o", "imported")
    assert "is valid" in ok("check", "--bank", "imported")
    simulate(work / "out" / "exam.json", work / "out" / "sheets.pdf", work / "scans",
             SCANNER, 1)  # the two sheets filled in by simulated students, and scanned
    assert "graded 2 sheets" in ok("grade", "scans", "--manifest", "out/exam.json",
                                   "-o", "results")
    assert (work / "results" / "responses.csv").is_file()
    assert "2 students" in ok("analyze", "results/responses.csv", "--manifest",
                              "out/exam.json", "-o", "analysis")
    shutil.copytree(ROOT / "bank", work / "bank-copy")
    assert "wrote stats into" in ok("calibrate", "analysis/analysis.json", "--bank",
                                    "bank-copy")
