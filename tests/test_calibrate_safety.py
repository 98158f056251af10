"""calibrate never damages a bank: hand-edited analyses are refused before anything is
written, files keep their line endings, byte-order mark, mode, quotes and block texts,
links are refused, flags hold a question's tag, and classes are kept apart."""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from examgen.cli import main

HAND_WRITTEN = (
    "# comments, a block text ending in '#', flow style, an anchor and an alias\r\n"
    "topic: Safety\r\n"
    "questions:\r\n"
    "  - id: s1\r\n"
    "    difficulty: 'easy'\r\n"
    "    knowledge: &kind recall\r\n"
    "    type: open\r\n"
    "    text: Explain.\r\n"
    "    explanation: |\r\n"
    "      First line.\r\n"
    "      # this line is text, not a comment\r\n"
    "\r\n"
    "  # a real comment\r\n"
    "  - {id: s2, difficulty: medium, knowledge: recall, type: open, text: Flow.}\r\n"
    "  - id: s3\r\n"
    "    knowledge: *kind\r\n"
    "    type: open\r\n"
    "    difficulty:\r\n"
    "      hard\r\n"
    "    text:\tTabbed text.\r\n"
)


def _run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.output


def _bank(tmp_path: Path, text: str = HAND_WRITTEN, bom: bool = True) -> Path:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "s.yaml").write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return bank


def _analysis(path: Path, items: list[object], exam: object = "e1",
              flags: list[dict[str, str]] | None = None, cohort: str = "abc123") -> Path:
    path.write_text(json.dumps({"exam": exam, "date": "2027-02-12", "cohort": cohort,
                                "items": items, "flags": flags or []}))
    return path


def _item(qid: str, facility: float = 0.2, n: object = 60) -> dict[str, object]:
    return {"id": qid, "n": n, "facility": facility, "discrimination": 0.3, "chance": 0.0}


def test_the_diff_is_exactly_the_stats_lines_and_the_file_keeps_its_form(tmp_path):
    bank = _bank(tmp_path)
    path = bank / "s.yaml"
    os.chmod(path, 0o600)
    analysis = _analysis(tmp_path / "a.json", [_item("s1"), _item("s3", 0.9)])
    code, output = _run("calibrate", analysis, "--bank", bank, "--apply")
    assert code == 0, output
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n")
    assert os.stat(path).st_mode & 0o777 == 0o600
    after = raw[3:].decode()
    diff = [d for d in difflib.ndiff(HAND_WRITTEN.splitlines(), after.splitlines())
            if d[:1] in "+-"]
    stats = '- {exam: "e1", cohort: "abc123", date: "2027-02-12", n: 60, facility: %s, ' \
            'discrimination: 0.3}'
    assert [d[2:].strip() for d in diff if d[0] == "+"] == [
        "difficulty: 'hard'",
        "stats:  # measured (examgen analyze, calibrate): one line per exam",
        stats % "0.2", "easy",
        "stats:  # measured (examgen analyze, calibrate): one line per exam", stats % "0.9"]
    assert [d[2:].strip() for d in diff if d[0] == "-"] == ["difficulty: 'easy'", "hard"]
    # the block text keeps its '#' line, and the stats come after it
    lines = after.splitlines()
    assert lines.index("      # this line is text, not a comment") < lines.index(
        "    stats:  # measured (examgen analyze, calibrate): one line per exam")
    assert _run("check", "--bank", bank)[0] == 0


def test_a_flow_style_question_is_left_alone_with_a_note(tmp_path):
    bank = _bank(tmp_path)
    before = (bank / "s.yaml").read_bytes()
    code, output = _run("calibrate", _analysis(tmp_path / "a.json", [_item("s2")]),
                        "--bank", bank)
    assert code == 0 and "flow style" in output and "s2" in output
    assert (bank / "s.yaml").read_bytes() == before


@pytest.mark.parametrize("items, exam, message", [
    ([_item("s1", 5)], "e1", "'facility' must be from 0 to 1"),
    ([_item("s1", n=0)], "e1", "'n' must be a whole number"),
    ([_item("s1", n=10**400)], "e1", "'n' must be a whole number"),
    ([_item("s1", n=1.5)], "e1", "'n' must be a whole number"),
    (["s1"], "e1", "items[0] is not an object"),
    ([_item("s1")], 'x", n: 1}\n  image: evil.png', "'exam' must be an exam id"),
    ([{"id": "s1 x", "n": 60, "facility": 0.5}], "e1", "'id' must be a question id"),
])
def test_hand_edited_analyses_are_refused_and_nothing_is_written(tmp_path, items, exam,
                                                                 message):
    bank = _bank(tmp_path)
    before = (bank / "s.yaml").read_bytes()
    code, output = _run("calibrate", _analysis(tmp_path / "a.json", items, exam), "--bank",
                        bank, "--apply")
    assert code == 2 and message in output and "Traceback" not in output, output
    assert (bank / "s.yaml").read_bytes() == before


def test_nan_and_infinity_are_refused(tmp_path):
    bank = _bank(tmp_path)
    path = tmp_path / "a.json"
    path.write_text('{"exam": "e1", "date": "2027-02-12", "items": [{"id": "s1", "n": 60, '
                    '"facility": NaN}]}')
    code, output = _run("calibrate", path, "--bank", bank)
    assert code == 2 and "NaN" in output


def test_a_flagged_question_is_not_retagged_and_cohorts_are_kept(tmp_path):
    bank = _bank(tmp_path, HAND_WRITTEN.replace("\r\n", "\n"), bom=False)
    flags = [{"question": "s1", "kind": "miskeyed"}]
    code, output = _run("calibrate", _analysis(tmp_path / "a.json", [_item("s1")], flags=flags),
                        "--bank", bank, "--apply")
    assert code == 0 and "not retagged: flagged miskeyed" in output
    assert "difficulty: 'easy'" in (bank / "s.yaml").read_text()
    # the same exam given to another class adds a line; the same class again replaces it
    _run("calibrate", _analysis(tmp_path / "b.json", [_item("s1", 0.5)], cohort="def456"),
         "--bank", bank)
    _run("calibrate", _analysis(tmp_path / "c.json", [_item("s1", 0.6)], cohort="def456"),
         "--bank", bank)
    text = (bank / "s.yaml").read_text()
    assert 'cohort: "abc123"' in text and text.count('cohort: "def456"') == 1
    assert "facility: 0.6" in text and "facility: 0.5," not in text


def test_a_link_is_refused(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text(HAND_WRITTEN.replace("\r\n", "\n"))
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "s.yaml").symlink_to(outside)
    before = outside.read_bytes()
    code, output = _run("calibrate", _analysis(tmp_path / "a.json", [_item("s1")]), "--bank",
                        bank)
    assert code == 2 and "link" in output
    assert outside.read_bytes() == before


def test_a_second_run_at_once_is_refused(tmp_path):
    import fcntl

    bank = _bank(tmp_path)
    with (bank / ".examgen-calibrate.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        code, output = _run("calibrate", _analysis(tmp_path / "a.json", [_item("s1")]),
                            "--bank", bank)
    assert code == 1 and "another examgen calibrate" in output
