"""Working days: China's holidays and make-up workdays, and no guessing for unpublished years."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.test import Client
from django.utils import timezone

from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Forbidden, InvalidInput
from kuaiji.platform.workdays.calendar import Light, UnpublishedYear, WorkCalendar, light
from kuaiji.platform.workdays.models import DayKind, PublishedYear
from kuaiji.platform.workdays.services import library_schedule, publish_from_library, publish_year

pytestmark = pytest.mark.django_db


def local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def calendar() -> WorkCalendar:
    publish_from_library(actor=SYSTEM, years=[2025, 2026])
    return WorkCalendar.load()


def test_national_day_and_its_make_up_workdays(calendar: WorkCalendar) -> None:
    assert not calendar.is_workday(date(2026, 10, 1))  # a Thursday, National Day
    assert calendar.is_workday(date(2026, 9, 20))  # a Sunday worked in exchange
    assert calendar.is_workday(date(2026, 10, 9))  # an ordinary Friday
    assert not calendar.is_workday(date(2026, 10, 11))  # an ordinary Sunday


def test_three_working_days_skip_the_holiday(calendar: WorkCalendar) -> None:
    # Applied on Tuesday 29 September 2026: the 30th is a working day, 1–7 October are
    # holidays, Thursday 8 and Friday 9 are working days again.
    due = calendar.add_working_days(local(2026, 9, 29, 10, 0), 3)
    assert timezone.localtime(due) == local(2026, 10, 9, 17, 30)


def test_working_hours_skip_nights_lunch_and_weekends(calendar: WorkCalendar) -> None:
    friday_afternoon = local(2026, 11, 27, 16, 30)  # an ordinary Friday
    assert calendar.add_working_hours(friday_afternoon, 2) == local(2026, 11, 30, 9, 30)
    before_lunch = local(2026, 11, 30, 11, 30)
    assert calendar.add_working_hours(before_lunch, 1) == local(2026, 11, 30, 14, 0)


def test_an_unpublished_year_is_never_guessed(calendar: WorkCalendar) -> None:
    with pytest.raises(UnpublishedYear) as caught:
        calendar.add_working_days(local(2026, 12, 28, 9, 0), 10)
    assert caught.value.year == 2027 and caught.value.status == 409


def test_administrators_publish_a_year(calendar: WorkCalendar, city: object) -> None:
    publish_year(
        actor=SYSTEM,
        year=2027,
        days=[
            (date(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
            (date(2027, 2, 6), DayKind.WORKDAY, "春节调休"),
        ],
    )
    known = WorkCalendar.load()
    assert not known.is_workday(date(2027, 1, 1)) and known.is_workday(date(2027, 2, 6))
    with pytest.raises(InvalidInput):
        publish_year(actor=SYSTEM, year=2027, days=[(date(2027, 1, 2), DayKind.HOLIDAY, "x")])
    with pytest.raises(Forbidden):
        publish_year(actor=city.users["county_officer"], year=2028, days=[])  # type: ignore[attr-defined]


def test_the_library_schedule_lists_only_exceptions() -> None:
    days = library_schedule(2026)
    assert all((kind == DayKind.HOLIDAY) == (day.weekday() < 5) for day, kind, _name in days)
    assert (date(2026, 10, 1), DayKind.HOLIDAY) in {(d, k) for d, k, _n in days}


def test_lights() -> None:
    start, due = local(2026, 11, 2, 9), local(2026, 11, 12, 9)
    assert light(start, due, local(2026, 11, 4, 9), yellow_share=0.8) is Light.GREEN
    assert light(start, due, local(2026, 11, 11, 9), yellow_share=0.8) is Light.YELLOW
    assert light(start, due, local(2026, 11, 12, 9), yellow_share=0.8) is Light.RED


def test_health_warns_about_missing_years(client: Client, calendar: WorkCalendar) -> None:
    body = client.get("/healthz").json()
    assert client.get("/healthz").status_code == 200
    this_year = timezone.localdate().year
    missing = {this_year, this_year + 1} - set(PublishedYear.objects.values_list("year", flat=True))
    if missing:
        assert body["warnings"] == ["calendar"]
        assert str(max(missing)) in body["checks"]["calendar"]["warning"]
    publish_year(actor=SYSTEM, year=this_year + 1, days=[])
    if this_year in set(PublishedYear.objects.values_list("year", flat=True)):
        assert client.get("/healthz").json()["warnings"] == []
