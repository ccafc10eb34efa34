"""The closed loop of a directive in a real browser: the city leader issues it from the
cockpit's office screen to the county officers' role, the county officer finds it unread in
the work front, opens it (the read receipt) and reports back, and the office screen then shows
it read and answered; the directive's page shows the feedback consolidated."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from kuaiji.apps.command.models import Directive
from tests.conftest import PASSWORD
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(context: BrowserContext, base: str, username: str, landing: str) -> Page:
    page = context.new_page()
    page.context.add_cookies([{"name": "kuaiji_language", "value": "en", "url": base}])
    page.goto(f"{base}/work/login/?next={landing}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}{landing}")
    return page


@pytest.fixture
def contexts(browser: Browser) -> Iterator[tuple[BrowserContext, BrowserContext]]:
    leader = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    officer = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    yield leader, officer
    leader.close()
    officer.close()


def test_a_directive_goes_down_and_the_feedback_comes_back(
    contexts: tuple[BrowserContext, BrowserContext], live_server: Any, city: TinyCity
) -> None:
    base = str(live_server)
    leader_context, officer_context = contexts
    office = signed_in(leader_context, base, "u_city_leader", "/cockpit/office/")

    form = office.get_by_test_id("issue-form")
    form.locator("input[name=title]").fill("关于开展汛前安全隐患排查的通知")
    form.locator("textarea[name=body]").fill("请于本周内完成辖区山塘水库隐患排查并反馈。")
    form.locator("select[name=priority]").select_option("urgent")
    form.locator("select[name=roles]").select_option(label="County officer")
    form.get_by_test_id("issue").click()
    office.wait_for_url(f"{base}/work/directives/ZL*/")
    directive = Directive.objects.get()
    assert office.url == f"{base}/work/directives/{directive.number}/"
    expect(office.get_by_test_id("targets").locator("tr[data-read=no]")).to_have_count(1)
    office.goto(f"{base}/cockpit/office/")
    row = f"[data-directive='{directive.number}']"
    latest = office.get_by_test_id("office-latest").locator(row)
    expect(latest.get_by_test_id("delivered")).to_have_text("1/1")
    expect(latest.get_by_test_id("read")).to_have_text("0/1")
    expect(latest.get_by_test_id("answered")).to_have_text("0/1")

    inbox = signed_in(officer_context, base, "u_county_officer", "/work/directives/")
    received = inbox.get_by_test_id("received")
    expect(received).to_contain_text("关于开展汛前安全隐患排查的通知")
    received.get_by_role("link", name="关于开展汛前安全隐患排查的通知").click()
    expect(inbox.get_by_test_id("my-read-at")).not_to_have_text("—")
    feedback = inbox.get_by_test_id("feedback-form")
    feedback.locator("input[name=state][value=in_progress]").check()
    feedback.locator("textarea[name=body]").fill("已排查山塘12座，发现隐患2处，正在整改。")
    feedback.get_by_test_id("send-feedback").click()
    expect(inbox.get_by_test_id("my-feedback")).to_contain_text("已排查山塘12座")

    office.reload()
    latest = office.get_by_test_id("office-latest").locator(row)
    expect(latest.get_by_test_id("read")).to_have_text("1/1")
    expect(latest.get_by_test_id("answered")).to_have_text("1/1")
    latest.get_by_role("link", name="关于开展汛前安全隐患排查的通知").click()
    expect(office.get_by_test_id("states").locator("[data-state=in_progress]")).to_contain_text("1")
    expect(office.get_by_test_id("targets").locator("tr[data-read=yes]")).to_have_count(1)
    expect(office.get_by_test_id("targets")).to_contain_text("已排查山塘12座")
