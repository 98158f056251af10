"""examgen import moodle: the sample bank and the test banks go out to Moodle XML and come
back as a bank that exports to the very same XML; a file written by R/exams imports; what
the bank cannot hold is reported, and bad XML is refused at its line with nothing
written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from examgen.bank.loader import load_bank
from examgen.cli import main
from examgen.core.markup import to_html

ROOT = Path(__file__).resolve().parent.parent
REXAMS = ROOT.parent / "shared" / "reference" / "rexams-moodle-sample.xml"


def _run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("bank", [ROOT / "bank", ROOT / "tests" / "banks" / "moodle"])
def test_export_import_export_gives_the_same_xml(bank, tmp_path):
    first, second = tmp_path / "first.xml", tmp_path / "second.xml"
    assert _run("export", "moodle", "--bank", bank, "-o", first, "--category-root",
                "R").exit_code == 0
    result = _run("import", "moodle", first, "-o", tmp_path / "bank")
    assert result.exit_code == 0, result.output
    result = _run("export", "moodle", "--bank", tmp_path / "bank", "-o", second,
                  "--category-root", "R")
    assert result.exit_code == 0, result.output
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    original, imported = load_bank(bank), load_bank(tmp_path / "bank")
    for q in original.questions:
        back = imported.by_id[q.id]
        # what Moodle carries: a tag's comma is a space there, a formula $x$ is \(x\)
        assert (back.type, back.topic, back.difficulty, back.knowledge, back.points,
                back.tags, to_html(back.explanation), to_html(back.text)) == (
            q.type, q.topic, q.difficulty, q.knowledge, q.points,
            tuple(t.replace(",", " ") for t in q.tags), to_html(q.explanation),
            to_html(q.text)), q.id
        for name in ("answer", "answers", "value", "tolerance", "unit", "case_sensitive"):
            assert getattr(back, name, None) == getattr(q, name, None), (q.id, name)
        if hasattr(q, "options"):
            assert [(o.correct) for o in back.options] == [o.correct for o in q.options]
        if q.image is not None:
            assert back.image is not None and back.image.read_bytes() == q.image.read_bytes()


def test_a_file_written_by_rexams_imports_with_defaults_for_the_matrix(tmp_path):
    if not REXAMS.is_file():
        pytest.skip("the shared reference file is not beside the project")
    result = _run("import", "moodle", REXAMS, "-o", tmp_path / "none")
    assert result.exit_code == 1  # nothing could be imported: the notes say why
    assert "no difficulty-* or knowledge-* tag; give --difficulty and --knowledge" \
        in result.output
    assert not (tmp_path / "none").exists()
    result = _run("import", "moodle", REXAMS, "-o", tmp_path / "bank", "--difficulty",
                  "medium", "--knowledge", "recall")
    assert result.exit_code == 0, result.output
    assert "'Q5 : s_cloze': a cloze gap of kind NUMERICAL" in result.output
    assert "left out a <style> block" in result.output
    assert "per-answer feedback is not kept" in result.output
    assert "are not kept: examgen grades" not in result.output  # its grades are Moodle's own
    bank = load_bank(tmp_path / "bank")
    assert [q.type for q in bank.questions] == ["single", "multiple", "numeric", "short"]
    q1 = bank.by_id["q1"]
    assert q1.text == "What is the capital of France?"  # type: ignore[union-attr]
    assert [o.text for o in q1.options if o.correct] == ["Paris"]  # type: ignore[union-attr]
    assert bank.by_id["q4"].answers == ("Au",)  # type: ignore[union-attr]
    assert bank.by_id["q3"].explanation == r"$5 \cdot 17 = 85$."  # MathJax back as $
    assert [t for t in bank.topics] == [f"Exercise {n}" for n in (1, 2, 3, 4)]


def test_bad_xml_is_refused_at_its_line_and_nothing_is_written(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text('<?xml version="1.0"?>\n<quiz>\n<question type="truefalse">\n</quiz>\n')
    result = _run("import", "moodle", bad, "-o", tmp_path / "bank")
    assert result.exit_code == 2
    assert f"{bad}:4: not well-formed XML" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "bank").exists()
    other = tmp_path / "other.xml"
    other.write_text("<html></html>")
    result = _run("import", "moodle", other, "-o", tmp_path / "bank")
    assert result.exit_code == 2 and "not a Moodle XML file" in result.output


def test_types_the_bank_cannot_hold_are_named_and_existing_files_kept(tmp_path):
    xml = tmp_path / "m.xml"
    xml.write_text(
        '<quiz><question type="category"><category><text>$course$/top/A/B</text></category>'
        '</question><question type="ordering"><name><text>Order</text></name></question>'
        '<question type="truefalse"><name><text>T1</text></name><questiontext format="html">'
        '<text><![CDATA[<p>Is <b>this</b> <span>true</span>? <table><tr><td>x</td></tr>'
        '</table></p>]]></text></questiontext><defaultgrade>2</defaultgrade>'
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer>'
        "<tags><tag><text>difficulty-hard</text></tag><tag><text>knowledge-recall</text>"
        "</tag><tag><text>week3</text></tag></tags></question></quiz>")
    result = _run("import", "moodle", xml, "-o", tmp_path / "bank")
    assert result.exit_code == 0, result.output
    assert "'Order': type ordering cannot be held by the bank; left out" in result.output
    assert "kept only the text of <span>, <table>, <td>" in result.output
    (q,) = load_bank(tmp_path / "bank").questions
    assert (q.id, q.topic, q.difficulty.value, q.points, q.tags) == ("t1", "B", "hard", 2,
                                                                      ("week3",))
    assert q.text == "Is **this** true?\nx"
    result = _run("import", "moodle", xml, "-o", tmp_path / "bank")
    assert result.exit_code == 2 and "exists; import into a new folder" in result.output


PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAA"
       "AABJRU5ErkJggg==")


def _quiz(*questions: str) -> str:
    return "<?xml version='1.0' encoding='UTF-8'?>\n<quiz>\n" + "\n".join(questions) + \
        "\n</quiz>\n"


def _choice(name: str, answers: list[tuple[str, int]], text: str = "Which one?",
            files: str = "") -> str:
    body = "".join(f'<answer fraction="{f}" format="html"><text><![CDATA[{t}]]></text></answer>'
                   for t, f in answers)
    return (f'<question type="multichoice"><name><text>{name}</text></name>'
            f'<questiontext format="html"><text><![CDATA[{text}]]></text>{files}'
            f'</questiontext><single>true</single>{body}</question>')


def _imported(tmp_path: Path, xml: str):
    """The quiz written to a file and imported as easy recall questions."""
    path = tmp_path / "quiz.xml"
    path.write_text(xml)
    return path, _run("import", "moodle", path, "-o", tmp_path / "bank", "--difficulty",
                      "easy", "--knowledge", "recall")


def _picture(name: str, data: str = PNG) -> str:
    return f'<file name="{name}" path="/" encoding="base64">{data}</file>'


def test_questions_the_bank_cannot_hold_are_left_out_one_by_one(tmp_path):
    """A quiz with a blank option, a picture-only question and option, a description, a
    broken picture and a huge text: the rest is imported, each note names its line."""
    img = '<p><img src="@@PLUGINFILE@@/{}"></p>'
    xml = _quiz(
        _choice("good", [("Paris", 100), ("Rome", 0), (" ", 0)]),
        _choice("blank key", [(" ", 100), ("Rome", 0)]),
        '<question type="description"><name><text>intro</text></name>'
        "<questiontext><text>Welcome</text></questiontext></question>",
        _choice("picture only", [("yes", 100), ("no", 0), (img.format("b.png"), 0)],
                text=img.format("."), files=_picture(".")),
        _choice("broken picture", [("yes", 100), ("no", 0)], text=img.format("CON"),
                files=_picture("CON", "%%%not base64%%%")),
        _choice("huge", [("yes", 100), ("no", 0)], text="x" * 1_200_000),
        _choice("windows", [("yes", 100), ("no", 0)], text="See" + img.format("../NUL.png"),
                files=_picture("../NUL.png")),
    )
    path, result = _imported(tmp_path, xml)
    assert result.exit_code == 0, result.output
    out = result.output
    lines = xml.splitlines()
    where = {name: f"{path}:{n}" for n, line in enumerate(lines, 1)
             for name in ("blank key", "intro", "broken picture", "huge", "good")
             if f"<text>{name}</text>" in line}
    assert f"{where['good']}: 'good': option 3 is blank; left out" in out
    assert f"{where['blank key']}: 'blank key': its correct option 1 is blank" in out
    assert f"{where['intro']}: 'intro': a description" in out
    assert f"{where['broken picture']}: 'broken picture': its picture CON is not valid " \
           "base64" in out
    assert f"{where['huge']}: 'huge': its texts hold more than 1,000,000 characters" in out
    assert "option 3 shows a picture that cannot be read (its picture b.png is not in the " \
        "file); left out" in out
    assert "/tmp/tmp" not in out.replace(str(tmp_path), "")
    bank = load_bank(tmp_path / "bank")
    assert sorted(q.id for q in bank.questions) == ["good", "picture-only", "windows"]
    assert bank.by_id["picture-only"].text == ""
    assert bank.by_id["picture-only"].image.name == "picture"  # it was named "."
    assert bank.by_id["windows"].image.name == "NUL_.png"
    assert _run("check", "--bank", tmp_path / "bank").exit_code == 0


def test_grades_the_bank_cannot_keep_are_named_never_dropped_unsaid(tmp_path):
    """A penalty on a one-answer question's wrong option, uneven shares of a multiple
    choice, and partial credit in cloze gaps: the bank keeps right and wrong, and each
    grade it cannot keep gets a note at its question's line."""
    multiple = _choice("uneven", [("a", 60), ("b", 40), ("c", -100)]).replace(
        "<single>true</single>", "<single>false</single>")
    cloze = ('<question type="cloze"><name><text>gaps</text></name><questiontext format="html">'
             "<text><![CDATA[<p>Capital: {1:MULTICHOICE:=Paris~%50%Lyon~Nice}, gold: "
             "{1:SHORTANSWER:=Au~%50%Gold}</p>]]></text></questiontext></question>")
    xml = _quiz(_choice("penalty", [("Paris", 100), ("Rome", -33.33333), ("Oslo", 0)]),
                multiple, cloze, _choice("plain", [("Paris", 100), ("Rome", 0)]))
    path, result = _imported(tmp_path, xml)
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"{path}:3: 'penalty': its grades 100/-33.33333/0 % are not kept: examgen grades " \
        "these options 100/0/0 %" in out
    assert f"{path}:4: 'uneven': its grades 60/40/-100 % are not kept: examgen grades " \
        "these options 50/50/-100 %" in out
    assert f"{path}:5: 'gaps': gap 1: partial credit in the file for 'Lyon'; taken as " \
        "wrong here" in out
    assert f"{path}:5: 'gaps': gap 2: partial credit in the file for 'Gold'; left out" in out
    assert "'plain'" not in out
    bank = load_bank(tmp_path / "bank")
    gaps = bank.by_id["gaps"].gaps  # type: ignore[union-attr]
    assert [o.text for o in gaps[0].options if o.correct] == ["Paris"]
    assert gaps[1].answers == ("Au",)
    assert [o.correct for o in bank.by_id["uneven"].options] == [True, True, False]  # type: ignore[union-attr]


def _short(name: str, text: str, text_format: str) -> str:
    return (f'<question type="shortanswer"><name><text>{name}</text></name>'
            f'<questiontext format="{text_format}"><text><![CDATA[{text}]]></text>'
            '</questiontext><answer fraction="100"><text>x</text></answer></question>')


def test_texts_print_as_moodle_shows_them_whatever_their_format(tmp_path):
    """Literal stars, backticks and dollars stay characters (Moodle shows them; the light
    markup would read them as italics, code and formulas), MathJax stays formulas, and
    plain, auto-format and Markdown texts are read as Moodle reads them."""
    xml = _quiz(
        _short("html", r"<p>Compute 2*3*4 and x**2 + y**2 in `sh`, for $5 or $x$: "
                       r"\(D^*(x)\) and $$a*b$$</p>", "html"),
        _short("plain", "Is 3 <b> 2? *not bold*\nline two", "plain_text"),
        _short("auto", "Line one\nLine <b>two</b>", "moodle_auto_format"),
        _short("markdown", "What is *the* **symbol**?", "markdown"),
        _short("scripts", "<p>m<sup>2</sup> of H<sub>2</sub>O, e<sup>-x</sup>, "
                          "k<sup>Q</sup></p>", "html"),
        '<question type="matching"><name><text>menus</text></name><questiontext '
        'format="html"><text>Match</text></questiontext>'
        + "".join(f'<subquestion format="html"><text>{left}</text><answer><text>{right}'
                  "</text></answer></subquestion>"
                  for left, right in (("stars", "a*b*c"), ("formula", "$x$"),
                                      ("plain", "c"))) +
        "</question>")
    path, result = _imported(tmp_path, xml)
    assert result.exit_code == 0, result.output
    bank = load_bank(tmp_path / "bank")
    menus = bank.by_id["menus"]
    assert [to_html(p.right) for p in menus.pairs] == [  # type: ignore[union-attr]
        "a*b*c", r"\(x\)", "c"]
    shown = {q.id: to_html(q.text) for q in bank.questions if q.id != "menus"}
    assert shown == {
        "html": r"Compute 2*3*4 and x**2 + y**2 in `sh`, for $5 or $x$: \(D^*(x)\) and "
                r"\[a*b\]",
        "plain": "Is 3 &lt;b&gt; 2? *not bold*<br>line two",
        "auto": "Line one<br>Line <strong>two</strong>",
        "markdown": "What is <em>the</em> <strong>symbol</strong>?",
        "scripts": "m² of H₂O, e⁻ˣ, kQ",  # Q has no raised form: said
    }
    line = next(n for n, text in enumerate(xml.splitlines(), 1) if ">scripts<" in text)
    assert f"{path}:{line}: 'scripts': text: kept only the text of <sup>" in result.output


def test_nothing_importable_is_exit_1_with_the_notes(tmp_path):
    path = tmp_path / "quiz.xml"
    path.write_text(_quiz(_choice("blank key", [(" ", 100), ("Rome", 0)])))
    result = _run("import", "moodle", path, "-o", tmp_path / "bank", "--difficulty", "easy",
                  "--knowledge", "recall")
    assert result.exit_code == 1
    assert "its correct option 1 is blank" in result.output
    assert "no question could be imported" in result.output
    assert not (tmp_path / "bank").exists()


def test_an_import_into_a_bank_refuses_its_ids_unless_renamed(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "a.yaml").write_text("topic: A\nquestions:\n  - id: good\n    difficulty: easy\n"
                                 "    knowledge: recall\n    type: truefalse\n"
                                 "    text: Right?\n    answer: true\n")
    path = tmp_path / "quiz.xml"
    path.write_text(_quiz(_choice("good", [("Paris", 100), ("Rome", 0)])))
    args = ["import", "moodle", path, "-o", bank / "imported", "--difficulty", "easy",
            "--knowledge", "recall"]
    result = _run(*args)
    assert result.exit_code == 2
    assert f"{path}:3: id 'good' is already in the bank" in result.output
    assert f"{bank / 'a.yaml'}:3" in result.output and "--rename" in result.output
    assert not (bank / "imported").exists()
    result = _run(*args, "--rename")
    assert result.exit_code == 0, result.output
    assert "imported as 'good-imported'" in result.output
    assert sorted(q.id for q in load_bank(bank).questions) == ["good", "good-imported"]


def test_group_and_source_survive_a_round_trip_through_moodle_xml(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "a.yaml").write_text(
        "topic: A\nquestions:\n  - id: g1\n    difficulty: easy\n    knowledge: recall\n"
        "    type: truefalse\n    text: Is $x^2$ never negative?\n    answer: true\n"
        "    group: squares\n    source: Lecture 3\n")
    assert _run("export", "moodle", "--bank", bank, "-o", tmp_path / "m.xml").exit_code == 0
    result = _run("import", "moodle", tmp_path / "m.xml", "-o", tmp_path / "back")
    assert result.exit_code == 0, result.output
    back = load_bank(tmp_path / "back").by_id["g1"]
    assert (back.group, back.source, back.text) == ("squares", "Lecture 3",
                                                     "Is $x^2$ never negative?")


def test_the_file_is_read_as_a_stream_and_past_a_limit_nothing_is_kept(tmp_path,
                                                                       monkeypatch):
    """Fed to the parser a few bytes at a time (every question split across reads), the
    import is the same; a picture over its limit is counted while it is parsed, never
    stored, and its question is left out with its line."""
    from examgen.formats import moodle_stream
    from examgen.formats.moodle_import import import_moodle

    exported = tmp_path / "bank.xml"
    result = _run("export", "moodle", "--bank", ROOT / "tests" / "banks" / "matching", "-o",
                  exported)
    assert result.exit_code == 0, result.output
    whole = import_moodle(io.BytesIO(exported.read_bytes()), "bank.xml")
    monkeypatch.setattr(moodle_stream, "CHUNK", 7)
    with exported.open("rb") as stream:
        streamed = import_moodle(stream, "bank.xml")
    assert whole.questions == 5
    assert [(e.where, e.question) for e in streamed.entries] == [
        (e.where, e.question) for e in whole.entries]
    big = _choice("big picture", [("yes", 100), ("no", 0)],
                  files='<file name="a.png" encoding="base64">' + "QUFB" * 40_000 + "</file>")
    [question] = moodle_stream.read_questions(io.BytesIO(_quiz(big).encode()), "q.xml",
                                              1000, 100_000)
    assert question.too_large == "its picture a.png is larger than 0 MB"
    kept = question.element.findtext("questiontext/file") or ""
    assert 0 < len(kept) * 3 // 4 <= 100_000, "past the limit nothing is stored"
