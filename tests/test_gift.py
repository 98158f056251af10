"""GIFT export, read back by a port of Moodle's own GIFT importer
(question/format/gift/format.php: readquestion, escapedchar_pre/post, the answer-weight
rule, the [id:] and [tag:] comments), and compared with the bank's YAML through the test
oracle: every question's type, text, answers and grades as Moodle would store them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from examgen.bank.loader import load_bank
from examgen.cli import main

from .conftest import first_draws
from .oracle import fold, mathjax, plain, read_bank
from .test_oracle import _html_text, _moodle_grades

ROOT = Path(__file__).resolve().parent.parent
_PLACEHOLDERS = {"\\:": "&&058;", "\\#": "&&035;", "\\=": "&&061;", "\\{": "&&123;",
                 "\\}": "&&125;", "\\~": "&&126;", "\\n": "&&010"}
_BACK = {"&&058;": ":", "&&035;": "#", "&&061;": "=", "&&123;": "{", "&&125;": "}",
         "&&126;": "~", "&&010": "\n"}
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")


def _pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in _PLACEHOLDERS.items():
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def _post(text: str) -> str:
    for placeholder, char in _BACK.items():
        text = text.replace(placeholder, char)
    return text


def _text(text: str) -> str:
    text = text.strip()
    if text.startswith("[html]"):
        text = text[len("[html]"):]
    return _post(text).strip()


def _weight(answer: str) -> tuple[float, str]:
    answer = answer[1:]
    end = answer.index("%")
    return float(answer[:end]) / 100, answer[end + 1:]


def read_gift(gift: str) -> list[dict]:
    """Moodle's readquestion over every blank-line-separated block."""
    questions, category = [], ""
    for block in re.split(r"\n\s*\n", gift):
        lines, comments = [], ""
        for line in block.split("\n"):
            if line.strip().startswith("//"):
                comments += line.strip() + "\n"
            else:
                lines.append(line)
        text = _pre("\n".join(lines).strip())
        if not text:
            continue
        if text.startswith("$CATEGORY:"):
            category = text[10:].strip()
            continue
        q: dict = {"category": category}
        assert text.startswith("::")
        text = text[2:]
        end = text.index("::")
        q["name"], text = _post(text[:end]), text[end + 2:].strip()
        start, finish = text.index("{"), text.index("}")
        answers = text[start + 1:finish].strip()
        q["text"] = _text(text[:start] + ("" if text.endswith("}") else "_____")
                          + text[finish + 1:])
        if "####" in answers:
            answers, q["feedback"] = answers[:answers.rindex("####")].strip(), \
                _text(answers[answers.rindex("####") + 4:])
        q["id"] = (re.search(r"\[id:([^\]]+)\]", comments) or [None, ""])[1]
        q["tags"] = re.findall(r"\[tag:([^\]]*)\]", comments)
        if answers == "":
            q["type"] = "essay"
        elif answers[0] == "#":
            value, _, tolerance = answers[1:].partition(":")
            q.update(type="numerical", value=float(value), tolerance=float(tolerance or 0))
        elif "~" in answers:
            q["type"] = "multichoice"
            q["single"] = "=" in answers
            parts = [a.strip() for a in answers.replace("=", "~=").split("~") if a.strip()]
            q["answers"] = []
            for a in parts:
                if a[0] == "=":
                    fraction, a = 1.0, a[1:]
                elif _WEIGHT.match(a):
                    fraction, a = _weight(a)
                else:
                    fraction = 0.0
                q["answers"].append((fraction, _text(a.split("#")[0])))
        elif answers in ("T", "TRUE", "F", "FALSE"):
            q.update(type="truefalse", answer=answers in ("T", "TRUE"))
        elif "=" in answers and "->" in answers:  # Moodle: only matching has both
            q["type"] = "match"
            q["pairs"] = []
            for a in [a.strip() for a in answers.split("=") if a.strip()]:
                left, right = a[:a.index("->")], a[a.index("->") + 2:]
                q["pairs"].append((_text(left), _post(right).strip()))
        else:
            q["type"] = "shortanswer"
            q["answers"] = [_text(a) for a in answers.split("=") if a.strip()]
        questions.append(q)
    return questions


def test_every_gift_question_reads_back_as_the_bank_says(tmp_path):
    out = tmp_path / "q.gift"
    result = CliRunner().invoke(main, ["export", "gift", "--bank", str(ROOT / "bank"),
                                       "-o", str(out), "--category-root", "Root"])
    assert result.exit_code == 0, result.output
    bank = read_bank(ROOT / "bank", first_draws(load_bank(ROOT / "bank")))
    read = {q["id"]: q for q in read_gift(out.read_text(encoding="utf-8"))}
    clozes = [e.id for e in bank.values() if e.type == "cloze" and len(e.gaps) > 1]
    assert set(read) == set(bank) - set(clozes)
    for qid in clozes:
        assert f"Left out: {qid}: a cloze question with {len(bank[qid].gaps)} gaps" \
            in result.output
    kinds = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse",
             "short": "shortanswer", "numeric": "numerical", "open": "essay",
             "cloze": "multichoice", "matching": "match"}
    for qid, q in read.items():
        e = bank[qid]
        assert q["category"] == f"$course$/top/Root/{e.topic}", qid
        assert q["name"].startswith(f"{qid}: "), qid
        own = [t for t in q["tags"][3:] if not t.startswith(("group-", "source-"))]
        assert q["tags"][:3] == [f"difficulty-{e.difficulty}", f"knowledge-{e.knowledge}",
                                 f"level-{_level(e)}"] and own == e.tags, qid
        assert q["type"] == kinds[e.type], qid
        if e.type != "cloze":
            assert _html_text(q["text"]) == mathjax(e.text), qid
        if e.type in ("single", "multiple"):
            assert q["single"] == (e.type == "single"), qid
            grades = [g / 100 for g in _moodle_grades(e)]
            assert [f for f, _ in q["answers"]] == pytest.approx(grades, abs=1e-9), qid
            assert [_html_text(t) for _, t in q["answers"]] == [mathjax(t) for t, _ in
                                                                e.options], qid
        elif e.type == "truefalse":
            assert q["answer"] == e.answer, qid
        elif e.type == "short":
            assert q["answers"] == [a.replace("*", "\\*") for a in e.answers], qid
        elif e.type == "numeric":
            assert (q["value"], q["tolerance"]) == (float(e.value), float(e.tolerance)), qid
        elif e.type == "matching":  # a distractor is a pair without a left item
            assert [(_html_text(left), fold(right)) for left, right in q["pairs"]] == [
                (mathjax(left), plain(right)) for left, right in e.pairs] + [
                ("", plain(d)) for d in e.distractors], qid
        feedback = _html_text(q.get("feedback", ""))
        if e.type == "open" and getattr(e, "model_answer", ""):  # GIFT's only place for it
            assert feedback.startswith(f"Model answer: {mathjax(e.model_answer)}"), qid
            assert feedback.endswith(mathjax(e.explanation)), qid
        else:
            assert feedback == mathjax(e.explanation), qid


def _level(e) -> str:  # type: ignore[no-untyped-def]
    from .oracle import LEVEL

    return LEVEL[(e.difficulty, e.knowledge)]


def _export(tmp_path: Path, yaml_text: str):  # type: ignore[no-untyped-def]
    """A one-file bank exported to GIFT: the command's result and the file."""
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "q.yaml").write_text(yaml_text, encoding="utf-8")
    out = tmp_path / "q.gift"
    return CliRunner().invoke(main, ["export", "gift", "--bank", str(bank), "-o", str(out)]), out


def test_special_characters_survive_the_round_trip(tmp_path):
    result, out = _export(tmp_path,
        "topic: 'Odd: {chars}'\nquestions:\n"
        "  - id: odd\n    difficulty: easy\n    knowledge: recall\n    type: short\n"
        "    text: 'Is a = b ~ c # d {e} f: g \\ h? Formula $\\frac{a}{b}$'\n"
        "    answers: ['x = {1} ~ #2: \\path', 'a*b']\n")
    assert result.exit_code == 0, result.output
    (q,) = read_gift(out.read_text(encoding="utf-8"))
    assert _html_text(q["text"]) == r"Is a = b ~ c # d {e} f: g \ h? Formula \(\frac{a}{b}\)"
    assert q["answers"] == ["x = {1} ~ #2: \\path", "a\\*b"]
    assert q["category"].endswith("/Odd: {chars}")


def test_a_one_gap_cloze_is_gifts_missing_word_and_more_gaps_are_reported(tmp_path):
    result, out = _export(tmp_path,
        "topic: T\nquestions:\n"
        "  - id: one\n    difficulty: easy\n    knowledge: recall\n    type: cloze\n"
        "    text: 'A GAN has a {{1}} and a generator.'\n    gaps:\n"
        "      - options:\n          - text: discriminator\n            correct: true\n"
        "          - decoder\n"
        "  - id: two\n    difficulty: easy\n    knowledge: recall\n    type: cloze\n"
        "    text: '{{1}} and {{2}}'\n    gaps:\n      - answers: [a]\n      - answers: [b]\n")
    assert result.exit_code == 0
    assert "Left out: two: a cloze question with 2 gaps" in result.output
    assert "wrote" in result.output and "1 of 2 questions" in result.output
    (q,) = read_gift(out.read_text(encoding="utf-8"))
    assert q["text"] == "A GAN has a _____ and a generator."
    assert q["answers"] == [(1.0, "discriminator"), (0.0, "decoder")] and q["single"]
