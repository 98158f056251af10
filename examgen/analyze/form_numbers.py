"""The numbers of one form's score matrix, each computed for all questions at once.

Every student of a form answered the same questions, so one matrix (students x questions)
holds the form, and each statistic is a NumPy expression over its columns: 10,000
students x 100 questions take a few hundred milliseconds and no per-student objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

UPPER_LOWER = 0.27  # the share of students in the upper and in the lower group
SCORE_GROUPS = 5  # groups by total score for the option trace lines


@dataclass(frozen=True)
class FormNumbers:
    n: int
    totals: np.ndarray  # per student
    alpha: float | None
    facility: np.ndarray  # per question; the rest are per question too
    sd: np.ndarray  # the score's standard deviation, in points
    binary: np.ndarray  # only 0 and full points were given
    discrimination: np.ndarray  # corrected item-total r; NaN where undefined
    upper_lower: np.ndarray
    alpha_if_deleted: np.ndarray  # NaN where undefined
    upper: int  # students in the upper group (all tied at its edge are in it)
    option_share: np.ndarray | None  # question x option, or None without choices
    option_upper: np.ndarray | None  # share among the upper group
    option_r: np.ndarray | None  # option chosen (0/1) against the rest score; NaN undefined
    option_trace: np.ndarray | None  # question x option x score group
    group_sizes: np.ndarray  # students per score group
    omitted: np.ndarray | None  # per question: share that ticked nothing


def form_numbers(scores: np.ndarray, points: np.ndarray,
                 choices: np.ndarray | None, options: int) -> FormNumbers:
    """``scores``: students x questions, complete; ``choices``: the options ticked as bits
    (None: not known); ``options``: the most options any question has."""
    n, k = scores.shape
    totals = scores.sum(axis=1)
    rest = totals[:, None] - scores
    variance = scores.var(axis=0, ddof=1) if n > 1 else np.zeros(k)
    total_variance = float(totals.var(ddof=1)) if n > 1 else 0.0
    alpha = (k / (k - 1) * (1 - variance.sum() / total_variance)
             if k > 1 and total_variance > 0 else None)
    rest_variance = rest.var(axis=0, ddof=1) if n > 1 else np.zeros(k)
    with np.errstate(divide="ignore", invalid="ignore"):
        deleted = np.where((rest_variance > 0) & (k > 2),
                           (k - 1) / max(k - 2, 1) * (1 - (variance.sum() - variance)
                                                      / rest_variance), np.nan)
    upper, lower = _groups(totals)
    group = _score_groups(totals)
    sizes = np.bincount(group, minlength=SCORE_GROUPS)
    share = upper_share = option_r = trace = omitted = None
    if choices is not None:
        share, upper_share = np.zeros((k, options)), np.zeros((k, options))
        option_r, trace = np.full((k, options), np.nan), np.zeros((k, options, SCORE_GROUPS))
        members = (group[:, None] == np.arange(SCORE_GROUPS)[None, :]).astype(float)
        centred = rest - rest.mean(axis=0)
        for b in range(options):
            bits = ((choices >> b) & 1).astype(float)
            share[:, b] = bits.mean(axis=0)
            upper_share[:, b] = bits[upper].mean(axis=0)
            option_r[:, b] = correlations(bits, centred)
            trace[:, b, :] = (members.T @ bits).T / np.maximum(sizes, 1)
        omitted = (choices == 0).mean(axis=0)
    return FormNumbers(
        n, totals, None if alpha is None else float(alpha), scores.mean(axis=0) / points,
        np.sqrt(variance), ((scores == 0) | (scores == points)).all(axis=0),
        correlations(scores, rest),
        (scores[upper].mean(axis=0) - scores[lower].mean(axis=0)) / points,
        deleted, int(upper.sum()), share, upper_share, option_r, trace, sizes, omitted)


def correlations(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson's r of each column of ``a`` with the same column of ``b``; NaN where either
    does not vary or there are fewer than 3 students."""
    if len(a) < 3:
        return np.full(a.shape[1], np.nan)
    a = a - a.mean(axis=0)
    b = b - b.mean(axis=0)  # a no-op for columns already centred
    spread = np.sqrt((a * a).sum(axis=0) * (b * b).sum(axis=0))
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (a * b).sum(axis=0) / spread
    return np.where(spread > 1e-12, np.clip(r, -1, 1), np.nan)


def _groups(totals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The upper and lower 27 % by total; every student tied with the group's edge is in
    it, so the groups do not depend on the order of the rows."""
    size = max(1, int(round(UPPER_LOWER * len(totals))))
    ordered = np.sort(totals)
    return totals >= ordered[-size], totals <= ordered[size - 1]


def _score_groups(totals: np.ndarray) -> np.ndarray:
    """Five groups of about equal size by total; tied students share their mid-rank."""
    _, inverse, counts = np.unique(totals, return_inverse=True, return_counts=True)
    mid = np.cumsum(counts) - (counts - 1) / 2  # 1-based mid-rank of each total
    rank = mid[inverse.reshape(-1)]
    return np.minimum((rank - 0.5) / len(totals) * SCORE_GROUPS,
                      SCORE_GROUPS - 1).astype(int)
