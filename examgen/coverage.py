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

THIN = 3  # a topic's cell with fewer questions than this gets a warning


def coverage(bank: Bank) -> dict[str, Any]:
    """Counts per cell, level, topic and type: the data behind ``examgen coverage --json``."""
    cells = Counter(q.cell for q in bank.questions)
    points: dict[str, float] = dict.fromkeys(CELLS, 0)
    topics: dict[str, Counter[str]] = {t: Counter() for t in bank.topics}
    for q in bank.questions:
        points[q.cell] += q.points
        topics[q.topic][q.cell] += 1
    levels = Counter(q.level.value for q in bank.questions)
    types = Counter(q.type for q in bank.questions)
    report = {
        "total": len(bank.questions),
        "cells": {c: cells[c] for c in CELLS},
        "levels": {lv.value: levels[lv.value] for lv in Level},
        "topics": {t: {c: n[c] for c in CELLS} for t, n in topics.items()},
        "types": {t: types[t] for t in TYPES},
        "points": {c: points[c] for c in CELLS},
        "observed": _observed(bank),
    }
    report["warnings"] = _warnings(report)
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


def _warnings(report: dict[str, Any]) -> list[str]:
    out = [f"the whole bank has no {c} question" for c, n in report["cells"].items() if n == 0]
    for topic, cells in report["topics"].items():
        empty = [c for c, n in cells.items() if n == 0]
        thin = [f"{c} ({n})" for c, n in cells.items() if 0 < n < THIN]
        parts = ([f"empty: {', '.join(empty)}"] if empty else []) + (
            [f"thin (<{THIN}): {', '.join(thin)}"] if thin else [])
        if parts:
            out.append(f"{topic}: {'; '.join(parts)}")
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
    lines.append(f"{'topic':<{width}}" + "".join(f"{s:>7}" for s in short) + f"{'total':>7}")
    for topic, cells in report["topics"].items():
        counts = [cells[c] for c in CELLS]
        shown = "".join(paint(f"{n:>7}", Level.RED) if n == 0 else f"{n:>7}" for n in counts)
        lines.append(f"{topic:<{width}}{shown}{sum(counts):>7}")
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
