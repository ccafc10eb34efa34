"""The data resource catalog: registration within one's department, versions, checks, reads."""

from __future__ import annotations

import pytest
from django.test import Client
from pydantic import ValidationError

from kuaiji.platform.core.errors import NotFound
from kuaiji.platform.data import selectors, services
from tests.data.conftest import market_entities
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


def test_a_department_registers_and_versions_its_resource(city: TinyCity) -> None:
    officer = city.users["department_officer"]
    created = services.register_resource(actor=officer, resource=market_entities())
    assert created.version == 1 and [f.name for f in created.fields.order_by("position")] == [
        "credit_code",
        "name",
        "region_code",
        "capital",
        "founded",
        "legal_person_phone",
    ]
    same = services.register_resource(actor=officer, resource=market_entities())
    assert same.version == 1
    changed = services.register_resource(
        actor=officer, resource=market_entities(frequency="weekly")
    )
    assert changed.version == 2 and changed.fields.count() == 6
    with pytest.raises(NotFound):
        services.register_resource(
            actor=officer, resource=market_entities(code="east", department_code="330603-SCJ")
        )
    seen = selectors.resource(city.users["township_officer"], "market-entities")
    assert seen.department.code == "330602-SCJ"


def test_bad_records_are_refused() -> None:
    with pytest.raises(ValidationError):
        market_entities(sharing="not_shared", opening="not_open")  # no legal basis
    with pytest.raises(ValidationError):
        market_entities(fields=[{"name": "a", "type": "string", "level": 1}])  # no primary key
    with pytest.raises(ValidationError):
        market_entities(fields=[{"name": "A b", "type": "string", "level": 1, "primary_key": True}])
    with pytest.raises(ValidationError):
        market_entities(sharing="not_shared", sharing_basis="《统计法》", opening="open")


def test_the_catalog_over_the_api(city: TinyCity) -> None:
    officer = Client()
    officer.force_login(city.users["department_officer"])
    body = market_entities().model_dump(mode="json")
    created = officer.post("/api/v1/data/resources", body, content_type="application/json")
    assert created.status_code == 200, created.content
    assert [f["level"] for f in created.json()["fields"]] == [1, 1, 1, 2, 1, 4]
    bad = officer.post(
        "/api/v1/data/resources", {**body, "fields": []}, content_type="application/json"
    )
    assert bad.status_code == 400 and "fields" in bad.json()["error"]
    listed = officer.get("/api/v1/data/resources").json()
    assert [item["code"] for item in listed["items"]] == ["market-entities"]
    grid_worker = Client()
    grid_worker.force_login(city.users["grid_worker"])
    assert grid_worker.get("/api/v1/data/resources").status_code == 403


def test_the_demo_catalog_loads_once(city: TinyCity) -> None:
    from kuaiji.platform.data.demo import RESOURCES, _record, load_catalog

    assert len(RESOURCES) == 32
    assert all(_record(entry, "330600").fields for entry in RESOURCES)
    assert load_catalog("small") == "2 created"  # the tiny city has only the big data bureau
    assert load_catalog("small") == "0 created, catalog unchanged"
