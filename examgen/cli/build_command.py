"""``examgen build``: select the questions of a mix and write the exam, its key and
manifest, and the answer sheets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from examgen.bank.coverage_report import coverage_report
from examgen.cli.group import explicit_bank, main, paint
from examgen.cli.options import (
    HEADER_FLAGS,
    bank_option,
    complete_layout,
    flag_mix,
    header_options,
    mix_options,
    out_option,
    seed_option,
)
from examgen.core.errors import InputError
from examgen.core.limits import SETTINGS
from examgen.core.model import (
    CELLS,
    PAPERS,
    TYPES,
    Bank,
    Exam,
    Question,
    cell_of,
    topic_of,
    type_of,
)
from examgen.core.scoring import SCHEMES
from examgen.select.blueprint import DRAWS
from examgen.select.mix import FLAGS
from examgen.select.variants import ORDERS

_LISTED = 12  # files named one by one in the "wrote" line; more are summarised


@main.command()
@bank_option
@click.option("--blueprint", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML file with the mix, header, layout, variants and seed.")
@mix_options
@seed_option
@click.option("--variants", type=click.IntRange(*SETTINGS["variants"]),
              help="Versions A, B, ... (default 1).")
@click.option("--forms", type=click.IntRange(*SETTINGS["forms"]),
              help="Parallel exams with different questions (default 1).")
@click.option("--overlap", type=click.IntRange(*SETTINGS["overlap"]),
              help="With --forms: questions two forms may share at most (default 0).")
@click.option("--order", type=click.Choice(ORDERS),
              help="Question order in every variant: random (default), difficulty (easy "
                   "first), topic (grouped), bank (the bank's order).")
@click.option("--from", "from_manifest", type=click.Path(path_type=Path),
              help="Rebuild exactly the exam of an earlier exam.json.")
@click.option("--layout", metavar="NAME|PATH", shell_complete=complete_layout,
              help="Layout for the PDFs: default, de, or a layout folder.")
@click.option("--paper", type=click.Choice(sorted(PAPERS), case_sensitive=False),
              help="Paper size (default a4).")
@click.option("--pdf/--no-pdf", default=True, help="Write the PDFs (default) or only exam.json.")
@header_options
@click.option("--sheet", is_flag=True, default=None,
              help="Add machine-readable answer sheets (sheets.pdf) for examgen grade.")
@click.option("--copies", type=click.IntRange(*SETTINGS["copies"]),
              help="With --sheet: numbered copies; variants cycle A, B, ... (default: one "
                   "per variant).")
@click.option("--roster", metavar="CSV",
              help="With --sheet: a copy per student of this class list, the name and number "
                   "printed on the sheet (Moodle's and campus exports as they are).")
@click.option("--roster-number", metavar="COLUMN", help="The roster's student-number column.")
@click.option("--roster-name", metavar="COLUMN", help="The roster's name column.")
@click.option("--seating", metavar="CSV|ROWSxSEATS",
              help="With --sheet: the room (a CSV of row, seat[, student], or e.g. 10x12); "
                   "variants by seat so that no neighbours share one; writes seats.csv.")
@click.option("--neighbours", type=click.Choice(["2", "4"]),
              help="With --seating: 2 = left and right (default), 4 = also front and back.")
@click.option("--draw", type=click.Choice(DRAWS),
              help="Parametrised questions: numbers per variant (default), or per copy "
                   "(with --copies: every copy its own variant and numbers).")
@click.option("--scoring", type=click.Choice(SCHEMES),
              help="With --sheet: how multiple-response questions score on paper "
                   "(default moodle, as the Moodle export).")
@out_option
@click.pass_context
def build(ctx: click.Context, /, bank_dir: Path, blueprint: Path | None,
          from_manifest: Path | None, pdf: bool, out_dir: Path, **flags: Any) -> None:
    """Select questions for the mix with a 0-1 program and write the exam.

    Example: examgen build --easy 5 --hard 2 --seed 7

    For paper grading: examgen build --easy 5 --hard 2 --variants 2 --sheet --copies 120
    """
    from examgen.api import BuildSettings, ExamHeader, build_exam, rebuild_exam, write_build
    from examgen.select.blueprint import load_blueprint

    header = ExamHeader(**{key: flags.pop(key) or "" for key in HEADER_FLAGS})
    if flags["neighbours"] is not None:
        flags["neighbours"] = int(flags["neighbours"])
    settings = BuildSettings(**{key: flags.pop(key) for key in (
        "seed", "variants", "forms", "overlap", "order", "layout", "paper", "sheet",
        "copies", "scoring", "draw", "roster", "seating", "neighbours", "roster_number",
        "roster_name")})
    bank = explicit_bank(ctx, bank_dir)
    if from_manifest:
        _refuse_with_from(blueprint, settings, flags)
        result = rebuild_exam(from_manifest, bank, settings, header, pdf=pdf)
    else:
        plan = load_blueprint(blueprint) if blueprint else None
        result = build_exam(bank if bank or plan else bank_dir, flag_mix(flags), settings,
                            header, blueprint=plan, pdf=pdf)
    for note in result.notes:
        click.echo(note, err=True)
    replaced = write_build(out_dir, result)
    _print_summary(result.exams, out_dir, list(result.files), replaced)


def _refuse_with_from(blueprint: Path | None, settings: Any, flags: dict[str, Any]) -> None:
    """--from rebuilds an exam as it was; anything that would change it is a mistake."""
    changed = [f"--{name}" for name, value in (
        ("blueprint", blueprint), ("seed", settings.seed), ("variants", settings.variants),
        ("forms", settings.forms), ("overlap", settings.overlap), ("order", settings.order),
        ("draw", settings.draw), ("seating", settings.seating))
        if value is not None]
    changed += [FLAGS[key] for key in flag_mix(flags)]
    if changed:
        raise InputError(f"--from rebuilds the exam exactly as it was; drop "
                         f"{', '.join(changed)} (or build a new exam without --from)")


def _print_summary(exams: list[Exam], out_dir: Path, names: list[str], replaced: str) -> None:
    written = out_dir / "exam.json"
    if len(exams) > 1:
        click.echo(_forms_side_by_side(exams) + "\n")
    for exam in exams if len(exams) == 1 else ():
        click.echo(f"{len(exam.questions)} questions, {exam.total_points:g} points, about "
                   f"{exam.minutes} minutes, variants {', '.join(v.name for v in exam.variants)}")
        report = coverage_report(Bank(Path("."), exam.questions, ""))
        click.echo(report.to_text(paint, warnings=False))
        click.echo("")
    click.echo(f"seed {exams[0].seed} (rebuild with --seed {exams[0].seed} or "
               f"--from {written})")
    click.echo(wrote_line(out_dir, names))
    if replaced:
        click.echo(replaced)


def wrote_line(out_dir: Path, names: list[str]) -> str:
    """'wrote' and the files: each by name when there are few, else the shared ones by
    name and the exams and keys of the variants and forms by count."""
    if len(names) <= _LISTED:
        return f"wrote {', '.join(str(out_dir / n) for n in names)}"
    own = [n for n in names if n.startswith(("exam-", "key-"))
           and n not in ("exam-all.pdf", "key-overview.pdf", "exam-copies.pdf")]
    shared = [n for n in names if n not in own]
    exams = sum(n.startswith("exam-") for n in own)
    return (f"wrote {len(names)} files into {out_dir}: {', '.join(shared)}, and {exams} "
            f"exams and {len(own) - exams} keys ({own[0]} ... {own[-1]})")


def _forms_side_by_side(exams: list[Exam]) -> str:
    """Parallel forms in columns: questions, points, and the count per cell, type and
    topic, with a note on every row where they differ."""
    def count(exam: Exam, key: Callable[[Question], str], value: str) -> float:
        return sum(1 for q in exam.questions if key(q) == value)

    rows: list[tuple[str, list[float]]] = [
        ("questions", [len(e.questions) for e in exams]),
        ("points", [e.total_points for e in exams]),
        ("minutes", [e.minutes for e in exams])]
    keys: list[tuple[str, Callable[[Question], str], tuple[str, ...]]] = [
        ("", cell_of, CELLS), ("type ", type_of, TYPES), ("", topic_of, ())]
    for label, key, order in keys:
        seen = {key(q) for e in exams for q in e.questions}
        values = [v for v in order if v in seen] or list(
            dict.fromkeys(key(q) for e in exams for q in e.questions))
        rows += [(f"{label}{v}", [count(e, key, v) for e in exams]) for v in values]
    width = max(len(name) for name, _ in rows) + 2
    lines = [f"{'':<{width}}" + "".join(f"{'Form ' + e.name:>9}" for e in exams)]
    unequal = []
    for name, numbers in rows:
        mark = "" if len(set(numbers)) == 1 else "  <- differs"
        if mark:
            unequal.append(name)
        lines.append(f"{name:<{width}}" + "".join(f"{n:>9g}" for n in numbers) + mark)
    variants = ", ".join(v.name for v in exams[0].variants)
    lines.append(f"variants {variants} of each form")
    if unequal:
        lines.append(f"Note: the bank cannot make the forms alike in {', '.join(unequal)}; "
                     "give those counts in the mix (--cell, --type, --topic) or add "
                     "questions to balance them.")
    return "\n".join(lines)
