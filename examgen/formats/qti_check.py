"""The QTI package's own check, run before a package is handed out: what a QTI 2.1
importer would reject. Every file is parsed by expat (well-formed or refused); the
references are then read with patterns, which is safe because qti.py wrote the markup
they match, and a tenth of the time an element tree of every item would take."""

from __future__ import annotations

import re
from html import unescape
from xml.parsers import expat

_FILE = re.compile(rb'<file href="([^"]*)"')


_DECLARATION = re.compile(
    rb'<responseDeclaration identifier="([^"]*)" cardinality="[^"]*" baseType="([^"]*)">'
    rb"(.*?)</responseDeclaration>", re.DOTALL)


_KEY = re.compile(rb'<value>([^<]*)</value>|mapKey="([^"]*)"')


_USE = re.compile(rb'<(choiceInteraction|textEntryInteraction|extendedTextInteraction'
                  rb'|inlineChoiceInteraction|matchInteraction) responseIdentifier="([^"]*)"'
                  rb'|<(variable|mapResponse) identifier="([^"]*)"')


_CHOICE = re.compile(rb'<(?:simpleChoice|inlineChoice|simpleAssociableChoice) identifier="([^"]*)"')


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
        if base == b"directedPair":  # "L1 R2": both ends are choices
            problems += [f"{name}: {response.decode()} pairs {(v or k).decode()}, which is "
                         "no pair of choices" for v, k in _KEY.findall(body)
                         if not set((v or k).split()) <= choices or len((v or k).split()) != 2]
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
