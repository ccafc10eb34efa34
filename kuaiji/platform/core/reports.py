"""What every statistics report of the platform shares: the period it covers and its exports.

A report covers a period of whole days (the last 30 by default, at most a year); its table is
exported as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Chinese) or as an
Excel workbook, empty figures left blank.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kuaiji.platform.core.errors import InvalidInput

MAX_DAYS = 366
DEFAULT_DAYS = 30


def period(start: date | None, end: date | None) -> tuple[datetime, datetime]:
    """The moments bounding a period of days (the last 30 days by default)."""
    last = end or timezone.localdate()
    first = start or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last or (last - first).days >= MAX_DAYS:
        raise InvalidInput(fields={"start": _("A period of one day to one year.")})
    return (
        timezone.make_aware(datetime.combine(first, time.min)),
        timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min)),
    )


def csv_bytes(headings: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """The table as CSV in UTF-8 with a byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(headings: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    """The table as an Excel workbook of one sheet named `title` (cut to Excel's 31 letters)."""
    book = Workbook()
    sheet = book.active or book.create_sheet()
    sheet.title = title[:31]
    sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
