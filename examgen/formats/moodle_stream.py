"""Moodle XML read as a stream, one ``<question>`` at a time, with each question's line.

A Moodle export can be hundreds of megabytes: a quiz of pictures, or one question that
holds a pasted 50 MB text. The file is fed to expat in chunks, each question is built as
a small element tree and handed on, and a question's texts and pictures are kept only up
to their limits while they are parsed: the characters past a limit are counted, never
stored, so memory stays near one chunk plus one question whatever the file holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree import ElementTree
from xml.parsers import expat

from examgen.core.errors import InputError

CHUNK = 1 << 20  # bytes fed to the parser at a time


@dataclass
class RawQuestion:
    """One ``<question>`` of the quiz as parsed, where it starts, and, when one of its
    texts or pictures went past its limit, which one (its content was not kept)."""

    element: ElementTree.Element
    line: int
    too_large: str = ""


class _Reader:
    """Expat's handlers: the depth in the document, the question being built, and the
    sizes of its texts so far."""

    def __init__(self, source: str, max_text: int, max_picture: int) -> None:
        self.source, self.max_text, self.max_picture = source, max_text, max_picture
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.data
        self.depth = 0
        self.builder: ElementTree.TreeBuilder | None = None
        self.tags: list[str] = []
        self.line = 0
        self.text = 0  # characters of the question's texts, pictures apart
        self.picture = 0  # base64 characters of the picture being read
        self.picture_name = ""
        self.too_large = ""
        self.done: list[RawQuestion] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1 and name != "quiz":
            raise InputError(f"{self.source}:1: not a Moodle XML file (its root is <{name}>, "
                             "not <quiz>)")
        if self.depth == 2 and name == "question":
            self.builder, self.tags, self.line = ElementTree.TreeBuilder(), [], \
                self.parser.CurrentLineNumber
            self.text = self.picture = 0
            self.too_large = ""
        if self.builder is not None:
            self.builder.start(name, attrs)
            self.tags.append(name)
            if name == "file":
                self.picture, self.picture_name = 0, attrs.get("name", "")[:60]

    def end(self, name: str) -> None:
        self.depth -= 1
        if self.builder is None:
            return
        self.builder.end(name)
        self.tags.pop()
        if not self.tags:
            self.done.append(RawQuestion(self.builder.close(), self.line, self.too_large))
            self.builder = None

    def data(self, text: str) -> None:
        if self.builder is None:
            return
        if "file" in self.tags:
            self.picture += len(text)
            if self.picture * 3 // 4 > self.max_picture:
                self.too_large = self.too_large or (
                    f"its picture {self.picture_name} is larger than "
                    f"{self.max_picture // 1_000_000} MB")
                return
        else:
            self.text += len(text)
            if self.text > self.max_text:
                self.too_large = self.too_large or (
                    f"its texts hold more than {self.max_text:,} characters")
                return
        self.builder.data(text)


def read_questions(stream: BinaryIO, source: str, max_text: int,
                   max_picture: int) -> Iterator[RawQuestion]:
    """Every ``<question>`` directly under ``<quiz>``, in order; raises InputError, with the
    line, for a file that is not well-formed XML or not a Moodle quiz."""
    reader = _Reader(source, max_text, max_picture)
    while True:
        chunk = stream.read(CHUNK)
        try:
            reader.parser.Parse(chunk, not chunk)
        except expat.ExpatError as exc:
            raise InputError(f"{source}:{exc.lineno}: not well-formed XML "
                             f"({expat.ErrorString(exc.code)}, column {exc.offset + 1}); "
                             "export the questions from Moodle again (Question bank > "
                             "Export > Moodle XML)") from None
        yield from reader.done
        reader.done.clear()
        if not chunk:
            return
