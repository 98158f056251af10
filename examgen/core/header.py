"""The exam's header: what the first page, the footers and the answer sheets print."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

from examgen.core.errors import InputError
from examgen.core.glyphs import unprintable

TEXT_KEYS = ("title", "course", "date", "duration", "instructions")
# characters no printed page or XML file can hold (tab and line breaks are fine)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class ExamHeader:
    """Texts as the lecturer gave them ("" when not given), the layout and paper the exam
    is drawn with, and the scoring scheme its answer sheet states ("" without one)."""

    title: str = ""
    course: str = ""
    date: str = ""
    duration: str = ""
    instructions: str = ""
    layout: str = "default"
    paper: str = "a4"
    answer_sheet: str = ""

    def __post_init__(self) -> None:
        for key in TEXT_KEYS:
            found = _CONTROL.search(getattr(self, key))
            if found:
                raise InputError(f"the exam's {key} holds the control character "
                                 f"U+{ord(found.group()):04X}, which no page or export can "
                                 f"print; remove it (it may come from a copied text)")

    def unprintable(self) -> list[str]:
        """A warning for each text with characters that examgen's fonts cannot print
        (each would print as an empty box)."""
        out = []
        for key in TEXT_KEYS:
            chars = [char for char, _ in unprintable(getattr(self, key))]
            if chars:
                out.append(f"Warning: the exam's {key} has characters examgen's fonts "
                           f"cannot print ({', '.join(chars)}): they would print as empty "
                           "boxes")
        return out

    def to_json(self) -> dict[str, str]:
        """The manifest's ``header``: the texts given, then layout and paper."""
        out = {key: getattr(self, key) for key in TEXT_KEYS if getattr(self, key)}
        out.update(layout=self.layout, paper=self.paper)
        if self.answer_sheet:
            out["answer_sheet"] = self.answer_sheet
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExamHeader:
        """From a manifest's ``header`` (checked to map names to texts); other keys are
        left out."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: str(v) for k, v in data.items() if k in known and v is not None})

    def with_texts(self, texts: dict[str, str | None]) -> ExamHeader:
        """This header with the texts that are given (not None) put over it."""
        return replace(self, **{k: v for k, v in texts.items() if v is not None})
