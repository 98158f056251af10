"""Where the bank is thick and where it is thin, against the difficulty x knowledge matrix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from .model import (
    CELLS,
    LEVELS,
    MIN_ANSWERS,
    TYPES,
    Bank,
    Difficulty,
    Knowledge,
    Level,
    band_of,
    pooled_facility,
)


def coverage(bank: Bank, least: int | None = None) -> dict[str, Any]:
    """Counts per cell, level, topic and type: the data behind ``examgen coverage --json``.

    A cell the whole bank lacks is always a warning; with ``least`` (``--min N``), so is
    every topic's cell with fewer than N questions. What a blueprint needs is judged by
    ``examgen.capacity``, which knows the mix.
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
    report = {
        "total": len(bank.questions),
        "cells": {c: cells[c] for c in CELLS},
        "levels": {lv.value: levels[lv.value] for lv in Level},
        "topics": {t: {c: n[c] for c in CELLS} for t, n in topics.items()},
        "types": {t: types[t] for t in TYPES},
        "points": {c: points[c] for c in CELLS},
        "topic_points": topic_points,
        "topic_types": {t: {k: n[k] for k in TYPES if n[k]} for t, n in topic_types.items()},
        "observed": _observed(bank),
    }
    thin = _thin(report, least)
    report["thin"] = thin
    report["warnings"] = _warnings(thin)
    return report


def _observed(bank: Bank) -> dict[str, dict[str, Any]]:
    """Tagged versus measured difficulty per cell, from the stats calibrate wrote:
    questions measured, their mean facility, and how many behave like another difficulty."""
    out: dict[str, dict[str, Any]] = {}
    for cell in CELLS:
        facilities, off = [], []
        for q in bank.questions:
            facility, n = pooled_facility(q.stats)
            if q.cell != cell or facility is None:
                continue
            facilities.append(facility)
            if n >= MIN_ANSWERS and band_of(facility) != q.difficulty.value:
                off.append(f"{q.id} ({band_of(facility)})")
        out[cell] = {"measured": len(facilities),
                     "facility": round(sum(facilities) / len(facilities), 3)
                     if facilities else None, "elsewhere": off}
    return out


def _thin(report: dict[str, Any], least: int | None) -> list[dict[str, Any]]:
    """Every place with fewer questions than asked for, as objects for scripts."""
    out: list[dict[str, Any]] = [{"topic": None, "cell": c, "have": 0, "need": 1}
                                 for c, n in report["cells"].items() if n == 0]
    if least:
        out += [{"topic": topic, "cell": c, "have": n, "need": least}
                for topic, cells in report["topics"].items()
                for c, n in cells.items() if n < least]
    return out


def _warnings(thin: list[dict[str, Any]]) -> list[str]:
    """The thin places in words, a line per topic: the same findings as ``thin``."""
    out = [f"the whole bank has no {t['cell']} question" for t in thin if t["topic"] is None]
    by_topic: dict[str, list[str]] = {}
    for t in thin:
        if t["topic"] is not None:
            by_topic.setdefault(t["topic"], []).append(f"{t['cell']} ({t['have']})")
    out += [f"{topic}: fewer than {next(t['need'] for t in thin if t['topic'] == topic)}: "
            f"{', '.join(cells)}" for topic, cells in by_topic.items()]
    return out


Paint = Callable[[str, Level | None], str]


def _plain(text: str, level: Level | None) -> str:
    return text


def render_text(report: dict[str, Any], paint: Paint = _plain, warnings: bool = True) -> str:
    """The report as a lecturer reads it in a terminal; ``paint`` adds the level colours."""
    kinds = list(Knowledge)
    lines = ["Questions per cell (difficulty x knowledge)", ""]
    lines.append(f"{'':<8}" + "".join(f"{k.value:>14}" for k in kinds) + f"{'total':>8}")
    for d in Difficulty:
        row = [report["cells"][f"{d.value}/{k.value}"] for k in kinds]
        painted = "".join(
            paint(f"{f'{n} {LEVELS[(d, k)].value}':>14}", LEVELS[(d, k)])
            for n, k in zip(row, kinds, strict=True)
        )
        lines.append(f"{d.value:<8}{painted}{sum(row):>8}")
    totals = [sum(report["cells"][f"{d.value}/{k.value}"] for d in Difficulty) for k in kinds]
    lines.append(f"{'total':<8}" + "".join(f"{n:>14}" for n in totals)
                 + f"{report['total']:>8}")
    lines.append("levels: " + ", ".join(
        paint(f"{lv.value} {report['levels'][lv.value]}", lv) for lv in Level))
    lines += ["", "Questions per topic and cell", ""]
    short = [c.replace("easy", "E").replace("medium", "M").replace("hard", "H")
             .replace("/recall", "/rec").replace("/application", "/app") for c in CELLS]
    width = max((len(t) for t in report["topics"]), default=5) + 2
    lines.append(f"{'topic':<{width}}" + "".join(f"{s:>7}" for s in short) + f"{'total':>7}"
                 + f"{'points':>8}  types")
    for topic, cells in report["topics"].items():
        counts = [cells[c] for c in CELLS]
        shown = "".join(paint(f"{n:>7}", Level.RED) if n == 0 else f"{n:>7}" for n in counts)
        mixed = ", ".join(f"{n} {t}" for t, n in report["topic_types"][topic].items())
        lines.append(f"{topic:<{width}}{shown}{sum(counts):>7}"
                     f"{report['topic_points'][topic]:>8g}  {mixed}")
    lines += ["", "Points per cell: " + ", ".join(
        f"{c} {report['points'][c]:g}" for c in CELLS)]
    lines.append("Types: " + ", ".join(f"{t} {n}" for t, n in report["types"].items()))
    observed = {c: o for c, o in report["observed"].items() if o["measured"]}
    if observed:
        lines += ["", "Tagged versus measured (examgen calibrate): mean facility per cell; "
                      "bands easy >= 0.7, medium 0.4-0.7, hard < 0.4"]
        for cell, o in observed.items():
            moved = f"; behave otherwise: {', '.join(o['elsewhere'])}" if o["elsewhere"] else ""
            lines.append(f"  {cell:<20} {o['measured']:>3} measured, facility "
                         f"{o['facility']:.2f}{moved}")
    if warnings and report["warnings"]:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in report["warnings"]]
    return "\n".join(lines)
