"""The chain screens in a real browser on a phone-sized screen: a township officer finds the task
in the worklist, claims and completes it and sees the timeline; a model's page draws its BPMN
diagram with bpmn-js and outlines the chosen step."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kuaiji.platform.chains import services
from kuaiji.platform.chains.models import TaskStatus
from tests.chains.conftest import three_step  # noqa: F401  (a fixture used below)
from tests.conftest import PASSWORD
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db(transaction=True)


def _fits_the_phone(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _sign_in(page: Page, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/work/login/?next={next_path}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}{next_path}")


@pytest.mark.usefixtures("three_step")
def test_a_task_is_claimed_and_completed_on_a_phone(
    page: Page, live_server: object, city: TinyCity
) -> None:
    worker = city.users["grid_worker"]
    instance = services.start(
        actor=worker,
        definition="three_step",
        title="井盖缺失",
        business_type="test.event",
        grid=city.grid("330602001001001"),
    )
    report = instance.tasks.get(status=TaskStatus.OPEN)
    services.complete(actor=worker, task=report.pk, form={"opinion": "东街井盖缺失"})
    accept = instance.tasks.get(status=TaskStatus.OPEN)
    base = str(live_server)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    _sign_in(page, base, "u_township_officer", "/work/chains/")
    worklist = page.get_by_test_id("worklist")
    row = worklist.locator(f"[data-task='{accept.pk}']")
    expect(row).to_contain_text("受理")
    expect(row.locator("[data-light='green']")).to_be_visible()
    assert _fits_the_phone(page)
    row.get_by_role("link", name="井盖缺失").click()
    page.wait_for_url(f"{base}/work/chains/tasks/{accept.pk}/")

    page.get_by_test_id("claim").click()
    expect(page.get_by_test_id("claimed-by")).to_have_text("u_township_officer")
    form = page.get_by_test_id("complete-form")
    form.locator("input[name='form-decision'][value='accept']").check()
    form.locator("textarea[name='form-opinion']").fill("情况属实")
    form.locator("textarea[name='comment']").fill("已派人")
    page.get_by_test_id("complete").click()
    expect(page.get_by_test_id("task")).to_have_attribute("data-status", "done")
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator("[data-action='complete']")).to_have_count(2)
    expect(timeline.locator("[data-action='claim']")).to_have_count(1)
    expect(timeline).to_contain_text("情况属实")
    expect(timeline).to_contain_text("已派人")
    # The test model has no diagram layout: the page says so instead of drawing nothing.
    expect(page.locator(".chain-diagram-failed")).to_have_count(1)
    assert _fits_the_phone(page)

    page.goto(f"{base}/work/chains/models/grid_event/?step=accept")
    diagram = page.get_by_test_id("chain-diagram")
    expect(diagram).to_have_attribute("data-ready", "true")
    expect(diagram.locator("svg").first).to_be_visible()
    expect(diagram.locator("[data-element-id='accept'].chain-current")).to_have_count(1)
    expect(diagram.locator(".chain-current")).to_have_count(1)
    expect(page.get_by_test_id("steps").locator("[data-step='accept']")).to_have_class(
        "chain-step-row chosen"
    )
    assert _fits_the_phone(page)
    assert all(url.startswith(base) for url in requested), "nothing is loaded from elsewhere"
