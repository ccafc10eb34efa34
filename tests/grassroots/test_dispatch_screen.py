"""The dispatch console on the work front: the township platform and the county centre see the
events waiting for them on a map and in a table, move them many at once or one click at a time,
and the county centre sends them to a line department; the ones that could not move are listed
with the reason. Nobody else opens it."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from kuaiji.apps.grassroots import services
from kuaiji.apps.grassroots.models import Channel, Event, EventSource, EventStatus
from kuaiji.platform.directory.models import Department
from kuaiji.platform.identity.models import User
from tests.directory.city import TinyCity
from tests.grassroots.conftest import inside

pytestmark = pytest.mark.django_db

CONSOLE = "/work/events/dispatch/"
ACT = "/work/events/dispatch/act/"
ASSIGN = "/work/events/dispatch/assign/"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["kuaiji_language"] = "en"
    return client


def page(response: Any) -> str:
    return str(response.content.decode())


def nav(html: str) -> str:
    start = html.index('data-testid="front-nav"')
    return html[start : html.index("</nav>", start)]


def rows(html: str) -> list[int]:
    """The events of the console's table, in order."""
    return [int(found) for found in re.findall(r'<tr data-event="(\d+)"', html)]


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


def test_the_console_shows_each_officer_their_queue(city: TinyCity, calendar: None) -> None:
    events = reported(city, 2)
    township = signed_in(city.users["township_officer"])
    response = township.get(CONSOLE)
    html = page(response)
    assert response.status_code == 200
    assert rows(html) == [event.pk for event in events]  # oldest first
    for event in events:
        assert f'href="/work/events/{event.pk}/"' in html and event.number in html
    assert html.count("<td>Illegal parking</td>") == 2 and html.count("<td>Accept</td>") == 2
    assert 'data-testid="bulk-accept"' in html and 'data-testid="bulk-escalate"' not in html
    assert 'data-testid="bulk-assign"' not in html and 'data-testid="light"' in html
    assert html.count('name="one" value="accept:') == 2
    assert events[1].duplicate_of_id == events[0].pk  # the same place, nearly the same words
    assert f"Possible duplicate of {events[0].number}" in html
    points = json.loads(
        re.search(r'data-points="([^"]*)"', html)[1].replace("&quot;", '"')  # type: ignore[index]
    )
    assert {point["id"] for point in points} == {event.pk for event in events}
    assert all(point["url"] == f"/work/events/{point['id']}/" for point in points)
    assert 'href="/work/events/dispatch/"' in nav(html)

    county = signed_in(city.users["county_officer"])
    empty = page(county.get(CONSOLE))
    assert rows(empty) == [] and 'data-testid="dispatch-empty"' in empty
    assert 'href="/work/events/dispatch/"' in nav(empty)


def test_the_console_is_refused_to_others(city: TinyCity, calendar: None) -> None:
    [event] = reported(city, 1)
    for role in ("grid_worker", "department_officer", "directory_admin", "city_leader"):
        client = signed_in(city.users[role])
        assert client.get(CONSOLE).status_code == 403, role
        posted = client.post(ACT, {"action": "accept", "events": [event.pk]})
        assert posted.status_code == 403, role
        assert 'href="/work/events/dispatch/"' not in nav(page(client.get("/work/"))), role
    assert Client().get(CONSOLE).status_code == 302
    assert Event.objects.get(pk=event.pk).status == EventStatus.ACCEPTING


def test_bulk_accept_of_two_events(city: TinyCity, calendar: None) -> None:
    first, second, third = reported(city, 3)
    township = signed_in(city.users["township_officer"])
    response = township.post(ACT, {"action": "accept", "events": [first.pk, second.pk]})
    assert response.status_code == 302 and response["Location"] == CONSOLE
    html = page(township.get(CONSOLE))
    assert "2 events moved." in html
    assert rows(html) == [first.pk, second.pk, third.pk]
    assert 'data-testid="bulk-handle_here"' in html and 'data-testid="bulk-escalate"' in html
    assert f'value="handle_here:{first.pk}"' in html and f'value="accept:{third.pk}"' in html

    # A row's one click moves its event alone, whatever is ticked.
    one = township.post(ACT, {"one": f"accept:{third.pk}", "events": [first.pk]}, follow=True)
    assert "1 event moved." in page(one)
    assert f'value="handle_here:{third.pk}"' in page(one)


def test_escalate_then_the_county_sends_to_a_department(city: TinyCity, calendar: None) -> None:
    events = reported(city, 3)
    ids = [event.pk for event in events]
    township = signed_in(city.users["township_officer"])
    township.post(ACT, {"action": "accept", "events": ids})
    township.post(ACT, {"action": "escalate", "events": ids[:2]})
    again = page(township.post(ACT, {"action": "accept", "events": ids[:1]}, follow=True))
    assert "No event moved." not in again
    assert f"{events[0].number} did not move: It is not waiting for this step of yours." in again
    assert rows(again) == ids[2:]

    county = signed_in(city.users["county_officer"])
    html = page(county.get(CONSOLE))
    assert rows(html) == ids[:2]
    assert 'data-testid="bulk-assign"' in html and 'data-testid="bulk-county_handles"' in html
    assert '<option value="330602-SCJ">' in html and "330603-SCJ" not in html
    assert 'name="one"' not in html  # no one-click guess for the county's dispatch

    done = county.post(ASSIGN, {"department": "330602-SCJ", "events": ids}, follow=True)
    assert done.redirect_chain == [(CONSOLE, 302)]
    text = page(done)
    assert "2 events moved." in text
    assert f"{events[2].number} did not move:" in text  # handled by the township, not escalated
    assert rows(text) == []
    department = Department.objects.get(code="330602-SCJ")
    for event in Event.objects.filter(pk__in=ids[:2]):
        assert event.status == EventStatus.HANDLING
        task = event.instance.tasks.get(status="open")  # type: ignore[union-attr]
        assert task.candidate_key == f"department_officer@department:{department.pk}"


def test_refused_requests_come_back_with_the_reason(city: TinyCity, calendar: None) -> None:
    events = reported(city, 2)
    ids = [event.pk for event in events]
    township = signed_in(city.users["township_officer"])
    empty = township.post(ACT, {"action": "accept"})
    assert empty.status_code == 400 and 'data-testid="dispatch-error"' in page(empty)
    assert "Choose 1 to 200 events." in page(empty)
    unknown = township.post(ACT, {"action": "burn", "events": ids[:1]})
    assert unknown.status_code == 400 and "Unknown action." in page(unknown)
    assert f'value="{ids[0]}" data-testid="choose"' in page(unknown)
    assert "checked" in page(unknown).split(f'value="{ids[0]}"')[1].split(">")[0]

    township.post(ACT, {"action": "accept", "events": ids})
    township.post(ACT, {"action": "escalate", "events": ids})
    county = signed_in(city.users["county_officer"])
    for department in ("NOPE", "", "330603-SCJ"):
        refused = county.post(ASSIGN, {"department": department, "events": ids})
        assert refused.status_code == 400, department
        assert "Choose a line department of your area." in page(refused)
    nothing = county.post(ASSIGN, {"department": "330602-SCJ"})
    assert nothing.status_code == 400 and "Choose 1 to 200 events." in page(nothing)
    assert Event.objects.filter(pk__in=ids, status=EventStatus.DISPATCHING).count() == 2
    assert county.get(ACT).status_code == 405
