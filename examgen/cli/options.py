"""Shared click options, as decorators, and the translation of mix flags into a mapping."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from examgen.core.errors import MixError
from examgen.core.limits import SETTINGS
from examgen.select.mix import AXES, parse_assignment

F = TypeVar("F", bound=Callable[..., Any])


def complete_layout(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of --layout: the built-in layout names, then folders."""
    from click.shell_completion import CompletionItem

    from examgen.render.layout import builtin_layouts

    names = sorted(p.name for p in builtin_layouts().iterdir() if (p / "layout.yaml").is_file())
    return [CompletionItem(n) for n in names if n.startswith(incomplete)] + [
        CompletionItem(incomplete, type="dir")]


def complete_topic(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of --topic: the bank's topics, each by its first word where that
    word names it alone (the way --topic matches), ready for "=N"."""
    from click.shell_completion import CompletionItem

    from examgen.bank.loader import load_bank
    from examgen.core.errors import ExamgenError

    try:
        topics = load_bank(ctx.params.get("bank_dir") or Path("bank")).topics
    except (ExamgenError, OSError):
        return []
    firsts = [t.split()[0] for t in topics]
    names = [f if firsts.count(f) == 1 else t for f, t in zip(firsts, topics, strict=True)]
    return [CompletionItem(f"{n}=", help=t) for n, t in zip(names, topics, strict=True)
            if n.casefold().startswith(incomplete.casefold())]


def bank_option(func: F) -> F:
    return click.option(
        "--bank", "bank_dir", type=click.Path(path_type=Path), default=Path("bank"),
        show_default=True, help="Folder of YAML question files.",
    )(func)


def seed_option(func: F) -> F:
    return click.option("--seed", type=click.IntRange(*SETTINGS["seed"]), metavar="N",
                        help="Random seed; the same seed, bank and mix give the same exam. "
                             "Default: a fresh one, printed.")(func)


def out_option(func: F) -> F:
    return click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path),
                        default=Path("out"), show_default=True,
                        help="Folder for exam.json and the PDFs.")(func)


def mix_options(func: F) -> F:
    """The flags of the mix; each repeats what a blueprint's ``mix:`` can say."""
    counts = [(v, f"Exactly N {v} questions.") for v in AXES["difficulty"]]
    counts += [(v, f"Exactly N {v} questions.") for v in AXES["knowledge"]]
    counts += [(v, f"Exactly N questions of level {v}.") for v in AXES["level"]]
    options = [click.option(f"--{v}", v, type=click.IntRange(0), metavar="N", help=h)
               for v, h in counts]
    options += [
        click.option("--cell", "cells", multiple=True, metavar="CELL=N",
                     help="Exactly N questions in a cell, e.g. easy/recall=3 (repeatable)."),
        click.option("--total", type=click.IntRange(0), metavar="N",
                     help="Exam size; counts not given are then free."),
        click.option("--topic", "topics", multiple=True, metavar="NAME=MIN[:MAX]",
                     shell_complete=complete_topic,
                     help="Questions from a topic (name or unique prefix; repeatable); "
                          "NAME=0: none."),
        click.option("--type", "types", multiple=True, metavar="TYPE=MIN[:MAX]",
                     help="Questions of a type, e.g. open=0:2; open=0: none (single, "
                          "multiple, truefalse, short, numeric, open, cloze; repeatable)."),
        click.option("--each-topic", type=click.IntRange(0), metavar="MIN",
                     help="Every topic at least MIN questions."),
        click.option("--points", metavar="P|MIN:MAX", help="Total points, exact or a range."),
        click.option("--minutes", metavar="MAX|MIN:MAX",
                     help="Working time of the whole exam: at most MAX minutes, or a range; "
                          "each question's 'minutes:' or its type's default."),
        click.option("--require", multiple=True, metavar="ID", help="Always include (repeatable)."),
        click.option("--exclude", multiple=True, metavar="ID", help="Never include (repeatable)."),
        click.option("--exclude-used", multiple=True, metavar="MANIFEST",
                     help="Never reuse questions of an earlier exam.json (repeatable)."),
        click.option("--tag", "tags", multiple=True, metavar="TAG",
                     help="Only questions with this tag (repeatable: any of them)."),
        click.option("--prefer-unused", multiple=True, metavar="MANIFEST",
                     help="Prefer questions not in earlier exam.json files, the least used "
                          "first (repeatable; unlike --exclude-used, never infeasible)."),
        click.option("--facility", metavar="MIN:MAX",
                     help="Expected mean facility of the exam (0-1), from measured stats "
                          "or the tagged difficulty, e.g. 0.55:0.65."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def flag_mix(kw: dict[str, Any]) -> dict[str, Any]:
    """The mix as given on the command line, in the blueprint's ``mix:`` shape."""
    mix: dict[str, Any] = {}
    for axis in ("difficulty", "knowledge", "level"):
        given = {v: kw[v] for v in AXES[axis]}
        if any(n is not None for n in given.values()):
            mix[axis] = {v: n for v, n in given.items() if n is not None}
    cells = dict(parse_assignment(c, "--cell") for c in kw["cells"])
    if cells:
        mix["cells"] = {c: _int(n, f"--cell {c}={n}") for c, n in cells.items()}
    topics = dict(parse_assignment(t, "--topic") for t in kw["topics"])
    if topics:
        mix["topics"] = topics
    types = dict(parse_assignment(t, "--type") for t in kw["types"])
    if types:
        mix["types"] = types
    for key in ("total", "each_topic", "points", "require", "exclude", "exclude_used", "tags",
                "facility", "prefer_unused", "minutes"):
        value = kw[key]
        if value not in (None, ()):
            mix[key] = list(value) if isinstance(value, tuple) else value
    return mix


def _int(text: str, what: str) -> int:
    if not text.isdigit():
        raise MixError(f"{what}: expected a whole number")
    return int(text)


HEADER_FLAGS = ("title", "course", "date", "duration")


def header_options(func: F) -> F:
    """--title, --course, --date, --duration: the exam's header, over a blueprint's."""
    helps = {"title": "Title of the exam (default: Exam, or the layout's word).",
             "course": "Course name in the header and footer.",
             "date": "Date as it should be printed, e.g. 2027-02-12.",
             "duration": "Working time as printed, e.g. '90 minutes'."}
    for key in reversed(HEADER_FLAGS):
        func = click.option(f"--{key}", metavar="TEXT", help=helps[key])(func)
    return func


def lecture_options(func: F) -> F:
    """What the lecture's commands (slides, practice) select by, as ``build`` does: the
    bank, a blueprint, the mix, the seed, and the layout whose labels they use."""
    options = [
        bank_option,
        click.option("--blueprint", type=click.Path(exists=True, dir_okay=False,
                                                    path_type=Path),
                     help="YAML file with the mix (and seed, layout, title)."),
        mix_options,
        seed_option,
        click.option("--layout", metavar="NAME|PATH", shell_complete=complete_layout,
                     help="Labels and colours: default, de, or a layout folder."),
    ]
    for option in reversed(options):
        func = option(func)
    return func
