"""What the lecturer asked for: the mix of questions, from flags and/or a blueprint.

A ``Mix`` holds the constraints as given; ``resolve`` checks them against a bank and fills
in what the rules imply (counts not given on an axis are 0 unless ``--total`` is given).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from examgen.core.errors import MixError, suggest
from examgen.core.model import CELLS, TYPES, Bank, Difficulty, Knowledge, Level
from examgen.core.values import ValueProblem, as_number, as_whole
from examgen.select.manifest import read_manifest

AXES: dict[str, tuple[str, ...]] = {
    "difficulty": tuple(d.value for d in Difficulty),
    "knowledge": tuple(k.value for k in Knowledge),
    "level": tuple(lv.value for lv in Level),
    "cells": CELLS,
}
# How the command line spells each key of a blueprint's mix, for messages.
FLAGS = {"total": "--total", "difficulty": "--easy/--medium/--hard",
         "knowledge": "--recall/--application", "level": "--green/--yellow/--red",
         "cells": "--cell", "topics": "--topic", "types": "--type",
         "each_topic": "--each-topic",
         "points": "--points", "require": "--require", "exclude": "--exclude",
         "exclude_used": "--exclude-used", "tags": "--tag", "facility": "--facility",
         "prefer_unused": "--prefer-unused", "minutes": "--minutes"}
MIX_KEYS = ("total", *AXES, "topics", "types", "each_topic", "points", "require", "exclude",
            "exclude_used", "tags", "facility", "prefer_unused", "minutes")


def flag_for(axis: str, value: str, count: int) -> str:
    """How the lecturer would write this count on the command line."""
    return f"--cell {value}={count}" if axis == "cells" else f"--{value} {count}"


@dataclass(frozen=True)
class Mix:
    """The constraints as given (by flags, a blueprint, or both merged)."""

    total: int | None = None
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    topics: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    types: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    each_topic: int | None = None
    points: tuple[float, float | None] | None = None  # (min, max); max None: no upper bound
    facility: tuple[float, float] | None = None  # expected mean facility of the exam
    minutes: tuple[float, float] | None = None  # working time of the whole exam
    require: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    exclude_used: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    prefer_unused: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], where: Callable[[str], str]) -> Mix:
        """Build a Mix from the blueprint's ``mix:`` shape, checking every value.

        ``where(key)`` says where a key came from ("final.yaml:12" or "--easy").
        """
        for key in data:
            axis = next((a for a, values in AXES.items() if key in values), None)
            if axis is not None:  # "hard: 2" right under mix:
                raise MixError(f"{where(key)}: '{key}' is a value of '{axis}': write "
                               f"{axis}: {{{key}: ...}} (or the flag --{key})")
            if key not in MIX_KEYS:
                raise MixError(f"{where(key)}: unknown key '{key}'{suggest(key, MIX_KEYS)}; "
                               f"valid: {', '.join(MIX_KEYS)}")
        counts = {}
        for axis, values in AXES.items():
            given = data.get(axis) or {}
            if not isinstance(given, dict):
                raise MixError(f"{where(axis)}: '{axis}' maps each of {', '.join(values)} "
                               "to a count")
            parsed = {}
            for value, count in given.items():
                if value not in values:
                    raise MixError(f"{where(axis)}: unknown {axis} '{value}'"
                                   f"{suggest(value, values)}; valid: {', '.join(values)}")
                parsed[str(value)] = _count(count, f"{where(axis)}: {axis} '{value}'")
            if parsed:
                counts[axis] = parsed
        topics = {}
        if not isinstance(data.get("topics") or {}, dict):
            raise MixError(f"{where('topics')}: topics map a topic to MIN or MIN:MAX, "
                           "e.g. topics: {GAN: 2}")
        for name, spec in (data.get("topics") or {}).items():
            low, high = parse_range(str(spec), f"{where('topics')}: topic '{name}'", whole=True)
            topics[str(name)] = _at_least(low, high)
        types = {}
        if not isinstance(data.get("types") or {}, dict):
            raise MixError(f"{where('types')}: types map a question type to MIN or MIN:MAX, "
                           "e.g. types: {open: '0:2'}")
        for name, spec in (data.get("types") or {}).items():
            if name not in TYPES:
                raise MixError(f"{where('types')}: unknown type '{name}'"
                               f"{suggest(str(name), TYPES)}; valid: {', '.join(TYPES)}")
            low, high = parse_range(str(spec), f"{where('types')}: type '{name}'", whole=True)
            types[str(name)] = _at_least(low, high)
        points = None
        if data.get("points") is not None:
            points = parse_range(str(data["points"]), where("points"), exact=True)
        facility = None
        if data.get("facility") is not None:
            low, high = parse_range(str(data["facility"]), where("facility"), exact=True)
            high = 1.0 if high is None else high
            if high > 1:
                raise MixError(f"{where('facility')}: facility is a share from 0 to 1, e.g. "
                               "0.55:0.65")
            facility = (low, high)

        minutes = None
        if data.get("minutes") is not None:
            low, high = parse_range(str(data["minutes"]), where("minutes"))
            # a bare N is the time there is: at most N
            minutes = (0.0, low) if ":" not in str(data["minutes"]) else (
                low, float("inf") if high is None else high)

        def count_or_none(key: str) -> int | None:
            return None if data.get(key) is None else _count(data[key], f"{where(key)}")

        return cls(
            total=count_or_none("total"),
            counts=counts,
            topics=topics,
            types=types,
            each_topic=count_or_none("each_topic"),
            points=points,
            facility=facility,
            minutes=minutes,
            **{key: _words(data.get(key), where(key))
               for key in ("require", "exclude", "exclude_used", "tags", "prefer_unused")},
        )


def merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The blueprint's mix with the command line's values on top (per count, per topic)."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _at_least(low: float, high: float | None) -> tuple[int, int | None]:
    """MIN or MIN:MAX of a topic or type; a bare 0 means none (at least 0 would say
    nothing)."""
    if high is None and low == 0:
        return 0, 0
    return int(low), None if high is None else int(high)


def _count(value: object, what: str) -> int:
    try:
        count = as_whole(value)
    except ValueProblem as exc:
        raise MixError(f"{what}: {exc}") from None
    if count < 0:
        raise MixError(f"{what}: expected a whole number >= 0, got {count}")
    return count


def _words(value: object, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise MixError(f"{what}: expected a list of texts")
    return tuple(value)


def parse_range(text: str, what: str, whole: bool = False,
                exact: bool = False) -> tuple[float, float | None]:
    """'3' -> (3, 3) if exact else (3, None); '2:5' -> (2, 5); ':5' -> (0, 5).

    Bounds are finite decimals ('nan', '1_000' and '0x10' are refused); with ``whole``,
    whole numbers.
    """
    lo, sep, hi = text.partition(":")
    try:
        low = _bound(lo, whole) if lo.strip() else 0
        high = _bound(hi, whole) if sep and hi.strip() else (None if sep or not exact else low)
    except ValueProblem as exc:
        raise MixError(f"{what}: expected N or MIN:MAX, got '{text}' ({exc})") from None
    if low < 0 or (high is not None and high < low):
        raise MixError(f"{what}: the range '{text}' is empty or negative")
    return low, high


def _bound(text: str, whole: bool) -> float:
    return as_whole(text.strip()) if whole else as_number(text.strip())


def parse_assignment(text: str, flag: str) -> tuple[str, str]:
    """'NAME=VALUE' from a repeatable flag such as --topic or --cell."""
    name, sep, value = text.rpartition("=")
    if not sep or not name.strip() or not value.strip():
        raise MixError(f"{flag} expects NAME=VALUE, e.g. {flag} \"GAN=2\", got '{text}'")
    return name.strip(), value.strip()


@dataclass(frozen=True)
class ResolvedMix:
    """Every constraint the solver must meet, with bank topic names and completed axes."""

    total: int
    counts: dict[str, dict[str, int]]
    implied_zero: dict[str, tuple[str, ...]]  # axis -> values set to 0 by the rule
    topics: dict[str, tuple[int, int | None]]  # bank topic -> (min, max)
    topic_flags: dict[str, str]  # bank topic -> the name the lecturer typed
    each_topic: int
    points: tuple[float, float | None] | None
    require: tuple[str, ...]
    exclude: tuple[str, ...]
    used: dict[str, str]  # question id -> the manifest it was used in
    tags: tuple[str, ...]
    total_given: bool
    facility: tuple[float, float] | None = None
    seen: dict[str, int] = field(default_factory=dict)  # id -> earlier exams it was in
    seen_in: tuple[str, ...] = ()  # the manifests of --prefer-unused
    types: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # type -> (min, max)
    # where a rule came from when not from a flag: "difficulty.easy" or "total" ->
    # "final.yaml:12", so that messages name the line the lecturer wrote
    origins: dict[str, str] = field(default_factory=dict)
    minutes: tuple[float, float] | None = None  # working time: (min, max)

    def written(self, key: str, value: str, flag: str, text: str) -> str:
        """A rule as the lecturer wrote it: the flag, or FILE:LINE (key: value)."""
        where = self.origins.get(f"{key}.{value}") or self.origins.get(key)
        return f"{where} ({text})" if where else flag

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            **{axis: self.counts.get(axis, {}) for axis in AXES},
            "topics": {t: {"min": lo, "max": hi} for t, (lo, hi) in self.topics.items()},
            **({"types": {t: {"min": lo, "max": hi} for t, (lo, hi) in self.types.items()}}
               if self.types else {}),
            "each_topic": self.each_topic,
            "points": None if self.points is None else list(self.points),
            "require": list(self.require),
            "exclude": list(self.exclude),
            "exclude_used": sorted(set(self.used.values())),
            "tags": list(self.tags),
            **({"facility": list(self.facility)} if self.facility else {}),
            **({"prefer_unused": list(self.seen_in)} if self.seen_in else {}),
            **({"minutes": [self.minutes[0], None if self.minutes[1] == float("inf")
                            else self.minutes[1]]} if self.minutes else {}),
        }


def resolve(mix: Mix, bank: Bank, origins: Mapping[str, str] | None = None) -> ResolvedMix:
    """Check the mix against the bank and apply the rule for counts that were not given."""
    sums = {axis: sum(c.values()) for axis, c in mix.counts.items()}
    total = mix.total
    if total is None:
        if not sums:
            raise MixError("say how many questions: e.g. --easy 5 --hard 2, or --total 10")
        if len(set(sums.values())) > 1:
            detail = ", ".join(f"the {a} counts add up to {n}" for a, n in sums.items())
            raise MixError(f"{detail}; make them agree or give --total N")
        total = next(iter(sums.values()))
    if total == 0:
        raise MixError("the mix asks for no questions at all; ask for at least one, e.g. "
                       "--total 10 or --easy 5")
    counts, implied = {}, {}
    for axis, given in mix.counts.items():
        if mix.total is None:
            implied[axis] = tuple(v for v in AXES[axis] if v not in given)
            counts[axis] = {v: given.get(v, 0) for v in AXES[axis]}
        else:
            counts[axis] = dict(given)
    topics, topic_flags = {}, {}
    for name, bounds in mix.topics.items():
        topic = match_topic(name, bank.topics)
        topics[topic], topic_flags[topic] = bounds, name
    for qid in (*mix.require, *mix.exclude):
        if qid not in bank.by_id:
            raise MixError(f"no question with id '{qid}' in {bank.path}"
                           f"{suggest(qid, bank.by_id)}")
    return ResolvedMix(
        total=total, counts=counts, implied_zero=implied, topics=topics,
        topic_flags=topic_flags, each_topic=mix.each_topic or 0, points=mix.points,
        require=mix.require, exclude=mix.exclude,
        used=used_ids(mix.exclude_used), tags=mix.tags, total_given=mix.total is not None,
        facility=mix.facility, seen=_seen(mix.prefer_unused), seen_in=mix.prefer_unused,
        types=mix.types, origins=dict(origins or {}), minutes=mix.minutes,
    )


def match_topic(name: str, topics: list[str]) -> str:
    """A topic by its name, case-insensitively, or by a unique prefix."""
    key = name.casefold()
    exact = [t for t in topics if t.casefold() == key]
    if exact:
        return exact[0]
    prefixed = [t for t in topics if t.casefold().startswith(key)]
    if len(prefixed) == 1:
        return prefixed[0]
    words = [t for t in topics
             if any(w.startswith(key) for w in re.findall(r"\w[\w-]*", t.casefold()))]
    if len(words) == 1 and not prefixed:
        return words[0]
    if prefixed or len(words) > 1:
        options = prefixed or words
        raise MixError(f"topic '{name}' is ambiguous: it matches {', '.join(options)}")
    raise MixError(f"no topic '{name}' in the bank{suggest(name, topics)}; "
                   f"topics: {', '.join(topics)}")


def _seen(manifests: tuple[str, ...]) -> dict[str, int]:
    """Question id -> in how many of the earlier exam.json files it appeared
    (--prefer-unused): a preference, unlike --exclude-used."""
    seen: dict[str, int] = {}
    for name in manifests:
        for qid in set(read_manifest(Path(name)).question_ids):
            seen[qid] = seen.get(qid, 0) + 1
    return seen


def used_ids(manifests: tuple[str, ...]) -> dict[str, str]:
    """Question id -> the earlier exam.json it appeared in (--exclude-used)."""
    used: dict[str, str] = {}
    for name in manifests:
        used.update((qid, name) for qid in read_manifest(Path(name)).question_ids)
    return used
