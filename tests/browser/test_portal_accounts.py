"""A citizen registers on the service front, signs in with their phone number and opens their
profile, in zh-hans on a phone-sized screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kuaiji.platform.directory.identifiers import id_number_from
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db(transaction=True)

ID_NUMBER = id_number_from("330602", "19900101", 123)
PHONE = "13912345678"
PASSWORD = "Shaoxing-citizen-2026"


def test_register_sign_in_and_open_the_profile(
    page: Page, live_server: object, city: TinyCity
) -> None:
    base = str(live_server)
    page.goto(f"{base}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    nav = page.get_by_test_id("front-nav")
    nav.locator('a[href="/account/register/"]').click()
    page.wait_for_url(f"{base}/account/register/")

    page.locator("input[name=name]").fill("王芳")
    page.locator("input[name=id_number]").fill(ID_NUMBER)
    page.locator("input[name=phone]").fill(PHONE)
    page.locator("select[name=region_code]").select_option("330602001")
    page.locator("input[name=address]").fill("塔山街道府山社区3幢2单元")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password_again]").fill(PASSWORD)
    page.get_by_test_id("register-submit").click()
    page.wait_for_url(f"{base}/account/sign-in/")

    page.locator("input[name=username]").fill(PHONE)
    page.locator("input[name=password]").fill(PASSWORD)
    sign_in = page.get_by_test_id("sign-in-submit")
    expect(sign_in).to_have_text("登录")
    sign_in.click()
    page.wait_for_url(f"{base}/account/")

    expect(page.get_by_role("heading", level=1)).to_have_text("王芳")
    expect(page.get_by_test_id("id-number")).to_have_text(f"330***********{ID_NUMBER[-4:]}")
    expect(page.get_by_test_id("phone")).to_have_text("139****5678")
    expect(page.get_by_test_id("real-name-level")).to_be_visible()
    expect(page.get_by_test_id("sign-out")).to_have_text("退出登录")
    html = page.content()
    assert ID_NUMBER not in html and PHONE not in html
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "no sideways scroll on phones"
    )

    page.get_by_test_id("sign-out").click()
    page.wait_for_url(f"{base}/")
    expect(nav.locator('a[href="/account/sign-in/"]')).to_be_visible()
