"""One QTI 2.1 assessmentItem per question: its response declarations, the
interaction of its type, and response processing written out in full."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from examgen.core.errors import ExportError
from examgen.core.markup import to_plain, to_xhtml
from examgen.core.model import (
    GAP_MARK,
    BaseQuestion,
    ChoiceGap,
    ChoiceQuestion,
    Cloze,
    Matching,
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

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
_SCHEMA = f"{QTI} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
ROOT_ATTRS = f'xmlns="{QTI}" xmlns:xsi="{_XSI}" xsi:schemaLocation="{_SCHEMA}"'


def attr(text: str) -> str:
    return escape(text, quote=True)


def num(value: float) -> str:
    return format_number(value)


@dataclass
class _Parts:
    """What one item is made of, in the order an assessmentItem wants them."""

    declarations: list[str] = field(default_factory=list)
    body: str = ""
    scoring: list[str] = field(default_factory=list)  # responseRules setting SCORE


def pictures_of(q: Question) -> list[Path]:
    """The pictures an item shows: the question's, then its options'."""
    options = q.options if isinstance(q, ChoiceQuestion) else ()
    return [p for p in (q.image, *(o.image for o in options)) if p is not None]


def item_xml(q: Question, ident: str, name: str, pictures: dict[Path, str]) -> str:
    """The item; ``pictures``: each picture's name in the package (beside the item)."""
    parts = _Parts()
    picture = pictures.get(q.image) if q.image is not None else None
    match q:
        case ChoiceQuestion():
            _choice(q, parts, pictures)
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
        case Matching():
            _matching(q, parts)
        case _:
            assert_never(q)
    image = f"    <p>{_img(picture)}</p>\n" if picture else ""
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
    points = num(q.points)
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
        f'<assessmentItem {ROOT_ATTRS} identifier="{ident}" '
        f'title="{attr(name)}" adaptive="false" timeDependent="false">\n'
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
    rows = "".join(f'<mapEntry mapKey="{attr(key)}" mappedValue="{num(value)}" '
                   f'caseSensitive="{sensitive}"/>' for key, value in entries)
    return f'<mapping lowerBound="0" upperBound="{num(upper)}" defaultValue="0">{rows}</mapping>'


def _score_by_mapping(response: str) -> str:
    return ("    <responseCondition><responseIf><not><isNull>"
            f'<variable identifier="{response}"/></isNull></not>'
            '<setOutcomeValue identifier="SCORE">'
            f'<mapResponse identifier="{response}"/></setOutcomeValue>'
            "</responseIf></responseCondition>\n")


def _text_block(q: BaseQuestion) -> str:
    return f"    <div>{to_xhtml(q.text)}</div>\n"


def _img(src: str) -> str:
    return f'<img src="{attr(src)}" alt="{attr(src.rsplit("/", 1)[-1])}"/>'


def _choice(q: ChoiceQuestion, parts: _Parts, pictures: dict[Path, str]) -> None:
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
        f"{to_xhtml(o.text)}{_img(pictures[o.image]) if o.image else ''}</simpleChoice>\n"
        for name, o in zip(names, q.options, strict=True))
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
    value = num(q.value)
    parts.declarations.append(_declaration("RESPONSE", "single", "float", [value]))
    unit = f" {escape(q.unit)}" if q.unit else ""
    parts.body = (_text_block(q)
                  + f"    <p>{_text_entry('RESPONSE', (value,))}{unit}</p>\n")
    tolerance = (f'toleranceMode="absolute" tolerance="{num(q.tolerance)} '
                 f'{num(q.tolerance)}"' if q.tolerance else 'toleranceMode="exact"')
    parts.scoring.append(
        f'    <responseCondition><responseIf><equal {tolerance}>'
        '<variable identifier="RESPONSE"/>'
        f'<baseValue baseType="float">{value}</baseValue></equal>'
        f'<setOutcomeValue identifier="SCORE"><baseValue baseType="float">{num(q.points)}'
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


def _matching(q: Matching, parts: _Parts) -> None:
    """A matchInteraction: left items L1.., right items R1..; each right pair is worth an
    equal share, as examgen and Moodle score it."""
    pairs = [f"L{i + 1} R{r + 1}" for i, r in enumerate(q.partners())]
    share = q.points / len(q.pairs)
    parts.declarations.append(_declaration(
        "RESPONSE", "multiple", "directedPair", pairs,
        _mapping([(pair, share) for pair in pairs], q.points)))
    lefts = "".join(f'        <simpleAssociableChoice identifier="L{i + 1}" matchMax="1">'
                    f"{to_xhtml(p.left)}</simpleAssociableChoice>\n"
                    for i, p in enumerate(q.pairs))
    rights = "".join(f'        <simpleAssociableChoice identifier="R{i + 1}" '
                     f'matchMax="{len(q.pairs)}">{to_xhtml(text)}</simpleAssociableChoice>\n'
                     for i, text in enumerate(q.choices))
    parts.body = (_text_block(q) + '    <matchInteraction responseIdentifier="RESPONSE" '
                  f'shuffle="true" maxAssociations="{len(q.pairs)}">\n'
                  f"      <simpleMatchSet>\n{lefts}      </simpleMatchSet>\n"
                  f"      <simpleMatchSet>\n{rights}      </simpleMatchSet>\n"
                  "    </matchInteraction>\n")
    parts.scoring.append(_score_by_mapping("RESPONSE"))


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
                choices = "".join(  # plain text only: formulas in plain characters
                    f'<inlineChoice identifier="{n}">{escape(to_plain(o.text, True))}'
                    "</inlineChoice>" for n, o in zip(names, gap.options, strict=True))
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
