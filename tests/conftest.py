"""Shared fixtures: the sample bank, loaded once, and the path to the broken fixture banks."""

from __future__ import annotations

from pathlib import Path

import pytest

from examgen.bank import load_bank

ROOT = Path(__file__).resolve().parent.parent
BANKS = Path(__file__).resolve().parent / "banks"


@pytest.fixture(scope="session")
def sample_bank():
    return load_bank(ROOT / "bank")
