"""Data flow-back: subscribing within one's region, deliveries filtered by region that move only
with the data version, never carrying fields above level 2, logged and listed in scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.core.errors import Forbidden, InvalidInput, NotFound
from kuaiji.platform.data import flowback, services
from kuaiji.platform.data.models import CallChannel, DataCall, DataResource, Delivery
from kuaiji.platform.data.tasks import deliver_flowback
from kuaiji.platform.directory.models import Region
from tests.data.conftest import ENTITIES, market_entities, put_rows
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def test_a_township_subscribes_its_own_region_only(city: TinyCity, entities: DataResource) -> None:
    officer = city.users["township_officer"]
    subscription = flowback.subscribe(
        actor=officer,
        resource=entities,
        region=region("330602001"),
        region_field="region_code",
        every_minutes=60,
    )
    assert subscription.active and subscription.subscriber == officer
    assert AuditEntry.objects.filter(action="data.flowback.subscribe").count() == 1
    with pytest.raises(NotFound):
        flowback.subscribe(
            actor=officer, resource=entities, region=region("330602002"), region_field="region_code"
        )
    with pytest.raises(NotFound):
        flowback.subscribe(
            actor=city.users["department_officer"],
            resource=entities,
            region=region("330602001"),
            region_field="region_code",
        )
    again = flowback.subscribe(
        actor=officer,
        resource=entities,
        region=region("330602001"),
        region_field="region_code",
        every_minutes=30,
    )
    assert again.pk == subscription.pk and again.every_minutes == 30


@pytest.mark.parametrize(
    ("field", "sharing", "minutes", "error"),
    [
        ("no_such_field", "conditional", 60, "region_field"),
        ("capital", "conditional", 60, "region_field"),
        ("region_code", "not_shared", 60, "resource"),
        ("region_code", "conditional", 1, "every_minutes"),
    ],
)
def test_what_cannot_be_subscribed(
    city: TinyCity, field: str, sharing: str, minutes: int, error: str
) -> None:
    changes = {"sharing": sharing}
    if sharing == "not_shared":
        changes.update(sharing_basis="《个人信息保护法》", opening="not_open")
    resource = services.register_resource(
        actor=city.users["department_officer"], resource=market_entities(**changes)
    )
    with pytest.raises(InvalidInput) as raised:
        flowback.subscribe(
            actor=city.users["county_officer"],
            resource=resource,
            region=region("330602"),
            region_field=field,
            every_minutes=minutes,
        )
    assert error in raised.value.fields


def test_deliveries_follow_the_region_and_the_data_version(
    city: TinyCity, entities: DataResource
) -> None:
    county = flowback.subscribe(
        actor=city.users["county_officer"],
        resource=entities,
        region=region("330602"),
        region_field="region_code",
    )
    township = flowback.subscribe(
        actor=city.users["township_officer"],
        resource=entities,
        region=region("330602001"),
        region_field="region_code",
    )
    first = flowback.deliver(county)
    assert first is not None and first.data_version == entities.data_version
    assert first.row_count == 2
    assert {row["region_code"] for row in first.rows} == {"330602001", "330602002"}
    assert all(set(row) == {"credit_code", "name", "region_code", "capital", "founded"}
               for row in first.rows)  # fmt: skip
    assert "legal_person_phone" not in flowback.as_csv(first)
    assert flowback.deliver(county) is None, "nothing new until the data version moves"

    only_mine = flowback.deliver(township)
    assert only_mine is not None and [row["region_code"] for row in only_mine.rows] == ["330602001"]

    # a village below the township counts as the township's
    put_rows(entities, [{**ENTITIES[0], "credit_code": "X1", "region_code": "330602001001"}])
    entities.refresh_from_db()
    second = flowback.deliver(township)
    assert second is not None and second.row_count == 2
    assert second.data_version == entities.data_version

    call = DataCall.objects.filter(channel=CallChannel.FLOWBACK).first()
    assert call is not None and call.audit_sequence is not None
    assert "legal_person_phone" in call.query["withheld"]
    assert "legal_person_phone" not in call.fields


def test_the_scheduled_job_delivers_what_is_due(city: TinyCity, entities: DataResource) -> None:
    subscription = flowback.subscribe(
        actor=city.users["county_officer"],
        resource=entities,
        region=region("330602"),
        region_field="region_code",
        every_minutes=60,
    )
    assert deliver_flowback.apply().get() == 1
    assert flowback.deliver_due() == 0
    put_rows(entities, [{**ENTITIES[0], "credit_code": "X2"}])
    assert flowback.deliver_due() == 0, "the interval has not passed"
    assert flowback.deliver_due(timezone.now() + timedelta(minutes=61)) == 1
    flowback.unsubscribe(actor=city.users["county_officer"], subscription=subscription.pk)
    put_rows(entities, [{**ENTITIES[0], "credit_code": "X3"}])
    assert flowback.deliver_due(timezone.now() + timedelta(days=1)) == 0
    assert Delivery.objects.filter(subscription=subscription).count() == 2


def test_subscriptions_and_deliveries_are_read_in_scope(
    city: TinyCity, entities: DataResource
) -> None:
    county_officer, township_officer = city.users["county_officer"], city.users["township_officer"]
    west = flowback.subscribe(
        actor=county_officer,
        resource=entities,
        region=region("330602002"),
        region_field="region_code",
    )
    mine = flowback.subscribe(
        actor=township_officer,
        resource=entities,
        region=region("330602001"),
        region_field="region_code",
    )
    delivered = flowback.deliver(west)
    assert delivered is not None
    assert set(flowback.my_subscriptions(county_officer)) == {west, mine}
    assert list(flowback.my_subscriptions(township_officer)) == [mine]
    assert flowback.delivery(county_officer, delivered.pk) == delivered
    assert [item.pk for item in flowback.deliveries(county_officer, west.pk)] == [delivered.pk]
    with pytest.raises(NotFound):
        flowback.delivery(township_officer, delivered.pk)
    with pytest.raises(NotFound):
        flowback.deliveries(township_officer, west.pk)
    with pytest.raises(NotFound):
        flowback.unsubscribe(actor=township_officer, subscription=west.pk)
    with pytest.raises(Forbidden):
        flowback.my_subscriptions(city.users["department_officer"])
