"""The dispatch console in a real browser on a phone-sized screen: a township officer sees the
waiting events on the map and in the table, ticks two of them and accepts them at once."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from shapely.geometry import shape

from kuaiji.apps.grassroots import services
from kuaiji.apps.grassroots.models import Channel, Event, EventSource
from kuaiji.platform.chains.models import TaskStatus
from kuaiji.platform.directory.models import Grid
from tests.conftest import PASSWORD
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db(transaction=True)

CONSOLE = "/work/events/dispatch/"
GRID = "330602001001001"


def _fits_the_phone(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _points() -> list[tuple[float, float]]:
    """Two points (longitude, latitude) apart inside the grid worker's grid."""
    west, south, east, north = shape(Grid.objects.get(code=GRID).boundary).bounds
    return [(west + (east - west) * share, south + (north - south) * share) for share in (0.3, 0.7)]


def _report(city: TinyCity, text: str, at: tuple[float, float]) -> Event:
    return services.report_event(
        actor=city.users["grid_worker"],
        source=EventSource.PATROL,
        channel=Channel.WORK_FRONT,
        description=text,
        longitude=at[0],
        latitude=at[1],
        category="city.illegal_parking",
    )


@pytest.mark.usefixtures("calendar")
def test_a_township_officer_accepts_two_events_at_once(
    page: Page, live_server: object, city: TinyCity
) -> None:
    here, there = _points()
    first = _report(city, "小区门口有车辆乱停乱放，堵住了消防通道", here)
    second = _report(city, "菜场门口有车辆乱停乱放，占用人行道", there)
    third = _report(city, "小区门口又有车辆乱停乱放，堵住了消防通道", here)
    base = str(live_server)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{base}/work/login/?next={CONSOLE}")
    page.locator("input[name=username]").fill("u_township_officer")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}{CONSOLE}")

    board = page.get_by_test_id("dispatch-map")
    expect(board).to_have_attribute("data-ready", "true")
    markers = board.locator(".leaflet-marker-icon.dispatch-marker")
    expect(markers).to_have_count(2)  # the first and third events share their point
    expect(board.locator(".dispatch-marker-many")).to_have_text("2")
    queue = page.get_by_test_id("dispatch-queue")
    expect(queue.locator("tbody tr")).to_have_count(3)
    assert _fits_the_phone(page)

    board.locator(".dispatch-marker-many").click()
    links = board.locator(".dispatch-popup a")
    expect(links).to_have_count(2)
    expect(links.first).to_have_attribute("href", f"/work/events/{first.pk}/")

    for event in (first, second):
        queue.locator(f"tr[data-event='{event.pk}'] input[name=events]").check()
    expect(page.locator("[data-chosen]")).to_have_text("已选: 2")
    page.get_by_test_id("bulk-accept").click()
    page.wait_for_url(f"{base}{CONSOLE}")
    expect(page.locator(".messages")).to_contain_text("已流转 2 个事件。")
    expect(queue.locator("[data-step='triage']")).to_have_count(2)
    expect(queue.locator(f"tr[data-event='{third.pk}'][data-step='accept']")).to_be_visible()
    expect(page.get_by_test_id("bulk-handle_here")).to_be_visible()
    expect(page.get_by_test_id("bulk-accept")).to_be_visible()
    assert _fits_the_phone(page)
    for event in (first, second):
        assert event.instance is not None
        assert event.instance.tasks.get(status=TaskStatus.OPEN).step == "triage"
    assert all(url.startswith(base) for url in requested), "nothing is loaded from elsewhere"
