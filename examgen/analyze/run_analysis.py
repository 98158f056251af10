"""``examgen analyze``: responses and manifest in; items.csv, analysis.json and report.pdf
out, all three views of one ``Analysis``."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

from examgen.analyze.flags import MIN_N_FOR_FLAGS, TENTATIVE_BELOW
from examgen.analyze.responses import read_responses
from examgen.analyze.results import Analysis
from examgen.analyze.stats import analyse
from examgen.bank.loader import load_bank
from examgen.core.csv_cells import csv_text
from examgen.core.errors import InputError
from examgen.core.files import write_set
from examgen.core.model import LETTERS, ChoiceQuestion, Exam, Question
from examgen.core.scoring import DEFAULT_SCHEME
from examgen.select.manifest import exams_from_manifest, read_manifest

ANALYSIS = "analysis.json"


def run_analyze(responses: Path, manifest_path: Path, bank_dir: Path | None,
                out_dir: Path | None) -> Analysis:
    manifest = read_manifest(manifest_path)
    bank = load_bank(bank_dir or Path(manifest.bank_path))
    exams = exams_from_manifest(manifest, bank)
    questions = {q.id: q for e in exams for q in e.questions}
    table = read_responses(responses, manifest.question_ids, questions)
    sheets = manifest.sheets or {}
    exam = str(sheets.get("exam") or hashlib.sha256(
        manifest_path.read_bytes()).hexdigest()[:16])
    date = manifest.header.date or datetime.date.today().isoformat()
    forms = {e.name: tuple(q.id for q in e.questions) for e in exams}
    analysis = analyse(table, questions, exam, date, forms, printed_letters(exams),
                       manifest.header.answer_sheet or DEFAULT_SCHEME)
    if analysis.students < 2:
        raise InputError(f"{responses}: {analysis.students} complete answer sheet(s)"
                         f"{_why(analysis)}; an item analysis needs at least 2 (better 50 or "
                         "more)")
    if out_dir is not None:
        from examgen.analyze.report_pdf import render_analysis  # reportlab: for the report
        from examgen.render.layout import load_layout

        write_set(out_dir, {"items.csv": items_csv(analysis),
                            "report.pdf": render_analysis(analysis, load_layout("default")),
                            ANALYSIS: analysis_json(analysis)},
                  last=ANALYSIS)
    return analysis


def analysis_json(analysis: Analysis) -> str:
    return json.dumps(analysis.to_json(), indent=1, allow_nan=False) + "\n"


def printed_letters(exams: list[Exam]) -> dict[str, list[str]]:
    """Per choice question, the letter(s) each bank option was printed under ("b", or
    "b/d" when variants differ)."""
    letters: dict[str, list[set[str]]] = {}
    for exam in exams:
        for q in exam.questions:
            if not isinstance(q, ChoiceQuestion):
                continue
            shown = letters.setdefault(q.id, [set() for _ in q.options])
            for v in exam.variants:
                order = v.options.get(q.id, tuple(range(len(q.options))))
                for printed, bank in enumerate(order):
                    shown[bank].add(LETTERS[printed])
    by_id = {q.id: q for exam in exams for q in exam.questions}
    return {qid: ["/".join(sorted(s)) if len(s) <= 2 else _bank_text(by_id[qid], n)
                  for n, s in enumerate(shown)] for qid, shown in letters.items()}


def _bank_text(q: Question, index: int) -> str:
    """An option named by what it is in the bank, when copies printed it under many
    letters: its text, or a parametrised question's template ('{{no_padding}}'), which is
    the same role in every draw."""
    assert isinstance(q, ChoiceQuestion)
    text = q.options[index].name
    if q.template is not None:
        options = q.template.node["options"]
        assert isinstance(options, list), "a choice question's template lists its options"
        raw = options[index]
        text = str(raw["text"] if isinstance(raw, dict) else raw)
    return f"'{text if len(text) <= 40 else text[:39] + '…'}'"


def _why(analysis: Analysis) -> str:
    return "".join(f"; {count} left out: {reason}" for reason, count in
                   analysis.left_out.items())


def items_csv(analysis: Analysis) -> str:
    rows: list[list[object]] = [[
        "question", "type", "topic", "difficulty", "knowledge", "level", "points", "n",
        "facility", "discrimination", "upper_lower", "options", "flags", "where", "sd",
        "facility_low", "facility_high", "discrimination_low", "discrimination_high",
        "chance", "corrected_facility", "alpha_if_deleted", "omitted"]]
    flagged: dict[str, list[str]] = {}
    for flag in analysis.flags:
        flagged.setdefault(flag.question, []).append(flag.kind)
    for item in analysis.items:
        options = " ".join(f"{o.option}{'*' if o.correct else ''}={o.share:.3f}"
                           for o in item.options)
        interval: list[float | None] = [None, None]
        if item.discrimination_interval:
            interval = list(item.discrimination_interval)
        rows.append([item.id, item.type, item.topic, item.difficulty, item.knowledge,
                     item.level, f"{item.points:g}", item.n, _f(item.facility),
                     _f(item.discrimination), _f(item.upper_lower), options,
                     " ".join(flagged.get(item.id, [])), f"{item.file}:{item.line}",
                     _f(item.sd), *(_f(v) for v in item.facility_interval),
                     *(_f(v) for v in interval), _f(item.chance),
                     _f(item.corrected_facility), _f(item.alpha_if_deleted),
                     _f(item.omitted)])
    return csv_text(rows)


def _f(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def summary(analysis: Analysis, out_dir: Path | None) -> list[str]:
    """The lines ``examgen analyze`` prints: the class, who was left out, the flags ranked
    with the band notes folded into one line."""
    lines = [f"{analysis.students} students, {analysis.questions} questions: mean "
             f"{analysis.mean:.2f} of {analysis.max_points:g} (sd {analysis.sd:.2f}), "
             + ("; ".join(f"form {f.form or '-'}: alpha {_alpha(f.alpha)}"
                          for f in analysis.forms) if len(analysis.forms) > 1
                else f"Cronbach's alpha {_alpha(analysis.alpha)}")]
    for reason, count in analysis.left_out.items():
        lines.append(f"left out: {count} student(s): {reason}")
    if not analysis.choices:
        lines.append("the responses name no ticked options: no option statistics, no miskey "
                     "or distractor flags")
    if analysis.students < MIN_N_FOR_FLAGS:
        lines.append(f"fewer than {MIN_N_FOR_FLAGS} students: the statistics are shown, but "
                     "too noisy to flag questions")
    elif analysis.students < TENTATIVE_BELOW:
        lines.append(f"fewer than {TENTATIVE_BELOW} students: the flags are tentative")
    notes = [f for f in analysis.flags if f.severity >= 5]
    lines += [f"{f.where}: {f.question}: {f.message}" for f in analysis.flags
              if f.severity < 5]
    if notes:
        lines.append(f"{len(notes)} question(s) outside their tagged band (notes: see "
                     "report.pdf or items.csv; examgen calibrate proposes retagging)")
    if out_dir is not None:
        lines.append(f"wrote {out_dir / 'report.pdf'}, items.csv and {ANALYSIS}")
    return lines


def _alpha(alpha: float | None) -> str:
    return "n/a" if alpha is None else f"{alpha:.2f}"
