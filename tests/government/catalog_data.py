"""A small service catalog on the tiny city, for the catalog, API and page tests: a shared
marriage-registration resource, three items of the west market regulation bureau (one of them
withdrawn), one of the city's big data bureau, and a bundle of two."""

from __future__ import annotations

from typing import Any

from kuaiji.apps.government.catalog import register_bundle, register_item
from kuaiji.apps.government.models import Bundle, ServiceItem
from kuaiji.apps.government.records import BundleRecord, ItemRecord
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.data.models import DataResource
from kuaiji.platform.data.records import ResourceRecord
from kuaiji.platform.data.services import register_resource


def marriages() -> DataResource:
    """Marriage registrations shared on conditions, looked up by identity number."""
    found = DataResource.objects.filter(code="marriage-registration").first()
    if found is not None:
        return found
    return register_resource(
        actor=SYSTEM,
        resource=ResourceRecord(
            code="marriage-registration",
            title="婚姻登记信息",
            title_en="Marriage registrations",
            department_code="330600-DSJ",
            frequency="daily",
            sharing="conditional",
            opening="not_open",
            fields=[
                {"name": "id_number", "type": "string", "level": 4, "primary_key": True},
                {"name": "spouse_name", "type": "string", "level": 3},
            ],
        ),
    )


def item_record(code: str = "330602-SCJ-101", **changes: Any) -> ItemRecord:
    fields: dict[str, Any] = {
        "code": code,
        "name": "食品经营许可",
        "name_en": "Food business licence",
        "department_code": "330602-SCJ",
        "kind": "licence",
        "applicants": "enterprise",
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "conditions": "申请材料齐全。",
        "statutory_days": 20,
        "promised_days": 5,
        "online_level": 4,
        "guide": "可在线申请，窗口领取许可证。",
        "result_name": "食品经营许可证",
        "materials": [
            {"code": "applicant-id", "name": "申请人身份证", "name_en": "Identity card"},
            {"code": "food-premises", "name": "经营场所布局图", "required": False},
        ],
        **changes,
    }
    return ItemRecord(**fields)


SHARED_MARRIAGE = {
    "code": "marriage-certificate",
    "name": "结婚证",
    "name_en": "Marriage certificate",
    "data_resource": "marriage-registration",
    "lookup_field": "id_number",
}


def sample_catalog() -> dict[str, ServiceItem | Bundle]:
    """Store the sample catalog as the system and return its items and bundle by name."""
    marriages()
    food = register_item(actor=SYSTEM, item=item_record())
    individual = register_item(
        actor=SYSTEM,
        item=item_record(
            "330602-SCJ-102",
            name="个体工商户登记",
            name_en="Registration of an individual business",
            kind="registration",
            applicants="citizen",
            statutory_days=15,
            promised_days=1,
            guide="开办个体工商户，全程网办。",
            result_name="营业执照",
            materials=[
                {"code": "applicant-id", "name": "申请人身份证", "name_en": "Identity card"},
                SHARED_MARRIAGE,
            ],
        ),
    )
    data = register_item(
        actor=SYSTEM,
        item=item_record(
            "330600-DSJ-001",
            name="公共数据开放申请",
            name_en="Request to open public data",
            department_code="330600-DSJ",
            kind="public_service",
            applicants="both",
            statutory_days=10,
            promised_days=3,
            guide="申请开放一项公共数据。",
            result_name="开放答复",
            materials=[],
        ),
    )
    withdrawn = register_item(
        actor=SYSTEM,
        item=item_record("330602-SCJ-199", name="已取消的事项", active=False),
    )
    bundle = register_bundle(
        actor=SYSTEM,
        bundle=BundleRecord(
            code="open-a-shop",
            name="开店一件事",
            name_en="Opening a shop",
            description="一次申请办结登记和许可。",
            description_en="Register and get the licence in one application.",
            applicants="both",
            items=["330602-SCJ-102", "330602-SCJ-101"],
            form=[
                {"name": "shop_name", "label": "店名", "label_en": "Shop name"},
                {"name": "opening_date", "label": "开业日期", "type": "date", "required": False},
            ],
        ),
    )
    return {
        "food": food,
        "individual": individual,
        "data": data,
        "withdrawn": withdrawn,
        "bundle": bundle,
    }


def demo_catalog() -> str:
    """The demo's catalog on the tiny city: the city's line departments added, the demo data
    resources registered, then the demo items and bundles; returns the step's summary."""
    from kuaiji.apps.government import demo
    from kuaiji.platform.data.demo import load_catalog as load_data_catalog
    from kuaiji.platform.directory import services as directory
    from kuaiji.platform.directory.demo_city.departments import LINE_DEPARTMENTS
    from kuaiji.platform.directory.records import DepartmentRecord

    directory.upsert_departments(
        actor=SYSTEM,
        records=[
            DepartmentRecord(
                code=f"330600-{line.key}",
                name=f"市{line.name}",
                name_en=line.name_en,
                level="city",
                kind=line.kind,
                region_code="330600",
            )
            for line in LINE_DEPARTMENTS
            if line.key != "DSJ"
        ],
    )
    load_data_catalog("small")
    return demo.load_catalog("small")
