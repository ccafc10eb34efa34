"""A visitor of the service front searches the open data, opens a resource, sees the preview of
its public fields and downloads it as CSV, on a phone-sized screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kuaiji.platform.data import services
from kuaiji.platform.data.models import CallChannel, DataCall
from tests.data.conftest import ENTITIES, market_entities, put_rows
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_finds_previews_and_downloads_open_data(
    page: Page, live_server: object, city: TinyCity, tmp_path: Path
) -> None:
    resource = services.register_resource(
        actor=city.users["department_officer"],
        resource=market_entities(
            code="open-entities", title="公开的市场主体", opening="open", tags=["企业", "名录"]
        ),
    )
    put_rows(resource, ENTITIES)
    services.register_resource(
        actor=city.users["department_officer"],
        resource=market_entities(code="closed-entities", title="内部的市场主体"),
    )
    base = str(live_server)
    page.goto(f"{base}/")
    page.get_by_test_id("front-nav").locator('a[href="/data/"]').click()
    page.wait_for_url(f"{base}/data/")
    expect(page.get_by_test_id("opendata-resources")).not_to_contain_text("内部的市场主体")

    page.get_by_test_id("opendata-q").fill("名录")
    page.get_by_test_id("opendata-submit").click()
    page.wait_for_url(f"{base}/data/?q=*")
    results = page.get_by_test_id("opendata-resources")
    expect(results.locator("li[data-code]")).to_have_count(1)
    results.get_by_role("link", name="公开的市场主体").click()
    page.wait_for_url(f"{base}/data/open-entities/")

    preview = page.get_by_test_id("preview")
    expect(preview.locator("tbody tr")).to_have_count(3)
    expect(preview).to_contain_text("越城绍兴黄酒有限公司")
    expect(preview.locator("thead")).not_to_contain_text("legal_person_phone")
    expect(page.get_by_test_id("ckan-url")).to_contain_text(
        "/api/3/action/datastore_search?resource_id=open-entities"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "no sideways scroll on phones"
    )

    with page.expect_download() as caught:
        page.get_by_test_id("download-csv").click()
    download = caught.value
    assert download.suggested_filename == "open-entities.csv"
    saved = tmp_path / "open-entities.csv"
    download.save_as(saved)
    body = saved.read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.splitlines()[0] == "credit_code,name,region_code,founded"
    assert "东湖茶叶合作社" in text and "13800000001" not in text
    assert DataCall.objects.filter(channel=CallChannel.DOWNLOAD, rows=3).count() == 1
