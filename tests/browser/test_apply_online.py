"""A citizen applies online for 新生儿出生一件事 on a phone: from the bundle's page to the sign-in
and back to the form, the identity shown from the profile, the parents' marriage certificate and
household register left to the platform (consented, 免提交), the other materials uploaded, and
the status page with the submitted step of the timeline."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kuaiji.apps.government.models import Application, MaterialSource
from kuaiji.platform.data.models import DataResource
from kuaiji.platform.directory.identifiers import id_number_from
from kuaiji.platform.directory.models import Citizen, Region
from kuaiji.platform.identity.models import AccountKind, User
from tests.data.conftest import put_rows
from tests.directory.city import TinyCity
from tests.government.catalog_data import demo_catalog

pytestmark = pytest.mark.django_db(transaction=True)

MOTHER = id_number_from("330602", "19930315", 124)
FATHER = id_number_from("330602", "19910620", 131)
PHONE = "13912340001"
PASSWORD = "Shaoxing-citizen-2026"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SHARED = ("marriage-certificate", "household-register")


def _citizen() -> User:
    user = User.objects.create_user(
        "newborn-mother", password=PASSWORD, display_name="陈静", kind=AccountKind.CITIZEN
    )
    Citizen.objects.create(
        name="陈静",
        id_number=MOTHER,
        phone=PHONE,
        address="越城区塔山街道府山社区3幢",
        region=Region.objects.get(code="330602001001"),
        user=user,
    )
    return user


def _shared_records() -> None:
    put_rows(
        DataResource.objects.get(code="marriage-registration"),
        [
            {
                "id_number": MOTHER,
                "certificate_no": "J330602-2020-000123",
                "name": "陈静",
                "spouse_id_number": FATHER,
                "spouse_name": "王磊",
                "registered_on": "2020-05-20",
            }
        ],
    )
    put_rows(
        DataResource.objects.get(code="household-register"),
        [
            {
                "id_number": MOTHER,
                "name": "陈静",
                "household_no": "330602001234",
                "relation": "户主",
                "region_code": "330602001",
            }
        ],
    )


def test_a_citizen_applies_for_the_newborn_bundle(
    page: Page, live_server: object, city: TinyCity
) -> None:
    demo_catalog()
    _shared_records()
    _citizen()
    base = str(live_server)

    page.goto(f"{base}/services/")
    page.get_by_test_id("bundles").get_by_role("link", name="新生儿出生一件事").click()
    page.wait_for_url(f"{base}/services/bundles/newborn/")
    page.get_by_test_id("apply").click()
    page.wait_for_url(f"{base}/account/sign-in/**")
    page.locator("input[name=username]").fill(PHONE)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_test_id("sign-in-submit").click()
    page.wait_for_url(f"{base}/services/bundles/newborn/apply/")

    applicant = page.get_by_test_id("applicant")
    expect(applicant.get_by_test_id("applicant-name")).to_have_text("陈静")
    expect(applicant.get_by_test_id("applicant-id-number")).to_have_text(
        f"330***********{MOTHER[-4:]}"
    )
    assert MOTHER not in page.content()

    form = page.get_by_test_id("apply-form")
    form.locator("input[name=answer_baby_name]").fill("王小宝")
    form.locator("select[name=answer_baby_sex]").select_option("女")
    form.locator("input[name=answer_birth_date]").fill("2026-01-05")
    form.locator("input[name=answer_hospital]").fill("绍兴市妇幼保健院")
    form.locator("input[name=answer_father_id_number]").fill(FATHER)
    form.locator("input[name=answer_mother_id_number]").fill(MOTHER)
    form.locator("input[name=answer_phone]").fill(PHONE)

    materials = page.get_by_test_id("apply-materials")
    expect(materials.locator("li[data-shared]")).to_have_count(2)
    for code in SHARED:
        expect(materials.locator(f"input[name=consent_{code}]")).to_be_checked()
    for row in materials.locator("li[data-material]:not([data-shared])").all():
        code = row.get_attribute("data-material")
        row.locator("input[type=file]").set_input_files(
            {"name": f"{code}.pdf", "mimeType": "application/pdf", "buffer": PDF}
            if code != "photo"
            else {"name": "photo.png", "mimeType": "image/png", "buffer": PNG}
        )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "no sideways scroll on phones"
    )
    page.get_by_test_id("apply-submit").click()
    page.wait_for_url(f"{base}/services/applications/**")

    status = page.get_by_test_id("application")
    expect(status).to_have_attribute("data-status", "submitted")
    expect(page.get_by_test_id("timeline").locator('li[data-kind="submitted"]')).to_have_count(1)
    expect(page.get_by_test_id("application-items").locator("li")).to_have_count(4)
    shown = page.get_by_test_id("application-materials")
    for code in SHARED:
        expect(shown.locator(f'li[data-material="{code}"]')).to_have_attribute(
            "data-source", "shared"
        )
    application = Application.objects.get()
    assert page.url == f"{base}/services/applications/{application.number}/"
    assert set(
        application.materials.filter(source=MaterialSource.SHARED).values_list("code", flat=True)
    ) == set(SHARED)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "no sideways scroll on phones"
    )
