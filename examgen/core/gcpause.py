"""Pausing the cyclic garbage collector while large, acyclic structures are built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Loading a large bank or parsing a large XML file allocates millions of small
    objects and no cycles; the collector would rescan them over and over (quadratic)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


