"""The Moodle XML export, parsed back and checked the way Moodle's importer reads it."""

from __future__ import annotations

import base64
import html
import json
import re
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from examgen.bank.loader import load_bank
from examgen.cli import main
from examgen.formats.moodle_xml import GRADES, check_moodle_xml, to_moodle_xml

from .conftest import ROOT, first_draws
from .oracle import evaluate, fold, plain, read_bank

BANK = str(ROOT / "bank")


def export(*args: str):
    return CliRunner().invoke(main, ["export", "moodle", *args])


@pytest.fixture(scope="module")
def sample_xml(tmp_path_factory):
    out = tmp_path_factory.mktemp("moodle") / "moodle.xml"
    result = export("--bank", BANK, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def html_words(text: str) -> str:
    """What a reader of Moodle's HTML sees, with MathJax's delimiters as the bank's."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    for tex, bank in ((r"\(", "$"), (r"\)", "$"), (r"\[", "$$"), (r"\]", "$$")):
        text = text.replace(tex, bank)
    return fold(text)


def questions_of(xml: bytes):
    quiz = ElementTree.fromstring(xml)
    return [q for q in quiz.iter("question") if q.get("type") != "category"], quiz


def test_one_question_per_bank_question_in_topic_categories(sample_xml, sample_bank):
    assert sample_xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    questions, quiz = questions_of(sample_xml)
    assert len(questions) == len(sample_bank.questions)
    assert [q.findtext("idnumber") for q in questions] == [q.id for q in sample_bank.questions]
    categories = [c.findtext("category/text") for c in quiz.iter("question")
                  if c.get("type") == "category"]
    assert categories == [f"$course$/top/bank/{t}" for t in sample_bank.topics]


def test_types_grades_and_settings(sample_xml, sample_bank):
    questions, _ = questions_of(sample_xml)
    written = read_bank(ROOT / "bank", first_draws(sample_bank))
    kinds = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse",
             "short": "shortanswer", "numeric": "numerical", "open": "essay", "cloze": "cloze",
             "matching": "matching"}
    for element, q in zip(questions, sample_bank.questions, strict=True):
        assert element.get("type") == kinds[q.type]
        fractions = [float(a.get("fraction")) for a in element.findall("answer")]
        assert all(any(abs(abs(f) - g) < 1e-3 for g in GRADES) for f in fractions), q.id
        if q.type in ("single", "multiple"):
            assert element.findtext("single") == ("true" if q.type == "single" else "false")
            assert element.findtext("answernumbering") == "abc"
            shuffled = element.findtext("shuffleanswers")
            assert shuffled == ("false" if any(o.fixed_order for o in q.options) else "true")
            positive = sum(f for f in fractions if f > 0)
            assert abs(positive - 100) < 0.001
            correct = [f > 0 for f in fractions]
            assert correct == [o.correct for o in q.options]
        if q.type == "truefalse":
            answers = {a.findtext("text"): float(a.get("fraction"))
                       for a in element.findall("answer")}
            assert answers == {"true": 100 if q.answer else 0, "false": 0 if q.answer else 100}
        if q.type == "numeric":
            answer = element.find("answer")
            assert float(answer.findtext("text")) == q.value
            assert float(answer.findtext("tolerance")) == q.tolerance
        if q.type == "open":
            assert q.model_answer[:30] in element.findtext("graderinfo/text")
        if q.type == "matching":  # the YAML's pairs, then a subquestion without text each
            e = written[q.id]
            subs = [(html_words(s.findtext("text")), s.findtext("answer/text"))
                    for s in element.findall("subquestion")]
            assert subs == [(plain(left), plain(right)) for left, right in e.pairs] + [
                ("", plain(d)) for d in e.distractors], q.id
        if q.type != "cloze":
            assert float(element.findtext("defaultgrade")) == q.points
        tags = [t.findtext("text") for t in element.findall("tags/tag")]
        assert tags[:3] == [f"difficulty-{q.difficulty.value}",
                            f"knowledge-{q.knowledge.value}", f"level-{q.level.value}"]
        assert set(q.tags) <= set(tags)
        if q.explanation:  # the words the bank wrote, in Moodle's HTML
            feedback = element.findtext("generalfeedback/text")
            assert html_words(feedback) == plain(written[q.id].explanation), q.id
    assert check_moodle_xml(sample_xml.decode()) == []


def test_gan_players_keeps_none_of_the_above_last(sample_xml):
    questions, _ = questions_of(sample_xml)
    players = next(q for q in questions if q.findtext("idnumber") == "gan-players")
    assert players.findtext("shuffleanswers") == "false"


def test_image_is_embedded_and_referenced(sample_xml, sample_bank):
    questions, _ = questions_of(sample_xml)
    element = next(q for q in questions if q.findtext("idnumber") == "yolo-output-size")
    file = element.find("questiontext/file")
    assert file.get("name") == "yolo-grid.png" and file.get("encoding") == "base64"
    image = sample_bank.by_id["yolo-output-size"].image
    assert base64.b64decode(file.text) == image.read_bytes()
    assert 'src="@@PLUGINFILE@@/yolo-grid.png"' in element.findtext("questiontext/text")


# A port of the regular expressions Moodle's cloze parser (qtype_multianswer) uses.
_FRACTION = r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%"
_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
_ALT = rf"({_FRACTION})?({_ANSWER})(#(.*?(?<!\\)(?=[~}}]|$)))?"
_GAP = re.compile(r"\{([0-9]*):(SHORTANSWER|SA|MW|MULTICHOICE_S|MULTICHOICE|MCS|MC):"
                  rf"({_ALT}(~{_ALT})*)\}}", re.S)


def moodle_gap_answers(questiontext: str) -> list[list[tuple[float, str]]]:
    """What Moodle stores for each gap: (fraction, answer text) per alternative."""
    gaps = []
    for match in _GAP.finditer(questiontext):
        rest, alternatives = match.group(3), []
        while rest:
            alt = re.match("~?" + _ALT, rest, re.S)
            fraction = 100.0 if alt.group(1) == "=" else float(alt.group(2) or 0)
            answer = html.unescape(alt.group(3)).replace("\\}", "}").replace("\\#", "#")
            alternatives.append((fraction, answer))
            rest = rest[len(alt.group(0)):]
        gaps.append(alternatives)
    return gaps


def _bank(tmp_path, yaml_text: str):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "q.yaml").write_text(yaml_text, encoding="utf-8")
    return load_bank(bank)


SPECIAL = 'a}b#c~d/e"f\\g&h<i'


def test_cloze_gap_answers_survive_moodles_parser(tmp_path):
    bank = _bank(tmp_path, f"""topic: Cloze
questions:
  - id: special
    difficulty: easy
    knowledge: recall
    type: cloze
    points: 2
    text: "Type {{{{1}}}}, pick {{{{2}}}}; keep {{3:SA:=x}} and a literal {{ brace."
    gaps:
      - answers: [{json.dumps(SPECIAL)}, "2*3"]
      - options:
          - text: {json.dumps(SPECIAL)}
            correct: true
          - "x~y"
""")
    xml = to_moodle_xml(list(bank.questions), "root")
    text = ElementTree.fromstring(xml).find(".//question[@type='cloze']/questiontext/text").text
    gaps = moodle_gap_answers(text)
    assert gaps[0] == [(100.0, SPECIAL), (100.0, "2\\*3")]
    # a choice gap's options are stored as HTML, which Moodle shows: as written
    assert [(f, html.unescape(t)) for f, t in gaps[1]] == [(100.0, SPECIAL), (0.0, "x~y")]
    shown = html.unescape(_GAP.sub("[gap]", text))
    assert shown == "<p>Type [gap], pick [gap]; keep {3:SA:=x} and a literal { brace.</p>"


def test_markup_characters_and_cdata_end_survive(tmp_path):
    bank = _bank(tmp_path, """topic: Texte
questions:
  - id: tricky
    difficulty: easy
    knowledge: recall
    type: single
    text: "Is <b>1 < 2</b> & does ]]> end CDATA? Größe **fett** `x<y`"
    explanation: "Weil ]]> & <i> Text sind."
    options:
      - text: "ja ]]> <script>"
        correct: true
      - "nein & ß"
""")
    xml = to_moodle_xml(list(bank.questions), "root")
    element = ElementTree.fromstring(xml.encode()).find(".//question[@type='multichoice']")
    assert element.findtext("questiontext/text") == (
        "<p>Is &lt;b&gt;1 &lt; 2&lt;/b&gt; &amp; does ]]&gt; end CDATA? Größe "
        "<strong>fett</strong> <code>x&lt;y</code></p>")
    assert element.findtext("generalfeedback/text") == "Weil ]]&gt; &amp; &lt;i&gt; Text sind."
    options = [a.findtext("text") for a in element.findall("answer")]
    assert options == ["ja ]]&gt; &lt;script&gt;", "nein &amp; ß"]


def test_seven_correct_options_share_in_moodle_steps_eleven_are_refused(tmp_path):
    def multiple(correct: int, wrong: int) -> str:
        opts = "".join(f"      - text: right {i}\n        correct: true\n" for i in range(correct))
        opts += "".join(f"      - wrong {i}\n" for i in range(wrong))
        return ("topic: T\nquestions:\n  - id: many\n    difficulty: easy\n"
                "    knowledge: recall\n    type: multiple\n    text: Pick.\n    options:\n"
                + opts)
    bank = _bank(tmp_path, multiple(7, 3))
    xml = to_moodle_xml(list(bank.questions), "r")
    fractions = [a.get("fraction") for a in ElementTree.fromstring(xml).iter("answer")]
    assert fractions == ["14.28571"] * 7 + ["-33.33333"] * 3
    (tmp_path / "bank" / "q.yaml").write_text(multiple(11, 2))
    result = export("--bank", str(tmp_path / "bank"), "-o", str(tmp_path / "m.xml"))
    assert result.exit_code == 1
    assert "has 11 correct options" in result.output and "q.yaml:3" in result.output
    assert not (tmp_path / "m.xml").exists()


def test_numbers_use_a_point_and_no_separators(tmp_path):
    bank = _bank(tmp_path, """topic: N
questions:
  - id: pi
    difficulty: easy
    knowledge: recall
    type: numeric
    text: Pi?
    value: 1234567.25
    tolerance: 0.005
    unit: m
  - id: star
    difficulty: easy
    knowledge: recall
    type: short
    text: Which operator multiplies?
    answers: ["*"]
""")
    quiz = ElementTree.fromstring(to_moodle_xml(list(bank.questions), "r"))
    numerical = quiz.find(".//question[@type='numerical']")
    assert numerical.findtext("answer/text") == "1234567.25"
    assert numerical.findtext("answer/tolerance") == "0.005"
    assert numerical.findtext("units/unit/unit_name") == "m"
    assert quiz.findtext(".//question[@type='shortanswer']/answer/text") == "\\*"


def test_export_from_a_manifest_holds_only_the_exam(tmp_path):
    out = tmp_path / "out"
    CliRunner().invoke(main, ["build", "--bank", BANK, "--total", "9", "--seed", "5",
                              "--no-pdf", "-o", str(out)])
    result = export("--manifest", str(out / "exam.json"), "-o", str(out / "m.xml"),
                    "--category-root", "Final 2027")
    assert result.exit_code == 0, result.output
    questions, quiz = questions_of((out / "m.xml").read_bytes())
    assert len(questions) == 9
    assert all(c.findtext("category/text").startswith("$course$/top/Final 2027/")
               for c in quiz.iter("question") if c.get("type") == "category")


def test_check_moodle_xml_finds_what_moodle_rejects():
    bad = ('<quiz><question type="multichoice"><name><text>x</text></name>'
           '<single>false</single><answer fraction="33.3"><text>a</text></answer>'
           '<answer fraction="33.3"><text>b</text></answer></question></quiz>')
    problems = check_moodle_xml(bad)
    assert any("33.3 is not one of Moodle's grade options" in p for p in problems)
    assert any("add up to 66.6" in p for p in problems)
    assert any("<shuffleanswers> is missing" in p for p in problems)


def test_gap_answers_moodle_failed_on_now_survive(tmp_path):
    """Seen in a real Moodle 5.1 import: 'AT&' swallowed the next gap, '<b>' showed empty."""
    bank = _bank(tmp_path, """topic: Cloze
questions:
  - id: amp
    difficulty: easy
    knowledge: recall
    type: cloze
    points: 2
    text: "Phone: {{1}}; tag: {{2}}."
    gaps:
      - answers: [AT&, "x&"]
      - options:
          - text: <b>
            correct: true
          - "&lt;"
          - a & b
""")
    xml = to_moodle_xml(list(bank.questions), "root")
    text = ElementTree.fromstring(xml).find(".//question[@type='cloze']/questiontext/text").text
    gaps = moodle_gap_answers(text)
    assert gaps[0] == [(100.0, "AT&"), (100.0, "x&")]
    assert [(f, html.unescape(t)) for f, t in gaps[1]] == [(100.0, "<b>"), (0.0, "&lt;"),
                                                          (0.0, "a & b")]
    assert html.unescape(_GAP.sub("[gap]", text)) == "<p>Phone: [gap]; tag: [gap].</p>"


@pytest.mark.parametrize("answer", ["\\\\}", "a\\\\#b"])
def test_gap_answers_moodle_cannot_store_are_refused(tmp_path, answer):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "q.yaml").write_text(
        "topic: T\nquestions:\n  - id: esc\n    difficulty: easy\n    knowledge: recall\n"
        f"    type: cloze\n    text: \"Write {{{{1}}}}.\"\n    gaps:\n"
        f"      - answers: [\"{answer}\"]\n")
    out = tmp_path / "moodle.xml"
    result = CliRunner().invoke(main, ["export", "moodle", "--bank", str(bank), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert f"{bank / 'q.yaml'}:3: question 'esc': the gap text" in result.output
    assert "Moodle cannot store it as written" in result.output
    assert not out.exists()


def test_cloze_marks_equal_points_or_the_export_says_why(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "q.yaml").write_text(
        "topic: T\nquestions:\n  - id: half\n    difficulty: easy\n    knowledge: recall\n"
        "    type: cloze\n    text: \"{{1}} and {{2}}\"\n    gaps:\n      - answers: [a]\n"
        "      - answers: [b]\n")
    check = CliRunner().invoke(main, ["check", "--bank", str(bank)])
    assert check.exit_code == 0, check.output
    assert f"{bank / 'q.yaml'}:3: warning: question 'half': its gaps are worth 0.5, 0.5" \
        in check.output
    out = tmp_path / "moodle.xml"
    result = CliRunner().invoke(main, ["export", "moodle", "--bank", str(bank), "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert "Moodle weighs cloze gaps in whole points only" in result.output
    (bank / "q.yaml").write_text((bank / "q.yaml").read_text().replace(
        "      - answers: [a]\n", "      - answers: [a]\n        points: 2\n").replace(
        "      - answers: [b]\n", "      - answers: [b]\n        points: 1\n"))
    assert CliRunner().invoke(main, ["export", "moodle", "--bank", str(bank), "-o",
                                     str(out)]).exit_code == 0
    text = ElementTree.parse(out).getroot().find(".//question[@type='cloze']/questiontext/text")
    assert re.findall(r"\{(\d+):SHORTANSWER", text.text) == ["2", "1"]
    assert load_bank(bank).questions[0].points == 3


GOLDEN = ROOT / "tests" / "snapshots" / "moodle.xml"


def test_export_is_the_approved_file(tmp_path):
    """tests/banks/moodle holds every type and every character Moodle treats specially; its
    export was read line by line and approved. A change on purpose is approved again with:
    examgen export moodle --bank tests/banks/moodle --category-root "Golden/Root"
    -o tests/snapshots/moodle.xml"""
    out = tmp_path / "moodle.xml"
    result = CliRunner().invoke(main, ["export", "moodle", "--bank",
                                       str(ROOT / "tests" / "banks" / "moodle"),
                                       "--category-root", "Golden/Root", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")


def _quiz(question: str) -> str:
    return f"<quiz>{question}</quiz>"


def _mc(single: str, fractions: list[str], extra: str = "<shuffleanswers>1</shuffleanswers>"
        "<answernumbering>abc</answernumbering>") -> str:
    answers = "".join(f'<answer fraction="{f}"><text>o{n}</text></answer>'
                      for n, f in enumerate(fractions))
    return (f'<question type="multichoice"><name><text>q</text></name>'
            f"<single>{single}</single>{extra}{answers}</question>")


@pytest.mark.parametrize("question, problems", [
    ('<question type="category"><category><text>x</text></category></question>'
     + _mc("true", ["100", "0"]), []),
    (_mc("true", ["100", "0"]), []),
    (_mc("false", ["50", "50", "-33.33333"]), []),
    (_mc("true", ["100", "33.3"]), ["q: grade 33.3 is not one of Moodle's grade options"]),
    (_mc("true", ["100"]), ["q: a multichoice question needs at least 2 options"]),
    (_mc("true", ["90", "10"]), ["q: a single-choice question needs a 100 % option"]),
    (_mc("false", ["50", "40", "0"]), ["q: the positive grades add up to 90.0, not 100"]),
    (_mc("true", ["100", "0"], extra=""), ["q: <shuffleanswers> is missing",
                                           "q: <answernumbering> is missing"]),
    ('<question type="multichoice"><name><text>q</text></name><shuffleanswers>1'
     '</shuffleanswers><answernumbering>abc</answernumbering><answer fraction="90"><text>a'
     '</text></answer><answer><text>b</text></answer></question>',
     ["q: a single-choice question needs a 100 % option", "q: <single> is missing"]),
    ('<question type="truefalse"><answer fraction="100"><text>yes</text></answer>'
     '<answer fraction="0"><text>false</text></answer></question>',
     ["?: true/false answers must be exactly 'true' and 'false'"]),
    ('<question type="shortanswer"><name><text>s</text></name><answer fraction="90"><text>a'
     "</text></answer></question>", ["s: needs an answer with fraction 100"]),
    ('<question type="numerical"><name><text>n</text></name><answer fraction="50"><text>1'
     "</text></answer></question>", ["n: needs an answer with fraction 100"]),
])
def test_self_check_names_what_moodle_would_reject(question, problems):
    assert check_moodle_xml(_quiz(question)) == problems


def test_self_check_runs_before_anything_is_written(tmp_path, monkeypatch):
    import examgen.formats.moodle_xml as moodle

    monkeypatch.setattr(moodle, "check_moodle_xml", lambda xml: ["q: one", "q: two"])
    out = tmp_path / "moodle.xml"
    result = CliRunner().invoke(main, ["export", "moodle", "--bank", str(ROOT / "bank"), "-o",
                                       str(out)])
    assert result.exit_code == 1
    assert "Error: the Moodle XML would not import cleanly:\n  q: one\n  q: two\n" \
        in result.output
    assert not out.exists()
    assert check_moodle_xml("<quiz>")[0].startswith("not well-formed XML: ")


def test_self_check_reads_on_past_a_category():
    xml = _quiz('<question type="category"><category><text>x</text></category></question>'
                + _mc("true", ["90", "10"]))
    assert check_moodle_xml(xml) == ["q: a single-choice question needs a 100 % option"]


def test_a_fixed_order_choice_gap_is_not_shuffled_and_names_are_cut_at_a_word(tmp_path):
    bank = _bank(tmp_path, """topic: T
questions:
  - id: fixed
    difficulty: easy
    knowledge: recall
    type: cloze
    text: "Sixty characters exactly, counting each one of them: {{1}} ok"
    gaps:
      - options:
          - text: "yes"
            correct: true
          - text: none of these
            fixed_order: true
  - id: sixty
    difficulty: easy
    knowledge: recall
    type: truefalse
    text: "This question text is exactly sixty characters long, see...."
    answer: true
  - id: longer
    difficulty: easy
    knowledge: recall
    type: truefalse
    text: "This question text is a little more than sixty characters long."
    answer: true
""")
    quiz = ElementTree.fromstring(to_moodle_xml(list(bank.questions), "root"))
    cloze = quiz.find(".//question[@type='cloze']/questiontext/text").text
    assert "{1:MULTICHOICE:%100%yes~%0%none of these}" in cloze
    names = [q.findtext("name/text") for q in quiz.iter("question")
             if q.get("type") != "category"]
    assert len("This question text is exactly sixty characters long, see....") == 60
    assert names[1:] == ["sixty: This question text is exactly sixty characters long, see....",
                         "longer: This question text is a little more than sixty characters…"]


# --- calculated questions: Moodle's formulas, evaluated here as Moodle's PHP does -------------

def _php_round(x: float, digits: float = 0) -> float:
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-int(digits)),
                                                  ROUND_HALF_UP))


def _moodle_value(formula: str, dataset: dict[str, str]) -> float:
    """A Moodle answer formula for one dataset item: wildcards replaced as Moodle does
    (a negative value in parentheses), then its functions (PHP's) computed."""
    import math

    for name, value in dataset.items():
        shown = f"({value})" if float(value) <= 0 else value
        formula = formula.replace("{" + name + "}", shown)
    assert "{" not in formula, formula
    allowed = {"pow": math.pow, "fmod": math.fmod, "round": _php_round, "sqrt": math.sqrt,
               "exp": math.exp, "log": math.log, "log10": math.log10, "abs": abs,
               "floor": math.floor, "ceil": math.ceil, "min": min, "max": max,
               "sin": math.sin, "cos": math.cos, "tan": math.tan, "atan2": math.atan2,
               "pi": lambda: math.pi}
    assert re.fullmatch(r"[-+*/()., 0-9a-z_]+", formula), formula
    return float(eval(formula, {"__builtins__": {}}, allowed))  # noqa: S307


def test_calculated_questions_give_moodle_every_draw_with_the_banks_own_answer(tmp_path):
    """Each calculated question's datasets are aligned draws of the bank's parameters
    meeting its 'where'; Moodle's answer for each item, computed here from the formula as
    Moodle's PHP would, is the answer the YAML gives for that draw (read by the oracle)."""
    import yaml

    out = tmp_path / "calc.xml"
    result = CliRunner().invoke(main, ["export", "moodle", "--bank", BANK, "--calculated",
                                       "--draws", "30", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Note: yolo-conv-output goes out as frozen draws" in result.output
    root = ElementTree.parse(out).getroot()
    raw = {q["id"]: q for f in sorted((ROOT / "bank").glob("*.yaml"))
           for q in yaml.safe_load(f.read_text(encoding="utf-8"))["questions"]}
    calculated = root.findall("question[@type='calculated']")
    assert len(calculated) >= 2
    for question in calculated:
        qid = question.findtext("idnumber")
        assert qid is not None and "params" in raw[qid]
        formula = question.findtext("answer/text")
        tolerance = float(question.findtext("answer/tolerance") or "nan")
        sets = {d.findtext("name/text"): [i.findtext("value") for i in
                                          d.findall("dataset_items/dataset_item")]
                for d in question.findall("dataset_definitions/dataset_definition")}
        assert set(sets) == set(raw[qid]["params"]), qid
        counts = {len(v) for v in sets.values()}
        assert len(counts) == 1 and 2 <= counts.pop() <= 30
        items = list(zip(*sets.values(), strict=True))
        assert len(set(items)) == len(items), "every item a draw of its own"
        for item in items:
            dataset = dict(zip(sets, item, strict=True))
            params = {k: (int(v) if re.fullmatch(r"-?[0-9]+", v) else float(v))
                      for k, v in dataset.items()}
            expected = read_bank(ROOT / "bank", {qid: params})[qid]
            assert float(expected.tolerance) == pytest.approx(tolerance)
            assert _moodle_value(formula or "", dataset) == pytest.approx(
                float(expected.value), abs=1e-9), (qid, dataset)
            values: dict[str, object] = dict(params)
            for name, expression in (raw[qid].get("let") or {}).items():
                values[name] = evaluate(expression, values)
            for condition in _listed(raw[qid].get("where")):
                assert evaluate(condition, values), (qid, condition, dataset)
        text = question.findtext("questiontext/text") or ""
        assert "{{" not in text and any(f"{{{p}}}" in text for p in sets), text
    assert check_moodle_xml(out.read_text(encoding="utf-8")) == []


def _listed(where: object) -> list[str]:
    if where is None:
        return []
    return [str(w) for w in where] if isinstance(where, list) else [str(where)]


def test_a_brace_moodle_would_take_for_a_wildcard_keeps_the_question_frozen(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "q.yaml").write_text(
        "topic: T\nquestions:\n  - id: hat\n    difficulty: easy\n    knowledge: recall\n"
        "    type: numeric\n    params:\n      x: {int: [1, 9]}\n"
        "    text: 'What is twice $\\hat{x}$ when x = {{x}}?'\n    value: '{{2 * x}}'\n",
        encoding="utf-8")
    out = tmp_path / "m.xml"
    result = CliRunner().invoke(main, ["export", "moodle", "--bank", str(bank),
                                       "--calculated", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "its text has {x}, which Moodle would fill with the wildcard x" in result.output
    assert 'type="calculated"' not in out.read_text(encoding="utf-8")
