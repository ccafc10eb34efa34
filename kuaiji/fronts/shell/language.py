"""The language a page is shown in."""

from __future__ import annotations

from django.utils.translation import get_language


def english() -> bool:
    """Whether the page is in English (names then come from the English columns)."""
    return (get_language() or "").startswith("en")
