"""``examgen coverage --json`` pins the counts of the sample bank."""

from __future__ import annotations

import json
from collections import Counter

from click.testing import CliRunner

from examgen.cli import main
from examgen.model import CELLS, TYPES

from .conftest import ROOT


def _coverage_json():
    result = CliRunner().invoke(main, ["coverage", "--bank", str(ROOT / "bank"), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_contract_matches_the_bank(sample_bank):
    report = _coverage_json()
    qs = sample_bank.questions
    assert report["total"] == len(qs) >= 60
    assert report["cells"] == {c: sum(q.cell == c for q in qs) for c in CELLS}
    assert all(n >= 5 for n in report["cells"].values())
    assert report["levels"] == dict(Counter(q.level.value for q in qs))
    assert sum(report["levels"].values()) == report["total"]
    assert report["levels"]["green"] == report["cells"]["easy/recall"]
    assert report["types"] == {t: sum(q.type == t for q in qs) for t in TYPES}
    assert set(report["topics"]) == set(sample_bank.topics)
    for topic, cells in report["topics"].items():
        assert list(cells) == list(CELLS)
        assert sum(cells.values()) == sum(q.topic == topic for q in qs)


def test_text_report_shows_grid_totals_and_warnings():
    result = CliRunner().invoke(main, ["coverage", "--bank", str(ROOT / "bank")])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    report = _coverage_json()
    total_row = next(line for line in lines if line.startswith("total"))
    assert total_row.split()[-1] == str(report["total"])
    assert any(line.startswith("easy") and "green" in line for line in lines)
    assert "Warnings:" in result.output and "thin (<3)" in result.output
