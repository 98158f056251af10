"""Bad input, as a careless lecturer or a hostile contributor would give it.

One folder per case under tests/inputs/, with the files it needs and a case.yaml:

    command: [build, --blueprint, "{here}/blueprint.yaml"]   # {here}: the case folder
    exit: 2
    message: "{here}/blueprint.yaml:1: 'forms' must be a whole number from 1 to 50, not 0"
    prepare: [key.pdf]        # optional: folders to put in out/ first (in the way)
    symlinks: {layout/header.j2: /etc/hostname}   # optional: made in the copy of the case

Every case asserts the exit code, the message (with FILE:LINE), that no traceback is
shown, and that out/ (holding an earlier good build) is byte for byte what it was.
The fixture banks under tests/banks/ (the loader's own cases) run through `build` too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from examgen.cli import main

from .conftest import BANKS

INPUTS = Path(__file__).resolve().parent / "inputs"
CASES = sorted(p.name for p in INPUTS.iterdir() if (p / "case.yaml").is_file())
# fixtures of other tests, not broken ones
VALID_BANKS = {"layout", "matching", "moodle", "pictures", "pinned", "spacing"}
BROKEN_BANKS = sorted(p.name for p in BANKS.iterdir() if p.name not in VALID_BANKS)


@pytest.fixture(scope="module")
def earlier_build(tmp_path_factory) -> Path:
    """A good build (exam, key, manifest) that a failing command must leave untouched."""
    out = tmp_path_factory.mktemp("earlier") / "out"
    result = CliRunner().invoke(main, ["build", "--bank", str(BANKS / "layout"), "--total",
                                       "3", "--seed", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _files(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
            for p in sorted(folder.rglob("*"))}


def _run(args: list[str], out: Path, earlier: Path, prepare: list[str] = ()):
    shutil.copytree(earlier, out)
    for folder in prepare:
        (out / folder).unlink(missing_ok=True)
        (out / folder).mkdir()
    before = _files(out)
    if args[0] in ("build",) and "-o" not in args:
        args = [*args, "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert _files(out) == before, "out/ changed"
    assert list(out.parent.glob(".out.*")) == [], "a staging folder was left behind"
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused_cleanly(case, tmp_path, earlier_build):
    here = tmp_path / "case"
    shutil.copytree(INPUTS / case, here)
    spec = yaml.safe_load((here / "case.yaml").read_text(encoding="utf-8"))
    for link, target in spec.get("symlinks", {}).items():
        (here / link).symlink_to(target)
    args = [str(a).replace("{here}", str(here)).replace("{banks}", str(BANKS))
            for a in spec["command"]]
    result = _run(args, tmp_path / "out", earlier_build, spec.get("prepare", []))
    assert result.exit_code == spec["exit"], result.output
    message = spec["message"].replace("{here}", str(here)).replace("{out}",
                                                                   str(tmp_path / "out"))
    assert message in result.output


@pytest.mark.parametrize("case", BROKEN_BANKS)
def test_broken_banks_stop_a_build_cleanly(case, tmp_path, earlier_build):
    result = _run(["build", "--bank", str(BANKS / case), "--total", "1"], tmp_path / "out",
                  earlier_build)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(str(BANKS / case) + "/")
    first = result.output.split(": ", 1)[0]
    assert int(first.rsplit(":", 1)[1]) >= 1, "a line number"


@pytest.mark.parametrize("text, message", [
    ("title: T\nmix:\n  easy: 2\ntotal: 5\n",
     ":4: 'total' belongs under 'mix:': indent it by two spaces"),
    ("title: T\nmix:\n  total: 5\n  hard: 2\n",
     "'hard' is a value of 'difficulty': write difficulty: {hard: ...} (or the flag --hard)"),
    ("title: T\nmix:\n  total: 5\n   difficulty: {hard: 2}\n",
     ":4: YAML syntax error at column 14: mapping values are not allowed in this context; "
     "most often a line indented"),
    ("title: T\nmix:\n  totl: 5\n", "unknown key 'totl' (did you mean 'total'?); valid: total"),
])
def test_a_misplaced_blueprint_key_says_where_it_belongs(tmp_path, text, message):
    from click.testing import CliRunner

    from examgen.cli import main

    blueprint = tmp_path / "final.yaml"
    blueprint.write_text(text)
    result = CliRunner().invoke(main, ["build", "--blueprint", str(blueprint), "--no-pdf",
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and message in result.output, result.output


def test_paper_names_are_read_in_any_case(tmp_path):
    from click.testing import CliRunner

    from examgen.cli import main

    result = CliRunner().invoke(main, ["build", "--total", "3", "--paper", "A4", "--no-pdf",
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
