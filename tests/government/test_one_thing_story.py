"""The birth "one thing" end to end through the screens only: the citizen applies on the service
front with two materials obtained from shared data, the service window accepts, four departments
handle their items on their worklists, the window decides and delivers the e-certificate, the
citizen downloads and checks it and rates the service, and the rating shows in the statistics."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from kuaiji.apps.government import statistics
from kuaiji.apps.government.models import Application, ApplicationStatus, MaterialSource
from kuaiji.platform.data.models import CallChannel, DataCall
from kuaiji.platform.identity.models import User
from tests.directory.city import TinyCity
from tests.government.application_story import Story, build, png

pytestmark = pytest.mark.django_db


def browser(user: User) -> Client:
    client = Client()
    client.cookies["kuaiji_language"] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def story(city: TinyCity, calendar: None) -> Story:
    return build(city)


def test_the_birth_one_thing_from_application_to_rating(story: Story) -> None:
    mother = browser(story.citizen)
    apply = reverse("portal:services:apply-bundle", args=[story.bundle.code])
    form = mother.get(apply).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', form)
    assert key is not None
    answers = {f"answer_{name}": value for name, value in story.answers.items()}
    consents = {"consent_birth-proof": "on", "consent_household": "on"}
    sent = mother.post(
        apply, {"submission_key": key.group(1), **answers, **consents, "file_photo": png()}
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    application = Application.objects.get(submission_key=key.group(1))
    shared = application.materials.filter(source=MaterialSource.SHARED)
    assert shared.count() == 2
    assert (
        DataCall.objects.filter(channel=CallChannel.API, pk__in=shared.values("data_call")).count()
        == 2
    )

    window = browser(story.window)
    number = application.number
    accepted = window.post(reverse("workbench:applications:accept", args=[number]), follow=True)
    assert accepted.status_code == 200
    handled = set()
    for entry in application.items.select_related("item", "department"):
        officer = browser(story.officers[entry.department.code])
        worklist = officer.get(reverse("workbench:applications:department")).content.decode()
        assert number in worklist
        done = officer.post(
            reverse("workbench:applications:handle", args=[number, entry.item.code]),
            {"opinion": "材料齐全，同意办理"},
        )
        assert done.status_code in {200, 302}, done.content.decode()[:1000]
        handled.add(entry.department.code)
    assert len(handled) == 4
    application.refresh_from_db()
    decided = window.post(
        reverse("workbench:applications:decide", args=[number]),
        {"decision": "approve", "note": "准予办理", "revision": application.revision},
    )
    assert decided.status_code in {200, 302}
    window.post(reverse("workbench:applications:deliver", args=[number]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DELIVERED

    certificate = mother.get(reverse("portal:services:certificate", args=[number]))
    assert certificate.status_code == 200
    assert b"".join(certificate.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    code = application.certificate.verification_code
    checked = Client().get(reverse("portal:services:verify"), {"code": code}).content.decode()
    assert application.certificate.number in checked

    rated = mother.post(
        reverse("portal:services:rate", args=[number]), {"level": "2", "comment": "等了太久"}
    )
    assert rated.status_code in {200, 302}
    page = window.get(reverse("workbench:service_statistics:overview")).content.decode()
    listed = page.split('data-testid="bad-ratings"')[1].split("</ul>")[0]
    assert number in listed and 'data-testid="rectification-link"' in listed
    report = statistics.report(story.window, "department")
    # the one rating counts in the row of each of the four departments
    assert sum(row.ratings for row in report.rows) == 4
    assert sum(row.shared_materials for row in report.rows) >= 2
