"""Statistics by category, grid, township and department, in scope, exported as CSV and XLSX."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from kuaiji.apps.grassroots import statistics
from kuaiji.apps.grassroots.history import PastEvent, bring_over
from kuaiji.apps.grassroots.triage import taxonomy
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.directory.models import Grid
from tests.directory.city import TinyCity
from tests.grassroots.conftest import inside

pytestmark = pytest.mark.django_db


def history(grid_code: str, category: str, n: int, rating: str = "satisfied") -> None:
    lon, lat = inside(grid_code)
    reported = timezone.now() - timedelta(days=3)
    bring_over(
        actor=SYSTEM,
        events=[
            PastEvent(
                reference=f"{grid_code}-{category}-{i}",
                source="patrol",
                category=category,
                description="某处发现问题需要处理",
                grid=Grid.objects.get(code=grid_code),
                longitude=Decimal(f"{lon:.6f}"),
                latitude=Decimal(f"{lat:.6f}"),
                reported_at=reported,
                closed_at=reported + timedelta(hours=10),
                rating=rating,
            )
            for i in range(n)
        ],
    )


def test_rows_by_each_dimension_within_scope(city: TinyCity) -> None:
    history("330602001001001", "city.garbage", 3)
    history("330602001001002", "city.illegal_parking", 1, rating="unsatisfied")
    history("330603001001001", "city.garbage", 2)
    county = city.users["county_officer"]
    by_category = statistics.rows(county, "category")
    assert [(row.key, row.volume) for row in by_category] == [
        ("city.garbage", 3),
        ("city.illegal_parking", 1),
    ]
    garbage = by_category[0]
    assert garbage.label == taxonomy.category("city.garbage").name
    assert (garbage.closed, garbage.on_time_rate, garbage.average_hours) == (3, 1.0, 10.0)
    assert by_category[1].satisfaction == 0.0
    assert [row.volume for row in statistics.rows(county, "grid")] == [3, 1]
    [township] = statistics.rows(county, "township")
    assert township.volume == 4 and township.label == "001街道"
    assert sum(row.volume for row in statistics.rows(city.users["city_leader"], "township")) == 6
    with pytest.raises(InvalidInput):
        statistics.rows(county, "colour")  # type: ignore[arg-type]
    today = timezone.localdate()
    with pytest.raises(InvalidInput):
        statistics.rows(county, "category", today, today - timedelta(days=1))


def test_export_as_csv_and_xlsx(city: TinyCity) -> None:
    history("330602001001001", "city.garbage", 2)
    client = Client()
    client.force_login(city.users["township_officer"])
    url = "/api/v1/grassroots/statistics"
    assert client.get(f"{url}?by=grid").json()[0]["volume"] == 2
    as_csv = client.get(f"{url}/export?by=category&format=csv")
    assert as_csv.status_code == 200 and "attachment" in as_csv["Content-Disposition"]
    assert "city.garbage" in as_csv.content.decode("utf-8-sig")
    as_xlsx = client.get(f"{url}/export?by=category")
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None and sheet["A2"].value == "city.garbage" and sheet["C2"].value == 2
    assert client.get(f"{url}?by=colour").status_code == 400
