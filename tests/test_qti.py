"""QTI 2.1 export, run by an independent QTI engine (pyslet, see tests/qtiengine.py).

Every item must parse under QTI's content model, and its own response processing must
give the points the YAML says (read by the test oracle) to the right answers, nothing to
wrong or missing ones, each gap its share, and every set of ticks of a multiple-response
question the grade Moodle and paper give it.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from examgen.bank.loader import load_bank
from examgen.cli import main

from .conftest import first_draws
from .oracle import Expected, number, plain, read_bank
from .qtiengine import correct_responses, outcomes, read_item
from .test_oracle import SAMPLE_TYPES, TYPES, _moodle_grades, write_generated_bank

ROOT = Path(__file__).resolve().parent.parent
QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
LOM = "{http://ltsc.ieee.org/xsd/LOM}"


def _export(tmp_path: Path, *args: str) -> zipfile.ZipFile:
    out = tmp_path / "qti.zip"
    result = CliRunner().invoke(main, ["export", "qti", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return zipfile.ZipFile(out)


def _items_by_id(package: zipfile.ZipFile) -> dict[str, str]:
    """Bank id -> item file, as the manifest lists them (and every listed file exists)."""
    manifest = ElementTree.fromstring(package.read("imsmanifest.xml"))
    names = set(package.namelist())
    items = {}
    for resource in manifest.iter(f"{CP}resource"):
        for file in resource.iter(f"{CP}file"):
            assert file.get("href") in names, file.get("href")
        if resource.get("type") == "imsqti_item_xmlv2p1":
            entry = resource.find(f".//{LOM}identifier/{LOM}entry")
            assert entry is not None
            items[entry.text or ""] = resource.get("href") or ""
    return items


def check_package(bank: Path, package: zipfile.ZipFile) -> set[str]:
    """Every question of the bank as an item that scores as the YAML says; the types seen."""
    expected = read_bank(bank, first_draws(load_bank(bank)))
    items = _items_by_id(package)
    assert set(items) == set(expected)
    for qid, e in expected.items():
        xml = package.read(items[qid])
        item = read_item(xml)
        assert item.title.startswith(f"{qid}: ")
        points = number(e.points)
        assert outcomes(item, {})["SCORE"] == 0, qid
        assert outcomes(item, {})["MAXSCORE"] == pytest.approx(points), qid
        if e.type != "open":
            full = outcomes(item, correct_responses(item))["SCORE"]
            assert full == pytest.approx(points, abs=1e-9), qid
        _CHECKS[e.type](e, item, ElementTree.fromstring(xml), points)
    return {e.type for e in expected.values()}


def _score(item, responses) -> float:  # type: ignore[no-untyped-def]
    return float(outcomes(item, responses)["SCORE"])


def _text(element: ElementTree.Element | None) -> str:
    assert element is not None
    return " ".join("".join(element.itertext()).split())


def _same_text(shown: ElementTree.Element | None, written: str) -> None:
    if "$" not in written and "\\(" not in written and "\\[" not in written:
        assert _text(shown) == plain(written)


def _choice(e: Expected, item, xml: ElementTree.Element, points: float) -> None:  # type: ignore[no-untyped-def]
    choices = xml.findall(f".//{QTI}simpleChoice")
    assert any(c.get("fixed") == "true" for c in choices) == e.fixed_order, e.id
    for choice, (text, _) in zip(choices, e.options, strict=True):
        _same_text(choice, text)
    _same_text(xml.find(f"{QTI}itemBody/{QTI}div"), e.text)
    names = [c.get("identifier") for c in choices]
    if e.type == "single":
        for name, (_, right) in zip(names, e.options, strict=True):
            assert _score(item, {"RESPONSE": name}) == (points if right else 0), e.id
        return
    grades = _moodle_grades(e)
    for k in range(len(names) + 1):
        for ticked in itertools.combinations(range(len(names)), k):
            want = min(1.0, max(0.0, sum(grades[i] for i in ticked) / 100)) * points
            got = _score(item, {"RESPONSE": [names[i] for i in ticked]} if ticked else {})
            assert got == pytest.approx(want, abs=1e-6 * points), (e.id, ticked)


def _truefalse(e: Expected, item, xml: ElementTree.Element, points: float) -> None:  # type: ignore[no-untyped-def]
    assert _score(item, {"RESPONSE": "true"}) == (points if e.answer else 0)
    assert _score(item, {"RESPONSE": "false"}) == (0 if e.answer else points)


def _short(e: Expected, item, xml: ElementTree.Element, points: float) -> None:  # type: ignore[no-untyped-def]
    for answer in e.answers:
        assert _score(item, {"RESPONSE": answer}) == points, (e.id, answer)
        assert _score(item, {"RESPONSE": answer + "x"}) == 0, (e.id, answer)
        other = answer.swapcase()
        if other != answer and other not in e.answers:
            want = 0 if e.case_sensitive else points
            assert _score(item, {"RESPONSE": other}) == want, (e.id, other)


def _numeric(e: Expected, item, xml: ElementTree.Element, points: float) -> None:  # type: ignore[no-untyped-def]
    value, tolerance = number(e.value), number(e.tolerance)
    inside = [value - tolerance * 0.999, value + tolerance * 0.999, value]
    outside = [value + tolerance + abs(value) * 1e-6 + 1e-6,
               value - tolerance - abs(value) * 1e-6 - 1e-6]
    for answer in inside:
        assert _score(item, {"RESPONSE": answer}) == points, (e.id, answer)
    for answer in outside:
        assert _score(item, {"RESPONSE": answer}) == 0, (e.id, answer)
    if e.unit:
        assert e.unit in _text(xml.find(f".//{QTI}textEntryInteraction/..")), e.id


def _open(e: Expected, item, xml: ElementTree.Element, points: float) -> None:  # type: ignore[no-untyped-def]
    interaction = xml.find(f".//{QTI}extendedTextInteraction")
    assert interaction is not None and interaction.get("expectedLines") == str(e.answer_lines)
    if e.model_answer and "$" not in e.model_answer:
        rubric = xml.find(f".//{QTI}rubricBlock")
        assert rubric is not None and rubric.get("view") == "scorer"
        assert plain(e.model_answer) in _text(rubric)
    assert _score(item, {"RESPONSE": e.model_answer or "x"}) == 0  # a human scores it


def _cloze(e: Expected, item, xml: ElementTree.Element, points: float) -> None:  # type: ignore[no-untyped-def]
    shares = [number(g["points"]) if g["points"] else points / len(e.gaps) for g in e.gaps]
    right = correct_responses(item)
    for number_, (gap, share) in enumerate(zip(e.gaps, shares, strict=True), 1):
        response = f"RESPONSE_{number_}"
        assert _score(item, {response: right[response]}) == pytest.approx(share), e.id
        if "options" in gap:
            interaction = next(i for i in xml.iter(f"{QTI}inlineChoiceInteraction")
                               if i.get("responseIdentifier") == response)
            choices = interaction.findall(f"{QTI}inlineChoice")
            for choice, (text, ok) in zip(choices, gap["options"], strict=True):
                _same_text(choice, text)
                got = _score(item, {response: choice.get("identifier")})
                assert got == pytest.approx(share if ok else 0), (e.id, text)
        else:
            for answer in gap["answers"]:
                assert _score(item, {response: answer}) == pytest.approx(share), e.id
            assert _score(item, {response: gap["answers"][0] + "x"}) == 0


def _matching(e: Expected, item, xml: ElementTree.Element, points: float) -> None:  # type: ignore[no-untyped-def]
    """Left items in the YAML's order, right items each once, then the distractors; every
    left item matched to its own right one scores an equal share, any other match 0."""
    interaction = xml.find(f".//{QTI}matchInteraction")
    assert interaction is not None
    lefts, rights = (s.findall(f"{QTI}simpleAssociableChoice")
                     for s in interaction.findall(f"{QTI}simpleMatchSet"))
    for shown, (left, _) in zip(lefts, e.pairs, strict=True):
        _same_text(shown, left)
    for shown, right in zip(rights, e.rights, strict=True):
        _same_text(shown, right)
    assert len(rights) == len(e.rights)
    ids = [r.get("identifier") for r in rights]
    share = points / len(e.pairs)
    for k, (_, right) in enumerate(e.pairs):
        mine = (lefts[k].get("identifier"), ids[e.rights.index(right)])
        assert _score(item, {"RESPONSE": {mine: 1}}) == pytest.approx(share), e.id
        for other in ids:
            if other != mine[1]:
                assert _score(item, {"RESPONSE": {(mine[0], other): 1}}) == 0, e.id
    first_two = {(lefts[k].get("identifier"), ids[e.rights.index(e.pairs[k][1])]): 1
                 for k in range(2)}
    assert _score(item, {"RESPONSE": first_two}) == pytest.approx(2 * share), e.id


_CHECKS = {"single": _choice, "multiple": _choice, "truefalse": _truefalse, "short": _short,
           "numeric": _numeric, "open": _open, "cloze": _cloze, "matching": _matching}


def test_the_sample_bank_scores_in_a_qti_engine_as_the_yaml_says(tmp_path):
    package = _export(tmp_path, "--bank", str(ROOT / "bank"), "--category-root", "ML III")
    assert check_package(ROOT / "bank", package) == SAMPLE_TYPES
    manifest = ElementTree.fromstring(package.read("imsmanifest.xml"))
    expected = read_bank(ROOT / "bank")
    for resource in manifest.iter(f"{CP}resource"):
        entry = resource.find(f".//{LOM}identifier/{LOM}entry")
        if entry is None:
            continue
        taxa = [e.findtext(f"{LOM}entry/{LOM}string") for e in resource.iter(f"{LOM}taxon")]
        assert taxa == ["ML III", expected[entry.text or ""].topic], entry.text
        words = [k.findtext(f"{LOM}string") for k in resource.iter(f"{LOM}keyword")]
        e = expected[entry.text or ""]
        assert words[:2] == [f"difficulty-{e.difficulty}", f"knowledge-{e.knowledge}"]
    pictures = [n for n in package.namelist() if n.startswith("items/images/")]
    assert pictures, "the sample bank's pictures are packed"
    for name in pictures:
        assert package.read(name) == (ROOT / "bank" / name.removeprefix("items/")).read_bytes()


def test_matching_questions_score_in_a_qti_engine_as_the_yaml_says(tmp_path):
    bank = ROOT / "tests" / "banks" / "matching"
    assert "matching" in check_package(bank, _export(tmp_path, "--bank", str(bank)))


def test_picture_options_score_in_a_qti_engine_as_the_yaml_says(tmp_path):
    bank = ROOT / "tests" / "banks" / "pictures"
    assert {"single", "multiple"} <= check_package(bank, _export(tmp_path, "--bank",
                                                                 str(bank)))


def _schema_problems(package: Path) -> str:
    """What the official IMS schemas say of a package (tests/qti_schemas: offline)."""
    validator = ROOT / "tests" / "qti_schemas" / "validate_qti.py"
    done = subprocess.run([sys.executable, str(validator), str(package)],
                          capture_output=True, text=True, timeout=300)
    return "" if done.returncode == 0 else done.stdout + done.stderr


def test_every_kind_of_package_validates_against_the_ims_schemas(tmp_path):
    """The bank (every type, pictures, formulas as MathML), an exam of two variants, two
    forms, and matching questions: each package against QTI 2.1 and its CP profile."""
    out = tmp_path / "out"
    packages = []
    for name, args in [
            ("bank", ["--bank", str(ROOT / "bank")]),
            ("matching", ["--bank", str(ROOT / "tests" / "banks" / "matching")]),
            ("pictures", ["--bank", str(ROOT / "tests" / "banks" / "pictures")]),
            ("generated", ["--bank", str(write_generated_bank(tmp_path / "gen", 11))])]:
        packages.append(tmp_path / f"{name}.zip")
        result = CliRunner().invoke(main, ["export", "qti", *args, "-o", str(packages[-1])])
        assert result.exit_code == 0, result.output
    for name, args in [("variants", ["--variants", "2"]), ("forms", ["--forms", "2"])]:
        result = CliRunner().invoke(main, [
            "build", "--bank", str(ROOT / "bank"), "--total", "8", "--seed", "5", *args,
            "-o", str(out / name)])
        assert result.exit_code == 0, result.output
        packages.append(tmp_path / f"{name}.zip")
        result = CliRunner().invoke(main, ["export", "qti", "--manifest",
                                           str(out / name / "exam.json"), "--bank",
                                           str(ROOT / "bank"), "-o", str(packages[-1])])
        assert result.exit_code == 0, result.output
    for package in packages:
        assert _schema_problems(package) == "", package.name


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_generated_banks_of_every_type_score_as_the_yaml_says(tmp_path, seed):
    bank = write_generated_bank(tmp_path / "bank", seed)
    assert check_package(bank, _export(tmp_path, "--bank", str(bank))) == set(TYPES)


def test_an_exam_becomes_a_test_with_its_questions_in_printed_order(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "build", "--bank", str(ROOT / "bank"), "--total", "6", "--forms", "2", "--seed", "3",
        "--title", "Final", "-o", str(out)])
    assert result.exit_code == 0, result.output
    args = ["--bank", str(ROOT / "bank"), "--manifest", str(out / "exam.json")]
    package = _export(tmp_path, *args)
    manifest = json.loads((out / "exam.json").read_text(encoding="utf-8"))
    items = _items_by_id(package)
    assert len(items) == 12
    for form in manifest["forms"]:
        test = ElementTree.fromstring(package.read(f"tests/exam-{form['name']}.xml"))
        assert test.get("title") == f"Final, form {form['name']}"
        refs = [r.get("href") for r in test.iter(f"{QTI}assessmentItemRef")]
        order = form["variants"][0]["order"]
        assert refs == ["../" + items[qid] for qid in order]
    first = (tmp_path / "qti.zip").read_bytes()
    assert _export(tmp_path, *args) and (tmp_path / "qti.zip").read_bytes() == first


def test_a_broken_package_is_refused_by_its_own_check():
    from examgen.formats.qti import to_qti
    from examgen.formats.qti_check import check_qti

    good = to_qti(list(load_bank(ROOT / "bank").questions)).files
    assert check_qti(good) == []
    item = "items/ae-structure.xml"
    cases = {
        b'<responseDeclaration identifier="RESPONSE"':
            f"{item}: choiceInteraction uses the undeclared response RESPONSE",
        b'mapKey="C1"': f"{item}: RESPONSE names C9, which is no choice",
        b"</itemBody>": f"{item}: mismatched tag: line 21, column 2",
    }
    for old, problem in cases.items():
        new = {b'mapKey="C1"': b'mapKey="C9"'}.get(old, b"" if old == b"</itemBody>" else
                                                   old.replace(b"RESPONSE", b"R"))
        files = {**good, item: good[item].replace(old, new, 1)}
        assert problem in check_qti(files), problem
    files = dict(good)
    picture = next(n for n in files if n.startswith("items/images/"))
    del files[picture]
    problems = check_qti(files)
    assert f"imsmanifest.xml lists {picture}, which the package lacks" in problems
    assert any("is not in the package" in p for p in problems)


def test_no_latex_where_qti_allows_only_plain_text(tmp_path):
    """Titles and inline choices hold neither LaTeX nor MathML: formulas are written in
    plain characters there (ε, r_(t+1)); the bodies carry MathML."""
    output = tmp_path / "bank.zip"
    result = CliRunner().invoke(main, ["export", "qti", "--bank", "bank", "-o", str(output)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(output) as package:
        items = [package.read(n).decode() for n in package.namelist()
                 if n.startswith("items/") and n.endswith(".xml")]
    plain_places = [t for item in items for t in
                    [*ElementTree.fromstring(item).get("title", "").split("\n"),
                     *(c.text or "" for c in ElementTree.fromstring(item).iter(
                         "{http://www.imsglobal.org/xsd/imsqti_v2p1}inlineChoice"))]]
    assert plain_places and not [t for t in plain_places if "$" in t or "\\" in t]
    assert any("ε" in t for t in plain_places)


def test_a_control_character_in_a_title_is_refused_naming_the_manifest(tmp_path):
    result = CliRunner().invoke(main, ["build", "--total", "3", "--no-pdf", "-o",
                                       str(tmp_path / "out"), "--title", "Exam\x01"])
    assert result.exit_code == 2 and "control character U+0001" in result.output
    manifest = tmp_path / "exam.json"
    result = CliRunner().invoke(main, ["build", "--total", "3", "--no-pdf", "-o",
                                       str(tmp_path / "ok")])
    data = json.loads((tmp_path / "ok" / "exam.json").read_text())
    data["header"]["title"] = "Exam\x01"
    manifest.write_text(json.dumps(data))
    result = CliRunner().invoke(main, ["export", "qti", "--manifest", str(manifest), "-o",
                                       str(tmp_path / "x.zip")])
    assert result.exit_code == 2 and f"{manifest}:" in result.output
    assert "tests/" not in result.output and not (tmp_path / "x.zip").exists()
