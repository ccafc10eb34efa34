"""The directory screens in a real browser on a phone-sized screen: the grid map draws the
grids and opens a grid's panel, the organisation tree loads a level when it is opened, and the
staff lookup searches while typing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.directory.test_screens import build_directory

pytestmark = pytest.mark.django_db(transaction=True)


def _fits_the_phone(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _sign_in(page: Page, base: str, next_path: str) -> None:
    page.goto(f"{base}/work/login/?next={next_path}")
    page.locator("input[name=username]").fill("county_officer")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}{next_path}")


def test_directory_screens_work_on_a_phone(page: Page, live_server: object) -> None:
    build_directory(password=PASSWORD)
    base = str(live_server)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    _sign_in(page, base, "/work/directory/grids/map/")
    grid_map = page.get_by_test_id("grid-map")
    expect(grid_map).to_have_attribute("data-ready", "true")
    polygons = grid_map.locator("path.leaflet-interactive")
    expect(polygons).to_have_count(3)
    polygons.and_(page.locator("[data-code='TS-01']")).click()
    card = page.get_by_test_id("grid-panel").get_by_test_id("grid-card")
    expect(card).to_be_visible()
    expect(card.get_by_test_id("grid-members").locator("li")).to_have_count(2)
    expect(card).to_contain_text("王芳")
    page.get_by_test_id("grid-list").locator("button", has_text="CQ-01").click()
    expect(card).to_have_attribute("data-code", "CQ-01")
    assert _fits_the_phone(page)
    assert all(url.startswith(base) for url in requested), "nothing is loaded from elsewhere"

    page.goto(f"{base}/work/directory/")
    tree = page.get_by_test_id("org-tree")
    expect(tree.locator("[data-code='330602'] > details")).to_have_attribute("open", "")
    township = tree.locator("[data-code='330602001']")
    expect(township.locator("[data-code='330602001001']")).to_have_count(0)
    township.locator("summary").first.click()
    expect(township.locator("[data-code='330602001001']")).to_be_visible()
    expect(township.locator(".dept-platform")).to_have_count(4)
    assert _fits_the_phone(page)

    page.goto(f"{base}/work/directory/staff/")
    page.get_by_test_id("staff-query").press_sequentially("王", delay=50)
    results = page.get_by_test_id("staff-results")
    expect(results.locator("li")).to_have_count(1)
    expect(results).to_contain_text("王芳")
    assert "q=%E7%8E%8B" in page.url, "the address keeps the search"
    assert _fits_the_phone(page)
