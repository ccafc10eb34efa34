"""Open the three fronts in a real browser, in both languages, as a user would."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db(transaction=True)

LABELS = {
    "zh-hans": {
        "home": "首页",
        "workbench": "工作台",
        "cockpit": "城市总览",
        "to_cockpit": "驾驶舱",
        "hello": "您好，u_city_leader",
    },
    "en": {
        "home": "Home",
        "workbench": "Workbench",
        "cockpit": "City overview",
        "to_cockpit": "Cockpit",
        "hello": "Hello, u_city_leader",
    },
}


def _choose_language(page: Page, language: str) -> None:
    if language == "en":
        page.get_by_role("button", name="EN").click()
        page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute(
        "lang", "zh-CN" if language == "zh-hans" else "en"
    )


def _sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/work/")
    page.locator("input[name=username]").fill("u_city_leader")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/work/")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_three_fronts_render_their_navigation(
    page: Page, live_server: object, city: TinyCity, language: str
) -> None:
    base = str(live_server)
    labels = LABELS[language]
    page.goto(f"{base}/")
    _choose_language(page, language)
    nav = page.get_by_test_id("front-nav")
    expect(nav.get_by_role("link", name=labels["home"])).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "no sideways scroll on phones"
    )

    _sign_in(page, base)
    expect(page.get_by_role("heading", level=1)).to_have_text(labels["hello"])
    expect(nav.get_by_role("link", name=labels["workbench"])).to_be_visible()
    # database, background tasks, chain supervision (the calendar warns: no year published)
    expect(page.locator("#platform-status .light.ok")).to_have_count(3)

    nav.get_by_role("link", name=labels["to_cockpit"]).click()
    page.wait_for_url(f"{base}/cockpit/")
    expect(nav.get_by_role("link", name=labels["cockpit"])).to_be_visible()
    expect(page.locator(".county-list li")).to_have_count(2)
    expect(page.locator("#city-map[data-ready=true] canvas")).to_have_count(1)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (3840, 2160)])
def test_cockpit_fills_the_screen_without_scrolling(
    browser: Browser, live_server: object, city: TinyCity, width: int, height: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    base = str(live_server)
    _sign_in(page, base)
    page.goto(f"{base}/cockpit/")
    expect(page.locator("#city-map[data-ready=true] canvas")).to_have_count(1)
    fits = page.evaluate(
        "document.documentElement.scrollHeight <= innerHeight && "
        "document.documentElement.scrollWidth <= innerWidth"
    )
    box = page.locator(".cockpit-screen").bounding_box()
    context.close()
    assert fits
    assert box is not None and abs(box["width"] / box["height"] - 16 / 9) < 0.02
