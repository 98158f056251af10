"""The bank's light inline markup, translated once for every output format.

Only ``**bold**``, ``*italic*``, ```code``` and line breaks are markup; everything else
is literal text, so a ``<`` or ``&`` in a question is printed as that character.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

_INLINE = re.compile(
    r"`(?P<code>[^`\n]+)`"
    r"|\*\*(?P<bold>[^\s*](?:.*?[^\s*])?)\*\*"
    r"|\*(?P<italic>[^\s*](?:[^*\n]*?[^\s*])?)\*"
)


def segments(text: str) -> list[tuple[str, str]]:
    """Split text into (kind, text) pairs; kind is text, bold, italic, code or br."""
    out: list[tuple[str, str]] = []
    for i, line in enumerate(text.strip("\n").split("\n")):
        if i:
            out.append(("br", ""))
        pos = 0
        for m in _INLINE.finditer(line):
            if m.start() > pos:
                out.append(("text", line[pos : m.start()]))
            kind = m.lastgroup or "text"
            out.append((kind, m.group(kind)))
            pos = m.end()
        if pos < len(line):
            out.append(("text", line[pos:]))
    return out


def _render(text: str, tags: dict[str, tuple[str, str]], esc: Callable[[str], str]) -> str:
    parts = []
    for kind, chunk in segments(text):
        if kind == "br":
            parts.append(tags["br"][0])
        else:
            start, end = tags[kind]
            parts.append(f"{start}{esc(chunk)}{end}")
    return "".join(parts)


def _escape(chunk: str) -> str:
    return escape(chunk, quote=False)


def to_html(text: str) -> str:
    """HTML for Moodle: markup translated, every other character escaped."""
    tags = {
        "text": ("", ""),
        "bold": ("<strong>", "</strong>"),
        "italic": ("<em>", "</em>"),
        "code": ("<code>", "</code>"),
        "br": ("<br>", ""),
    }
    return _render(text, tags, _escape)


def to_reportlab(text: str, mono_font: str) -> str:
    """Markup for reportlab's Paragraph, with everything from the bank escaped."""
    tags = {
        "text": ("", ""),
        "bold": ("<b>", "</b>"),
        "italic": ("<i>", "</i>"),
        "code": (f'<font face="{mono_font}">', "</font>"),
        "br": ("<br/>", ""),
    }
    return _render(text, tags, _escape)


def to_plain(text: str) -> str:
    """The text as a reader sees it, markup characters removed (names, summaries)."""
    return "".join(" " if kind == "br" else chunk for kind, chunk in segments(text))
