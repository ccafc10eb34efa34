"""E-certificates: the PDF drawn with the built-in Chinese CID font, kept with its SM3 digest,
delivered once, checkable by an unguessable code."""

from __future__ import annotations

import pytest

from kuaiji.apps.government import applications as services
from kuaiji.apps.government.delivery import CODE_ALPHABET, new_code, render_pdf
from kuaiji.apps.government.models import Application, Certificate
from kuaiji.platform.core.crypto import sm3
from kuaiji.platform.core.errors import Conflict, NotFound
from tests.directory.city import TinyCity
from tests.government.application_story import Story, build, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(city: TinyCity, calendar: None) -> Story:
    return build(city)


def decided(story: Story) -> Application:
    application = services.submit(
        actor=story.citizen,
        submission_key="cert",
        bundle=story.bundle,
        answers=story.answers,
        uploads={"photo": png()},
        consent_to=["birth-proof", "household"],
    )
    services.accept(actor=story.window, application=application)
    for entry in application.items.select_related("department"):
        services.handle(
            actor=story.officers[entry.department.code], application_item=entry, opinion="同意"
        )
    return services.decide(actor=story.window, application=application, approve=True, note="准予")


def test_the_certificate_is_kept_with_its_digest(story: Story) -> None:
    application = decided(story)
    certificate = services.deliver(actor=story.window, application=application)
    assert certificate is not None
    content = certificate.pdf.open("rb").read()
    assert content.startswith(b"%PDF") and b"STSong-Light" in content
    assert application.number.encode() in content
    assert certificate.verification_code.encode() in content
    assert certificate.digest == sm3(content)
    assert certificate.number == f"E{application.number}"
    assert "出生医学证明登记结果" in certificate.title
    assert services.verify(f" {certificate.verification_code.lower()} ") == certificate
    with pytest.raises(Conflict):
        services.deliver(actor=story.window, application=application)
    assert Certificate.objects.count() == 1


def test_deliver_needs_a_decision_and_the_scope(story: Story) -> None:
    application = services.submit(
        actor=story.citizen,
        submission_key="early",
        bundle=story.bundle,
        answers=story.answers,
        uploads={"photo": png()},
        consent_to=["birth-proof", "household"],
    )
    with pytest.raises(Conflict):
        services.deliver(actor=story.window, application=application)
    with pytest.raises(NotFound):
        services.deliver(actor=story.officers["330602-WJW"], application=application)


def test_codes_are_unguessable_and_readable() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 12 and set(code) <= set(CODE_ALPHABET) for code in codes)


def test_the_pdf_masks_the_name(story: Story) -> None:
    application = decided(story)
    content = render_pdf(
        application=application,
        certificate_number="E1",
        title="测试",
        code="ABCDEFGHJKLM",
        issued=application.submitted_at,
    )
    assert content.startswith(b"%PDF")
    assert "李娟".encode("utf-16-be").hex().upper().encode() not in content.upper()
