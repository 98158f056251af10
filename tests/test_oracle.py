"""The key, the exam, the manifest and the Moodle export agree with the bank's YAML.

Expected answers come from ``oracle.read_bank`` (the YAML as written) and printed ones from
the PDFs; examgen's own model is never asked. Every question of every variant is checked,
for the sample bank and for generated banks of all seven types with texts that YAML 1.1,
the light markup or Moodle could change (``R*S*T``, ``12:30``, ``010``, ``<b>``, ``&``).
"""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from examgen.bank.loader import load_bank
from examgen.cli import main

from .conftest import ROOT, first_draws
from .oracle import (
    LEVEL,
    MOODLE_GRADES,
    Expected,
    Printed,
    correct_texts,
    exam_questions,
    fold,
    key_grid,
    key_questions,
    labels,
    mathjax,
    number,
    pdf_lines,
    plain,
    read_bank,
)
from .oracle import printed as printed_text
from .oracle import shown as shown_value

TYPES = ("single", "multiple", "truefalse", "short", "numeric", "open", "cloze", "matching")
# The sample bank is the lecture's questions, and pinned seeds of other tests reproduce
# past bugs with it: it stays as it is, without matching questions (those are in
# tests/banks/matching and in every generated bank).
SAMPLE_TYPES = set(TYPES) - {"matching"}


def _build(bank: Path, out: Path, *args: str) -> dict:
    result = CliRunner().invoke(main, ["build", "--bank", str(bank), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return json.loads((out / "exam.json").read_text(encoding="utf-8"))


def check_build(bank: Path, out: Path, manifest: dict, layout: str = "default") -> set[str]:
    """Every variant's exam and key against the YAML; returns the types it saw."""
    names = labels(layout)
    seen = set()
    variants = manifest["variants"]
    for variant in variants:
        drawn = variant.get("values", {})
        expected = read_bank(bank, drawn, names["decimal"])
        suffix = f"-{variant['name']}" if len(variants) > 1 else ""
        count = len(manifest["questions"])
        exam = exam_questions(pdf_lines(out / f"exam{suffix}.pdf", layout), count)
        key_lines = pdf_lines(out / f"key{suffix}.pdf", layout)
        key = key_questions(key_lines, layout)
        grid = key_grid(key_lines, layout)
        assert len(key) == len(grid) == count
        for printed, solution, grid_answer in zip(exam, key, grid, strict=True):
            e = expected[solution.id]
            seen.add(e.type)
            where = f"variant {variant['name']} question {printed.number} ({e.id})"
            _same_question(e, printed, solution, names, where)
            if e.id in drawn:  # the key names the numbers its solution is worked with
                values = ", ".join(f"{k} = {shown_value(v, decimal=names['decimal'])}"
                                   for k, v in drawn[e.id].items())
                assert solution.notes["values"] == [values], where
            shown = _check_answer(e, printed, solution, names, where)
            assert grid_answer == fold(shown["grid"]), where
            assert variant["answers"][e.id] == shown["manifest"], where
    return seen


def _same_question(e: Expected, printed: Printed, solution: Printed, names: dict[str, str],
                   where: str) -> None:
    """The exam and the key show this question at this number, with its points."""
    first = printed_text(re.split(r"\{\{\d+\}\}", e.text)[0])[:30]
    assert first in fold(" ".join(printed.lines)), where
    assert first in fold(" ".join(solution.lines)), where
    abbr = names["point_abbr"] if number(e.points) == 1 else names["points_abbr"]
    points = f"{number(e.points):g}".replace(".", names["decimal"]) + f" {abbr}"
    assert points in printed.lines and points in solution.lines, where
    assert solution.badge == (e.difficulty, e.knowledge, LEVEL[(e.difficulty, e.knowledge)]), \
        f"{where}: the key's badge names another cell"
    assert not any(ticked for _, _, ticked in printed.options), f"{where}: exam shows a tick"


def _check_answer(e: Expected, printed: Printed, solution: Printed, names: dict[str, str],
                  where: str) -> dict:
    """Assert the key's solution; return what the grid and the manifest must then say."""
    if e.type in ("single", "multiple"):
        texts = sorted(printed_text(t) for t, _ in e.options)
        assert sorted(fold(t) for _, t, _ in printed.options) == texts, where
        assert [(letter, t) for letter, t, _ in solution.options] == \
            [(letter, t) for letter, t, _ in printed.options], f"{where}: exam and key differ"
        assert [letter for letter, _, _ in printed.options] == \
            [chr(97 + i) for i in range(len(texts))], where
        right = {printed_text(t) for t in correct_texts(e.options)}
        letters = [letter for letter, t, _ in printed.options if fold(t) in right]
        assert [letter for letter, _, ticked in solution.options if ticked] == letters, where
        if e.type == "single":
            return {"grid": letters[0], "manifest": letters[0]}
        return {"grid": ", ".join(letters), "manifest": letters}
    if e.type == "truefalse":
        label = names["true"] if e.answer else names["false"]
        assert [t for _, t, ticked in solution.options if ticked] == [label], where
        assert [t for _, t, _ in printed.options] == [names["true"], names["false"]], where
        return {"grid": label, "manifest": "true" if e.answer else "false"}
    if e.type == "short":
        assert solution.notes["accepted"] == [fold(" | ".join(e.answers))], where
        return {"grid": e.answers[0], "manifest": e.answers[0]}
    if e.type == "numeric":
        [value] = solution.notes["value"]
        m = re.fullmatch(r"(\S+)(?: ± (\S+))?(?: (.+))?", value)
        assert m, f"{where}: {value}"
        dot = names["decimal"]  # the layout's decimal mark, in both numbers
        assert number(m.group(1).replace(dot, ".")) == number(e.value), where
        assert number((m.group(2) or "0").replace(dot, ".")) == number(e.tolerance), where
        assert (m.group(3) or "") == e.unit.strip(), where
        return {"grid": value, "manifest": value.replace(dot, ".")}
    if e.type == "open":
        assert solution.notes["model_answer"] == [printed_text(e.model_answer) or "-"], where
        return {"grid": names["see_below"], "manifest": e.model_answer}
    if e.type == "matching":
        return _check_matching(e, printed, solution, names, where)
    assert e.type == "cloze", e.type
    solutions = [g["answers"][0] if "answers" in g else correct_texts(g["options"])[0]
                 for g in e.gaps]
    shown = [" | ".join(g["answers"]) if "answers" in g
             else printed_text(correct_texts(g["options"])[0]) for g in e.gaps]
    assert solution.notes["gap"] == [fold(f"({n}) {s}") for n, s in enumerate(shown, 1)], where
    grid = "  ".join(f"({n}) {s if 'answers' in g else printed_text(s)}"
                     for n, (g, s) in enumerate(zip(e.gaps, solutions, strict=True), 1))
    return {"grid": grid, "manifest": solutions}


_LEFT_ITEM, _RIGHT_ITEM, _BOX = (re.compile(r"^(\d+)\. (.*)$"), re.compile(r"^([a-l])\) (.*)$"),
                                re.compile(r"^[a-l]$"))


def _table(lines: list[str]) -> tuple[list[str], dict[str, str], list[str]]:
    """A matching table as printed, cell by cell: left items in order, right items by
    letter, and the letters written in the left items' boxes (the key's)."""
    lefts: list[list[str]] = []
    rights: dict[str, list[str]] = {}
    boxes: list[str] = []
    current: list[str] | None = None
    for line in lines[lines.index(next(x for x in lines if _LEFT_ITEM.match(x))):]:
        if (left := _LEFT_ITEM.match(line)) and int(left.group(1)) == len(lefts) + 1:
            current = [left.group(2)]
            lefts.append(current)
        elif right := _RIGHT_ITEM.match(line):
            current = rights[right.group(1)] = [right.group(2)]
        elif _BOX.match(line):
            boxes.append(line)
        elif current is not None:  # a cell's text wrapped onto another line
            current.append(line)
    return ([fold(" ".join(x)) for x in lefts],
            {k: fold(" ".join(v)) for k, v in rights.items()}, boxes)


def _check_matching(e: Expected, printed: Printed, solution: Printed, names: dict[str, str],
                    where: str) -> dict:
    """Left items numbered in the YAML's order, right items lettered in any order; the key
    writes in each left item's box the letter of its own right item."""
    notes = tuple(names[k] + ":" for k in ("explanation", "source", "values"))
    end = next((i for i, x in enumerate(solution.lines) if x.startswith(notes)),
               len(solution.lines))
    lefts, rights, boxes = _table([x for x in printed.lines if x != printed.lines[0]])
    assert lefts == [fold(printed_text(left)) for left, _ in e.pairs], where
    assert sorted(rights.values()) == sorted(fold(printed_text(r)) for r in e.rights), where
    assert list(rights) == [chr(97 + i) for i in range(len(e.rights))], where
    assert boxes == [], f"{where}: the exam fills a box"
    key_lefts, key_rights, letters = _table(solution.lines[:end])
    assert (key_lefts, key_rights) == (lefts, rights), f"{where}: exam and key differ"
    assert [rights[letter] for letter in letters] == [fold(printed_text(right))
                                                      for _, right in e.pairs], where
    return {"grid": ", ".join(f"{n} {x}" for n, x in enumerate(letters, 1)),
            "manifest": letters}


# --- Moodle --------------------------------------------------------------------------------

# The elements Moodle's XML importer reads for each type, in examgen's order, with the
# settings examgen promises (Moodle's defaults written out, see docs and question/format/xml).
MOODLE_ELEMENTS = {
    "multichoice": ["single", "shuffleanswers", "answernumbering", "showstandardinstruction",
                    "correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"],
    "truefalse": [], "shortanswer": ["usecase"], "numerical": [],
    "essay": ["responseformat", "responserequired", "responsefieldlines", "attachments",
              "attachmentsrequired", "graderinfo", "responsetemplate"],
    "cloze": [],
    "matching": ["shuffleanswers", "correctfeedback", "partiallycorrectfeedback",
                 "incorrectfeedback", "shownumcorrect"],
}
MOODLE_TYPE = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse",
               "short": "shortanswer", "numeric": "numerical", "open": "essay",
               "cloze": "cloze", "matching": "matching"}
UNIT_ELEMENTS = ["units", "unitgradingtype", "unitpenalty", "showunits", "unitsleft"]


def check_moodle(bank: Path, xml_file: Path, root: str) -> set[str]:
    """Grades, answers and settings recomputed from the YAML for every exported question."""
    expected = read_bank(bank, first_draws(load_bank(bank)))
    seen = set()
    category = ""
    for element in ElementTree.parse(xml_file).getroot().iter("question"):
        if element.get("type") == "category":
            category = element.findtext("category/text")
            continue
        e = expected[element.findtext("idnumber")]
        seen.add(e.type)
        assert category == f"$course$/top/{root}/{e.topic}", e.id
        _check_moodle_structure(e, element)
        answers = [(float(a.get("fraction")), a.findtext("text"))
                   for a in element.findall("answer")]
        if e.type != "cloze":
            assert float(element.findtext("defaultgrade")) == number(e.points), e.id
        if e.type in ("single", "multiple"):
            settings = {tag: element.findtext(tag) for tag in MOODLE_ELEMENTS["multichoice"][:4]}
            assert settings == {"single": "true" if e.type == "single" else "false",
                                "shuffleanswers": "false" if e.fixed_order else "true",
                                "answernumbering": "abc", "showstandardinstruction": "0"}, e.id
            grades = _moodle_grades(e)
            assert len(answers) == len(e.options), e.id
            for (fraction, text), (option, _), grade in zip(answers, e.options, grades,
                                                            strict=True):
                assert _html_text(text) == mathjax(option), e.id
                assert fraction == pytest.approx(grade, abs=1e-6), (e.id, option)
        elif e.type == "truefalse":
            assert dict((t, f) for f, t in answers) == {"true": 100 * e.answer,
                                                       "false": 100 * (not e.answer)}, e.id
        elif e.type == "short":
            assert answers == [(100, a.replace("*", "\\*")) for a in e.answers], e.id
            assert element.findtext("usecase") == ("1" if e.case_sensitive else "0"), e.id
        elif e.type == "numeric":
            [(fraction, text)] = answers
            assert (fraction, number(text)) == (100, number(e.value)), e.id
            assert number(element.find("answer").findtext("tolerance")) == number(e.tolerance)
            if e.unit:
                unit = element.find("units/unit")
                assert (unit.findtext("unit_name"), unit.findtext("multiplier")) == (e.unit, "1")
                assert [element.findtext(t) for t in UNIT_ELEMENTS[1:]] == ["0", "0.1", "0", "0"]
        elif e.type == "open":
            graderinfo = element.findtext("graderinfo/text")
            assert _html_text(graderinfo) == mathjax(e.model_answer), e.id
            lines = min(40, max(5, 5 * ((e.answer_lines + 4) // 5)))  # Moodle offers 5..40
            assert [element.findtext(t) for t in MOODLE_ELEMENTS["essay"][:5]] == [
                "editor", "1", str(lines), "0", "0"], e.id
            assert element.findtext("responsetemplate/text") == "", e.id
        elif e.type == "matching":  # a subquestion per pair, one without text per distractor
            assert element.findtext("shuffleanswers") == "true", e.id
            subs = [(_html_text(x.findtext("text")), fold(x.findtext("answer/text")))
                    for x in element.iter("subquestion")]
            assert subs == [(mathjax(left), plain(right)) for left, right in e.pairs] + [
                ("", plain(d)) for d in e.distractors], e.id
        elif e.type == "cloze":
            text = element.findtext("questiontext/text")
            # text gaps store the literal answer; choice gaps HTML, shown as the bank's text
            assert [[(f, t if "answers" in g else _html_text(t)) for f, t in stored]
                    for g, stored in zip(e.gaps, _cloze_gaps(text), strict=True)] == [
                [(100, a) for a in g["answers"]] if "answers" in g
                else [(100 * right, mathjax(t)) for t, right in g["options"]] for g in e.gaps], e.id
            share = number(e.points) / len(e.gaps)
            weights = [int(m) for m in re.findall(r"\{(\d+):[A-Z_]+:", text)]
            assert weights == [number(g["points"]) if g["points"] else share
                               for g in e.gaps], e.id
            assert sum(weights) == number(e.points), f"{e.id}: Moodle's mark is its points"
    return seen


def _check_moodle_structure(e: Expected, element: ElementTree.Element) -> None:
    """Exactly the elements Moodle reads for the type, in order, with examgen's settings."""
    kind = MOODLE_TYPE[e.type]
    assert element.get("type") == kind, e.id
    own = MOODLE_ELEMENTS[kind] + (["shownumcorrect"] if e.type == "multiple" else [])
    answers = ["answer"] * len(element.findall("answer"))  # not a subquestion's
    units = UNIT_ELEMENTS if e.type == "numeric" and e.unit else []
    common = ["name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden",
              "idnumber"]
    if kind == "cloze":
        common.remove("defaultgrade")
    subquestions = ["subquestion"] * len(element.findall("subquestion"))
    body = own + answers + units + subquestions if kind != "essay" else own
    assert [child.tag for child in element] == [*common, *body, "tags"], e.id
    assert element.findtext("name/text").startswith(f"{e.id}: "), e.id
    assert (element.findtext("penalty"), element.findtext("hidden")) == ("0.3333333", "0")
    assert element.find("questiontext").get("format") == "html", e.id
    for answer in element.findall("answer"):  # a subquestion's answer is plain, unmarked
        plain_format = kind in ("truefalse", "shortanswer", "numerical")
        assert answer.get("format") == ("moodle_auto_format" if plain_format else "html")
    level = LEVEL[(e.difficulty, e.knowledge)]
    tags = [t.text for t in element.find("tags").iter("text")
            if not t.text.startswith(("group-", "source-"))]  # the import reads these back
    assert tags == list(dict.fromkeys([f"difficulty-{e.difficulty}",
                                       f"knowledge-{e.knowledge}", f"level-{level}",
                                       *(t.replace(",", " ") for t in e.tags)])), e.id


def _moodle_grades(e: Expected) -> list[float]:
    """Moodle's rule, recomputed: correct options share 100 %, wrong ones cost 100 %."""
    if e.type == "single":
        return [100.0 if right else 0.0 for _, right in e.options]
    right = sum(r for _, r in e.options)
    wrong = len(e.options) - right
    gain = next(g for g in MOODLE_GRADES if abs(g - 100 / right) < 1e-3)
    loss = -max(g for g in MOODLE_GRADES if g <= 100 / wrong + 1e-4) if wrong else 0
    return [gain if r else loss for _, r in e.options]


def _html_text(fragment: str) -> str:
    return fold(html.unescape(re.sub(r"<[^>]+>", "", fragment)))


def _cloze_gaps(text: str) -> list[list[tuple[float, str]]]:
    """Each gap's alternatives as Moodle's cloze parser reads them: (fraction, text)."""
    gaps = []
    for m in re.finditer(r"\{(\d+):(SHORTANSWER|MULTICHOICE(?:_S)?):([^}]*)\}", text):
        alternatives = []
        for alternative in m.group(3).split("~"):
            fraction, answer = re.fullmatch(r"%(\d+)%(.*)", alternative).groups()
            answer = html.unescape(answer)
            if m.group(2) == "SHORTANSWER":
                answer = answer.replace("\\*", "*")
            alternatives.append((float(fraction), answer))
        gaps.append(alternatives)
    return gaps


# --- generated banks -----------------------------------------------------------------------

# Texts that YAML 1.1, the light markup or Moodle would change if examgen let them; the
# first group is written unquoted in the YAML, to prove plain scalars stay text.
PLAIN_TRICKS = ["12:30", "010", "0x1F", "1_000", "3.10", "null", "true", "2024-02-30",
                "R*S*T", "a & b", "x < y", "<b>", "AT&"]
QUOTED_TRICKS = ["{2}", "#hash", "~tilde", "back\\slash", "ä ö ü ß", "50 %", "*starred*",
                 "a: b", "  spaced  out  "]


TAGS = ["alpha", "beta", '"x,y"', "12:30"]  # Moodle tags cannot hold a comma


def write_generated_bank(folder: Path, seed: int) -> Path:
    """A bank of every type with random counts, flags, numbers and tricky texts."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["topic: Generated", "questions:"]
    for n in range(21):
        lines += _generated_question(rng, n, TYPES[n % len(TYPES)])
    (folder / "generated.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _scalar(text: str) -> str:
    return text if text in PLAIN_TRICKS else json.dumps(text, ensure_ascii=False)


def _trick(rng: random.Random) -> str:
    return rng.choice(PLAIN_TRICKS + QUOTED_TRICKS).strip() or "x"


def _generated_question(rng: random.Random, n: int, qtype: str) -> list[str]:
    gaps = rng.randint(1, 3)
    per_gap = qtype == "cloze" and rng.random() < 0.5  # points per gap, else shared evenly
    points = str(gaps * rng.randint(1, 2)) if qtype == "cloze" else rng.choice(
        ["1", "2", "0.5", "3"])
    out = [f"  - id: g{n}-{qtype}",
           f"    difficulty: {rng.choice(['easy', 'medium', 'hard'])}",
           f"    knowledge: {rng.choice(['recall', 'application'])}",
           f"    type: {qtype}",
           *([] if per_gap else [f"    points: {points}"]),
           f"    tags: [{', '.join(rng.sample(TAGS, 2))}]"]
    if qtype in ("single", "multiple"):
        count = rng.randint(2, 7)
        right = {rng.randrange(count)} if qtype == "single" else set(
            rng.sample(range(count), rng.randint(1, count)))
        out += [f"    text: Question {n}, **which** ones?", "    options:"]
        for i in range(count):
            text = rng.choice([f"Option {i}", f"**Bold** option {i}", f"`code {i}`",
                               f"{_trick(rng)} {i}"])
            fixed = i == count - 1 and rng.random() < 0.3
            if i in right or fixed or rng.random() < 0.3:
                out += [f"      - text: {json.dumps(text, ensure_ascii=False)}",
                        f"        correct: {'true' if i in right else 'false'}"]
                out += ["        fixed_order: true"] if fixed else []
            else:
                out.append(f"      - {json.dumps(text, ensure_ascii=False)}")
    elif qtype == "truefalse":
        out += [f"    text: Statement {n} holds.", f"    answer: {rng.choice(['true', 'false'])}"]
    elif qtype == "short":
        answers = list(dict.fromkeys(_trick(rng) for _ in range(rng.randint(1, 3))))
        out += [f"    text: Type answer {n}.",
                f"    answers: [{', '.join(_scalar(a) for a in answers)}]"]
        out += ["    case_sensitive: true"] if rng.random() < 0.5 else []
    elif qtype == "numeric":
        value = round(rng.uniform(-5000, 5000), rng.randint(0, 7))
        tolerance = rng.choice([0, 0.5, 0.001, 12.25])
        out += [f"    text: Compute value {n}.", f"    value: {value!r}"]
        out += [f"    tolerance: {tolerance!r}"] if tolerance else []
        out += [f"    unit: {json.dumps(rng.choice(['%', 'px²', 'm/s']))}"] if rng.random() < .5 \
            else []
    elif qtype == "open":
        out += [f"    text: Explain item {n}.", f"    answer_lines: {rng.randint(1, 40)}",
                f"    model_answer: {json.dumps(f'A *model* answer with {_trick(rng)}')}"]
    elif qtype == "matching":
        count = rng.randint(2, 5)
        rights = [rng.choice([f"Right {i}", f"**Bold** right {i}", f"`code {i}`",
                              f"{_trick(rng)} {i}"]) for i in range(count)]
        if count > 2 and rng.random() < 0.4:
            rights[-1] = rights[0]  # one right item for two left items
        out += [f"    text: Match the items of {n}.", "    pairs:"]
        for i, right in enumerate(rights):
            left = rng.choice([f"Left {i}", f"*Left* {i}", f"{_trick(rng)} left {i}"])
            out += [f"      - left: {json.dumps(left, ensure_ascii=False)}",
                    f"        right: {json.dumps(right, ensure_ascii=False)}"]
        if count == 2 or rng.random() < 0.5:
            out.append(f"    distractors: [{_scalar(f'Distractor {_trick(rng)}')}]")
    else:
        marks = " and ".join(f"{{{{{g}}}}}" for g in range(1, gaps + 1))
        out += [f"    text: Fill {marks} in sentence {n}.", "    gaps:"]
        for _ in range(gaps):
            weight = [f"        points: {rng.randint(1, 3)}"] if per_gap else []
            if rng.random() < 0.5:
                first = rng.choice(["R*S*T", "*starred*", "`tick`", _trick(rng)])
                answers = list(dict.fromkeys([first, *(_trick(rng) for _ in range(
                    rng.randint(0, 1)))]))
                out.append(f"      - answers: [{', '.join(_scalar(a) for a in answers)}]")
                out += weight
            else:
                right = rng.randrange(3)
                out += ["      - options:"]
                for i in range(3):
                    text = json.dumps(rng.choice(["**choice**", "choice", "`choice`"])
                                      + f" {i} {rng.choice(['x', 'y', 'z'])}")
                    out += [f"          - text: {text}"] + (
                        ["            correct: true"] if i == right else [])
                out += weight
    return out


# --- the tests -----------------------------------------------------------------------------

def test_sample_bank_exam_key_and_manifest_match_the_yaml(tmp_path):
    bank = ROOT / "bank"
    manifest = _build(bank, tmp_path, "--total", "60", "--variants", "2", "--seed", "1")
    assert check_build(bank, tmp_path, manifest) == SAMPLE_TYPES


def test_german_key_matches_the_yaml(tmp_path):
    bank = ROOT / "bank"
    manifest = _build(bank, tmp_path, "--total", "30", "--variants", "2", "--seed", "5",
                      "--layout", "de")
    assert check_build(bank, tmp_path, manifest, layout="de")


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_generated_banks_of_every_type_match_the_yaml(tmp_path, seed):
    bank = write_generated_bank(tmp_path / "bank", seed)
    manifest = _build(bank, tmp_path / "out", "--total", "21", "--variants", "3", "--seed",
                      str(seed))
    assert check_build(bank, tmp_path / "out", manifest) == set(TYPES)


@pytest.mark.parametrize("seed", [11, 12, 13, 14, 15])
def test_generated_banks_of_every_type_export_to_moodle_as_the_yaml_says(tmp_path, seed):
    bank = write_generated_bank(tmp_path / "bank", seed)
    moodle = tmp_path / "moodle.xml"
    result = CliRunner().invoke(main, ["export", "moodle", "--bank", str(bank), "-o",
                                       str(moodle)])
    assert result.exit_code == 0, result.output
    assert check_moodle(bank, moodle, "bank") == set(TYPES)


def test_sample_bank_moodle_grades_match_the_yaml(tmp_path):
    moodle = tmp_path / "moodle.xml"
    result = CliRunner().invoke(main, ["export", "moodle", "--bank", str(ROOT / "bank"),
                                       "-o", str(moodle)])
    assert result.exit_code == 0, result.output
    assert check_moodle(ROOT / "bank", moodle, "bank") == SAMPLE_TYPES
