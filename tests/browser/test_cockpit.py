"""The cockpit in a real browser: a city leader's counters equal the metrics snapshot of the
city, then of a county, a township and a grid chosen through the map's list of regions; the
screen fits 1366x768 without scrolling and renders at 3840x2160; nothing is loaded from
elsewhere and the script policy holds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from kuaiji.platform.metrics.refresh import refresh
from tests.conftest import PASSWORD
from tests.directory.city import TinyCity
from tests.metrics.helpers import closed_events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def figures(city: TinyCity) -> TinyCity:
    today = timezone.localdate()
    yesterday, before = today - timedelta(days=1), today - timedelta(days=2)
    closed_events("330602001001001", before, 2)
    closed_events("330602001001001", yesterday, 3)
    closed_events("330602001002002", yesterday, 1, rating="unsatisfied")
    closed_events("330603001001001", yesterday, 4)
    refresh(day=before)
    refresh(day=yesterday)
    return city


class Screen:
    """A signed-in page of a given size that records requests and script-policy breaches."""

    def __init__(self, context: BrowserContext, base: str) -> None:
        self.base = base
        self.page: Page = context.new_page()
        self.requested: list[str] = []
        self.violations: list[str] = []
        self.page.on("request", lambda request: self.requested.append(request.url))
        self.page.on(
            "console",
            lambda message: (
                self.violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )

    def sign_in(self) -> None:
        self.page.goto(f"{self.base}/work/login/?next=/cockpit/")
        self.page.locator("input[name=username]").fill("u_city_leader")
        self.page.locator("input[name=password]").fill(PASSWORD)
        self.page.locator("form button[type=submit]").last.click()
        self.page.wait_for_url(f"{self.base}/cockpit/")

    def api(self, path: str) -> Any:
        response = self.page.request.get(f"{self.base}{path}")
        assert response.ok, path
        return response.json()

    def shows(self, region: str) -> None:
        expect(self.page.locator(f"#cockpit[data-shown='{region}']")).to_have_count(1)

    def check_counters(self, region: str) -> None:
        """Every counter shown holds the snapshot's value for the region."""
        snapshot = self.api(f"/api/v1/metrics/snapshot?region={region}")
        assert snapshot["region"] == region
        counters = self.page.locator("#cockpit .counter[data-code]")
        shown = {
            code: counters.nth(n).get_attribute("data-value")
            for n, code in enumerate(
                counters.evaluate_all("nodes => nodes.map(node => node.dataset.code)")
            )
        }
        assert set(shown) == {row["code"] for row in snapshot["indicators"]}
        for row in snapshot["indicators"]:
            value = shown[row["code"]]
            if row["value"] is None:
                assert value == "", row["code"]
                missing = counters.and_(self.page.locator(f"[data-code='{row['code']}']"))
                expect(missing.locator(".counter-value")).to_have_text("—")
            else:
                assert value and float(value) == row["value"], row["code"]

    def fits(self) -> bool:
        return bool(
            self.page.evaluate(
                "document.documentElement.scrollHeight <= innerHeight && "
                "document.documentElement.scrollWidth <= innerWidth"
            )
        )


@pytest.fixture
def screen(browser: Browser, live_server: Any) -> Iterator[Screen]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    found = Screen(context, str(live_server))
    yield found
    context.close()
    assert not found.violations, found.violations


def test_drill_from_the_city_to_a_grid(screen: Screen, figures: TinyCity) -> None:
    page = screen.page
    screen.sign_in()
    screen.shows("330600")
    screen.check_counters("330600")
    closed = page.locator(".counter[data-code='grassroots.events.closed']")
    expect(closed.locator(".counter-value")).to_have_text("8")
    expect(closed.locator(".counter-change")).to_have_text("+6")
    expect(closed.locator("a")).to_have_attribute("href", "/work/events/")
    expect(closed.locator("svg.trend polyline")).to_have_count(1)
    # nothing is overdue (and the strip also stays empty while the summary answers 404)
    expect(page.get_by_test_id("cockpit-alerts").locator(".alert")).to_have_count(0)
    map_element = page.get_by_test_id("cockpit-map")
    expect(map_element.locator("canvas")).to_have_count(1)
    assert screen.fits()

    regions = page.get_by_test_id("cockpit-regions")
    choropleth = screen.api(
        "/api/v1/metrics/indicators/grassroots.events.reported/regions?parent=330600"
    )
    for row in choropleth["regions"]:
        button = regions.locator(f"button[data-code='{row['code']}']")
        assert float(button.get_attribute("data-value") or "nan") == row["value"]

    regions.locator("button[data-code='330602']").click()
    screen.shows("330602")
    screen.check_counters("330602")
    expect(map_element).to_have_attribute("data-shown", "regions:330602")
    expect(page.get_by_test_id("cockpit-crumbs").locator("li")).to_have_count(2)
    expect(regions.locator("button")).to_have_count(2)

    regions.locator("button[data-code='330602001']").click()
    screen.shows("330602001")
    screen.check_counters("330602001")
    expect(map_element).to_have_attribute("data-shown", "grids:330602001")
    heat = screen.api("/api/v1/grassroots/heat?region=330602001")
    expect(regions.locator("button")).to_have_count(len(heat["grids"]))
    for grid in heat["grids"]:
        button = regions.locator(f"button[data-code='{grid['code']}']")
        expect(button).to_have_attribute("data-value", str(grid["events"]))

    regions.locator("button[data-code='330602001001001']").click()
    expect(page.locator("#cockpit[data-grid='330602001001001']")).to_have_count(1)
    card = page.get_by_test_id("cockpit-grid")
    expect(card).to_be_visible()
    expect(card.locator("#cockpit-grid-events")).to_have_text("5")
    crumbs = page.get_by_test_id("cockpit-crumbs")
    expect(crumbs.locator("li")).to_have_count(4)
    expect(crumbs.locator("li").last).to_have_attribute("data-code", "330602001001001")
    screen.check_counters("330602001")
    assert screen.fits()

    crumbs.locator("button[data-depth='0']").click()
    screen.shows("330600")
    expect(map_element).to_have_attribute("data-shown", "regions:330600")
    expect(card).to_be_hidden()
    screen.check_counters("330600")
    assert all(url.startswith(screen.base) for url in screen.requested), (
        "nothing is loaded from elsewhere"
    )


def test_renders_at_4k(browser: Browser, live_server: Any, figures: TinyCity) -> None:
    context = browser.new_context(viewport={"width": 3840, "height": 2160})
    screen = Screen(context, str(live_server))
    screen.sign_in()
    screen.shows("330600")
    expect(screen.page.get_by_test_id("cockpit-map").locator("canvas")).to_have_count(1)
    box = screen.page.locator(".cockpit-screen").bounding_box()
    size = screen.page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    fits = screen.fits()
    context.close()
    assert fits and not screen.violations, screen.violations
    assert box is not None and abs(box["width"] / box["height"] - 16 / 9) < 0.02
    assert box["width"] > 3000
    assert size >= 30, "readable from across the room"
