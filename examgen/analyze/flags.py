"""What a lecturer should look at, ranked, and only where the class is large enough to
tell: every flag that rests on a statistic fires when its 95 % interval (or test) says so,
not on the point estimate alone.

Ranked by severity: 1 a miskey or a question nobody could answer, 2 a question weaker
students score better on, 3 one that barely separates, 4 a distractor nobody takes or a
question everybody answers, 5 a facility outside the tagged band (a note).
"""

from __future__ import annotations

import math

from examgen.analyze.intervals import correlation_interval, fisher_z, wilson
from examgen.analyze.results import Analysis, Flag, ItemStats, OptionStats
from examgen.core.facility import FACILITY_BANDS, MIN_ANSWERS, band_of

MIN_N_FOR_FLAGS = 20  # below this, nothing is flagged at all
TENTATIVE_BELOW = 50  # below this, flags are marked tentative
LOW_DISCRIMINATION = 0.1  # r below this barely separates ...
GOOD_DISCRIMINATION = 0.3  # ... when its interval also stays below this
FUNCTIONAL = 0.1  # a distractor taken by fewer than this share of wrong answers does no work
SIGNIFICANT = 0.05

KINDS = {  # kind -> severity
    "miskeyed": 1, "nobody-right": 1, "negative-discrimination": 2,
    "low-discrimination": 3, "unused-distractor": 4, "everybody-right": 4,
    "no-variance": 4, "easier-than-tagged": 5, "harder-than-tagged": 5}


def corrected(facility: float, chance: float) -> float:
    """The facility above blind guessing, as a share of what guessing leaves to earn."""
    return (facility - chance) / (1 - chance) if chance < 1 else facility


def flags(analysis: Analysis) -> list[Flag]:
    out: list[Flag] = []
    if analysis.students < MIN_N_FOR_FLAGS:
        return out
    for item in analysis.items:
        out += _item_flags(item)
    order = {item.id: i for i, item in enumerate(analysis.items)}
    return sorted(out, key=lambda f: (f.severity, order[f.question]))


def _item_flags(item: ItemStats) -> list[Flag]:
    where = f"{item.file}:{item.line}"
    found: list[tuple[str, str]] = []
    miskey = _miskey(item)
    if miskey:
        found.append(("miskeyed", miskey))
    if item.sd == 0:
        found.append(_no_variance(item))
    else:
        r, interval = item.discrimination, item.discrimination_interval
        if r is not None and interval is not None and not miskey:
            if interval[1] < 0:
                found.append(("negative-discrimination",
                              f"weaker students score better than stronger ones (r = "
                              f"{r:.2f}, 95 % {interval[0]:.2f} to {interval[1]:.2f}): check "
                              "the key and the wording"))
            elif r < LOW_DISCRIMINATION and interval[1] < GOOD_DISCRIMINATION:
                found.append(("low-discrimination",
                              f"barely separates strong from weak students (r = {r:.2f}, "
                              f"95 % {interval[0]:.2f} to {interval[1]:.2f})"))
    found += _unused(item)
    band = None if found and KINDS[found[0][0]] == 1 else _band_note(item)
    if band:
        found.append(band)
    return [Flag(item.id, where, kind, message, KINDS[kind]) for kind, message in found]


def _unused(item: ItemStats) -> list[tuple[str, str]]:
    """Distractors of a single-choice question that hardly anyone who answered wrong took
    (the upper 95 % bound of their share among the wrong answers below 10 %): they do no
    work. An easy question's distractors are rare, but not among the wrong answers."""
    keys = [o for o in item.options if o.correct]
    if item.type != "single" or len(keys) != 1:
        return []
    wrong = round(sum(o.share for o in item.options if not o.correct) * item.n)
    out = []
    for o in item.options:
        chosen = round(o.share * item.n)
        if not o.correct and wrong and wilson(chosen / wrong, wrong)[1] < FUNCTIONAL:
            out.append(("unused-distractor",
                        f"option {o.printed} was chosen by "
                        f"{f'{chosen} of the {wrong}' if chosen else f'none of the {wrong}'} "
                        "students who answered wrong: replace it with a plausible wrong "
                        "answer"))
    return out


def _no_variance(item: ItemStats) -> tuple[str, str]:
    """Everybody scored the same: the discrimination is undefined, which is a finding."""
    popular = max(item.options, key=lambda o: o.share, default=None)
    if item.facility == 0:
        hint = (f"; most chose option {popular.printed} ({popular.share:.0%})"
                if popular and popular.share > 0 else "")
        return ("nobody-right", f"nobody scored on it ({item.n} students){hint}: check the "
                "key, or whether it was taught")
    if item.facility == 1:
        return ("everybody-right", f"everybody scored on it ({item.n} students): it "
                "separates nobody")
    return ("no-variance", f"every student scored the same ({item.facility:.0%} of the "
            "points): it separates nobody")


def _miskey(item: ItemStats) -> str:
    """A wrong option the upper group takes significantly more often than the key (a sign
    test on the upper group's choices) and that correlates better with the rest score than
    the key; or one that correlates significantly positively with the rest score while
    the key correlates negatively. A popular misconception that strong students also fall
    for is no miskey: its correlation stays below the key's."""
    keys = [o for o in item.options if o.correct]
    if not keys or len(keys) == len(item.options):
        return ""
    key = max(keys, key=lambda o: o.upper_share)
    several = len(keys) > 1
    for o in item.options:
        if o.correct:
            continue
        rival, against = round(o.upper_share * item.upper_count), \
            round(key.upper_share * item.upper_count)
        if several:  # a multiple-response question: strong students tick it as if right
            beats = rival > item.upper_count / 2 and _sign_test(
                rival, item.upper_count - rival) < SIGNIFICANT
        else:
            beats = rival > against and _sign_test(rival, against) < SIGNIFICANT
        ahead = key.rest_correlation is None or (
            o.rest_correlation is not None and o.rest_correlation > key.rest_correlation)
        positive = _lower_bound(o.rest_correlation, item.n) > 0 and (
            key.rest_correlation is None or key.rest_correlation < 0)
        if (beats and ahead) or positive:
            return (f"likely miskeyed: option {o.printed} (marked wrong) was chosen by "
                    f"{o.upper_share:.0%} of the upper group, the key {key.printed} by "
                    f"{key.upper_share:.0%} ({_r(o)} against {_r(key)}); check the correct "
                    "option")
    return ""


def _r(o: OptionStats) -> str:
    return "r n/a" if o.rest_correlation is None else f"r = {o.rest_correlation:.2f}"


def _band_note(item: ItemStats) -> tuple[str, str] | None:
    """The facility above chance, with its interval, wholly outside the tagged band."""
    if item.n < MIN_ANSWERS or not item.facility_interval:
        return None
    low, high = FACILITY_BANDS[item.difficulty]
    lo, hi = (corrected(f, item.chance) for f in item.facility_interval)
    if (lo <= high and hi >= low) or (hi < low and low == 0):
        return None  # inside, or below a band that starts at 0: nothing is harder than hard
    easier = lo > high
    guess = f" after {item.chance:.0%} for guessing" if item.chance else ""
    return ("easier-than-tagged" if easier else "harder-than-tagged",
            f"facility {item.corrected_facility:.2f}{guess} (95 % {lo:.2f} to {hi:.2f}) is "
            f"{'above' if easier else 'below'} the {item.difficulty} band ({low:g}-{high:g}); "
            f"it behaves like {band_of(item.corrected_facility)}")


def _sign_test(more: int, fewer: int) -> float:
    """One-sided p of at least ``more`` of ``more + fewer`` by a fair coin."""
    n = more + fewer
    if n == 0:
        return 1.0
    if n > 100:  # the normal approximation, with continuity correction, is exact enough
        z = (more - 0.5 - n / 2) / math.sqrt(n / 4)
        return 0.5 * math.erfc(z / math.sqrt(2))
    return float(sum(math.comb(n, i) for i in range(more, n + 1)) / 2**n)


def _lower_bound(r: float | None, n: int) -> float:
    if r is None or n <= 3:
        return -1.0
    return correlation_interval(fisher_z(r), n - 3)[0]
