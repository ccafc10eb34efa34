"""A visitor of the service front finds the newborn's "one thing" (新生儿出生一件事) in the
service catalog on a phone and sees its merged materials, the parents' marriage certificate
and household register marked 免提交 (obtained from shared data)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.directory.city import TinyCity
from tests.government.catalog_data import demo_catalog

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_finds_the_newborn_bundle_and_its_shared_materials(
    page: Page, live_server: object, city: TinyCity
) -> None:
    demo_catalog()
    base = str(live_server)
    page.goto(f"{base}/")
    page.get_by_test_id("front-nav").locator('a[href="/services/"]').click()
    page.wait_for_url(f"{base}/services/")
    bundles = page.get_by_test_id("bundles")
    expect(bundles.locator("li[data-code]")).to_have_count(4)
    bundles.get_by_role("link", name="新生儿出生一件事").click()
    page.wait_for_url(f"{base}/services/bundles/newborn/")

    expect(page.get_by_test_id("bundle-items").locator("li")).to_have_count(4)
    materials = page.get_by_test_id("materials")
    shared = materials.locator("li[data-shared]")
    expect(shared).to_have_count(2)
    expect(shared.get_by_test_id("shared-badge")).to_have_count(2)
    expect(materials.locator('li[data-material="marriage-certificate"]')).to_contain_text("免提交")
    expect(materials.locator('li[data-material="household-register"]')).to_contain_text("免提交")
    expect(materials.locator('li[data-material="parents-id"]')).to_have_count(1)
    expect(page.get_by_test_id("form-fields")).to_contain_text("新生儿姓名")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "no sideways scroll on phones"
    )
