"""Service statistics by department and item, the cockpit figures, and their exports."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from kuaiji.apps.government import metrics, ratings, statistics
from kuaiji.platform.chains import services as chains
from kuaiji.platform.chains.models import TaskStatus, WorkTask
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.workdays.calendar import WorkCalendar
from kuaiji.platform.workdays.models import PublishedYear
from tests.directory.city import TinyCity
from tests.government.service_data import application, service_item

pytestmark = pytest.mark.django_db


def monday() -> datetime:
    """09:00 of a recent Monday of a plain week (Monday to Friday working days, when the
    calendar is published), so the expected working days hold whatever day the tests run."""
    today = timezone.localdate()
    work = WorkCalendar.load()
    for weeks_ago in range(1, 4):
        day = today - timedelta(days=today.weekday() + 7 * weeks_ago)
        week = [day + timedelta(days=n) for n in range(7)]
        if not work.years or all(work.is_workday(d) == (d.weekday() < 5) for d in week):
            break
    return timezone.make_aware(datetime.combine(day, time(9)))


def make_data() -> dict[str, object]:
    """West: three applications of one item (two online, one decided late, one pending, shared
    materials), one rated 5, one rated 1; east: one application, rated 4."""
    start = monday()
    west_item = service_item()
    fast = application(
        submitted_at=start,
        decided_at=start + timedelta(days=1),
        promised_by=(start + timedelta(days=7)).date(),
        shared=2,
        uploaded=1,
    )
    late = application(
        submitted_at=start,
        decided_at=start + timedelta(days=3),
        promised_by=(start + timedelta(days=2)).date(),
        online=False,
        shared=1,
    )
    pending = application(submitted_at=start, status="handling")
    east = application(
        item=service_item("330603-SCJ-001", "330603-SCJ"),
        region="330603001",
        submitted_at=start,
        decided_at=start + timedelta(days=4),
    )
    ratings.rate(actor=fast.applicant, application=fast, level=5)
    bad = ratings.rate(actor=late.applicant, application=late, level=1)
    ratings.rate(actor=east.applicant, application=east, level=4)
    return {"west_item": west_item, "pending": pending, "bad": bad}


def test_statistics_by_department_in_working_days(city: TinyCity, calendar: None) -> None:
    make_data()
    found = statistics.report(city.users["city_leader"], "department")
    assert found.unit == "working_days" and found.by == "department"
    west, east = found.rows
    assert (west.key, east.key) == ("330602-SCJ", "330603-SCJ")
    assert (west.applications, west.decided, west.online_rate) == (3, 2, pytest.approx(2 / 3))
    # Monday → Tuesday is 1 working day; Monday → Thursday 3: on average 2
    assert west.average_days == 2.0 and west.promised_days == 5.0
    assert west.on_time_rate == 0.5
    assert west.shared_materials == 3
    assert (west.ratings, west.satisfaction, west.bad_ratings, west.rectified) == (2, 0.5, 1, 0)
    assert (east.applications, east.average_days, east.satisfaction) == (1, 4.0, 1.0)


def test_statistics_by_item_and_in_scope(city: TinyCity, calendar: None) -> None:
    data = make_data()
    county = statistics.report(city.users["county_officer"], "item")
    assert [row.key for row in county.rows] == [data["west_item"].code]  # type: ignore[attr-defined]
    department = statistics.report(city.users["department_officer"], "department")
    assert [row.key for row in department.rows] == ["330602-SCJ"]
    assert statistics.report(city.users["grid_worker"], "item").rows == []
    with pytest.raises(InvalidInput):
        statistics.report(city.users["city_leader"], "grid")  # type: ignore[arg-type]


def test_calendar_days_when_the_calendar_is_missing(city: TinyCity) -> None:
    PublishedYear.objects.all().delete()
    make_data_without_chains()
    found = statistics.report(city.users["city_leader"], "department")
    assert found.unit == "calendar_days"
    assert found.rows[0].average_days == 2.0  # one and three calendar days


def make_data_without_chains() -> None:
    start = monday()
    application(submitted_at=start, decided_at=start + timedelta(days=1))
    application(submitted_at=start, decided_at=start + timedelta(days=3))


def test_rectified_bad_ratings_are_counted(city: TinyCity, calendar: None) -> None:
    data = make_data()
    chain = data["bad"].rectification  # type: ignore[attr-defined]
    task = WorkTask.objects.get(instance=chain, status=TaskStatus.OPEN)
    chains.complete(actor=city.users["department_officer"], task=task.pk, form={"opinion": "改"})
    task = WorkTask.objects.get(instance=chain, status=TaskStatus.OPEN)
    chains.complete(actor=city.users["county_officer"], task=task.pk, form={"revisit_level": "3"})
    west = statistics.report(city.users["city_leader"], "department").rows[0]
    assert (west.bad_ratings, west.rectified) == (1, 1)


def test_cockpit_figures(city: TinyCity, calendar: None) -> None:
    make_data()
    application(submitted_at=timezone.now(), status="submitted")  # today, not decided
    whole, *counties = metrics.figures(city.users["city_leader"])
    assert whole.area == "" and whole.today == 1 and whole.applications == 5
    assert whole.online_rate == pytest.approx(4 / 5)
    assert whole.unit == "working_days" and whole.average_days == pytest.approx(8 / 3, abs=0.05)
    assert whole.promised_days == 5.0 and whole.shared_materials == 3
    assert whole.satisfaction == pytest.approx(2 / 3) and whole.ratings == 3
    assert [row.code for row in counties] == ["330602", "330603"]
    own = metrics.figures(city.users["department_officer"])
    assert len(own) == 2 and own[0].applications == 4 and own[0].ratings == 2


def test_statistics_api_and_exports(city: TinyCity, calendar: None) -> None:
    make_data()
    client = Client()
    client.cookies["kuaiji_language"] = "en"
    client.force_login(city.users["county_officer"])
    body = client.get("/api/v1/government/statistics?by=item").json()
    assert body["unit"] == "working_days" and body["by"] == "item"
    assert [row["applications"] for row in body["rows"]] == [3]
    answer = client.get("/api/v1/government/statistics?by=department&format=csv")
    assert answer["Content-Type"].startswith("text/csv")
    assert "services-by-department.csv" in answer["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[1][:3] == ["330602-SCJ", "西区市场监管局", "3"]
    assert "working days" in rows[0][5]
    answer = client.get("/api/v1/government/statistics?format=xlsx")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None and sheet.cell(row=2, column=1).value == "330602-SCJ"
    assert client.get("/api/v1/government/statistics?by=grid").status_code in (400, 422)
    figures = client.get("/api/v1/government/metrics").json()
    assert figures[0]["applications"] == 3 and figures[0]["unit"] == "working_days"
    assert client.get("/api/v1/government/statistics?start=2020-01-01").status_code == 400
