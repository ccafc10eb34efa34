"""The application screens in a real browser on a phone-sized screen: a county officer accepts
an application on the acceptance desk, then an officer of one of its departments finds the item
on the department worklist and handles it."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import Page, expect

from kuaiji.apps.government import applications as services
from kuaiji.apps.government.models import Application, ApplicationStatus, ItemStatus
from tests.conftest import PASSWORD, publish_calendar
from tests.directory.city import TinyCity
from tests.government.application_story import build, png

pytestmark = pytest.mark.django_db(transaction=True)


def _fits_the_phone(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _sign_in(page: Page, base: str, username: str, next_path: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/work/login/?next={next_path}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}{next_path}")


def test_the_desk_accepts_and_a_department_handles_its_item(
    page: Page, live_server: object, city: TinyCity
) -> None:
    publish_calendar()
    story = build(city)
    officer = story.officers["330602-GAJ"]
    officer.password = make_password(PASSWORD)
    officer.save(update_fields=["password"])
    application = services.submit(
        actor=story.citizen,
        submission_key="browser",
        bundle=story.bundle,
        answers=story.answers,
        uploads={"photo": png()},
        consent_to=["birth-proof", "household"],
    )
    base = str(live_server)
    desk = "/work/services/applications/"

    _sign_in(page, base, "u_county_officer", desk)
    row = page.get_by_test_id("desk").locator(f"tr[data-application='{application.number}']")
    expect(row).to_contain_text("出生一件事")
    assert _fits_the_phone(page)
    row.get_by_role("link", name=application.number).click()
    page.wait_for_url(f"{base}{desk}{application.number}/")
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("application")).to_have_attribute("data-status", "accepted")
    expect(page.get_by_test_id("timeline").locator("[data-kind='accepted']")).to_have_count(1)
    assert _fits_the_phone(page)

    _sign_in(page, base, officer.username, f"{desk}department/")
    row = page.get_by_test_id("department-items").locator("tr[data-item='GAJ-001']")
    expect(row).to_contain_text(application.number)
    row.get_by_role("link", name=application.number).click()
    item = page.locator("li[data-item='GAJ-001']")
    item.locator("textarea[name='opinion']").fill("户籍材料齐全，同意登记")
    item.get_by_test_id("handle").click()
    expect(page.locator("li[data-item='GAJ-001']")).to_have_attribute("data-status", "done")
    expect(page.locator("li[data-item='GAJ-001']")).to_contain_text("户籍材料齐全")
    assert _fits_the_phone(page)
    entry = Application.objects.get(pk=application.pk).items.get(item__code="GAJ-001")
    assert entry.status == ItemStatus.DONE
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.HANDLING
