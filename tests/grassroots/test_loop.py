"""The closed loop on the grid-event chain: the event's status follows its chain from
acceptance to the reporter's rating; an event not accepted ends as rejected."""

from __future__ import annotations

from typing import Any

import pytest

from kuaiji.apps.grassroots import services
from kuaiji.apps.grassroots.models import Channel, Event, EventSource, EventStatus, Rating
from kuaiji.platform.chains import services as chains
from kuaiji.platform.chains.models import TaskStatus
from kuaiji.platform.identity.models import User
from tests.directory.city import TinyCity
from tests.grassroots.conftest import inside

pytestmark = pytest.mark.django_db


def reported(citizen: User) -> Event:
    lon, lat = inside("330602001001001")
    return services.report_event(
        actor=citizen,
        source=EventSource.CITIZEN,
        channel=Channel.SERVICE_FRONT,
        description="小区门口有车辆乱停乱放，堵住了消防通道",
        category="city.illegal_parking",
        longitude=lon,
        latitude=lat,
    )


def step(event: Event, actor: User, form: dict[str, Any], expected: EventStatus) -> None:
    task = event.instance.tasks.get(status=TaskStatus.OPEN)  # type: ignore[union-attr]
    chains.complete(actor=actor, task=task.pk, form=form)
    event.refresh_from_db()
    assert event.status == expected, (task.step, event.status)


def test_a_citizen_report_travels_the_loop_to_its_rating(
    city: TinyCity, calendar: None, citizen: User
) -> None:
    users = city.users
    event = reported(citizen)
    assert event.status == EventStatus.ACCEPTING and "受理" in event.status_note
    township = users["township_officer"]
    step(event, township, {"decision": "accept"}, EventStatus.ACCEPTING)
    step(event, township, {"decision": "handle"}, EventStatus.HANDLING)
    step(event, township, {"opinion": "交社区处理"}, EventStatus.HANDLING)
    step(event, township, {"opinion": "已劝离车辆"}, EventStatus.FEEDBACK)
    step(event, users["grid_worker"], {"opinion": "已电话告知"}, EventStatus.VERIFYING)
    step(event, township, {"result": "pass"}, EventStatus.VERIFYING)
    step(event, township, {}, EventStatus.EVALUATING)
    step(event, citizen, {"rating": "satisfied"}, EventStatus.CLOSED)
    assert event.rating == Rating.SATISFIED and event.closed_at is not None


def test_an_event_not_accepted_ends_rejected(city: TinyCity, calendar: None, citizen: User) -> None:
    event = reported(citizen)
    step(
        event,
        city.users["township_officer"],
        {"decision": "reject", "opinion": "不属于网格事项"},
        EventStatus.REJECTED,
    )
    assert event.status_note == "不属于网格事项" and not event.is_open
