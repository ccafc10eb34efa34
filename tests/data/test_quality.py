"""Data quality: the four measures on crafted rows, the score, the rectification chain started
once in the owner's worklist, the department ranking and the daily job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from kuaiji.platform.chains import selectors as chain_selectors
from kuaiji.platform.chains.models import ChainInstance, InstanceStatus
from kuaiji.platform.core.errors import Forbidden, NotFound
from kuaiji.platform.data import quality, services
from kuaiji.platform.data.models import DataResource, Load, QualityReport
from kuaiji.platform.data.tasks import assess_quality
from tests.data.conftest import ENTITIES, market_entities, put_rows
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


def test_a_clean_fresh_resource_scores_full_marks(entities: DataResource) -> None:
    report = quality.assess(entities)
    assert (report.completeness, report.validity, report.timeliness, report.uniqueness) == (
        1.0,
        1.0,
        1.0,
        1.0,
    )
    assert report.score == 100.0 and report.rows == 3 and report.problems == []
    assert report.chain is None and report.data_version == entities.data_version


def test_measures_on_crafted_rows(city: TinyCity) -> None:
    resource = services.register_resource(
        actor=city.users["department_officer"], resource=market_entities(code="crafted")
    )
    rows = [
        {**ENTITIES[0]},
        {**ENTITIES[1], "name": "  "},  # required field blank
        {**ENTITIES[2], "capital": "a lot", "founded": "2021-13-45"},  # two bad values
        # the first entity again, its key written in lower case with a stray space
        {**ENTITIES[0], "credit_code": " 91330602ma00000001"},
    ]
    put_rows(resource, rows)
    report = quality.assess(resource)
    # required fields credit_code and name: 8 values, 1 blank
    assert report.completeness == pytest.approx(7 / 8, abs=1e-4)
    filled = sum(1 for row in rows for value in row.values() if value not in (None, "  "))
    assert report.validity == pytest.approx(1 - 2 / filled, abs=1e-4)
    assert report.uniqueness == pytest.approx(3 / 4)
    assert report.timeliness == 1.0
    expected = 100 * (0.3 * (7 / 8) + 0.3 * (1 - 2 / filled) + 0.25 + 0.15 * 0.75)
    assert report.score == pytest.approx(expected, abs=0.1)
    kinds = {(item["kind"], item.get("field")) for item in report.problems}
    assert {
        ("empty", "name"),
        ("invalid", "capital"),
        ("invalid", "founded"),
        ("duplicates", None),
    } <= kinds
    empty = next(item for item in report.problems if item["kind"] == "empty")
    assert "25%" in empty["message"] and "name" in empty["message"]


def test_all_fields_count_for_completeness_when_none_is_required(city: TinyCity) -> None:
    record = market_entities(code="optional")
    for item in record.fields:
        item.required = False
    resource = services.register_resource(actor=city.users["department_officer"], resource=record)
    put_rows(resource, ENTITIES)
    report = quality.assess(resource)
    assert report.completeness == pytest.approx(17 / 18, abs=1e-4)  # one phone is missing


def test_loads_of_the_last_month_weigh_in_validity(entities: DataResource) -> None:
    common = {"resource": entities, "source": "upload", "digest": "0" * 64}
    Load.objects.create(
        **common, file_name="a.csv", on_bad_rows="quarantine", status="applied", rows_read=10,
        rows_bad=4,
    )  # fmt: skip
    Load.objects.create(
        **common, file_name="old.csv", on_bad_rows="reject", status="rejected", rows_read=10,
        rows_bad=10, started_at=timezone.now() - timedelta(days=40),
    )  # fmt: skip
    report = quality.assess(entities)
    assert report.validity == pytest.approx((1.0 + 0.6) / 2)
    assert any(item["kind"] == "bad_loads" for item in report.problems)


@pytest.mark.parametrize(
    ("frequency", "age", "expected"),
    [
        ("daily", timedelta(hours=20), 1.0),
        ("daily", timedelta(hours=36), 0.5),
        ("daily", timedelta(days=9), 0.0),
        ("weekly", timedelta(days=7), 1.0),
        ("monthly", timedelta(days=46.5), 0.5),
        ("quarterly", timedelta(days=184), 0.0),
        ("yearly", timedelta(days=300), 1.0),
        ("realtime", timedelta(minutes=90), 0.5),
        ("irregular", timedelta(days=200), 1.0),
        ("irregular", timedelta(days=800), 0.0),
    ],
)
def test_timeliness_by_frequency(frequency: str, age: timedelta, expected: float) -> None:
    now = timezone.now()
    resource = DataResource(frequency=frequency, data_updated_at=now - age)
    assert quality.timeliness(resource, now) == pytest.approx(expected, abs=1e-6)
    assert quality.timeliness(DataResource(frequency=frequency), now) == 0.0


def test_a_stale_resource_says_how_stale(entities: DataResource) -> None:
    DataResource.objects.filter(pk=entities.pk).update(
        data_updated_at=timezone.now() - timedelta(days=9)
    )
    with translation.override("en"):
        report = quality.assess(entities)
    assert report.timeliness == 0.0
    stale = next(item for item in report.problems if item["kind"] == "stale")
    assert "9 days" in stale["message"] and "daily" in stale["message"]


def test_large_resources_are_sampled(
    entities: DataResource, monkeypatch: pytest.MonkeyPatch
) -> None:
    more = [
        {**ENTITIES[0], "credit_code": f"91330602MA{n:08d}", "name": f"企业{n}"}
        for n in range(10, 40)
    ]
    put_rows(entities, more)
    monkeypatch.setattr(quality, "FULL_SCAN_ROWS", 10)
    report = quality.assess(entities)
    assert report.rows == 33
    sampled = next(item for item in report.problems if item["kind"] == "sampled")
    assert 5 <= sampled["count"] <= 20
    assert report.uniqueness == 1.0  # uniqueness always reads every key


def test_an_empty_resource(city: TinyCity) -> None:
    resource = services.register_resource(
        actor=city.users["department_officer"], resource=market_entities(code="empty")
    )
    with override_settings(KUAIJI_DATA_QUALITY_THRESHOLD=0):
        report = quality.assess(resource)
    assert report.rows == 0 and report.completeness == 0 and report.timeliness == 0
    assert {"no_rows", "never_updated"} <= {item["kind"] for item in report.problems}


def test_a_low_score_starts_one_rectification_in_the_owners_worklist(
    entities: DataResource, calendar: None, city: TinyCity
) -> None:
    DataResource.objects.filter(pk=entities.pk).update(data_updated_at=None)
    with override_settings(KUAIJI_DATA_QUALITY_THRESHOLD=90):
        first = quality.assess(entities)
        second = quality.assess(entities)
    assert first.score == 75.0
    assert first.chain is not None and second.chain_id == first.chain.pk
    chain = first.chain
    assert ChainInstance.objects.filter(business_type="data.quality").count() == 1
    assert chain.business_id == "market-entities"
    assert chain.department is not None and chain.department.code == "330602-SCJ"
    task = chain_selectors.my_tasks(city.users["department_officer"]).get(instance=chain)
    assert task.step == "rectify"
    assert not chain_selectors.my_tasks(city.users["township_officer"]).filter(instance=chain)

    ChainInstance.objects.filter(pk=chain.pk).update(status=InstanceStatus.COMPLETED)
    with override_settings(KUAIJI_DATA_QUALITY_THRESHOLD=90):
        third = quality.assess(entities)
    assert third.chain is not None and third.chain.pk != chain.pk
    with override_settings(KUAIJI_DATA_QUALITY_THRESHOLD=50):
        assert quality.assess(entities).chain is None


def test_ranking_and_reading(entities: DataResource, city: TinyCity) -> None:
    officer = city.users["department_officer"]
    east = services.register_resource(
        actor=city.users["platform_admin"],
        resource=market_entities(code="east-entities", department_code="330603-SCJ"),
    )
    put_rows(east, ENTITIES[:1])
    unassessed = services.register_resource(
        actor=city.users["platform_admin"],
        resource=market_entities(code="city-entities", department_code="330600-DSJ"),
    )
    quality.assess(entities)
    DataResource.objects.filter(pk=east.pk).update(
        data_updated_at=timezone.now() - timedelta(days=5)
    )
    with override_settings(KUAIJI_DATA_QUALITY_THRESHOLD=0):
        quality.assess(east)
    places = quality.ranking(city.users["city_leader"])
    assert [place.code for place in places] == ["330602-SCJ", "330603-SCJ", "330600-DSJ"]
    assert places[0].score == 100.0 and places[0].resources == 1
    assert places[1].score == 75.0 and places[1].below_threshold == 1
    assert places[2].score is None and places[2].assessed == 0
    assert unassessed.quality_reports.count() == 0
    with pytest.raises(Forbidden):
        quality.ranking(city.users["grid_worker"])

    resource, reports = quality.resource_reports(city.users["township_officer"], entities.code)
    assert resource == entities and len(reports) == 1
    with pytest.raises(NotFound):
        quality.resource_reports(officer, "no-such-resource")
    assert quality.assess_now(actor=officer, code=entities.code).resource_id == entities.pk
    with pytest.raises(NotFound):
        quality.assess_now(actor=officer, code=east.code)
    with pytest.raises(NotFound):
        quality.assess_now(actor=city.users["grid_worker"], code=entities.code)


def test_the_daily_job_checks_every_resource(entities: DataResource) -> None:
    assert assess_quality.apply().get() == 1
    assert QualityReport.objects.filter(resource=entities).count() == 1
