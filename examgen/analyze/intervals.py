"""95 % intervals, one formula each, for the statistics and for the flags that rest on
them: Wilson's for a share, Fisher's z for a correlation."""

from __future__ import annotations

import math

Z95 = 1.959964


def wilson(share: float, n: int) -> tuple[float, float]:
    """Wilson's interval of a share seen in ``n``."""
    if n <= 0:
        return 0.0, 1.0
    centre = (share + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(share * (1 - share) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def fisher_z(r: float) -> float:
    return math.atanh(max(-0.999999, min(0.999999, r)))


def correlation_interval(z: float, weight: float) -> tuple[float, float]:
    """The interval of a correlation given as Fisher's ``z`` with ``weight`` = n - 3."""
    half = Z95 / math.sqrt(weight)
    return math.tanh(z - half), math.tanh(z + half)
