"""Typed values of a resource's fields: text as read from a file or a query string becomes the
JSON value stored in a row (numbers as numbers, dates as ISO text, yes/no as booleans).

The same conversion serves ingestion (a bad value is a bad row, with the reason) and queries (a
filter on an integer field compares integers).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from kuaiji.platform.data.models import FieldType

TRUE = {"true", "yes", "y", "1", "是", "t"}
FALSE = {"false", "no", "n", "0", "否", "f"}
INTEGER_LIMIT = 2**53  # exact in JSON readers everywhere


def _integer(text: str) -> int:
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("not an integer")) from None
    if number != number.to_integral_value() or abs(number) >= INTEGER_LIMIT:
        raise ValueError(_("not an integer"))
    return int(number)


def _number(text: str) -> float | int:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise ValueError(_("not a number")) from None
    if not math.isfinite(number):
        raise ValueError(_("not a number"))
    return int(number) if number.is_integer() and abs(number) < INTEGER_LIMIT else number


def _date(text: str) -> str:
    try:
        return date.fromisoformat(text.replace("/", "-")).isoformat()
    except ValueError:
        raise ValueError(_("not a date (YYYY-MM-DD)")) from None


def _datetime(text: str) -> str:
    try:
        return datetime.fromisoformat(text.replace("/", "-")).isoformat()
    except ValueError:
        raise ValueError(_("not a date and time (YYYY-MM-DD HH:MM:SS)")) from None


def _boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise ValueError(_("not yes or no"))


CONVERTERS: dict[str, Callable[[str], Any]] = {
    FieldType.STRING: str,
    FieldType.INTEGER: _integer,
    FieldType.NUMBER: _number,
    FieldType.DATE: _date,
    FieldType.DATETIME: _datetime,
    FieldType.BOOLEAN: _boolean,
}


def converter(field_type: str) -> Callable[[str], Any]:
    """The function turning text into a value of `field_type` (raises ValueError with the
    reason, translated)."""
    return CONVERTERS[field_type]


def from_cell(field_type: str, cell: Any) -> Any:
    """A value read from a spreadsheet cell or JSON (already typed, or text) as stored."""
    if cell is None:
        return None
    if isinstance(cell, bool) and field_type == FieldType.BOOLEAN:
        return cell
    if isinstance(cell, datetime):
        cell = (
            cell.isoformat(sep=" ") if field_type == FieldType.DATETIME else cell.date().isoformat()
        )
    elif isinstance(cell, date):
        cell = cell.isoformat()
    elif isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).strip()
    return converter(field_type)(text) if text else None
