"""The README's examples run as written, and its example error is what examgen prints:
the README cannot drift from the tool again."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from examgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"### {title}")
    end = README.find("\n### ", start + 1)
    return README[start:end if end > 0 else None]


def _commands(title: str) -> list[list[str]]:
    """Every examgen command in the section's sh blocks, comments dropped."""
    out = []
    for block in re.findall(r"```sh\n(.*?)```", _section(title), re.S):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == ["examgen"]:
                out.append(words[1:])
    return out


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A folder like the project's, where the README's commands run."""
    for name in ("bank", "examples"):
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_examples_of_building_and_coverage_run_as_written(project):
    commands = _commands("Building an exam") + _commands("Where the bank is thin")
    assert len(commands) >= 10
    for args in commands:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, f"examgen {shlex.join(args)}:\n{result.output}"


def test_the_example_error_is_what_examgen_prints(project):
    block = re.search(r"```\n(Error: .*?)```", _section("Building an exam"), re.S)
    assert block is not None
    result = CliRunner().invoke(main, ["build", "--total", "3", "--cell", "hard/recall=3",
                                       "--topic", "GAN=3", "--no-pdf"])
    assert result.exit_code == 1
    assert result.output.strip() == block.group(1).strip()
