"""Publishing the working-day calendar: from the holiday library, or by an administrator."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import chinese_calendar
from django.db import transaction
from django.utils.translation import gettext as _

from kuaiji.platform.access.services import authorize
from kuaiji.platform.audit.services import record
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.workdays.models import CalendarSource, DayKind, PublishedYear, SpecialDay

PERMISSION = "workdays.calendar.manage"


def library_years() -> range:
    """The years the installed holiday library knows."""
    years = {day.year for day in chinese_calendar.holidays} | {
        day.year for day in chinese_calendar.workdays
    }
    return range(min(years), max(years) + 1)


def library_schedule(year: int) -> list[tuple[date, DayKind, str]]:
    """The library's exceptions to the weekday rule in one year."""
    days = [
        (day, DayKind.HOLIDAY, str(name))
        for day, name in chinese_calendar.holidays.items()
        if day.year == year and day.weekday() < 5
    ]
    days += [
        (day, DayKind.WORKDAY, str(name))
        for day, name in chinese_calendar.workdays.items()
        if day.year == year and day.weekday() >= 5
    ]
    return sorted(days)


@transaction.atomic
def publish_year(
    *,
    actor: Any,
    year: int,
    days: Iterable[tuple[date, DayKind, str]],
    source: CalendarSource = CalendarSource.ADMINISTRATOR,
) -> PublishedYear:
    """Set one year's schedule (replacing what was stored for that year)."""
    authorize(actor, PERMISSION)
    listed = list(days)
    for day, kind, _name in listed:
        if day.year != year:
            raise InvalidInput(
                fields={"date": _("%(day)s is not in %(year)d") % {"day": day, "year": year}}
            )
        if (kind == DayKind.HOLIDAY) != (day.weekday() < 5):
            raise InvalidInput(
                fields={
                    "date": _(
                        "%(day)s: holidays are listed on weekdays, make-up workdays at weekends"
                    )
                    % {"day": day}
                }
            )
    SpecialDay.objects.filter(date__year=year).delete()
    SpecialDay.objects.bulk_create(SpecialDay(date=d, kind=k, name=n) for d, k, n in listed)
    published, _created = PublishedYear.objects.update_or_create(
        year=year, defaults={"source": source}
    )
    record(
        actor=actor,
        action="workdays.year.publish",
        object_type="workdays.publishedyear",
        object_id=str(year),
        object_label=str(year),
        changes={"days": [None, [f"{d.isoformat()} {k}" for d, k, _n in listed]]},
    )
    return published


def publish_from_library(*, actor: Any, years: Iterable[int] | None = None) -> list[int]:
    """Publish the library's schedules for the years not stored yet; return those years."""
    stored = set(PublishedYear.objects.values_list("year", flat=True))
    added = [year for year in (years or library_years()) if year not in stored]
    for year in added:
        publish_year(
            actor=actor, year=year, days=library_schedule(year), source=CalendarSource.LIBRARY
        )
    return added
