"""The grid-event screens in a real browser on a phone-sized screen: a citizen signs in, reports
a problem by its address with a photo and lands on the tracking page; a grid worker's report
survives a reload as a draft on the phone, is held while the phone is offline and sent when the
network returns."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.utils.translation import override
from PIL import Image
from playwright.sync_api import Page, expect

from kuaiji.apps.grassroots.models import Channel, Event, EventSource, EventStatus
from kuaiji.platform.directory.identifiers import id_number_from
from kuaiji.platform.identity.registration.services import register_citizen
from tests.conftest import PASSWORD
from tests.directory.city import TinyCity
from tests.grassroots.conftest import inside, media  # noqa: F401  (a fixture used below)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "13912345678"
CITIZEN_PASSWORD = "Shaoxing-citizen-2026"
GRID = "330602001001001"


def _fits_the_phone(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (800, 600), (40, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.usefixtures("calendar", "media")
def test_a_citizen_reports_by_address_and_follows_the_report(
    page: Page, live_server: object, city: TinyCity
) -> None:
    register_citizen(
        name="王芳",
        id_number=id_number_from("330602", "19900101", 123),
        phone=PHONE,
        password=CITIZEN_PASSWORD,
        region_code="330602001",
    )
    base = str(live_server)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{base}/")
    page.get_by_test_id("front-nav").locator('a[href="/events/new/"]').click()
    page.wait_for_url(f"{base}/account/sign-in/?next=/events/new/")
    page.locator("input[name=username]").fill(PHONE)
    page.locator("input[name=password]").fill(CITIZEN_PASSWORD)
    page.get_by_test_id("sign-in-submit").click()
    page.wait_for_url(f"{base}/events/new/")
    assert _fits_the_phone(page)

    form = page.get_by_test_id("report-form")
    form.locator("textarea[name=description]").fill("小区门口有车辆乱停乱放，堵住了消防通道")
    form.locator("select[name=category]").select_option("city.illegal_parking")
    form.locator("input[name=address]").fill("西区001-1社区东门")
    form.locator("input[name=photos]").first.set_input_files(
        {"name": "scene.png", "mimeType": "image/png", "buffer": _png()}
    )
    expect(form.locator("input[name=photos]")).to_have_count(2)  # room for another photo
    page.get_by_test_id("report-submit").click()

    page.wait_for_url(re.compile(rf"{re.escape(base)}/events/\d+/$"))
    event = Event.objects.get()
    assert page.url == f"{base}/events/{event.pk}/"
    assert event.source == EventSource.CITIZEN and event.channel == Channel.SERVICE_FRONT
    expect(page.get_by_test_id("event-number")).to_have_text(event.number)
    with override("zh-hans"):
        expect(page.get_by_test_id("event-status")).to_have_text(event.get_status_display())
    expect(page.get_by_test_id("event-category")).to_have_text("车辆乱停乱放")
    thumbnail = page.get_by_test_id("photos").locator("img")
    expect(thumbnail).to_have_count(1)
    expect(thumbnail).not_to_have_js_property("naturalWidth", 0)  # the image loaded
    expect(page.get_by_test_id("progress").locator("li")).not_to_have_count(0)
    assert _fits_the_phone(page)

    page.get_by_test_id("front-nav").locator('a[href="/events/"]').click()
    expect(page.get_by_test_id("my-reports").locator(f"[data-event='{event.pk}']")).to_be_visible()
    assert all(url.startswith(base) for url in requested), "nothing is loaded from elsewhere"


@pytest.mark.usefixtures("calendar")
def test_a_grid_workers_report_is_kept_on_the_phone_and_sent_when_back_online(
    page: Page, live_server: object, city: TinyCity
) -> None:
    base = str(live_server)
    context = page.context
    longitude, latitude = inside(GRID)
    context.grant_permissions(["geolocation"], origin=base)
    context.set_geolocation({"latitude": latitude, "longitude": longitude})

    page.goto(f"{base}/work/login/?next=/work/events/new/")
    page.locator("input[name=username]").fill("u_grid_worker")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/work/events/new/")
    expect(page.get_by_test_id("report-map")).to_have_attribute("data-ready", "true")
    assert _fits_the_phone(page)

    form = page.get_by_test_id("report-form")
    description = form.locator("textarea[name=description]")
    description.fill("人行道上的井盖缺失，晚上有行人差点掉进去")
    form.locator("select[name=urgency]").select_option("urgent")
    expect(page.get_by_test_id("draft-status")).not_to_be_empty()

    page.reload()
    expect(description).to_have_value("人行道上的井盖缺失，晚上有行人差点掉进去")
    expect(form.locator("select[name=urgency]")).to_have_value("urgent")

    page.get_by_test_id("locate").click()
    expect(form.locator("input[name=latitude]")).to_have_value(f"{latitude:.6f}")
    expect(page.get_by_test_id("report-map").locator("path.leaflet-interactive")).to_have_count(1)

    context.set_offline(True)
    page.get_by_test_id("report-submit").click()
    held = str(form.get_attribute("data-held-text"))
    expect(page.get_by_test_id("draft-status")).to_have_text(held)
    expect(form).to_have_attribute("data-held", "true")
    assert page.url == f"{base}/work/events/new/" and not Event.objects.exists()

    context.set_offline(False)
    page.wait_for_url(re.compile(rf"{re.escape(base)}/work/events/\d+/$"))
    event = Event.objects.get()
    assert page.url == f"{base}/work/events/{event.pk}/"
    assert event.source == EventSource.PATROL and event.urgency == "urgent"
    assert event.grid is not None and event.grid.code == GRID
    assert event.status in (EventStatus.ACCEPTING, EventStatus.TRIAGE)
    expect(page.get_by_test_id("event-map")).to_have_attribute("data-ready", "true")
    assert _fits_the_phone(page)

    page.goto(f"{base}/work/events/new/")
    expect(page.get_by_test_id("report-form").locator("textarea[name=description]")).to_have_value(
        ""
    )
