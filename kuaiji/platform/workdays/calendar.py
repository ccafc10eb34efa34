"""Counting in working days and working hours, and the traffic light of a time limit.

Government time limits are counted in working days (工作日): weekends, public holidays and
make-up workdays as the yearly schedule sets them. A day in a year whose schedule has not been
published is never guessed: counting through it raises `UnpublishedYear`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.platform.core.errors import Conflict
from kuaiji.platform.workdays.models import DayKind, PublishedYear, SpecialDay


class UnpublishedYear(Conflict):
    """A time limit reaches into a year whose holiday schedule is not published yet."""

    code = "calendar_year_unpublished"

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            _(
                "The working-day calendar of %(year)d is not published yet; an administrator "
                "must enter it before time limits can reach into that year."
            )
            % {"year": year}
        )


@dataclass(frozen=True)
class WorkCalendar:
    """A snapshot of the published calendar: which years are known, which days are special."""

    years: frozenset[int]
    special: dict[date, str]

    @classmethod
    def load(cls) -> WorkCalendar:
        """The calendar as stored (two queries)."""
        return cls(
            years=frozenset(PublishedYear.objects.values_list("year", flat=True)),
            special=dict(SpecialDay.objects.values_list("date", "kind")),
        )

    def is_workday(self, day: date) -> bool:
        """Whether government offices work that day."""
        if day.year not in self.years:
            raise UnpublishedYear(day.year)
        kind = self.special.get(day)
        if kind is not None:
            return kind == DayKind.WORKDAY
        return day.weekday() < 5

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The end of the `days`-th working day after the day of `start` (local time)."""
        if days < 1:
            raise ValueError("a time limit is at least one working day")
        day = timezone.localtime(start).date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return _at(day, working_periods()[-1][1])

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The moment `hours` of office time after `start`, skipping nights and days off."""
        remaining = timedelta(hours=hours)
        moment = timezone.localtime(start)
        while True:
            if self.is_workday(moment.date()):
                for opens, closes in working_periods():
                    begin = max(moment, _at(moment.date(), opens))
                    end = _at(moment.date(), closes)
                    if begin >= end:
                        continue
                    if end - begin >= remaining:
                        return begin + remaining
                    remaining -= end - begin
            moment = _at(moment.date() + timedelta(days=1), time(0))


def _at(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def working_periods() -> list[tuple[time, time]]:
    """Office hours of a working day, from KUAIJI_WORKING_HOURS ("08:30-12:00,13:30-17:30")."""
    periods = []
    for span in str(settings.KUAIJI_WORKING_HOURS).split(","):
        opens, closes = span.strip().split("-")
        periods.append((time.fromisoformat(opens), time.fromisoformat(closes)))
    return periods


class Light(StrEnum):
    """How a time limit stands: on time, nearly used up, or overdue."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


def light(started: datetime, due: datetime, now: datetime, *, yellow_share: float) -> Light:
    """Red once overdue, yellow once `yellow_share` of the allowed time is used."""
    if now >= due:
        return Light.RED
    allowed = (due - started).total_seconds()
    used = (now - started).total_seconds()
    return Light.YELLOW if allowed > 0 and used / allowed >= yellow_share else Light.GREEN


def unpublished_years_ahead(today: date) -> list[int]:
    """This year and next, where their schedules are missing (shown to administrators and in
    the health report; the State Council publishes next year's late in the year)."""
    known = set(PublishedYear.objects.values_list("year", flat=True))
    return [year for year in (today.year, today.year + 1) if year not in known]
