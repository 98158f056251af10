"""What share of its points a class scores on a question (facility), against the band
its difficulty tag promises: analyze flags, calibrate retags, selection expects."""

from __future__ import annotations

from examgen.core.model import BaseQuestion, Observation

# What share of the points students score on a question of each difficulty (facility):
# easy at least 0.7, medium 0.4 to 0.7, hard below 0.4. Measured facility is compared with
# these (examgen analyze, calibrate, coverage); calibrate takes other bands.
FACILITY_BANDS: dict[str, tuple[float, float]] = {"easy": (0.7, 1.0), "medium": (0.4, 0.7),
                                                  "hard": (0.0, 0.4)}


# Answers a question needs before its measured facility counts against its tag
# (analyze's off-band flag, calibrate's moves, coverage's "behave otherwise").
MIN_ANSWERS = 30


def band_of(facility: float, bands: dict[str, tuple[float, float]] = FACILITY_BANDS) -> str:
    """The difficulty whose facility band holds ``facility``."""
    def distance(difficulty: str) -> float:
        low, high = bands[difficulty]
        return max(low - facility, 0.0, facility - high)

    return min(("easy", "medium", "hard"), key=distance)  # in a gap: the nearest band


# What a question is expected to score without measurements: the middle of its band.
TAGGED_FACILITY = {"easy": 0.85, "medium": 0.55, "hard": 0.2}


def expected_facility(q: BaseQuestion) -> float:
    """The measured facility when there is one, else the middle of the tagged band."""
    facility, _ = pooled_facility(q.stats)
    return TAGGED_FACILITY[q.difficulty.value] if facility is None else facility


def pooled_facility(stats: tuple[Observation, ...] | list[Observation]
                    ) -> tuple[float | None, int]:
    """The facility over every exam, weighted by answers, and the answers in all."""
    n = sum(o.n for o in stats)
    return (sum(o.facility * o.n for o in stats) / n if n else None), n
