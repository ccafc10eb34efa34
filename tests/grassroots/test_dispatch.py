"""The dispatch console's actions move many events at once through their chains, reporting the
ones that could not move."""

from __future__ import annotations

import pytest

from kuaiji.apps.grassroots import dispatch, services
from kuaiji.apps.grassroots.models import Channel, Event, EventSource, EventStatus
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.directory.models import Department
from tests.directory.city import TinyCity
from tests.grassroots.conftest import inside

pytestmark = pytest.mark.django_db


def reported(city: TinyCity, n: int) -> list[Event]:
    lon, lat = inside("330602001001001")
    return [
        services.report_event(
            actor=city.users["grid_worker"],
            source=EventSource.PATROL,
            channel=Channel.WORK_FRONT,
            description=f"小区门口有车辆乱停乱放 {i} 号",
            longitude=lon,
            latitude=lat,
            category="city.illegal_parking",
        )
        for i in range(n)
    ]


def test_bulk_accept_escalate_and_whistle(city: TinyCity, calendar: None) -> None:
    township, county = city.users["township_officer"], city.users["county_officer"]
    events = reported(city, 3)
    ids = [event.pk for event in events]
    assert [event.pk for event, _task in dispatch.queue(township)] == ids
    accepted = dispatch.act(actor=township, action="accept", events=ids)
    assert set(accepted.moved) == {event.number for event in events} and not accepted.refused
    again = dispatch.act(actor=township, action="accept", events=ids[:1])
    assert again.moved == [] and events[0].number in again.refused
    dispatch.act(actor=township, action="escalate", events=ids[:2])
    dispatch.act(actor=township, action="handle_here", events=ids[2:])
    assert {event.pk for event, _task in dispatch.queue(county)} == set(ids[:2])
    whistled = dispatch.assign(actor=county, events=ids[:2], department="330602-SCJ")
    assert len(whistled.moved) == 2
    department = Department.objects.get(code="330602-SCJ")
    for event in Event.objects.filter(pk__in=ids[:2]):
        assert event.status == EventStatus.HANDLING
        task = event.instance.tasks.get(status="open")  # type: ignore[union-attr]
        assert task.candidate_key == f"department_officer@department:{department.pk}"


def test_bad_console_requests(city: TinyCity, calendar: None) -> None:
    township = city.users["township_officer"]
    [event] = reported(city, 1)
    with pytest.raises(InvalidInput):
        dispatch.act(actor=township, action="burn", events=[event.pk])
    with pytest.raises(InvalidInput):
        dispatch.act(actor=township, action="accept", events=[])
    with pytest.raises(InvalidInput):
        dispatch.assign(actor=city.users["county_officer"], events=[event.pk], department="NOPE")
    outsider = dispatch.act(
        actor=city.users["department_officer"], action="accept", events=[event.pk]
    )
    assert outsider.moved == [] and event.number in outsider.refused
