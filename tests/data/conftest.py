"""Shared pieces of the data platform tests: a resource of the tiny city's west market
regulation bureau and a way to put rows in it directly."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from django.utils import timezone

from kuaiji.platform.data import services
from kuaiji.platform.data.models import DataResource, DataRow
from kuaiji.platform.data.records import ResourceRecord
from tests.directory.city import TinyCity


def market_entities(**changes: Any) -> ResourceRecord:
    """Registered market entities: a conditional resource with a level-4 phone field."""
    fields: dict[str, Any] = {
        "code": "market-entities",
        "title": "市场主体登记信息",
        "title_en": "Registered market entities",
        "department_code": "330602-SCJ",
        "frequency": "daily",
        "themes": ["经济"],
        "tags": ["企业", "登记"],
        "licence": "CC-BY-4.0",
        "sharing": "conditional",
        "opening": "conditional",
        "fields": [
            {
                "name": "credit_code",
                "type": "string",
                "level": 1,
                "primary_key": True,
                "standard": "GB 32100-2015",
                "required": True,
            },
            {"name": "name", "type": "string", "level": 1, "required": True},
            {"name": "region_code", "type": "string", "level": 1},
            {"name": "capital", "type": "number", "level": 2},
            {"name": "founded", "type": "date", "level": 1},
            {"name": "legal_person_phone", "type": "string", "level": 4},
        ],
        **changes,
    }
    return ResourceRecord(**fields)


ENTITIES = [
    {
        "credit_code": "91330602MA00000001",
        "name": "越城绍兴黄酒有限公司",
        "region_code": "330602001",
        "capital": 500.0,
        "founded": "2015-03-01",
        "legal_person_phone": "13800000001",
    },
    {
        "credit_code": "91330602MA00000002",
        "name": "鉴湖纺织有限公司",
        "region_code": "330602002",
        "capital": 1200,
        "founded": "2019-07-15",
        "legal_person_phone": "13800000002",
    },
    {
        "credit_code": "91330603MA00000003",
        "name": "东湖茶叶合作社",
        "region_code": "330603001",
        "capital": 80.5,
        "founded": "2021-11-30",
        "legal_person_phone": None,
    },
]


def put_rows(resource: DataResource, rows: Iterable[dict[str, Any]]) -> None:
    """Store rows as a load would (bypassing validation), as the next data version."""
    keys = resource.key_fields()
    version = resource.data_version + 1
    DataRow.objects.bulk_create(
        DataRow(
            resource=resource,
            key=services.row_key([row[name] for name in keys]),
            data=row,
            version=version,
        )
        for row in rows
    )
    resource.data_version = version
    resource.row_count = DataRow.objects.filter(resource=resource).count()
    resource.data_updated_at = timezone.now()
    resource.save(update_fields=["data_version", "row_count", "data_updated_at"])


@pytest.fixture
def entities(city: TinyCity) -> DataResource:
    """The market entities resource, registered by its department, with three rows."""
    resource = services.register_resource(
        actor=city.users["department_officer"], resource=market_entities()
    )
    put_rows(resource, ENTITIES)
    return resource


def open_entities(city: TinyCity, **changes: Any) -> DataResource:
    """An open copy of the market entities (a level-2 and a level-4 field among its fields),
    registered by its department, with the three rows."""
    described: dict[str, Any] = {
        "code": "open-entities",
        "title": "公开市场主体名录",
        "title_en": "Open list of market entities",
        "description": "在册市场主体的公开信息。",
        "tags": ["企业", "名录"],
        "sharing": "unconditional",
        "opening": "open",
        **changes,
    }
    resource = services.register_resource(
        actor=city.users["department_officer"], resource=market_entities(**described)
    )
    put_rows(resource, ENTITIES)
    return resource
