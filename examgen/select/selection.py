"""From a resolved mix to finished exams: select once, then derive the variants."""

from __future__ import annotations

from examgen.core.model import Bank, Exam
from examgen.select.mix import ResolvedMix
from examgen.select.solver import select
from examgen.select.variants import DEFAULT_ORDER, make_variants


def build_exams(bank: Bank, mix: ResolvedMix, seed: int, variants: int = 1, forms: int = 1,
                overlap: int = 0, order: str = DEFAULT_ORDER) -> list[Exam]:
    """One Exam per form (one form unless ``forms`` > 1), each with its variants."""
    selections = select(bank, mix, seed, forms, overlap)
    names = [""] if forms == 1 else [str(k + 1) for k in range(forms)]
    return [Exam(seed, questions, make_variants(questions, seed, variants, name, order), name)
            for name, questions in zip(names, selections, strict=True)]
