"""Shared fixtures: the sample bank, loaded once, and the path to the broken fixture banks."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from examgen.bank.loader import load_bank

# CI sets HYPOTHESIS_PROFILE=ci: the same examples every run, so a failure reproduces.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Typeset formulas are kept between runs (render/formula_cache): the tests keep theirs in a
# folder of their own, never in the user's cache, and share it across the session.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="examgen-tests-cache-")
os.environ.pop("EXAMGEN_NO_CACHE", None)

ROOT = Path(__file__).resolve().parent.parent
BANKS = Path(__file__).resolve().parent / "banks"


@pytest.fixture(scope="session")
def sample_bank():
    return load_bank(ROOT / "bank")


def first_draws(bank) -> dict[str, dict]:
    """The draw each parametrised question of ``bank`` shows outside an exam (the one the
    exports write): the values the oracle fills into the YAML's placeholders."""
    from examgen.bank.parametrised import first_draw

    return {q.id: first_draw(q.template, q.id) for q in bank.questions
            if q.template is not None}


def variant_question(bank, variant: dict, qid: str):
    """The question as a variant of exam.json asks it: its own draw when parametrised."""
    from examgen.bank.parametrised import instantiate

    q = bank.by_id[qid]
    values = variant.get("values", {}).get(qid)
    return q if values is None else instantiate(q.template, values)
