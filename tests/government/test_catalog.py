"""The service item catalog and one-thing bundles: records, services with their permissions and
audit, the public selectors and API, and the demo step."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from pydantic import ValidationError

from kuaiji.apps.government import selectors
from kuaiji.apps.government.catalog import register_bundle, register_item
from kuaiji.apps.government.models import Bundle, ItemMaterial, ServiceItem
from kuaiji.apps.government.records import BundleRecord
from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import InvalidInput, NotFound
from tests.directory.city import TinyCity
from tests.government.catalog_data import (
    SHARED_MARRIAGE,
    demo_catalog,
    item_record,
    marriages,
    sample_catalog,
)

pytestmark = pytest.mark.django_db


# Records ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"promised_days": 21},
        {"materials": [{"code": "a-b", "name": "材料一"}, {"code": "a-b", "name": "材料二"}]},
        {"materials": [{"code": "x", "name": "结婚证", "data_resource": "marriage-registration"}]},
        {"materials": [{"code": "x", "name": "结婚证", "lookup_field": "id_number"}]},
        {"fee": Decimal("10")},
        {"code": "有空格 的代码"},
    ],
)
def test_item_records_refuse_inconsistent_descriptions(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        item_record(**changes)


def test_a_shared_material_is_looked_up_by_identity_number_by_default() -> None:
    record = item_record(materials=[SHARED_MARRIAGE])
    assert record.materials[0].lookup == ItemMaterial.Lookup.ID_NUMBER


def test_bundle_records_need_different_items() -> None:
    with pytest.raises(ValidationError):
        BundleRecord(code="x", name="一件事", applicants="both", items=["A-1", "A-1"])


# Services -----------------------------------------------------------------------------------


def test_a_department_describes_its_items_audited(city: TinyCity) -> None:
    officer = city.users["department_officer"]  # of 330602-SCJ
    marriages()
    found = register_item(
        actor=officer, item=item_record(materials=[SHARED_MARRIAGE, {"code": "b", "name": "照片"}])
    )
    assert found.department.code == "330602-SCJ"
    shared, photo = found.materials.order_by("position")
    assert shared.from_shared_data and shared.data_resource.code == "marriage-registration"
    assert shared.lookup_field == "id_number" and not photo.from_shared_data
    entry = AuditEntry.objects.get(action="government.item.create")
    assert entry.object_id == str(found.pk)

    again = register_item(actor=officer, item=item_record(promised_days=3, materials=[]))
    assert again.pk == found.pk and again.promised_days == 3
    assert not again.materials.exists()
    update = AuditEntry.objects.get(action="government.item.update")
    assert update.changes["promised_days"] == [5, 3]


def test_items_of_other_departments_are_out_of_reach(city: TinyCity) -> None:
    with pytest.raises(NotFound):
        register_item(
            actor=city.users["department_officer"],
            item=item_record("330603-SCJ-001", department_code="330603-SCJ"),
        )
    with pytest.raises(NotFound):
        register_item(actor=city.users["grid_worker"], item=item_record())
    assert not ServiceItem.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"department_code": "330699-XXX"}, "department_code"),
        ({"materials": [{**SHARED_MARRIAGE, "data_resource": "no-such"}]}, "materials.x"),
        ({"materials": [{**SHARED_MARRIAGE, "lookup_field": "credit_code"}]}, "materials.x"),
    ],
)
def test_items_must_name_what_exists(city: TinyCity, changes: dict[str, Any], field: str) -> None:
    marriages()
    for material in changes.get("materials", []):
        material["code"] = "x"
    with pytest.raises(InvalidInput) as refused:
        register_item(actor=SYSTEM, item=item_record(**changes))
    assert field in refused.value.fields


def test_bundles_are_described_at_the_city_level(city: TinyCity) -> None:
    register_item(actor=SYSTEM, item=item_record("330602-SCJ-001"))
    register_item(actor=SYSTEM, item=item_record("330602-SCJ-002"))
    record = BundleRecord(
        code="shop",
        name="开店一件事",
        applicants="both",
        items=["330602-SCJ-002", "330602-SCJ-001"],
    )
    with pytest.raises(NotFound):  # a county department's officer
        register_bundle(actor=city.users["department_officer"], bundle=record)
    bundle = register_bundle(actor=city.users["platform_admin"], bundle=record)
    assert [entry.item.code for entry in bundle.entries.order_by("position")] == [
        "330602-SCJ-002",
        "330602-SCJ-001",
    ]
    assert AuditEntry.objects.filter(action="government.bundle.create").count() == 1
    with pytest.raises(InvalidInput) as refused:
        register_bundle(
            actor=SYSTEM,
            bundle=record.model_copy(update={"items": ["330602-SCJ-001", "NO-SUCH"]}),
        )
    assert "items" in refused.value.fields


# Selectors ----------------------------------------------------------------------------------


def test_public_items_search_filter_and_count(city: TinyCity) -> None:
    sample_catalog()
    codes = lambda found: [item.code for item in found]  # noqa: E731
    assert codes(selectors.public_items()) == [
        "330600-DSJ-001",
        "330602-SCJ-101",
        "330602-SCJ-102",
    ]
    assert codes(selectors.public_items(q="全程网办")) == ["330602-SCJ-102"]  # in the guide
    assert codes(selectors.public_items(q="food")) == ["330602-SCJ-101"]  # English name
    assert codes(selectors.public_items(department="330600-DSJ")) == ["330600-DSJ-001"]
    assert codes(selectors.public_items(kind="registration")) == ["330602-SCJ-102"]
    assert codes(selectors.public_items(applicants="citizen")) == [
        "330600-DSJ-001",
        "330602-SCJ-102",
    ]
    facets = selectors.item_facets(kind="licence")
    assert [(f.value, f.count) for f in facets.departments] == [("330602-SCJ", 1)]
    assert {(f.value, f.count) for f in facets.kinds} == {
        ("licence", 1),
        ("registration", 1),
        ("public_service", 1),
    }


def test_withdrawn_and_unknown_items_are_not_found(city: TinyCity) -> None:
    sample_catalog()
    assert selectors.item("330602-SCJ-101").materials.count() == 2
    for code in ("330602-SCJ-199", "NO-SUCH"):
        with pytest.raises(NotFound):
            selectors.item(code)


def test_a_bundle_asks_each_material_once(
    city: TinyCity, django_assert_max_num_queries: Any
) -> None:
    sample_catalog()
    with django_assert_max_num_queries(5):
        guide = selectors.bundle("open-a-shop")
        codes = [material.code for material in guide.materials]
    assert [item.code for item in guide.items] == ["330602-SCJ-102", "330602-SCJ-101"]
    assert codes == ["applicant-id", "marriage-certificate", "food-premises"]
    merged = {material.code: material for material in guide.materials}
    assert [item.code for item in merged["applicant-id"].items] == [
        "330602-SCJ-102",
        "330602-SCJ-101",
    ]
    assert merged["marriage-certificate"].from_shared_data
    assert not merged["food-premises"].required
    assert guide.promised_days == 5 and guide.statutory_days == 20 and guide.shared_count == 1
    Bundle.objects.filter(code="open-a-shop").update(active=False)
    with pytest.raises(NotFound):
        selectors.bundle("open-a-shop")


# API ----------------------------------------------------------------------------------------


def test_the_catalog_is_public_over_the_api(city: TinyCity) -> None:
    sample_catalog()
    client = Client()
    listed = client.get("/api/v1/government/items?applicants=enterprise&limit=10").json()
    assert listed["count"] == 2
    assert [item["code"] for item in listed["items"]] == ["330600-DSJ-001", "330602-SCJ-101"]
    detail = client.get("/api/v1/government/items/330602-SCJ-102").json()
    assert detail["legal_basis"].startswith("《中华人民共和国食品安全法》")
    assert detail["one_visit"] is True and detail["online_level"] == 4
    assert [(m["code"], m["from_shared_data"]) for m in detail["materials"]] == [
        ("applicant-id", False),
        ("marriage-certificate", True),
    ]
    assert detail["materials"][1]["data_resource"] == "marriage-registration"
    assert client.get("/api/v1/government/items/330602-SCJ-199").status_code == 404
    bundles = client.get("/api/v1/government/bundles").json()
    assert [b["code"] for b in bundles] == ["open-a-shop"]
    assert [i["code"] for i in bundles[0]["items"]] == ["330602-SCJ-102", "330602-SCJ-101"]
    bundle = client.get("/api/v1/government/bundles/open-a-shop").json()
    assert bundle["promised_days"] == 5
    assert [m["code"] for m in bundle["materials"] if m["from_shared_data"]] == [
        "marriage-certificate"
    ]
    assert bundle["form"][0] == {
        "name": "shop_name",
        "label": "店名",
        "label_en": "Shop name",
        "type": "text",
        "required": True,
        "choices": [],
    }


def test_describing_over_the_api_takes_a_session_and_the_permission(city: TinyCity) -> None:
    payload = item_record().model_dump(mode="json")
    assert Client().post("/api/v1/government/items", payload, "application/json").status_code == 401
    officer = Client()
    officer.force_login(city.users["department_officer"])
    created = officer.post("/api/v1/government/items", payload, "application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["materials"][0]["code"] == "applicant-id"
    refused = officer.post(
        "/api/v1/government/items",
        {**payload, "promised_days": 30},
        "application/json",
    )
    assert refused.status_code == 400
    register_item(actor=SYSTEM, item=item_record("330602-SCJ-102"))
    bundle = {"code": "shop", "name": "开店", "applicants": "both",
              "items": ["330602-SCJ-101", "330602-SCJ-102"]}  # fmt: skip
    post = officer.post("/api/v1/government/bundles", bundle, "application/json")
    assert post.status_code == 404
    admin = Client()
    admin.force_login(city.users["platform_admin"])
    made = admin.post("/api/v1/government/bundles", bundle, "application/json")
    assert made.status_code == 201, made.json()
    assert [m["code"] for m in made.json()["materials"]] == ["applicant-id", "food-premises"]


# Demo ---------------------------------------------------------------------------------------


def test_the_demo_catalog_loads_once(city: TinyCity) -> None:
    from kuaiji.apps.government import demo

    summary = demo_catalog()
    assert summary == f"{len(demo.ITEMS)} items, 4 bundles created"
    assert ServiceItem.objects.count() >= 60
    assert ServiceItem.objects.values("department").distinct().count() >= 12
    newborn = selectors.bundle("newborn")
    assert [item.department.code for item in newborn.items] == [
        "330600-WJW",
        "330600-GAJ",
        "330600-YBJ",
        "330600-RSJ",
    ]
    shared = {m.code: m.data_resource.code for m in newborn.materials if m.data_resource}
    assert shared == {
        "marriage-certificate": "marriage-registration",
        "household-register": "household-register",
    }
    assert {field["name"] for field in newborn.bundle.form} >= {"baby_name", "birth_date"}
    business = selectors.bundle("business-opening")
    assert "business-licence" in {m.code for m in business.materials if m.from_shared_data}
    assert ServiceItem.objects.filter(fee__gt=0).count() < ServiceItem.objects.count() / 10
    assert demo.load_catalog("small") == "0 created, catalog unchanged"
