"""Synthetic contact details: mainland mobile numbers."""

from __future__ import annotations

import random

# Prefixes of the three mainland carriers.
MOBILE_PREFIXES = (
    "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159",
    "182", "187", "188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "173",
    "177", "180", "181", "189", "199",
)  # fmt: skip


def mobile_number(rng: random.Random) -> str:
    """An 11-digit mobile number with a real carrier prefix."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
