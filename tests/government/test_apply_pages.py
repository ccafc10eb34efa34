"""The applicant's screens on the service front: the online application pre-filled from the
profile, submission with an upload and two consented 免提交 materials, the same form sent twice,
errors beside their inputs, the status page, the correction answer, withdrawal, the rating,
the certificate download, the data consents and the public certificate check."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from kuaiji.apps.government import applications as services
from kuaiji.apps.government.models import (
    Application,
    ApplicationStatus,
    Consent,
    MaterialSource,
    Rating,
)
from kuaiji.fronts.portal.services.views import apply_url
from kuaiji.platform.audit.models import AuditEntry
from tests.directory.city import TinyCity
from tests.government.application_story import MOTHER_ID, PDF, Story, build, png

pytestmark = pytest.mark.django_db

APPLY = "/services/bundles/birth/apply/"


@pytest.fixture
def story(city: TinyCity, calendar: None) -> Story:
    return build(city)


@pytest.fixture
def mother(client: Client, story: Story) -> Client:
    client.force_login(story.citizen)
    client.cookies["kuaiji_language"] = "en"
    return client


def _key(html: str) -> str:
    found = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert found is not None, "the form carries a submission key"
    return found.group(1)


def _form(key: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "submission_key": key,
        "answer_child_name": "李小明",
        "answer_birth_date": "2026-01-05",
        "answer_hospital": "绍兴市妇幼保健院",
        "consent_birth-proof": "on",
        "consent_household": "on",
        "file_photo": png(),
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _part(html: str, testid: str, end: str = "</section>") -> str:
    return html.split(f'data-testid="{testid}"')[1].split(end)[0]


def _apply(client: Client, **changes: Any) -> Application:
    key = _key(client.get(APPLY).content.decode())
    response = client.post(APPLY, _form(key, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get(submission_key=key)
    assert response["Location"] == f"/services/applications/{application.number}/"
    return application


def _approve_and_deliver(story: Story, application: Application) -> Application:
    application = services.accept(actor=story.window, application=application)
    for entry in application.items.select_related("department"):
        services.handle(
            actor=story.officers[entry.department.code], application_item=entry, opinion="同意"
        )
    application = services.decide(
        actor=story.window, application=application, approve=True, note="准予"
    )
    services.deliver(actor=story.window, application=application)
    application.refresh_from_db()
    return application


def test_the_form_is_prefilled_from_the_profile(mother: Client, story: Story) -> None:
    assert apply_url("bundle", "birth") == APPLY
    assert 'data-testid="apply"' in mother.get("/services/bundles/birth/").content.decode()
    response = mother.get(APPLY)
    assert response.status_code == 200
    html = response.content.decode()
    applicant = _part(html, "applicant")
    assert "李娟" in applicant
    assert f"330***********{MOTHER_ID[-4:]}" in applicant
    assert "139****0001" in applicant
    assert MOTHER_ID not in html and "13900000001" not in html
    for identity in ("name", "id_number", "phone", "address"):
        assert f'name="{identity}"' not in html  # never editable here
    assert len(_key(html)) >= 32
    assert _key(mother.get(APPLY).content.decode()) != _key(html)  # a new key per form shown
    for name in ("answer_child_name", "answer_birth_date", "answer_hospital", "file_photo"):
        assert f'name="{name}"' in html
    for code in ("birth-proof", "household"):
        material = html.split(f'data-material="{code}"')[1].split("</li>")[0]
        assert 'data-shared="true"' in html.split(f'data-material="{code}"')[1][:30]
        assert re.search(rf'name="consent_{code}"[^>]*checked', material)
        assert f'name="file_{code}"' in material  # uploading instead is possible
    assert "Let the platform obtain it from 出生医学证明" in html
    assert "Let the platform obtain it from 户籍信息" in html
    assert 'type="date"' in html


def test_visitors_sign_in_and_staff_are_refused(client: Client, story: Story) -> None:
    response = client.get(APPLY)
    assert response.status_code == 302 and response["Location"].startswith("/account/sign-in/")
    client.force_login(story.window)
    assert client.get(APPLY).status_code == 403
    assert client.get("/services/bundles/nothing/apply/").status_code in (403, 404)


def test_submit_with_one_upload_and_two_consented_materials(mother: Client, story: Story) -> None:
    application = _apply(mother)
    assert application.status == ApplicationStatus.SUBMITTED
    assert (application.applicant_name, application.id_number) == ("李娟", MOTHER_ID)
    assert application.answers["child_name"] == "李小明"
    sources = dict(application.materials.values_list("code", "source"))
    assert sources == {
        "birth-proof": MaterialSource.SHARED,
        "household": MaterialSource.SHARED,
        "photo": MaterialSource.UPLOAD,
    }
    assert Consent.objects.filter(application=application).count() == 2
    page = mother.get(f"/services/applications/{application.number}/")
    assert "Your application" in page.content.decode() and application.number in (
        page.content.decode()
    )


def test_the_same_form_sent_twice_makes_one_application(mother: Client, story: Story) -> None:
    key = _key(mother.get(APPLY).content.decode())
    first = mother.post(APPLY, _form(key))
    second = mother.post(APPLY, _form(key))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Application.objects.count() == 1
    # Someone else sending the same key is refused on the form, not with a 500.
    other = Client()
    other.force_login(story.stranger)
    other.cookies["kuaiji_language"] = "en"
    refused = other.post(APPLY, _form(key))
    assert refused.status_code == 409
    assert "This submission key has already been used." in _part(
        refused.content.decode(), "form-errors", "</ul>"
    )


def test_errors_are_shown_next_to_the_fields_they_name(mother: Client, story: Story) -> None:
    key = _key(mother.get(APPLY).content.decode())
    response = mother.post(
        APPLY,
        _form(
            key,
            answer_child_name="",
            answer_birth_date="5 January",
            **{"consent_household": None, "file_photo": None},
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in _part(html, "error-answer_child_name", "</ul>")
    assert "Enter a date as YYYY-MM-DD." in _part(html, "error-answer_birth_date", "</ul>")
    assert _key(html) == key  # the same key: a corrected form still makes one application
    assert not re.search(r'name="consent_household"[^>]*checked', html)
    assert re.search(r'name="consent_birth-proof"[^>]*checked', html)

    materials = mother.post(APPLY, _form(key, **{"consent_household": None, "file_photo": None}))
    assert materials.status_code == 400
    html = materials.content.decode()
    household = _part(html, "error-household", "</ul>")
    assert "let the platform obtain it from shared data" in household
    assert "照片" in _part(html, "error-photo", "</ul>")
    assert Application.objects.count() == 0

    bad_file = mother.post(APPLY, _form(key, file_photo=png_named_text()))
    assert bad_file.status_code == 400
    assert "Send a PDF, JPEG or PNG file." in _part(
        bad_file.content.decode(), "error-photo", "</ul>"
    )

    no_key = mother.post(APPLY, _form(""))
    assert no_key.status_code == 400
    assert "submission key" in _part(no_key.content.decode(), "form-errors", "</ul>")
    assert _key(no_key.content.decode())  # shown again with a fresh key
    assert Application.objects.count() == 0


def png_named_text() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("photo.png", b"not an image at all", content_type="image/png")


def test_the_status_page(mother: Client, story: Story) -> None:
    application = _apply(mother)
    response = mother.get(f"/services/applications/{application.number}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="submitted"' in html
    assert "出生一件事" in html
    items = _part(html, "application-items")
    for name in (
        "出生医学证明登记",
        "出生登记",
        "新生儿参保登记",
        "社会保障卡申领",
        "西区公安分局",
    ):
        assert name in items
    assert items.count('data-status="waiting"') == 4
    materials = _part(html, "application-materials")
    assert 'data-material="photo" data-source="upload"' in materials
    assert 'data-material="birth-proof" data-source="shared"' in materials
    assert "Obtained from shared data: 户籍信息" in materials
    timeline = _part(html, "timeline")
    assert 'data-kind="submitted"' in timeline and "Submitted" in timeline
    assert 'data-testid="withdraw-form"' in html
    assert 'data-testid="rating-form"' not in html and 'data-testid="certificate"' not in html

    mine = mother.get("/services/mine/").content.decode()
    assert f'data-number="{application.number}"' in mine and "being handled" not in mine
    nav = mine.split('data-testid="front-nav"')[1].split("</nav>")[0]
    assert 'href="/services/mine/"' in nav and "My applications" in nav

    other = Client()
    other.force_login(story.stranger)
    assert other.get(f"/services/applications/{application.number}/").status_code == 404
    assert other.get("/services/applications/SX20990101000001/").status_code == 404


def test_answering_the_correction_request(mother: Client, story: Story) -> None:
    application = _apply(mother)
    services.request_correction(
        actor=story.window,
        application=application,
        problems=[
            {"material": "photo", "what": "照片不清晰"},
            {"field": "child_name", "what": "姓名与出生证明不一致"},
        ],
    )
    page = f"/services/applications/{application.number}/"
    html = mother.get(page).content.decode()
    problems = _part(html, "problems", "</ul>")
    assert (
        "照片不清晰" in problems and "姓名与出生证明不一致" in problems and "新生儿姓名" in problems
    )
    form = _part(html, "resubmit-form", "</form>")
    assert 'name="file_photo"' in form and 'name="answer_child_name"' in form
    assert 'value="李小明"' in form  # the current answer, to correct

    resubmit = f"/services/applications/{application.number}/resubmit/"
    missing = mother.post(resubmit, {"answer_child_name": "李晓明"})
    assert missing.status_code == 400
    assert "Upload this material again" in _part(
        missing.content.decode(), "error-file_photo", "</ul>"
    )

    done = mother.post(resubmit, {"answer_child_name": "李晓明", "file_photo": png()})
    assert done.status_code == 302 and done["Location"] == page
    application.refresh_from_db()
    assert application.answers["child_name"] == "李晓明"
    assert application.correction.answered_at is not None
    assert application.status != ApplicationStatus.CORRECTION
    html = mother.get(page).content.decode()
    assert 'data-testid="resubmit-form"' not in html
    assert 'data-kind="resubmitted"' in _part(html, "timeline")

    again = mother.post(resubmit, {"answer_child_name": "李晓明", "file_photo": png()})
    assert again.status_code == 409
    assert "does not wait for a correction" in again.content.decode()


def test_withdrawing_before_the_decision(mother: Client, story: Story) -> None:
    application = _apply(mother)
    url = f"/services/applications/{application.number}/withdraw/"
    empty = mother.post(url, {"reason": ""})
    assert empty.status_code == 400
    assert 'data-testid="error-reason"' in empty.content.decode()
    done = mother.post(url, {"reason": "信息填错了"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    html = mother.get(done["Location"]).content.decode()
    assert 'data-status="withdrawn"' in html and 'data-testid="withdraw-form"' not in html
    assert 'data-kind="withdrawn"' in _part(html, "timeline")
    again = mother.post(url, {"reason": "再撤一次"})
    assert again.status_code == 409


def test_rating_and_the_certificate(mother: Client, story: Story) -> None:
    application = _approve_and_deliver(story, _apply(mother))
    page = f"/services/applications/{application.number}/"
    html = mother.get(page).content.decode()
    assert 'data-status="delivered"' in html
    assert f'href="{page}certificate/"' in html
    assert 'data-testid="rating-form"' in html and 'data-testid="withdraw-form"' not in html
    assert 'data-kind="delivered"' in _part(html, "timeline")

    download = mother.get(f"{page}certificate/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert application.number.encode() in b"".join(download.streaming_content)  # type: ignore[attr-defined]
    other = Client()
    other.force_login(story.stranger)
    assert other.get(f"{page}certificate/").status_code == 404
    visitor = Client().get(f"{page}certificate/")
    assert visitor.status_code == 302 and visitor["Location"].startswith("/account/sign-in/")

    rate = f"{page}rate/"
    bad = mother.post(rate, {"level": "9", "comment": ""})
    assert bad.status_code == 400 and 'data-testid="error-level"' in bad.content.decode()
    assert mother.post(rate, {"level": "5", "comment": "很方便"}).status_code == 302
    rating = Rating.objects.get(application=application)
    assert (rating.level, rating.comment) == (5, "很方便")
    html = mother.get(page).content.decode()
    assert "very good" in _part(html, "rating") and 'data-testid="rating-form"' not in html
    twice = mother.post(rate, {"level": "1"})
    assert twice.status_code == 409
    assert "already been rated" in twice.content.decode()
    assert Rating.objects.get(application=application).level == 5


def test_no_rating_before_the_decision(mother: Client, story: Story) -> None:
    application = _apply(mother)
    response = mother.post(f"/services/applications/{application.number}/rate/", {"level": "5"})
    assert response.status_code == 409
    assert not Rating.objects.exists()


def test_the_consents_and_their_withdrawal(mother: Client, story: Story) -> None:
    application = _apply(mother)
    html = mother.get("/services/consents/").content.decode()
    consents = _part(html, "consents", "</ul>\n</section>")
    assert "出生医学证明" in consents and "户籍信息" in consents
    assert consents.count(application.number) >= 2
    assert consents.count('data-testid="withdraw-consent"') == 2
    consent = Consent.objects.filter(application=application).order_by("pk").first()
    assert consent is not None

    other = Client()
    other.force_login(story.stranger)
    assert other.post(f"/services/consents/{consent.pk}/withdraw/").status_code == 404
    assert other.get("/services/consents/").content.decode().count("data-consent=") == 0

    done = mother.post(f"/services/consents/{consent.pk}/withdraw/")
    assert done.status_code == 302 and done["Location"] == "/services/consents/"
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    entry = AuditEntry.objects.get(action="government.consent.withdraw")
    assert entry.actor_id == story.citizen.pk and entry.region_path == application.region_path
    html = mother.get("/services/consents/").content.decode()
    assert f'data-consent="{consent.pk}" data-withdrawn="true"' in html
    assert html.count('data-testid="withdraw-consent"') == 1

    again = mother.post(f"/services/consents/{consent.pk}/withdraw/", follow=True)
    assert "already been withdrawn" in again.content.decode()
    assert AuditEntry.objects.filter(action="government.consent.withdraw").count() == 1


def test_the_public_certificate_check(client: Client, mother: Client, story: Story) -> None:
    application = _approve_and_deliver(story, _apply(mother))
    code = application.certificate.verification_code
    visitor = Client()
    visitor.cookies["kuaiji_language"] = "en"
    assert visitor.get("/services/verify/").status_code == 200
    found = visitor.get("/services/verify/", {"code": code.lower()}).content.decode()
    result = _part(found, "verify-result")
    assert 'data-valid="true"' in found
    assert application.certificate.number in result
    assert application.certificate.title in result
    assert "李*" in result and "李娟" not in result
    missing = visitor.get("/services/verify/", {"code": "ABCDEFGHJKLM"}).content.decode()
    assert 'data-valid="false"' in missing and "Not found" in missing


def test_applying_for_a_single_item(mother: Client, story: Story) -> None:
    url = "/services/items/SCJ-001/apply/"
    html = mother.get(url).content.decode()
    assert 'name="file_lease"' in html and "consent_" not in html
    response = mother.post(url, {"submission_key": _key(html), "file_lease": pdf_file()})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.item == story.single and application.bundle is None


def pdf_file() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("lease.pdf", PDF, content_type="application/pdf")
