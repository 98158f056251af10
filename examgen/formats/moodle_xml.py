"""Moodle XML that Moodle's importer takes with its defaults (exact grades, stop on error).

Moodle's importer is stricter and quieter than its documentation: a grade that is not one
of its grade options rejects the whole file, a missing ``<shuffleanswers>`` means no
shuffling, and a multiple-response question whose grades do not add up imports silently
broken. So every grade is chosen from Moodle's list, every setting is written explicitly,
and the result is checked (``check_moodle_xml``) before anyone sees it.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path
from xml.etree import ElementTree

from examgen.core.errors import ExportError
from examgen.core.gcpause import gc_paused
from examgen.core.markup import to_html, to_plain
from examgen.core.model import (
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
    SingleChoice,
    TextGap,
    TrueFalse,
    assert_never,
    format_number,
)
from examgen.core.scoring import GRADES, moodle_grades
from examgen.formats.frozen_draws import category_parts
from examgen.formats.moodle_calculated import Calculated
from examgen.formats.portable import display_name, tag_words

# In a cloze gap every character Moodle's parser gives meaning to is written as an entity;
# '&' as '&#38;', since the parser will not end an answer on '&amp;' (so 'AT&' would swallow
# the rest of the text).
_GAP_ENTITIES = {"&": "&#38;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "{": "&#123;",
                 "}": "&#125;", "#": "&#35;", "~": "&#126;", "\\": "&#92;"}


def to_moodle_xml(questions: list[Question], root: str,
                  calculated: dict[str, Calculated] | None = None) -> str:
    """The questions as a Moodle XML quiz file, one category per topic below ``root``;
    those in ``calculated`` (by id) as Moodle calculated questions."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n']
    category: tuple[str, ...] = ()
    for q in questions:
        if category_parts(q) != category:
            category = category_parts(q)
            parts.append(_category(root, *category))
        how = (calculated or {}).get(q.id)
        parts.append(_question(q) if how is None else _calculated(q, how))
    parts.append("</quiz>\n")
    xml = "".join(parts)
    problems = check_moodle_xml(xml)
    if problems:
        raise ExportError("the Moodle XML would not import cleanly:\n  " + "\n  ".join(problems))
    return xml


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text(html: str) -> str:
    return f"<text>{_cdata(html)}</text>"


def _plain(text: str) -> str:
    return f"<text>{escape(text, quote=False)}</text>"


def _category(root: str, *below: str) -> str:
    path = "/".join(p.replace("/", "//") for p in ("$course$", "top", root, *below))
    return (f'  <question type="category">\n    <category>{_plain(path)}</category>\n'
            f'    <info format="html">{_text("")}</info>\n  </question>\n')


def _name(q: Question) -> str:
    return display_name(q)


def _tags(q: Question) -> str:
    tags = "".join(f"<tag>{_plain(w)}</tag>" for w in tag_words(q))
    return f"    <tags>{tags}</tags>\n"


def _picture(path: Path | None) -> tuple[str, str]:
    """A picture as Moodle keeps it: an <img> in the HTML, the file beside the text."""
    if path is None:
        return "", ""
    name = path.name
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    html = f'<p><img src="@@PLUGINFILE@@/{escape(name)}" alt="{escape(name)}"></p>'
    return html, f'<file name="{escape(name)}" path="/" encoding="base64">{data}</file>'


def _parts(q: Question) -> tuple[str, str, str]:
    """Moodle's type name, the type's own elements, and the question text as HTML."""
    match q:
        case SingleChoice() | MultipleChoice():
            return _multichoice(q)
        case TrueFalse():
            return _truefalse(q)
        case ShortAnswer():
            return _shortanswer(q)
        case Numeric():
            return _numerical(q)
        case OpenQuestion():
            return _essay(q)
        case Cloze():
            return _cloze(q)
        case Matching():
            return _matching(q)
        case _:
            assert_never(q)


def _question(q: Question) -> str:
    kind, body, text = _parts(q)
    image_html, image_file = _picture(q.image)
    points = format_number(q.points)
    grade = "" if kind == "cloze" else f"    <defaultgrade>{points}</defaultgrade>\n"
    return (
        f'  <question type="{kind}">\n'
        f"    <name>{_plain(_name(q))}</name>\n"
        f'    <questiontext format="html">{_text(text + image_html)}{image_file}</questiontext>\n'
        f'    <generalfeedback format="html">{_text(to_html(q.explanation))}</generalfeedback>\n'
        f"{grade}"
        f"    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n"
        f"    <idnumber>{escape(q.id)}</idnumber>\n"
        f"{body}{_tags(q)}  </question>\n"
    )


def _calculated(q: Question, how: Calculated) -> str:
    """A calculated question: the texts with wildcards, the answer as a formula, and a
    dataset per wildcard whose item k is draw k."""
    assert isinstance(q, Numeric)
    image_html, image_file = _picture(q.image)
    text = f"<p>{how.text}</p>" + image_html
    answer = (f'    <answer fraction="100">{_plain(how.formula)}'
              f"<tolerance>{format_number(how.tolerance)}</tolerance>"
              "<tolerancetype>2</tolerancetype><correctanswerformat>1</correctanswerformat>"
              f"<correctanswerlength>{how.answer_decimals}</correctanswerlength>"
              f'<feedback format="html">{_text("")}</feedback></answer>\n')
    units = (f"    <units><unit><multiplier>1</multiplier><unit_name>{escape(q.unit)}"
             "</unit_name></unit></units>\n") if q.unit else ""
    sets = "".join(
        "      <dataset_definition><status><text>private</text></status>"
        f"<name>{_plain(d.name)}</name><type>calculated</type>"
        "<distribution><text>uniform</text></distribution>"
        f"<minimum>{_plain(d.low)}</minimum><maximum>{_plain(d.high)}</maximum>"
        f"<decimals>{_plain(str(d.decimals))}</decimals><itemcount>{len(d.values)}</itemcount>"
        "<dataset_items>"
        + "".join(f"<dataset_item><number>{k}</number><value>{v}</value></dataset_item>"
                  for k, v in enumerate(d.values, 1))
        + f"</dataset_items><number_of_items>{len(d.values)}</number_of_items>"
        "</dataset_definition>\n" for d in how.datasets)
    return (
        '  <question type="calculated">\n'
        f"    <name>{_plain(_name(q))}</name>\n"
        f'    <questiontext format="html">{_text(text)}{image_file}</questiontext>\n'
        f'    <generalfeedback format="html">{_text(how.explanation)}</generalfeedback>\n'
        f"    <defaultgrade>{format_number(q.points)}</defaultgrade>\n"
        "    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n"
        f"    <idnumber>{escape(q.id)}</idnumber>\n"
        "    <synchronize>0</synchronize>\n    <single>0</single>\n"
        "    <answernumbering>abc</answernumbering>\n    <shuffleanswers>0</shuffleanswers>\n"
        f"{_feedbacks()}{answer}{units}"
        "    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0.1</unitpenalty>\n"
        f"    <showunits>{0 if q.unit else 3}</showunits>\n    <unitsleft>0</unitsleft>\n"
        f"    <dataset_definitions>\n{sets}    </dataset_definitions>\n"
        f"{_tags(q)}  </question>\n")


def _html_paragraph(q: BaseQuestion) -> str:
    return f"<p>{to_html(q.text)}</p>"


def _answer(fraction: float, html: str, plain: bool = False, extra: str = "") -> str:
    if plain:
        return (f'    <answer fraction="{format_number(fraction)}" format="moodle_auto_format">'
                f"{_plain(html)}{extra}<feedback format=\"html\">{_text('')}</feedback>"
                "</answer>\n")
    return (f'    <answer fraction="{format_number(fraction)}" format="html">{_text(html)}'
            f"{extra}<feedback format=\"html\">{_text('')}</feedback></answer>\n")


def _feedbacks() -> str:
    return "".join(f'    <{tag} format="html">{_text("")}</{tag}>\n'
                   for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"))


def _multichoice(q: ChoiceQuestion) -> tuple[str, str, str]:
    single = isinstance(q, SingleChoice)
    try:
        grades = moodle_grades(q)
    except ValueError:
        right = sum(o.correct for o in q.options)
        raise ExportError(
            f"{q.file}:{q.line}: question '{q.id}' has {right} correct options; Moodle "
            f"cannot split 100 % into {right} equal grades it accepts (it can for 1-10 "
            "or 20): mark fewer options correct or split the question") from None
    shuffle = "false" if any(o.fixed_order for o in q.options) else "true"
    body = (f"    <single>{'true' if single else 'false'}</single>\n"
            f"    <shuffleanswers>{shuffle}</shuffleanswers>\n"
            "    <answernumbering>abc</answernumbering>\n"
            "    <showstandardinstruction>0</showstandardinstruction>\n"
            f"{_feedbacks()}{'' if single else '    <shownumcorrect/>' + chr(10)}")
    for grade, option in zip(grades, q.options, strict=True):
        picture, file = _picture(option.image)  # an option may be a picture, or show one
        body += _answer(grade, (f"<p>{to_html(option.text)}</p>" if option.text and picture
                                else to_html(option.text)) + picture, extra=file)
    return "multichoice", body, _html_paragraph(q)


def _truefalse(q: TrueFalse) -> tuple[str, str, str]:
    body = (_answer(100 if q.answer else 0, "true", plain=True)
            + _answer(0 if q.answer else 100, "false", plain=True))
    return "truefalse", body, _html_paragraph(q)


def _literal_shortanswer(text: str) -> str:
    """Moodle's short answers treat '*' as a wildcard; a literal one is written '\\*'."""
    return text.replace("*", "\\*")


def _shortanswer(q: ShortAnswer) -> tuple[str, str, str]:
    body = f"    <usecase>{1 if q.case_sensitive else 0}</usecase>\n"
    body += "".join(_answer(100, _literal_shortanswer(a), plain=True) for a in q.answers)
    return "shortanswer", body, _html_paragraph(q)


def _numerical(q: Numeric) -> tuple[str, str, str]:
    body = _answer(100, format_number(q.value), plain=True,
                   extra=f"<tolerance>{format_number(q.tolerance)}</tolerance>")
    if q.unit:
        body += (f"    <units><unit><multiplier>1</multiplier>"
                 f"<unit_name>{escape(q.unit)}</unit_name></unit></units>\n"
                 "    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0.1</unitpenalty>\n"
                 "    <showunits>0</showunits>\n    <unitsleft>0</unitsleft>\n")
    return "numerical", body, _html_paragraph(q)


def _essay(q: OpenQuestion) -> tuple[str, str, str]:
    lines = min(40, max(5, -(-q.answer_lines // 5) * 5))  # Moodle offers 5, 10, ... 40
    body = ("    <responseformat>editor</responseformat>\n"
            "    <responserequired>1</responserequired>\n"
            f"    <responsefieldlines>{lines}</responsefieldlines>\n"
            "    <attachments>0</attachments>\n    <attachmentsrequired>0</attachmentsrequired>\n"
            f'    <graderinfo format="html">{_text(to_html(q.model_answer))}</graderinfo>\n'
            f'    <responsetemplate format="html">{_text("")}</responsetemplate>\n')
    return "essay", body, _html_paragraph(q)


def _matching(q: Matching) -> tuple[str, str, str]:
    """Moodle's matching: a subquestion per pair (its text HTML, its answer plain text, as
    Moodle's menus show it: no markup, formulas as their source), and a subquestion
    without text per distractor."""
    entries = [(to_html(p.left), to_plain(p.right)) for p in q.pairs] + [
        ("", to_plain(d)) for d in q.distractors]
    body = (f"    <shuffleanswers>true</shuffleanswers>\n{_feedbacks()}    <shownumcorrect/>\n"
            + "".join(f'    <subquestion format="html">{_text(left)}<answer>{_plain(right)}'
                      "</answer></subquestion>\n" for left, right in entries))
    return "matching", body, _html_paragraph(q)


def _gap_text(q: Cloze, text: str) -> str:
    """A gap answer that Moodle's cloze parser gives back as exactly these characters."""
    for escaped in ("\\}", "\\#"):
        if escaped in text:
            raise ExportError(
                f"{q.file}:{q.line}: question '{q.id}': the gap text '{text}' contains "
                f"'{escaped}', which Moodle's cloze parser turns into '{escaped[1]}'; reword "
                "the answer (Moodle cannot store it as written)")
    return "".join(_GAP_ENTITIES.get(c, c) for c in text)


def _cloze(q: Cloze) -> tuple[str, str, str]:
    """Moodle's mark for a cloze question is the sum of its gap weights, whole numbers."""
    weights = q.gap_points()
    if not q.gaps_in_whole_points():
        raise ExportError(
            f"{q.file}:{q.line}: question '{q.id}': its gaps are worth "
            f"{', '.join(f'{w:g}' for w in weights)} points, but Moodle weighs cloze gaps in "
            "whole points only; give whole 'points:' per gap, or question points that the "
            "gaps share evenly")
    text = to_html(q.text).replace("{", "&#123;")
    for number, (gap, weight) in enumerate(zip(q.gaps, weights, strict=True), 1):
        text = text.replace(f"&#123;&#123;{number}}}}}", _gap(q, gap, int(weight)))
    return "cloze", "", f"<p>{text}</p>"


def _gap(q: Cloze, gap: TextGap | ChoiceGap, weight: int) -> str:
    """One gap in Moodle's cloze syntax, e.g. {1:SHORTANSWER:%100%boxes~%100%bounding boxes}.

    A choice gap's options are stored decoded once and shown as HTML, so they go in as HTML
    (escaped, markup translated); a text gap's answers are compared with what students
    type, so they go in as the literal text.
    """
    match gap:
        case ChoiceGap():
            kind = "MULTICHOICE" if any(o.fixed_order for o in gap.options) else "MULTICHOICE_S"
            alternatives = [f"%{100 if o.correct else 0}%{_gap_text(q, to_html(o.text))}"
                            for o in gap.options]
        case TextGap():
            kind = "SHORTANSWER"
            alternatives = [f"%100%{_gap_text(q, _literal_shortanswer(a))}"
                            for a in gap.answers]
        case _:
            assert_never(gap)
    return f"{{{weight}:{kind}:{'~'.join(alternatives)}}}"


def check_moodle_xml(xml: str) -> list[str]:
    """What Moodle's importer would reject or import broken, as readable findings."""
    try:
        with gc_paused():
            quiz = ElementTree.fromstring(xml.encode("utf-8"))
    except ElementTree.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    problems = []
    for question in quiz.iter("question"):
        kind = question.get("type")
        if kind == "category":
            continue
        name = question.findtext("name/text", "?")
        answers = question.findall("answer")
        fractions = [float(a.get("fraction", "0")) for a in answers]
        for f in fractions:
            if not any(abs(abs(f) - g) / 100 < 1e-5 for g in GRADES):
                problems.append(f"{name}: grade {f} is not one of Moodle's grade options")
        if kind == "multichoice":
            if len(answers) < 2:
                problems.append(f"{name}: a multichoice question needs at least 2 options")
            single = question.findtext("single", "true") == "true"
            positive = sum(f for f in fractions if f > 0)
            if single and not any(abs(f - 100) < 1e-9 for f in fractions):
                problems.append(f"{name}: a single-choice question needs a 100 % option")
            if not single and abs(positive - 100) > 0.01:
                problems.append(f"{name}: the positive grades add up to {positive}, not 100")
            for tag in ("shuffleanswers", "single", "answernumbering"):
                if question.find(tag) is None:
                    problems.append(f"{name}: <{tag}> is missing")
        if kind == "truefalse" and sorted(a.findtext("text", "") for a in answers) != ["false",
                                                                                  "true"]:
            problems.append(f"{name}: true/false answers must be exactly 'true' and 'false'")
        if kind == "matching":
            subs = question.findall("subquestion")
            asked = [x for x in subs if (x.findtext("text") or "").strip()]
            if len(asked) < 2 or len(subs) < 3:
                problems.append(f"{name}: a matching question needs 2 subquestions and 3 "
                                "answers")
            if any(not (x.findtext("answer/text") or "").strip() for x in subs):
                problems.append(f"{name}: a matching subquestion without an answer")
        if kind in ("shortanswer", "numerical") and 100 not in fractions:
            problems.append(f"{name}: needs an answer with fraction 100")
    return problems
