"""Where the bank is thick and where it is thin, against the difficulty x knowledge matrix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from examgen.core.facility import MIN_ANSWERS, band_of, pooled_facility
from examgen.core.model import CELLS, LEVELS, TYPES, Bank, Difficulty, Knowledge, Level


@dataclass(frozen=True)
class ThinPlace:
    """A place with fewer questions than needed: a cell of the whole bank (``topic``
    None) or of one topic."""

    topic: str | None
    cell: str
    have: int
    need: int


@dataclass(frozen=True)
class Observed:
    """A cell's tagged versus measured difficulty, from the stats calibrate wrote."""

    measured: int
    facility: float | None
    elsewhere: tuple[str, ...]  # "id (band)" of questions that behave like another band


@dataclass(frozen=True)
class Excluded:
    """Questions of earlier exams that the report leaves out (--exclude-used)."""

    questions: int
    manifests: tuple[str, ...]


@dataclass(frozen=True)
class CoverageReport:
    """Counts per cell, level, topic and type: what ``examgen coverage`` prints, its
    ``--json`` and its ``--pdf`` are views of one report. With a mix, what capacity and
    a stress test found, as their JSON and lines."""

    total: int
    cells: dict[str, int]
    levels: dict[str, int]
    topics: dict[str, dict[str, int]]
    types: dict[str, int]
    points: dict[str, float]
    topic_points: dict[str, float]
    topic_types: dict[str, dict[str, int]]
    observed: dict[str, Observed]
    thin: tuple[ThinPlace, ...]
    warnings: tuple[str, ...]
    excluded: Excluded | None = None
    capacity: dict[str, object] | None = None
    stress: dict[str, Any] | None = None
    lines: tuple[str, ...] = ()  # what capacity and the stress test say, in words
    bank: Path = Path(".")  # the bank's folder

    def to_json(self) -> dict[str, Any]:
        """The object ``examgen coverage --json`` prints."""
        out: dict[str, Any] = {
            "total": self.total, "cells": self.cells, "levels": self.levels,
            "topics": self.topics, "types": self.types, "points": self.points,
            "topic_points": self.topic_points, "topic_types": self.topic_types,
            "observed": {c: {"measured": o.measured, "facility": o.facility,
                             "elsewhere": list(o.elsewhere)} for c, o in self.observed.items()},
            "thin": [asdict(t) for t in self.thin], "warnings": list(self.warnings)}
        if self.excluded is not None:
            out["excluded"] = {"questions": self.excluded.questions,
                               "manifests": list(self.excluded.manifests)}
        if self.capacity is not None:
            out["capacity"] = self.capacity
        if self.stress is not None:
            out["stress"] = self.stress
        return out

    def to_text(self, paint: Paint | None = None, warnings: bool = True) -> str:
        """The report as a lecturer reads it in a terminal; ``paint`` adds the level
        colours."""
        return render_text(self, paint or _plain, warnings)


def coverage_report(bank: Bank, least: int | None = None) -> CoverageReport:
    """Counts per cell, level, topic and type of ``bank``.

    A cell the whole bank lacks is always a warning; with ``least`` (``--min N``), so is
    every topic's cell with fewer than N questions. What a blueprint needs is judged by
    ``select.capacity``, which knows the mix.
    """
    cells = Counter(q.cell for q in bank.questions)
    points: dict[str, float] = dict.fromkeys(CELLS, 0)
    topics: dict[str, Counter[str]] = {t: Counter() for t in bank.topics}
    for q in bank.questions:
        points[q.cell] += q.points
        topics[q.topic][q.cell] += 1
    levels = Counter(q.level.value for q in bank.questions)
    types = Counter(q.type for q in bank.questions)
    topic_points: dict[str, float] = dict.fromkeys(bank.topics, 0)
    topic_types: dict[str, Counter[str]] = {t: Counter() for t in bank.topics}
    for q in bank.questions:
        topic_points[q.topic] += q.points
        topic_types[q.topic][q.type] += 1
    by_topic = {t: {c: n[c] for c in CELLS} for t, n in topics.items()}
    cell_counts = {c: cells[c] for c in CELLS}
    thin = _thin(cell_counts, by_topic, least)
    return CoverageReport(
        total=len(bank.questions), cells=cell_counts,
        levels={lv.value: levels[lv.value] for lv in Level}, topics=by_topic,
        types={t: types[t] for t in TYPES}, points={c: points[c] for c in CELLS},
        topic_points=topic_points,
        topic_types={t: {k: n[k] for k in TYPES if n[k]} for t, n in topic_types.items()},
        observed=_observed(bank), thin=thin, warnings=_warnings(thin), bank=bank.path)


def _observed(bank: Bank) -> dict[str, Observed]:
    """Tagged versus measured difficulty per cell, from the stats calibrate wrote:
    questions measured, their mean facility, and how many behave like another difficulty."""
    out: dict[str, Observed] = {}
    for cell in CELLS:
        facilities, off = [], []
        for q in bank.questions:
            facility, n = pooled_facility(q.stats)
            if q.cell != cell or facility is None:
                continue
            facilities.append(facility)
            if n >= MIN_ANSWERS and band_of(facility) != q.difficulty.value:
                off.append(f"{q.id} ({band_of(facility)})")
        out[cell] = Observed(len(facilities), round(sum(facilities) / len(facilities), 3)
                             if facilities else None, tuple(off))
    return out


def _thin(cells: dict[str, int], topics: dict[str, dict[str, int]],
          least: int | None) -> tuple[ThinPlace, ...]:
    """Every place with fewer questions than asked for."""
    out = [ThinPlace(None, c, 0, 1) for c, n in cells.items() if n == 0]
    if least:
        out += [ThinPlace(topic, c, n, least) for topic, counts in topics.items()
                for c, n in counts.items() if n < least]
    return tuple(out)


def _warnings(thin: tuple[ThinPlace, ...]) -> tuple[str, ...]:
    """The thin places in words, a line per topic: the same findings as ``thin``."""
    out = [f"the whole bank has no {t.cell} question" for t in thin if t.topic is None]
    by_topic: dict[str, list[str]] = {}
    for t in thin:
        if t.topic is not None:
            by_topic.setdefault(t.topic, []).append(f"{t.cell} ({t.have})")
    out += [f"{topic}: fewer than {next(t.need for t in thin if t.topic == topic)}: "
            f"{', '.join(cells)}" for topic, cells in by_topic.items()]
    return tuple(out)


Paint = Callable[[str, Level | None], str]


def _plain(text: str, level: Level | None) -> str:
    return text


def render_text(report: CoverageReport, paint: Paint = _plain, warnings: bool = True) -> str:
    """The report in words, with ``paint`` for the level colours."""
    kinds = list(Knowledge)
    lines = ["Questions per cell (difficulty x knowledge)", ""]
    lines.append(f"{'':<8}" + "".join(f"{k.value:>14}" for k in kinds) + f"{'total':>8}")
    for d in Difficulty:
        row = [report.cells[f"{d.value}/{k.value}"] for k in kinds]
        painted = "".join(
            paint(f"{f'{n} {LEVELS[(d, k)].value}':>14}", LEVELS[(d, k)])
            for n, k in zip(row, kinds, strict=True)
        )
        lines.append(f"{d.value:<8}{painted}{sum(row):>8}")
    totals = [sum(report.cells[f"{d.value}/{k.value}"] for d in Difficulty) for k in kinds]
    lines.append(f"{'total':<8}" + "".join(f"{n:>14}" for n in totals)
                 + f"{report.total:>8}")
    lines.append("levels: " + ", ".join(
        paint(f"{lv.value} {report.levels[lv.value]}", lv) for lv in Level))
    lines += ["", "Questions per topic and cell", ""]
    short = [c.replace("easy", "E").replace("medium", "M").replace("hard", "H")
             .replace("/recall", "/rec").replace("/application", "/app") for c in CELLS]
    width = max((len(t) for t in report.topics), default=5) + 2
    lines.append(f"{'topic':<{width}}" + "".join(f"{s:>7}" for s in short) + f"{'total':>7}"
                 + f"{'points':>8}  types")
    for topic, cells in report.topics.items():
        counts = [cells[c] for c in CELLS]
        shown = "".join(paint(f"{n:>7}", Level.RED) if n == 0 else f"{n:>7}" for n in counts)
        mixed = ", ".join(f"{n} {t}" for t, n in report.topic_types[topic].items())
        lines.append(f"{topic:<{width}}{shown}{sum(counts):>7}"
                     f"{report.topic_points[topic]:>8g}  {mixed}")
    lines += ["", "Points per cell: " + ", ".join(
        f"{c} {report.points[c]:g}" for c in CELLS)]
    lines.append("Types: " + ", ".join(f"{t} {n}" for t, n in report.types.items()))
    observed = {c: o for c, o in report.observed.items() if o.measured}
    if observed:
        lines += ["", "Tagged versus measured (examgen calibrate): mean facility per cell; "
                      "bands easy >= 0.7, medium 0.4-0.7, hard < 0.4"]
        for cell, o in observed.items():
            moved = f"; behave otherwise: {', '.join(o.elsewhere)}" if o.elsewhere else ""
            lines.append(f"  {cell:<20} {o.measured:>3} measured, facility "
                         f"{o.facility or 0:.2f}{moved}")
    if warnings and report.warnings:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in report.warnings]
    return "\n".join(lines)
