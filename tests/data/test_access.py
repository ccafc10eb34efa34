"""What an actor may read of a resource: owner, unconditional, conditional, not shared."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kuaiji.platform.core.errors import Forbidden
from kuaiji.platform.data import access, services
from kuaiji.platform.data.models import DataResource, Grant
from tests.data.conftest import market_entities
from tests.data.sharing_story import consumer
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db

ALL = {"credit_code", "name", "region_code", "capital", "founded", "legal_person_phone"}


def _grant(
    resource: DataResource, user_department: str, fields: list[str], **times: object
) -> Grant:
    from kuaiji.platform.directory.models import Department

    now = timezone.now()
    values = {"starts_at": now - timedelta(days=1), "expires_at": now + timedelta(days=1), **times}
    return Grant.objects.create(
        resource=resource,
        department=Department.objects.get(code=user_department),
        fields=fields,
        purpose="测试",
        **values,
    )


def test_the_owner_reads_everything(city: TinyCity, entities: DataResource) -> None:
    found = access.reading(city.users["department_officer"], entities)
    assert found.owner and found.readable == ALL and found.grant is None


def test_conditional_needs_a_live_grant(city: TinyCity, entities: DataResource) -> None:
    reader = consumer()
    with pytest.raises(Forbidden):
        access.reading(reader, entities)
    _grant(entities, "330603-SCJ", ["name"], expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Forbidden):  # expired
        access.reading(reader, entities)
    revoked = _grant(entities, "330603-SCJ", ["name"])
    revoked.revoked_at = timezone.now()
    revoked.save()
    with pytest.raises(Forbidden):  # revoked
        access.reading(reader, entities)
    _grant(entities, "330600-DSJ", ["name"])  # another department's grant does not count
    with pytest.raises(Forbidden):
        access.reading(reader, entities)
    grant = _grant(entities, "330603-SCJ", ["credit_code", "name"])
    found = access.reading(reader, entities)
    assert found.readable == {"credit_code", "name"}
    assert found.grant == grant and found.department is not None
    assert found.department.code == "330603-SCJ"


def test_unconditional_reads_levels_one_and_two(city: TinyCity) -> None:
    resource = services.register_resource(
        actor=city.users["department_officer"],
        resource=market_entities(code="open-entities", sharing="unconditional"),
    )
    reader = consumer()
    found = access.reading(reader, resource)
    assert found.readable == ALL - {"legal_person_phone"} and found.grant is None
    # a county officer holds data.rows.read too
    assert access.reading(city.users["county_officer"], resource).readable == found.readable
    with pytest.raises(Forbidden):  # grid workers do not read rows
        access.reading(city.users["grid_worker"], resource)
    grant = _grant(resource, "330603-SCJ", ["legal_person_phone"])
    found = access.reading(reader, resource)
    assert found.readable == ALL and found.grant == grant


def test_not_shared_only_the_owner(city: TinyCity) -> None:
    resource = services.register_resource(
        actor=city.users["department_officer"],
        resource=market_entities(
            code="closed", sharing="not_shared", opening="not_open", sharing_basis="涉密"
        ),
    )
    _grant(resource, "330603-SCJ", ["name"])
    with pytest.raises(Forbidden):
        access.reading(consumer(), resource)
    assert access.reading(city.users["department_officer"], resource).owner


def test_select_masks_unnamed_and_refuses_named(entities: DataResource) -> None:
    schema = list(entities.fields.order_by("position"))
    readable = {"credit_code", "name"}
    chosen = access.select(readable, schema, [])
    assert chosen.fields == [item.name for item in schema]
    assert chosen.masked == ["region_code", "capital", "founded", "legal_person_phone"]
    assert access.select(readable, schema, ["name"]).masked == []
    with pytest.raises(Forbidden) as refused:
        access.select(readable, schema, ["name", "capital", "legal_person_phone"])
    assert set(refused.value.fields) == {"capital", "legal_person_phone"}
    assert "capital, legal_person_phone" in str(refused.value.message)


def test_mask_value() -> None:
    assert access.mask_value("13800000001") == "138****0001"
    assert access.mask_value("330602199001011234") == "330***********1234"
    assert access.mask_value("短") == access.MASK
    assert access.mask_value(1200) == access.MASK
    assert access.mask_value(None) is None
    records = access.masked_records([{"a": "13800000001", "b": 1}], ["a"])
    assert records == [{"a": "138****0001", "b": 1}]
