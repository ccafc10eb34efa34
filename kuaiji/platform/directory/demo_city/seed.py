"""The fixed seed of the demo city, and independent random streams derived from it."""

from __future__ import annotations

import random

SEED = "kuaiji-demo-city-1"


def stream(*keys: str) -> random.Random:
    """A random generator for one part of the city (e.g. `stream("grids", village_code)`).

    String seeds are hashed with SHA-512, so the stream is the same in every process and a
    change in one part of the city does not shift the numbers drawn for another.
    """
    return random.Random(":".join((SEED, *keys)))  # noqa: S311  (synthetic data, not secrets)
