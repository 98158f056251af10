"""Classical item analysis, computed once into ``Analysis``; the CSV, the JSON and the PDF
report are views of it.

Per question: facility (mean score / points) with its 95 % interval, the score's spread,
discrimination (the corrected item-total correlation: the item against the total of the
other items) with its interval, the upper-lower index, alpha if the item were deleted, and
for choice and true/false questions each option's share, its share among the upper group,
its correlation with the rest score and its trace over five score groups. Per form: mean,
spread, Cronbach's alpha (KR-20 for right/wrong items) and the standard error of
measurement.

Students are grouped by form (the questions they had); a question on several forms
pools its numbers over them, weighted by students (correlations through Fisher's z).
"""

from __future__ import annotations

import hashlib
import math

import numpy as np

from examgen.analyze.flags import corrected, flags
from examgen.analyze.form_numbers import FormNumbers, form_numbers
from examgen.analyze.intervals import Z95, correlation_interval, fisher_z, wilson
from examgen.analyze.responses import Responses, option_labels
from examgen.analyze.results import Analysis, FormSummary, ItemForm, ItemStats, OptionStats
from examgen.core.model import ChoiceQuestion, Question
from examgen.core.scoring import DEFAULT_SCHEME, chance_fraction


def analyse(responses: Responses, questions: dict[str, Question], exam: str, date: str,
            forms: dict[str, tuple[str, ...]] | None = None,
            printed: dict[str, list[str]] | None = None,
            scheme: str = DEFAULT_SCHEME) -> Analysis:
    """``forms``: each form's question ids (default: one form of every item);
    ``printed``: per choice question the printed letter(s) of each bank option."""
    items = responses.items
    forms = forms or {"": items}
    membership, left_out = _assign(responses, forms)
    points = np.array([questions[i].points for i in items])
    widest = max([len(option_labels(questions[i])) for i in items] + [1])
    per_form: dict[str, tuple[np.ndarray, FormNumbers]] = {}
    summaries = []
    for name, ids in forms.items():
        rows = np.flatnonzero(membership == list(forms).index(name))
        columns = np.array([items.index(i) for i in ids if i in items], dtype=int)
        if not len(rows) or not len(columns):
            continue
        choices = None if responses.choices is None else \
            responses.choices[np.ix_(rows, columns)]
        numbers = form_numbers(responses.scores[np.ix_(rows, columns)], points[columns],
                               choices, widest)
        per_form[name] = (columns, numbers)
        summaries.append(_summary(name, numbers, float(points[columns].sum()), len(columns)))
    totals = np.concatenate([f.totals for _, f in per_form.values()]) if per_form else \
        np.zeros(0)
    maximum = max((s.max_points for s in summaries), default=0.0)
    n = len(totals)
    stats = [_item(j, questions[qid], per_form, printed or {}) for j, qid in enumerate(items)
             if any(j in c for c, _ in per_form.values())]
    one = summaries[0] if len(summaries) == 1 else None
    counts, edges = _histogram(totals, maximum)
    analysis = Analysis(
        exam, date, responses.source, n, int(sum(left_out.values())), len(stats), maximum,
        float(totals.mean()) if n else 0.0, float(totals.std(ddof=1)) if n > 1 else 0.0,
        one.alpha if one else None, one.sem if one else None, counts, edges, stats, [],
        left_out, summaries, responses.choices is not None, _cohort(responses.students))
    for item in stats:
        item.chance = chance_fraction(questions[item.id], scheme)
        item.corrected_facility = corrected(item.facility, item.chance)
    analysis.flags = flags(analysis)
    return analysis


def _assign(responses: Responses, forms: dict[str, tuple[str, ...]]
            ) -> tuple[np.ndarray, dict[str, int]]:
    """Each student's form (its index), or -1 when left out; and why students were."""
    items = responses.items
    names = list(forms)
    wanted = np.array([[i in on_form for i in items]
                       for on_form in map(set, forms.values())])
    seen = responses.seen
    match = (seen[:, None, :] == wanted[None, :, :]).all(axis=2)  # student x form
    named = np.array([names.index(f) if f in forms else -1 for f in responses.forms])
    by_questions = np.where(match.any(axis=1), match.argmax(axis=1), -1)
    form = np.where(named >= 0, named, by_questions)
    left_out: dict[str, int] = {}
    partial = (form < 0) | ~match[np.arange(len(form)), np.maximum(form, 0)]
    review = ~partial & (np.isnan(responses.scores) & seen).any(axis=1)
    if partial.any():
        left_out["answers to only part of a form's questions"] = int(partial.sum())
    if review.any():
        left_out["questions still in review (no points yet)"] = int(review.sum())
    return np.where(partial | review, -1, form), left_out


def _summary(name: str, numbers: FormNumbers, maximum: float, k: int) -> FormSummary:
    sd = float(numbers.totals.std(ddof=1)) if numbers.n > 1 else 0.0
    alpha = numbers.alpha
    # alpha below 0 means the items do not measure one thing: no error of measurement then
    sem = sd * math.sqrt(1 - alpha) if alpha is not None and 0 <= alpha <= 1 else None
    return FormSummary(name, numbers.n, k, maximum, float(numbers.totals.mean()), sd, alpha,
                       sem)


def _item(j: int, q: Question, per_form: dict[str, tuple[np.ndarray, FormNumbers]],
          printed: dict[str, list[str]]) -> ItemStats:
    """One question's numbers, pooled over the forms it was on."""
    parts = [(name, int(np.flatnonzero(c == j)[0]), f) for name, (c, f) in per_form.items()
             if j in c]
    weights = np.array([f.n for _, _, f in parts], dtype=float)
    n = int(weights.sum())

    def pooled(values: list[float]) -> float:
        return float(np.dot(weights, values) / n)

    facility = pooled([f.facility[at] for _, at, f in parts])
    mean_square = pooled([(f.sd[at] ** 2 * (f.n - 1) / max(f.n, 1) + (f.facility[at]
                           * q.points) ** 2) for _, at, f in parts])
    sd = math.sqrt(max(0.0, mean_square - (facility * q.points) ** 2) * n / max(n - 1, 1))
    r, r_interval = _pooled_r([(f.discrimination[at], f.n) for _, at, f in parts])
    binary = all(f.binary[at] for _, at, f in parts)
    item = ItemStats(
        q.id, q.type, q.topic, q.difficulty.value, q.knowledge.value, q.level.value,
        q.points, q.file, q.line, n, facility, r,
        pooled([f.upper_lower[at] for _, at, f in parts]) if n >= 2 else None,
        sd=sd, facility_interval=_facility_interval(facility, sd / q.points, n, binary),
        discrimination_interval=r_interval,
        alpha_if_deleted=_number(parts[0][2].alpha_if_deleted[parts[0][1]])
        if len(parts) == 1 else None,
        upper_count=sum(f.upper for _, _, f in parts))
    if len(parts) > 1:
        item.forms = [ItemForm(name, f.n, float(f.facility[at]),
                               _number(f.discrimination[at])) for name, at, f in parts]
    labels = option_labels(q)
    if labels and all(f.option_share is not None for _, _, f in parts):
        item.omitted = pooled([f.omitted[at] for _, at, f in parts if f.omitted is not None])
        texts = [o.name for o in q.options] if isinstance(q, ChoiceQuestion) else \
            ["true", "false"]
        correct = [o.correct for o in q.options] if isinstance(q, ChoiceQuestion) else \
            [getattr(q, "answer", True), not getattr(q, "answer", True)]
        for b, label in enumerate(labels):
            share = pooled([f.option_share[at, b] for _, at, f in parts
                            if f.option_share is not None])
            uppers = [(f.option_upper[at, b], f.upper) for _, at, f in parts
                      if f.option_upper is not None]
            upper = sum(s * u for s, u in uppers) / max(1, sum(u for _, u in uppers))
            option_r, _ = _pooled_r([(f.option_r[at, b], f.n) for _, at, f in parts
                                     if f.option_r is not None])
            trace = _pooled_trace([(f.option_trace[at, b], f.group_sizes) for _, at, f in parts
                                   if f.option_trace is not None])
            letters = printed.get(q.id)
            item.options.append(OptionStats(
                label, bool(correct[b]), share, float(upper), option_r,
                letters[b] if letters else label, texts[b], trace))
    return item


def _number(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _pooled_r(parts: list[tuple[float, int]]) -> tuple[float | None, list[float] | None]:
    """Correlations of several forms as one, through Fisher's z weighted by n - 3, with
    the 95 % interval; None where no form defines it."""
    usable = [(float(r), n) for r, n in parts if np.isfinite(r) and n > 3]
    if not usable:
        defined = [float(r) for r, _ in parts if np.isfinite(r)]
        return (defined[0] if defined else None), None
    weight = sum(n - 3 for _, n in usable)
    z = sum(fisher_z(r) * (n - 3) for r, n in usable) / weight
    return math.tanh(z), list(correlation_interval(z, weight))


def _pooled_trace(parts: list[tuple[np.ndarray, np.ndarray]]) -> list[float]:
    if not parts:
        return []
    shares = sum(t * s for t, s in parts)
    sizes = sum(s for _, s in parts)
    return [float(x) for x in np.where(sizes > 0, shares / np.maximum(sizes, 1), 0.0)]


def _facility_interval(p: float, spread: float, n: int, binary: bool) -> list[float]:
    """95 %: Wilson's interval for right/wrong scores, else mean +- 1.96 standard errors."""
    if n == 0 or binary:
        return list(wilson(p, n))
    half = Z95 * spread / math.sqrt(n)
    return [max(0.0, p - half), min(1.0, p + half)]


def _histogram(totals: np.ndarray, maximum: float) -> tuple[list[int], list[float]]:
    bins = min(20, max(1, int(np.ceil(maximum))))
    counts, edges = np.histogram(totals, bins=bins, range=(0.0, max(maximum, 1e-9)))
    return [int(c) for c in counts], [float(e) for e in edges]


def _cohort(students: tuple[str, ...]) -> str:
    """The same class analysed again has the same cohort; another class another one."""
    digest = hashlib.sha256("\n".join(sorted(students)).encode("utf-8"))
    return digest.hexdigest()[:12]


