"""An unsatisfied rating reopens the event once, after the county centre's review: the same
unit handles it again, and a second unsatisfied rating closes it without another review."""

from __future__ import annotations

from typing import Any

import pytest

from kuaiji.apps.grassroots import services
from kuaiji.apps.grassroots.models import Channel, Event, EventSource, EventStatus, Rating
from kuaiji.platform.chains import services as chains
from kuaiji.platform.chains.models import InstanceStatus, TaskStatus, WorkTask
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


def open_task(event: Event) -> WorkTask:
    return event.instance.tasks.get(status=TaskStatus.OPEN)  # type: ignore[union-attr]


def step(event: Event, actor: User, form: dict[str, Any], expected: EventStatus) -> None:
    task = open_task(event)
    chains.complete(actor=actor, task=task.pk, form=form)
    event.refresh_from_db()
    assert event.status == expected, (task.step, event.status)


def handled_and_closed(event: Event, city: TinyCity) -> None:
    """From township handling to the reporter's rating."""
    township = city.users["township_officer"]
    assert open_task(event).step == "handle_township"
    step(event, township, {"opinion": "已劝离车辆"}, EventStatus.FEEDBACK)
    step(event, city.users["grid_worker"], {"opinion": "已电话告知"}, EventStatus.VERIFYING)
    step(event, township, {"result": "pass"}, EventStatus.VERIFYING)
    step(event, township, {}, EventStatus.EVALUATING)


def rated_unsatisfied(city: TinyCity, citizen: User) -> Event:
    """A report accepted, handled by the township, closed and rated unsatisfied."""
    event = reported(citizen)
    township = city.users["township_officer"]
    step(event, township, {"decision": "accept"}, EventStatus.ACCEPTING)
    step(event, township, {"decision": "handle"}, EventStatus.HANDLING)
    step(event, township, {"opinion": "交社区处理"}, EventStatus.HANDLING)
    handled_and_closed(event, city)
    step(
        event,
        citizen,
        {"rating": "unsatisfied", "opinion": "车辆又停回来了"},
        EventStatus.REVIEWING,
    )
    review = open_task(event)
    assert review.step == "review"
    assert review.candidate_key.startswith("county_officer@region:")
    return event


def test_an_unsatisfied_rating_reopens_the_event_once(
    city: TinyCity, calendar: None, citizen: User
) -> None:
    event = rated_unsatisfied(city, citizen)
    step(
        event,
        city.users["county_officer"],
        {"review": "reopen", "opinion": "请乡镇重新处置"},
        EventStatus.HANDLING,
    )
    handled_and_closed(event, city)
    step(event, citizen, {"rating": "unsatisfied"}, EventStatus.CLOSED)
    assert event.rating == Rating.UNSATISFIED and event.closed_at is not None
    assert event.instance.status == InstanceStatus.COMPLETED  # type: ignore[union-attr]
    tasks = WorkTask.objects.filter(instance=event.instance)
    assert tasks.filter(step="review").count() == 1
    assert tasks.filter(step="handle_township", status=TaskStatus.DONE).count() == 2
    assert not tasks.filter(status=TaskStatus.OPEN).exists()


def test_an_upheld_review_closes_the_event_unsatisfied(
    city: TinyCity, calendar: None, citizen: User
) -> None:
    event = rated_unsatisfied(city, citizen)
    step(
        event,
        city.users["county_officer"],
        {"review": "uphold", "opinion": "已依法处置，维持办结"},
        EventStatus.CLOSED,
    )
    assert event.rating == Rating.UNSATISFIED and event.closed_at is not None
    assert event.instance.status == InstanceStatus.COMPLETED  # type: ignore[union-attr]
    assert not WorkTask.objects.filter(instance=event.instance, status=TaskStatus.OPEN).exists()
