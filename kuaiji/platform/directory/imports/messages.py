"""Reasons for bad cells in the active language, from pydantic's validation errors.

pydantic words its errors in English for programmers; these say the same for the person who
filled in the spreadsheet. Rule errors raised by the records themselves keep their text.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from pydantic import ValidationError
from pydantic_core import ErrorDetails


def reason(error: ErrorDetails, *, hint: str = "", personal: bool = False) -> str:
    """One error as a sentence; `hint` says what a valid value looks like; a personal value
    (a phone number) is never repeated back."""
    kind = error["type"]
    context: dict[str, Any] = dict(error.get("ctx") or {})
    value = "" if personal else str(error.get("input", ""))
    if kind == "missing":
        return _("a value is required")
    if kind == "string_pattern_mismatch":
        if value and hint:
            return _("“%(value)s” is not valid: %(hint)s") % {"value": value, "hint": hint}
        return (
            _("the value is not valid: %(hint)s") % {"hint": hint}
            if hint
            else _("the value does not have the expected form")
        )
    if kind == "string_too_long":
        return _("at most %(max)d characters") % {"max": context.get("max_length", 0)}
    if kind == "string_too_short":
        return _("a value is required")
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return _("“%(value)s” is not a whole number") % {"value": value}
    if kind in ("greater_than_equal", "greater_than"):
        return _("must not be below %(limit)s") % {"limit": context.get("ge", context.get("gt"))}
    if kind in ("bool_parsing", "bool_type"):
        return _("“%(value)s” is not yes or no") % {"value": value}
    if kind in ("dict_type", "model_type"):
        return _("a GeoJSON geometry is expected")
    if kind == "value_error" and "error" in context:
        return _(str(context["error"]))  # the record's own rule, e.g. "a city has no parent"
    return _(error["msg"])


def reasons(
    exc: ValidationError, *, hints: dict[str, str], personal: frozenset[str]
) -> list[tuple[str, str]]:
    """(field or "", reason) for each error of a record."""
    found = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        found.append((name, reason(error, hint=hints.get(name, ""), personal=name in personal)))
    return found
