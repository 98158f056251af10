"""IMS QTI 2.1 content packages: one assessmentItem per question, an assessmentTest per
exam, the pictures, and an imsmanifest.xml that lists them all.

Every item carries its own response processing, written out rather than referring to
the standard templates by URL, so that a system which cannot fetch them still scores
it. Points are the bank's: a choice scores through a mapping (a multiple-response
question with Moodle's grades, as on paper and in the Moodle export), a numeric answer
through ``equal`` with an absolute tolerance, a cloze question as the sum of its gaps.
Open questions declare their points and are left to a human scorer, with the model
answer in a rubric only scorers see. Formulas go out as MathML.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape, unescape
from io import BytesIO
from xml.parsers import expat

from examgen.core.errors import ExportError
from examgen.core.markup import to_plain, to_xhtml
from examgen.core.model import (
    GAP_MARK,
    BaseQuestion,
    ChoiceGap,
    ChoiceQuestion,
    Cloze,
    Exam,
    MultipleChoice,
    Numeric,
    OpenQuestion,
    Question,
    ShortAnswer,
    TextGap,
    TrueFalse,
    assert_never,
    format_number,
)
from examgen.core.scoring import moodle_grades
from examgen.formats.portable import display_name, tag_words

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
_SCHEMA = f"{QTI} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
_CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
_LOM = "http://ltsc.ieee.org/xsd/LOM"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_ROOT_ATTRS = f'xmlns="{QTI}" xmlns:xsi="{_XSI}" xsi:schemaLocation="{_SCHEMA}"'
_NOT_NAME = re.compile(r"[^A-Za-z0-9_.-]")
# zip entries get a fixed time so that the same input gives the same bytes
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


@dataclass
class QtiPackage:
    """The package's files by their path inside the zip, in the order they are written."""

    files: dict[str, bytes] = field(default_factory=dict)
    items: int = 0
    tests: int = 0

    def zip_bytes(self) -> bytes:
        out = BytesIO()
        # level 1: for 10,000 questions 9.2 MB in 0.35 s, against 8.8 MB in 0.40 s at 6
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, data in self.files.items():
                info = zipfile.ZipInfo(name, _ZIP_TIME)
                archive.writestr(info, data, zipfile.ZIP_DEFLATED, compresslevel=1)
        return out.getvalue()


@dataclass(frozen=True)
class QtiTest:
    """An exam as an assessmentTest: its questions in the printed order."""

    identifier: str
    title: str
    questions: tuple[Question, ...]


def exam_tests(exams: Sequence[Exam], title: str) -> list[QtiTest]:
    """Each exam (each form) as a test: its questions in the first variant's order."""
    tests = []
    for exam in exams:
        by_id = {q.id: q for q in exam.questions}
        name = f"{title or 'Exam'}, form {exam.name}" if exam.name else (title or "Exam")
        tests.append(QtiTest(identifier(f"exam-{exam.name}" if exam.name else "exam"),
                             name, tuple(by_id[i] for i in exam.variants[0].order)))
    return tests


def identifier(qid: str) -> str:
    """A bank id as a QTI identifier (an XML NCName): ids that start with a digit get
    a leading '_', which no bank id has, so two ids never meet."""
    ident = _NOT_NAME.sub("_", qid)
    return ident if ident[:1].isalpha() else "_" + ident


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _num(value: float) -> str:
    return format_number(value)


def to_qti(questions: list[Question], tests: Sequence[QtiTest] = (), root: str = ""
           ) -> QtiPackage:
    """The questions as a QTI 2.1 content package, with one assessmentTest per ``tests``;
    each item is classified under ``root``/its topic, as the Moodle and GIFT exports file
    it in their category tree."""
    package = QtiPackage()
    pictures: dict[str, str] = {}  # picture path in the zip -> the file it came from
    resources: list[str] = []
    for q in questions:
        ident = identifier(q.id)
        picture = None
        if q.image is not None:
            picture = _picture_name(q, ident, pictures)
            package.files.setdefault(f"items/{picture}", q.image.read_bytes())
        name = display_name(q)
        package.files[f"items/{ident}.xml"] = _item(q, ident, name, picture).encode()
        resources.append(_item_resource(q, ident, name, picture, root))
        package.items += 1
    for test in tests:
        package.files[f"tests/{test.identifier}.xml"] = _test(test).encode()
        resources.append(_test_resource(test))
        package.tests += 1
    for path in pictures:
        resources.append(f'    <resource identifier="{_attr(_picture_resource(path))}" '
                         f'type="webcontent" href="items/{_attr(path)}">'
                         f'<file href="items/{_attr(path)}"/></resource>\n')
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest xmlns="{_CP}" xmlns:imsmd="{_LOM}" xmlns:xsi="{_XSI}" '
        'identifier="MANIFEST-examgen" xsi:schemaLocation="'
        f'{_CP} http://www.imsglobal.org/xsd/qti/qtiv2p1/qtiv2p1_imscpv1p2_v1p0.xsd">\n'
        "  <metadata><schema>QTIv2.1 Package</schema><schemaversion>1.0.0</schemaversion>"
        "</metadata>\n  <organizations/>\n  <resources>\n" + "".join(resources)
        + "  </resources>\n</manifest>\n")
    package.files = {"imsmanifest.xml": manifest.encode(), **package.files}
    problems = check_qti(package.files)
    if problems:
        raise ExportError("the QTI package would not be valid:\n  " + "\n  ".join(problems))
    return package


def _picture_name(q: Question, ident: str, taken: dict[str, str]) -> str:
    """images/<name>, or images/<id>-<name> when another picture of that name differs."""
    assert q.image is not None
    source = str(q.image.resolve())
    for name in (f"images/{q.image.name}", f"images/{ident}-{q.image.name}"):
        if taken.setdefault(name, source) == source:
            return name
    raise AssertionError("an item's own picture name is unique")  # pragma: no cover


def _picture_resource(path: str) -> str:
    return "RES-" + identifier(path.removeprefix("images/"))


def _item_resource(q: Question, ident: str, name: str, picture: str | None,
                   root: str) -> str:
    keywords = "".join(f"<imsmd:keyword><imsmd:string>{escape(w)}</imsmd:string>"
                       "</imsmd:keyword>" for w in tag_words(q))
    depends = (f'<dependency identifierref="{_attr(_picture_resource(picture))}"/>'
               if picture else "")
    return (f'    <resource identifier="RES-{ident}" type="imsqti_item_xmlv2p1" '
            f'href="items/{ident}.xml">\n'
            f"      <metadata><imsmd:lom><imsmd:general><imsmd:identifier>"
            f"<imsmd:entry>{escape(q.id)}</imsmd:entry></imsmd:identifier>"
            f"<imsmd:title><imsmd:string>{escape(name)}</imsmd:string>"
            f"</imsmd:title>{keywords}</imsmd:general>{_classification(root, q.topic)}"
            "</imsmd:lom></metadata>\n"
            f'      <file href="items/{ident}.xml"/>{depends}\n    </resource>\n')


def _classification(root: str, topic: str) -> str:
    """LOM's way to file a resource in a tree: the path root > topic."""
    taxa = "".join(f"<imsmd:taxon><imsmd:entry><imsmd:string>{escape(part)}</imsmd:string>"
                   "</imsmd:entry></imsmd:taxon>" for part in (root, topic) if part)
    return ("<imsmd:classification><imsmd:purpose><imsmd:source>LOMv1.0</imsmd:source>"
            "<imsmd:value>discipline</imsmd:value></imsmd:purpose><imsmd:taxonPath>"
            f"<imsmd:source><imsmd:string>examgen</imsmd:string></imsmd:source>{taxa}"
            "</imsmd:taxonPath></imsmd:classification>")


def _test_resource(test: QtiTest) -> str:
    depends = "".join(f'<dependency identifierref="RES-{identifier(q.id)}"/>'
                      for q in test.questions)
    return (f'    <resource identifier="RES-{test.identifier}" type="imsqti_test_xmlv2p1" '
            f'href="tests/{test.identifier}.xml">\n'
            f'      <file href="tests/{test.identifier}.xml"/>{depends}\n    </resource>\n')


def _test(test: QtiTest) -> str:
    refs = "".join(f'        <assessmentItemRef identifier="{identifier(q.id)}" '
                   f'href="../items/{identifier(q.id)}.xml"/>\n' for q in test.questions)

    def total(outcome: str) -> str:
        return (f'    <setOutcomeValue identifier="{outcome}"><sum><testVariables '
                f'variableIdentifier="{outcome}"/></sum></setOutcomeValue>\n')

    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<assessmentTest {_ROOT_ATTRS} identifier="{test.identifier}" '
        f'title="{_attr(test.title)}">\n'
        '  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float">'
        "<defaultValue><value>0</value></defaultValue></outcomeDeclaration>\n"
        '  <outcomeDeclaration identifier="MAXSCORE" cardinality="single" baseType="float">'
        "<defaultValue><value>0</value></defaultValue></outcomeDeclaration>\n"
        '  <testPart identifier="part1" navigationMode="nonlinear" '
        'submissionMode="simultaneous">\n'
        '    <itemSessionControl maxAttempts="1" showFeedback="false" allowReview="true" '
        'showSolution="false"/>\n'
        f'    <assessmentSection identifier="section1" title="{_attr(test.title)}" '
        'visible="true">\n'
        f"{refs}"
        "    </assessmentSection>\n  </testPart>\n"
        f"  <outcomeProcessing>\n{total('SCORE')}{total('MAXSCORE')}  </outcomeProcessing>\n"
        "</assessmentTest>\n")


# --- items ---------------------------------------------------------------------------


@dataclass
class _Parts:
    """What one item is made of, in the order an assessmentItem wants them."""

    declarations: list[str] = field(default_factory=list)
    body: str = ""
    scoring: list[str] = field(default_factory=list)  # responseRules setting SCORE


def _item(q: Question, ident: str, name: str, picture: str | None) -> str:
    parts = _Parts()
    match q:
        case ChoiceQuestion():
            _choice(q, parts)
        case TrueFalse():
            _truefalse(q, parts)
        case ShortAnswer():
            _short(q, parts)
        case Numeric():
            _numeric(q, parts)
        case OpenQuestion():
            _open(q, parts)
        case Cloze():
            _cloze(q, parts)
        case _:
            assert_never(q)
    image = (f'    <p><img src="{_attr(picture)}" alt="{_attr(picture.rsplit("/", 1)[-1])}"/>'
             "</p>\n" if picture else "")
    feedback_rules, feedback = "", ""
    if q.explanation and not isinstance(q, OpenQuestion):
        feedback_rules = ('    <setOutcomeValue identifier="FEEDBACK"><baseValue '
                          'baseType="identifier">SOLUTION</baseValue></setOutcomeValue>\n')
        feedback = ('  <modalFeedback outcomeIdentifier="FEEDBACK" showHide="show" '
                    f'identifier="SOLUTION"><div>{to_xhtml(q.explanation)}</div>'
                    "</modalFeedback>\n")
    processing = ""
    if parts.scoring or feedback_rules:
        processing = ("  <responseProcessing>\n" + "".join(parts.scoring) + feedback_rules
                      + "  </responseProcessing>\n")
    points = _num(q.points)
    outcomes = (
        '  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float">'
        "<defaultValue><value>0</value></defaultValue></outcomeDeclaration>\n"
        '  <outcomeDeclaration identifier="MAXSCORE" cardinality="single" baseType="float">'
        f"<defaultValue><value>{points}</value></defaultValue></outcomeDeclaration>\n")
    if feedback:
        outcomes += ('  <outcomeDeclaration identifier="FEEDBACK" cardinality="single" '
                     'baseType="identifier"/>\n')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<assessmentItem {_ROOT_ATTRS} identifier="{ident}" '
        f'title="{_attr(name)}" adaptive="false" timeDependent="false">\n'
        + "".join(parts.declarations) + outcomes
        + f"  <itemBody>\n{parts.body}{image}  </itemBody>\n"
        + processing + feedback + "</assessmentItem>\n")


def _declaration(response: str, cardinality: str, base: str, correct: list[str],
                 mapping: str = "") -> str:
    values = "".join(f"<value>{escape(v)}</value>" for v in correct)
    right = f"<correctResponse>{values}</correctResponse>" if correct else ""
    return (f'  <responseDeclaration identifier="{response}" cardinality="{cardinality}" '
            f'baseType="{base}">{right}{mapping}</responseDeclaration>\n')


def _mapping(entries: list[tuple[str, float]], upper: float, case_sensitive: bool = True
             ) -> str:
    sensitive = "true" if case_sensitive else "false"
    rows = "".join(f'<mapEntry mapKey="{_attr(key)}" mappedValue="{_num(value)}" '
                   f'caseSensitive="{sensitive}"/>' for key, value in entries)
    return f'<mapping lowerBound="0" upperBound="{_num(upper)}" defaultValue="0">{rows}</mapping>'


def _score_by_mapping(response: str) -> str:
    return ("    <responseCondition><responseIf><not><isNull>"
            f'<variable identifier="{response}"/></isNull></not>'
            '<setOutcomeValue identifier="SCORE">'
            f'<mapResponse identifier="{response}"/></setOutcomeValue>'
            "</responseIf></responseCondition>\n")


def _text_block(q: BaseQuestion) -> str:
    return f"    <div>{to_xhtml(q.text)}</div>\n"


def _choice(q: ChoiceQuestion, parts: _Parts) -> None:
    names = [f"C{i + 1}" for i in range(len(q.options))]
    multiple = isinstance(q, MultipleChoice)
    right = sum(o.correct for o in q.options)
    # Moodle's grades (a wrong option's cost in its steps), but a correct option's share
    # exact: Moodle's 33.33333 % three times would leave 0.9999999 of the points
    values = [(name, q.points / right if o.correct else q.points * grade / 100)
              for name, grade, o in zip(names, moodle_grades(q), q.options, strict=True)]
    correct = [name for name, o in zip(names, q.options, strict=True) if o.correct]
    parts.declarations.append(_declaration(
        "RESPONSE", "multiple" if multiple else "single", "identifier", correct,
        _mapping([(n, v) for n, v in values if v], q.points)))
    shuffle = "false" if any(o.fixed_order for o in q.options) else "true"
    fixed = ' fixed="true"'
    choices = "".join(
        f'      <simpleChoice identifier="{name}"{fixed if o.fixed_order else ""}>'
        f"{to_xhtml(o.text)}</simpleChoice>\n" for name, o in zip(names, q.options, strict=True))
    parts.body = (_text_block(q) + f'    <choiceInteraction responseIdentifier="RESPONSE" '
                  f'shuffle="{shuffle}" maxChoices="{0 if multiple else 1}">\n'
                  f"{choices}    </choiceInteraction>\n")
    parts.scoring.append(_score_by_mapping("RESPONSE"))


def _truefalse(q: TrueFalse, parts: _Parts) -> None:
    right = "true" if q.answer else "false"
    parts.declarations.append(_declaration(
        "RESPONSE", "single", "identifier", [right], _mapping([(right, q.points)], q.points)))
    parts.body = (_text_block(q) + '    <choiceInteraction responseIdentifier="RESPONSE" '
                  'shuffle="false" maxChoices="1">\n'
                  '      <simpleChoice identifier="true">True</simpleChoice>\n'
                  '      <simpleChoice identifier="false">False</simpleChoice>\n'
                  "    </choiceInteraction>\n")
    parts.scoring.append(_score_by_mapping("RESPONSE"))


def _text_entry(response: str, answers: tuple[str, ...]) -> str:
    length = max(10, max(len(a) for a in answers) + 5)
    return f'<textEntryInteraction responseIdentifier="{response}" expectedLength="{length}"/>'


def _short(q: ShortAnswer, parts: _Parts) -> None:
    entries = [(a, q.points) for a in dict.fromkeys(q.answers)]
    parts.declarations.append(_declaration(
        "RESPONSE", "single", "string", [q.answers[0]],
        _mapping(entries, q.points, q.case_sensitive)))
    parts.body = _text_block(q) + f"    <p>{_text_entry('RESPONSE', q.answers)}</p>\n"
    parts.scoring.append(_score_by_mapping("RESPONSE"))


def _numeric(q: Numeric, parts: _Parts) -> None:
    value = _num(q.value)
    parts.declarations.append(_declaration("RESPONSE", "single", "float", [value]))
    unit = f" {escape(q.unit)}" if q.unit else ""
    parts.body = (_text_block(q)
                  + f"    <p>{_text_entry('RESPONSE', (value,))}{unit}</p>\n")
    tolerance = (f'toleranceMode="absolute" tolerance="{_num(q.tolerance)} '
                 f'{_num(q.tolerance)}"' if q.tolerance else 'toleranceMode="exact"')
    parts.scoring.append(
        f'    <responseCondition><responseIf><equal {tolerance}>'
        '<variable identifier="RESPONSE"/>'
        f'<baseValue baseType="float">{value}</baseValue></equal>'
        f'<setOutcomeValue identifier="SCORE"><baseValue baseType="float">{_num(q.points)}'
        "</baseValue></setOutcomeValue></responseIf></responseCondition>\n")


def _open(q: OpenQuestion, parts: _Parts) -> None:
    parts.declarations.append(_declaration("RESPONSE", "single", "string", []))
    rubric = ""
    scorer = "\n".join(t for t in (q.model_answer, q.explanation) if t)
    if scorer:
        rubric = f'    <rubricBlock view="scorer"><div>{to_xhtml(scorer)}</div></rubricBlock>\n'
    parts.body = (rubric + _text_block(q)
                  + '    <extendedTextInteraction responseIdentifier="RESPONSE" '
                  f'expectedLines="{q.answer_lines}"/>\n')


def _cloze(q: Cloze, parts: _Parts) -> None:
    text = to_xhtml(q.text)
    sums = []
    for number, (gap, points) in enumerate(zip(q.gaps, q.gap_points(), strict=True), 1):
        response = f"RESPONSE_{number}"
        match gap:
            case ChoiceGap():
                names = [f"G{number}_{i + 1}" for i in range(len(gap.options))]
                right = next(n for n, o in zip(names, gap.options, strict=True) if o.correct)
                parts.declarations.append(_declaration(
                    response, "single", "identifier", [right],
                    _mapping([(right, points)], points)))
                shuffle = "false" if any(o.fixed_order for o in gap.options) else "true"
                choices = "".join(
                    f'<inlineChoice identifier="{n}">{escape(to_plain(o.text))}</inlineChoice>'
                    for n, o in zip(names, gap.options, strict=True))
                widget = (f'<inlineChoiceInteraction responseIdentifier="{response}" '
                          f'shuffle="{shuffle}">{choices}</inlineChoiceInteraction>')
            case TextGap():
                parts.declarations.append(_declaration(
                    response, "single", "string", [gap.answers[0]],
                    _mapping([(a, points) for a in dict.fromkeys(gap.answers)], points)))
                widget = _text_entry(response, gap.answers)
            case _:
                assert_never(gap)
        text = text.replace(f"{{{{{number}}}}}", widget, 1)
        sums.append(f'<mapResponse identifier="{response}"/>')
    parts.body = f"    <div>{text}</div>\n"
    # a gap left empty maps to its default, 0: the sum of the gaps is the score
    parts.scoring.append(f'    <setOutcomeValue identifier="SCORE"><sum>{"".join(sums)}'
                         "</sum></setOutcomeValue>\n")
    if GAP_MARK.search(parts.body):
        raise ExportError(f"{q.file}:{q.line}: question '{q.id}': a gap mark is not "
                          "numbered in order")


# --- the package's own check --------------------------------------------------------
# Every file is parsed by expat (well-formed or refused); the references are then read
# with patterns, which is safe because this module wrote the markup they match, and a
# tenth of the time an element tree of every item would take.

_FILE = re.compile(rb'<file href="([^"]*)"')
_DECLARATION = re.compile(
    rb'<responseDeclaration identifier="([^"]*)" cardinality="[^"]*" baseType="([^"]*)">'
    rb"(.*?)</responseDeclaration>", re.DOTALL)
_KEY = re.compile(rb'<value>([^<]*)</value>|mapKey="([^"]*)"')
_USE = re.compile(rb'<(choiceInteraction|textEntryInteraction|extendedTextInteraction'
                  rb'|inlineChoiceInteraction) responseIdentifier="([^"]*)"'
                  rb'|<(variable|mapResponse) identifier="([^"]*)"')
_CHOICE = re.compile(rb'<(?:simpleChoice|inlineChoice) identifier="([^"]*)"')
_PICTURE = re.compile(rb'<img src="([^"]*)"')
_OUTCOMES = {b"SCORE", b"MAXSCORE", b"FEEDBACK"}


def check_qti(files: dict[str, bytes]) -> list[str]:
    """What a QTI 2.1 importer would reject: XML that does not parse, a response used
    but not declared, a correct or mapped value that is no choice, a file the manifest
    names but the package lacks (and the reverse)."""
    problems = [f"{name}: {error}" for name, data in files.items()
                if name.endswith(".xml") and (error := _not_well_formed(data))]
    if problems or "imsmanifest.xml" not in files:
        return problems or ["the package has no imsmanifest.xml"]
    names = set(files)
    listed = {unescape(h.decode()) for h in _FILE.findall(files["imsmanifest.xml"])}
    problems += [f"imsmanifest.xml lists {href}, which the package lacks"
                 for href in sorted(listed - names)]
    problems += [f"{name} is not in imsmanifest.xml"
                 for name in sorted(names - listed - {"imsmanifest.xml"})]
    for name, data in files.items():
        if name.startswith("items/") and name.endswith(".xml"):
            problems += _check_item(name, data, names)
    return problems


def _not_well_formed(data: bytes) -> str:
    try:
        expat.ParserCreate().Parse(data, True)
    except expat.ExpatError as error:
        return str(error)
    return ""


def _check_item(name: str, data: bytes, names: set[str]) -> list[str]:
    problems = []
    declared = {}
    choices = set(_CHOICE.findall(data))
    for response, base, body in _DECLARATION.findall(data):
        declared[response] = base
        if base == b"identifier":
            problems += [f"{name}: {response.decode()} names {(v or k).decode()}, which is "
                         "no choice" for v, k in _KEY.findall(body) if (v or k) not in choices]
    for tag, response, tag2, response2 in _USE.findall(data):
        used = response or response2
        if used not in declared and used not in _OUTCOMES:
            problems.append(f"{name}: {(tag or tag2).decode()} uses the undeclared response "
                            f"{used.decode()}")
    folder = name.rsplit("/", 1)[0]
    problems += [f"{name}: the picture {src.decode()} is not in the package"
                 for src in _PICTURE.findall(data)
                 if f"{folder}/{unescape(src.decode())}" not in names]
    return problems
