"""Generate large synthetic banks as YAML files, for the benchmarks only."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

DIFFICULTIES = ("easy", "medium", "hard")
KNOWLEDGE = ("recall", "application")
TYPES = ("single", "multiple", "truefalse", "short", "numeric", "open", "cloze")


def _question(rng: random.Random, n: int, groups: int) -> dict:
    qtype = TYPES[n % len(TYPES)]
    q = {
        "id": f"q{n:06d}",
        "difficulty": rng.choice(DIFFICULTIES),
        "knowledge": rng.choice(KNOWLEDGE),
        "type": qtype,
        "points": rng.choice((1, 1, 2, 3)),
        "text": f"Question {n}: which statement about **topic** {n % 97} holds? "
                f"Use `code` & <tags> and ümlaute.",
        "explanation": "Because the lecture says so.",
        "tags": [f"week{n % 12}"],
    }
    if groups and n % 10 == 0:
        q["group"] = f"g{n // 10 % groups}"
    if qtype in ("single", "multiple"):
        q["options"] = [{"text": f"Option {i} of {n}", "correct": i == 0 or
                         (qtype == "multiple" and i == 2)} for i in range(5)]
    elif qtype == "truefalse":
        q["answer"] = bool(n % 2)
    elif qtype == "short":
        q["answers"] = [f"answer {n}", f"alt {n}"]
    elif qtype == "numeric":
        q.update(value=n / 7, tolerance=0.01)
    elif qtype == "open":
        q["model_answer"] = "A model answer with several words."
    else:
        q["text"] = f"Fill {{{{1}}}} and {{{{2}}}} for {n}."
        q["points"] = 2  # a point per gap: Moodle weighs cloze gaps in whole points
        q["gaps"] = [{"answers": ["first"]},
                     {"options": [{"text": "yes", "correct": True}, "no", "maybe"]}]
    return q


def write_bank(folder: Path, count: int, topics: int = 7, groups: int = 200,
               seed: int = 1) -> Path:
    """Write ``count`` questions spread over ``topics`` files below ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    per_topic: list[list[dict]] = [[] for _ in range(topics)]
    for n in range(count):
        per_topic[n % topics].append(_question(rng, n, groups))
    for t, questions in enumerate(per_topic):
        doc = {"topic": f"Topic {t + 1}", "questions": questions}
        (folder / f"topic-{t + 1}.yaml").write_text(
            yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def make_bank(count: int, topics: int = 7, groups: int = 200, seed: int = 1):
    """The same questions as ``write_bank``, built in memory (no YAML), for solver timings."""
    from examgen.core.model import Bank, Difficulty, Knowledge, Option, SingleChoice

    rng = random.Random(seed)
    questions = []
    for n in range(count):
        q = _question(rng, n, groups)
        questions.append(SingleChoice(
            id=q["id"], topic=f"Topic {n % topics + 1}", difficulty=Difficulty(q["difficulty"]),
            knowledge=Knowledge(q["knowledge"]), text=q["text"],
            points=q["points"], group=q.get("group", ""),
            options=(Option("right", True), Option("wrong"), Option("also wrong")),
        ))
    return Bank(Path(f"<generated {count}>"), tuple(questions), digest=str(count))
