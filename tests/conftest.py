"""Shared fixtures: the sample bank, loaded once, and the path to the broken fixture banks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from examgen.bank.loader import load_bank

# CI sets HYPOTHESIS_PROFILE=ci: the same examples every run, so a failure reproduces.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
BANKS = Path(__file__).resolve().parent / "banks"


@pytest.fixture(scope="session")
def sample_bank():
    return load_bank(ROOT / "bank")
