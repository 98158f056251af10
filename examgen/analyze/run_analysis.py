"""``examgen analyze``: responses and manifest in; items.csv, analysis.json and report.pdf
out, all three views of one ``Analysis``."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

from examgen.analyze.responses import read_responses
from examgen.analyze.stats import MIN_N_FOR_FLAGS, Analysis, analyse
from examgen.bank.loader import load_bank
from examgen.core.csv_cells import csv_text
from examgen.core.errors import InputError
from examgen.core.files import write_set
from examgen.select.manifest import exams_from_manifest, read_manifest

ANALYSIS = "analysis.json"


def run_analyze(responses: Path, manifest_path: Path, bank_dir: Path | None,
                out_dir: Path | None) -> Analysis:
    manifest = read_manifest(manifest_path)
    bank = load_bank(bank_dir or Path(manifest.bank_path))
    exams = exams_from_manifest(manifest, bank)
    questions = {q.id: q for e in exams for q in e.questions}
    table = read_responses(responses, manifest.question_ids,
                           {qid: q.points for qid, q in questions.items()})
    sheets = manifest.sheets or {}
    exam = str(sheets.get("exam") or hashlib.sha256(
        manifest_path.read_bytes()).hexdigest()[:16])
    date = manifest.header.date or datetime.date.today().isoformat()
    analysis = analyse(table, questions, exam, date)
    if analysis.students < 2:
        raise InputError(f"{responses}: {analysis.students} complete answer sheet(s); an "
                         "item analysis needs at least 2 (better 30 or more)")
    if out_dir is not None:
        from examgen.analyze.report_pdf import render_analysis  # reportlab: for the report
        from examgen.render.layout import load_layout

        write_set(out_dir, {"items.csv": items_csv(analysis),
                            "report.pdf": render_analysis(analysis, load_layout("default")),
                            ANALYSIS: json.dumps(analysis.to_json(), indent=1) + "\n"},
                  last=ANALYSIS)
    return analysis


def items_csv(analysis: Analysis) -> str:
    rows: list[list[object]] = [[
        "question", "type", "topic", "difficulty", "knowledge", "level", "points", "n",
        "facility", "discrimination", "upper_lower", "options", "flags", "where"]]
    flagged: dict[str, list[str]] = {}
    for flag in analysis.flags:
        flagged.setdefault(flag.question, []).append(flag.kind)
    for item in analysis.items:
        options = " ".join(f"{o.option}{'*' if o.correct else ''}={o.share:.3f}"
                           for o in item.options)
        rows.append([item.id, item.type, item.topic, item.difficulty, item.knowledge,
                         item.level, f"{item.points:g}", item.n, f"{item.facility:.4f}",
                         "" if item.discrimination is None else f"{item.discrimination:.4f}",
                         "" if item.upper_lower is None else f"{item.upper_lower:.4f}",
                         options, " ".join(flagged.get(item.id, [])),
                         f"{item.file}:{item.line}"])
    return csv_text(rows)


def summary(analysis: Analysis, out_dir: Path | None) -> list[str]:
    alpha = "n/a" if analysis.alpha is None else f"{analysis.alpha:.2f}"
    lines = [f"{analysis.students} students, {analysis.questions} questions: mean "
             f"{analysis.mean:.2f} of {analysis.max_points:g} (sd {analysis.sd:.2f}), "
             f"Cronbach's alpha {alpha}"]
    if analysis.students < MIN_N_FOR_FLAGS:
        lines.append(f"fewer than {MIN_N_FOR_FLAGS} students: the statistics are shown, but "
                     "too noisy to flag questions")
    lines += [f"{f.where}: {f.question}: {f.message}" for f in analysis.flags]
    if out_dir is not None:
        lines.append(f"wrote {out_dir / 'report.pdf'}, items.csv and {ANALYSIS}")
    return lines
