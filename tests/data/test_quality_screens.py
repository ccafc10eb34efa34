"""The data quality and flow-back screens of the work front, and their API."""

from __future__ import annotations

import pytest
from django.test import Client

from kuaiji.platform.data import flowback, quality
from kuaiji.platform.data.models import DataResource, Subscription
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    client.cookies["kuaiji_language"] = "en"
    return client


def test_the_ranking_and_a_resource_s_quality(city: TinyCity, entities: DataResource) -> None:
    quality.assess(entities)
    leader = signed_in(city.users["city_leader"])
    page = leader.get("/work/data/quality/")
    body = page.content.decode()
    assert page.status_code == 200 and 'data-code="330602-SCJ"' in body
    assert "Data quality" in body
    detail = leader.get(f"/work/data/quality/{entities.code}/")
    text = detail.content.decode()
    assert detail.status_code == 200 and 'data-testid="quality-measures"' in text
    assert 'data-testid="assess-form"' not in text, "only the owner may check now"
    assert leader.post(f"/work/data/quality/{entities.code}/").status_code == 404

    owner = signed_in(city.users["department_officer"])
    assert (
        'data-testid="assess-form"'
        in owner.get(f"/work/data/quality/{entities.code}/").content.decode()
    )
    checked = owner.post(f"/work/data/quality/{entities.code}/")
    assert checked.status_code == 302 and entities.quality_reports.count() == 2
    assert signed_in(city.users["grid_worker"]).get("/work/data/quality/").status_code == 403


def test_the_quality_api(city: TinyCity, entities: DataResource) -> None:
    owner = signed_in(city.users["department_officer"])
    empty = owner.get(f"/api/v1/data/resources/{entities.code}/quality").json()
    assert empty["latest"] is None and empty["history"] == []
    made = owner.post(f"/api/v1/data/resources/{entities.code}/quality")
    assert made.status_code == 200 and made.json()["score"] == 100.0
    read = owner.get(f"/api/v1/data/resources/{entities.code}/quality").json()
    assert read["latest"]["id"] == made.json()["id"] and len(read["history"]) == 1
    ranking = owner.get("/api/v1/data/quality/ranking").json()
    assert ranking[0]["code"] == "330602-SCJ" and ranking[0]["score"] == 100.0
    county = signed_in(city.users["county_officer"])
    assert county.post(f"/api/v1/data/resources/{entities.code}/quality").status_code == 404


def test_flowback_screens(city: TinyCity, entities: DataResource) -> None:
    township = signed_in(city.users["township_officer"])
    page = township.get("/work/data/flowback/")
    assert page.status_code == 200 and 'data-testid="subscribe-form"' in page.content.decode()
    wrong = township.post(
        "/work/data/flowback/",
        {"resource": entities.code, "region": "330602001", "region_field": "capital",
         "every_minutes": 60},
    )  # fmt: skip
    assert wrong.status_code == 400 and 'data-testid="subscribe-errors"' in wrong.content.decode()
    other = township.post(
        "/work/data/flowback/",
        {"resource": entities.code, "region": "330602002", "region_field": "region_code",
         "every_minutes": 60},
    )  # fmt: skip
    assert other.status_code == 400, "another township is not a choice"
    made = township.post(
        "/work/data/flowback/",
        {"resource": entities.code, "region": "330602001", "region_field": "region_code",
         "every_minutes": 60},
    )  # fmt: skip
    assert made.status_code == 302
    subscription = Subscription.objects.get()
    delivery = flowback.deliver(subscription)
    assert delivery is not None
    listing = township.get("/work/data/flowback/").content.decode()
    assert f"/work/data/flowback/deliveries/{delivery.pk}/" in listing
    shown = township.get(f"/work/data/flowback/deliveries/{delivery.pk}/")
    body = shown.content.decode()
    assert shown.status_code == 200 and "越城绍兴黄酒有限公司" in body
    assert "legal_person_phone" not in body and "13800000001" not in body
    csv = township.get(shown.context["csv_url"])
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert "越城绍兴黄酒有限公司" in csv.content.decode("utf-8-sig")
    assert "13800000001" not in csv.content.decode("utf-8-sig")

    county = signed_in(city.users["county_officer"])
    assert county.get(f"/work/data/flowback/deliveries/{delivery.pk}/").status_code == 200
    department = signed_in(city.users["department_officer"])
    assert department.get("/work/data/flowback/").status_code == 403
    stopped = township.post(f"/work/data/flowback/subscriptions/{subscription.pk}/stop/")
    assert stopped.status_code == 302
    subscription.refresh_from_db()
    assert not subscription.active


def test_the_flowback_api(city: TinyCity, entities: DataResource) -> None:
    county = signed_in(city.users["county_officer"])
    made = county.post(
        "/api/v1/data/subscriptions",
        {"resource": entities.code, "region": "330602", "region_field": "region_code"},
        content_type="application/json",
    )
    assert made.status_code == 200 and made.json()["region"] == "330602"
    refused = signed_in(city.users["township_officer"]).post(
        "/api/v1/data/subscriptions",
        {"resource": entities.code, "region": "330603", "region_field": "region_code"},
        content_type="application/json",
    )
    assert refused.status_code == 404
    listed = county.get("/api/v1/data/subscriptions").json()
    assert [item["id"] for item in listed["items"]] == [made.json()["id"]]
    subscription = Subscription.objects.get(pk=made.json()["id"])
    delivery = flowback.deliver(subscription)
    assert delivery is not None
    deliveries = county.get(f"/api/v1/data/subscriptions/{subscription.pk}/deliveries").json()
    assert deliveries["items"][0]["row_count"] == 2
    rows = county.get(f"/api/v1/data/deliveries/{delivery.pk}").json()
    assert "legal_person_phone" not in rows["fields"] and len(rows["rows"]) == 2
    assert county.get(f"/api/v1/data/deliveries/{delivery.pk}/rows.csv").status_code == 200
    stopped = county.delete(f"/api/v1/data/subscriptions/{subscription.pk}")
    assert stopped.status_code == 200 and stopped.json()["active"] is False
