"""The work front's application screens: the acceptance desk in scope, accepting, the one
correction request with every problem, the departments' worklist and handling, deciding with
the page's revision (a stale page or a withdrawn application is a conflict, never a 500),
delivering the e-certificate, the supervision of promised dates, and refusals by role and
scope."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kuaiji.apps.government import applications as services
from kuaiji.apps.government.models import Application, ApplicationStatus, ItemStatus
from kuaiji.platform.access.models import Role
from kuaiji.platform.access.services import grant_role
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.directory.models import Region
from kuaiji.platform.identity.models import User
from tests.directory.city import TinyCity
from tests.government.application_story import MOTHER_ID, Story, build, pdf, png

pytestmark = pytest.mark.django_db

DESK = "/work/services/applications/"


@pytest.fixture
def story(city: TinyCity, calendar: None) -> Story:
    return build(city)


def submit_birth(story: Story, key: str = "key-1") -> Application:
    return services.submit(
        actor=story.citizen,
        submission_key=key,
        bundle=story.bundle,
        answers=story.answers,
        uploads={"photo": png()},
        consent_to=["birth-proof", "household"],
    )


def client_of(user: User) -> Client:
    client = Client()
    client.cookies["kuaiji_language"] = "en"
    client.force_login(user)
    return client


def detail_url(application: Application) -> str:
    return reverse("workbench:applications:detail", args=[application.number])


def other_county_officer() -> User:
    officer = User.objects.create_user("window_330603", is_staff=True)
    grant_role(
        actor=SYSTEM,
        user=officer,
        role=Role.objects.get(code="county_officer"),
        region=Region.objects.get(code="330603"),
    )
    return officer


def handled_by_all(story: Story, application: Application) -> None:
    for entry in application.items.select_related("department"):
        services.handle(
            actor=story.officers[entry.department.code], application_item=entry, opinion="同意"
        )


def test_the_urls() -> None:
    assert reverse("workbench:applications:desk") == DESK
    assert reverse("workbench:applications:department") == f"{DESK}department/"
    assert reverse("workbench:applications:supervision") == f"{DESK}supervision/"
    assert reverse("workbench:applications:detail", args=["SX1"]) == f"{DESK}SX1/"


def test_the_desk_lists_applications_in_scope_only(story: Story) -> None:
    first = submit_birth(story)
    second = services.submit(
        actor=story.citizen,
        submission_key="single",
        item=story.single,
        answers={},
        uploads={"lease": pdf()},
    )
    window = client_of(story.window)
    response = window.get(DESK)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Acceptance desk" in page and 'data-testid="desk"' in page
    assert page.index(first.number) < page.index(second.number)  # the oldest first
    assert MOTHER_ID not in page and MOTHER_ID[:3] + "*" * 11 + MOTHER_ID[-4:] in page
    assert "出生一件事" in page and "个体户登记" in page
    row = re.search(rf'data-application="{first.number}".*?</tr>', page, re.S)
    assert row is not None and "<td>3 (2)</td>" in row.group(0)  # two from shared data
    assert "5 working days" in row.group(0)
    home = window.get("/work/").content.decode()
    assert DESK in home and f"{DESK}supervision/" in home and f"{DESK}department/" not in home

    elsewhere = client_of(other_county_officer())
    listed = elsewhere.get(DESK).content.decode()
    assert first.number not in listed and 'data-testid="desk-empty"' in listed
    assert elsewhere.get(detail_url(first)).status_code == 404

    services.accept(actor=story.window, application=first)
    assert first.number not in window.get(DESK).content.decode()


def test_the_detail_masks_the_applicant_and_shared_records(story: Story) -> None:
    application = submit_birth(story)
    window = client_of(story.window)
    response = window.get(detail_url(application))
    assert response.status_code == 200
    page = response.content.decode()
    assert "李娟" in page and MOTHER_ID not in page and "139****0001" in page
    assert "Q330000001" in page  # a level-2 field of the shared record, shown whole
    assert 'data-testid="download-photo"' in page and 'data-testid="accept"' in page
    assert "新生儿姓名" in page and "李小明" in page
    assert 'data-kind="submitted"' in page
    download = window.get(
        reverse("workbench:applications:material", args=[application.number, "photo"])
    )
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    shared = reverse("workbench:applications:material", args=[application.number, "household"])
    assert window.get(shared).status_code == 404
    assert window.get(f"{DESK}SX0000000000000/").status_code == 404


def test_accept_on_the_desk(story: Story) -> None:
    application = submit_birth(story)
    window = client_of(story.window)
    url = reverse("workbench:applications:accept", args=[application.number])
    assert window.get(url).status_code == 405
    response = window.post(url, follow=True)
    assert response.status_code == 200
    assert "The application is accepted" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED and application.promised_by
    again = window.post(url)
    assert again.status_code == 409
    assert 'data-testid="refusal"' in again.content.decode()


def test_the_correction_lists_every_problem_once(story: Story) -> None:
    application = submit_birth(story)
    window = client_of(story.window)
    page = window.get(detail_url(application)).content.decode()
    assert 'data-testid="correction-form"' in page
    assert 'value="material:photo"' in page and 'value="field:hospital"' in page
    url = reverse("workbench:applications:correction", args=[application.number])
    management = {
        "problems-TOTAL_FORMS": "4",
        "problems-INITIAL_FORMS": "0",
        "problems-MIN_NUM_FORMS": "0",
        "problems-MAX_NUM_FORMS": "50",
    }
    empty = window.post(url, management)
    assert empty.status_code == 400 and "List at least one problem." in empty.content.decode()
    half = window.post(url, {**management, "problems-0-target": "material:photo"})
    assert half.status_code == 400
    assert "Choose a material or a field, and say what to do." in half.content.decode()
    problems = {
        **management,
        "problems-0-target": "material:photo",
        "problems-0-what": "照片不清晰",
        "problems-1-target": "field:hospital",
        "problems-1-what": "请填写医院全称",
    }
    done = window.post(url, problems, follow=True)
    assert done.status_code == 200
    assert "The applicant is asked to correct the application." in done.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CORRECTION
    assert application.correction.problems == [
        {"material": "photo", "what": "照片不清晰"},
        {"field": "hospital", "what": "请填写医院全称"},
    ]
    services.resubmit(
        actor=story.citizen,
        application=application,
        answers={"hospital": "绍兴市妇幼保健院（越城）"},
        uploads={"photo": png("new.png")},
    )
    desk = window.get(DESK).content.decode()
    assert application.number in desk and 'data-testid="resubmitted"' in desk
    page = window.get(detail_url(application)).content.decode()
    assert 'data-testid="correction-form"' not in page and 'data-testid="correction-done"' in page
    second = window.post(url, problems)
    assert second.status_code == 409
    assert "A correction has already been requested" in second.content.decode()


def test_each_department_handles_its_item_on_its_worklist(story: Story) -> None:
    application = submit_birth(story)
    services.accept(actor=story.window, application=application)
    worklist = reverse("workbench:applications:department")
    for code, officer in story.officers.items():
        if code == "330602-SCJ":
            continue
        client = client_of(officer)
        page = client.get(worklist).content.decode()
        entry = application.items.get(department__code=code)
        assert f'data-item="{entry.item.code}"' in page and application.number in page
        assert page.count("data-item=") == 1
        detail = client.get(detail_url(application)).content.decode()
        assert detail.count('data-testid="handle-form"') == 1
        assert 'data-testid="accept"' not in detail and 'data-testid="decide-form"' not in detail
        handle = reverse(
            "workbench:applications:handle", args=[application.number, entry.item.code]
        )
        assert client.post(handle, {"opinion": ""}).status_code == 400
        response = client.post(handle, {"opinion": f"{code} 同意"}, follow=True)
        assert response.status_code == 200 and "The item is handled." in response.content.decode()
        entry.refresh_from_db()
        assert entry.status == ItemStatus.DONE and entry.opinion == f"{code} 同意"
        assert 'data-testid="department-empty"' in client.get(worklist).content.decode()
        assert client.post(handle, {"opinion": "again"}).status_code == 409
    application.refresh_from_db()
    assert application.status == ApplicationStatus.HANDLING
    page = client_of(story.window).get(detail_url(application)).content.decode()
    assert page.count('data-status="done"') == 4 and 'data-testid="decide-form"' in page


def test_another_department_cannot_handle_an_item(story: Story) -> None:
    application = submit_birth(story)
    services.accept(actor=story.window, application=application)
    officer = client_of(story.officers["330602-SCJ"])
    handle = reverse("workbench:applications:handle", args=[application.number, "GAJ-001"])
    assert officer.post(handle, {"opinion": "x"}).status_code == 404
    gaj = client_of(story.officers["330602-GAJ"])
    assert gaj.post(handle.replace("GAJ-001", "WJW-001"), {"opinion": "x"}).status_code == 404
    assert gaj.post(handle.replace("GAJ-001", "NOPE"), {"opinion": "x"}).status_code == 404


def _decidable(story: Story) -> Application:
    application = submit_birth(story)
    services.accept(actor=story.window, application=application)
    handled_by_all(story, application)
    application.refresh_from_db()
    return application


def test_decide_with_the_right_revision_then_deliver(story: Story) -> None:
    application = _decidable(story)
    window = client_of(story.window)
    page = window.get(detail_url(application)).content.decode()
    assert f'name="revision" value="{application.revision}"' in page
    url = reverse("workbench:applications:decide", args=[application.number])
    missing = window.post(url, {"decision": "approve", "revision": application.revision})
    assert missing.status_code == 400
    response = window.post(
        url,
        {"decision": "approve", "note": "准予办理", "revision": application.revision},
        follow=True,
    )
    assert response.status_code == 200 and "The decision is recorded." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECIDED
    page = response.content.decode()
    assert 'data-testid="deliver"' in page and 'data-testid="decide-form"' not in page
    delivered = window.post(
        reverse("workbench:applications:deliver", args=[application.number]), follow=True
    )
    page = delivered.content.decode()
    assert "The e-certificate is issued." in page
    link = reverse("workbench:applications:certificate", args=[application.number])
    assert 'data-testid="certificate-link"' in page and link in page
    pdf_response = window.get(link)
    assert pdf_response.status_code == 200 and pdf_response["Content-Type"] == "application/pdf"
    content = b"".join(pdf_response.streaming_content)  # type: ignore[attr-defined]
    assert content.startswith(b"%PDF")
    assert (
        window.post(
            reverse("workbench:applications:deliver", args=[application.number])
        ).status_code
        == 409
    )


def test_a_stale_revision_is_a_conflict(story: Story) -> None:
    application = _decidable(story)
    window = client_of(story.window)
    url = reverse("workbench:applications:decide", args=[application.number])
    response = window.post(
        url, {"decision": "approve", "note": "准予", "revision": application.revision - 1}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed meanwhile" in page
    assert f'name="revision" value="{application.revision}"' in page  # the fresh page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.HANDLING


def test_deciding_after_the_applicant_withdrew_is_a_conflict(story: Story) -> None:
    application = _decidable(story)
    window = client_of(story.window)
    page = window.get(detail_url(application)).content.decode()
    revision = re.search(r'name="revision" value="(\d+)"', page)
    assert revision is not None
    services.withdraw(actor=story.citizen, application=application, reason="不办了")
    response = window.post(
        reverse("workbench:applications:decide", args=[application.number]),
        {"decision": "approve", "note": "准予", "revision": revision.group(1)},
    )
    assert response.status_code == 409
    assert "The application has been withdrawn." in response.content.decode()


def test_a_refused_item_cannot_be_approved(story: Story) -> None:
    application = submit_birth(story)
    services.accept(actor=story.window, application=application)
    for entry in application.items.select_related("department"):
        services.handle(
            actor=story.officers[entry.department.code],
            application_item=entry,
            opinion="材料不符",
            refused=entry.department.code == "330602-GAJ",
        )
    application.refresh_from_db()
    response = client_of(story.window).post(
        reverse("workbench:applications:decide", args=[application.number]),
        {"decision": "approve", "note": "准予", "revision": application.revision},
    )
    assert response.status_code == 400
    assert "cannot be approved" in response.content.decode()


def test_supervision_lists_applications_near_or_past_their_promise(story: Story) -> None:
    late = submit_birth(story, "late")
    soon = submit_birth(story, "soon")
    later = submit_birth(story, "later")
    for application in (late, soon, later):
        services.accept(actor=story.window, application=application)
    today = timezone.localdate()
    Application.objects.filter(pk=late.pk).update(promised_by=today - timedelta(days=2))
    Application.objects.filter(pk=soon.pk).update(promised_by=today)
    Application.objects.filter(pk=later.pk).update(promised_by=today + timedelta(days=60))
    url = reverse("workbench:applications:supervision")
    window = client_of(story.window)
    page = window.get(url, {"days": "1"}).content.decode()
    assert "Service supervision" in page
    assert late.number in page and soon.number in page and later.number not in page
    assert page.index(late.number) < page.index(soon.number)
    assert page.count('data-overdue="true"') == 1 and "overdue" in page
    assert window.get(url, {"days": "9"}).status_code == 400
    department = client_of(story.officers["330602-GAJ"]).get(url).content.decode()
    assert late.number in department
    assert client_of(story.officers["330602-SCJ"]).get(url).status_code == 200
    assert late.number not in client_of(story.officers["330602-SCJ"]).get(url).content.decode()


@pytest.mark.parametrize(
    ("role", "name", "status"),
    [
        ("township_officer", "desk", 403),
        ("township_officer", "department", 403),
        ("township_officer", "supervision", 403),
        ("department_officer", "desk", 403),
        ("county_officer", "department", 403),
    ],
)
def test_the_lists_are_for_their_roles(city: TinyCity, role: str, name: str, status: int) -> None:
    client = client_of(city.users[role])
    assert client.get(reverse(f"workbench:applications:{name}")).status_code == status


def test_refusals_by_role_and_scope(story: Story) -> None:
    application = submit_birth(story)
    url = detail_url(application)
    assert Client().get(url).status_code == 302
    citizen = Client()
    citizen.force_login(story.citizen)
    assert citizen.get(url).status_code == 403
    assert client_of(story.city.users["township_officer"]).get(url).status_code == 404
    scj = client_of(story.officers["330602-SCJ"])
    assert scj.get(url).status_code == 404
    accept = reverse("workbench:applications:accept", args=[application.number])
    assert scj.post(accept).status_code == 404
    gaj = client_of(story.officers["330602-GAJ"])
    assert gaj.get(url).status_code == 200
    assert gaj.post(accept).status_code == 404
    decide: dict[str, Any] = {"decision": "approve", "note": "x", "revision": 1}
    assert (
        gaj.post(reverse("workbench:applications:decide", args=[application.number]), decide)
    ).status_code == 404
    assert (
        gaj.get(reverse("workbench:applications:certificate", args=[application.number]))
    ).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_forms_carry_csrf_tokens(story: Story) -> None:
    application = submit_birth(story)
    client = Client(enforce_csrf_checks=True)
    client.force_login(story.window)
    page = client.get(detail_url(application)).content.decode()
    assert page.count("csrfmiddlewaretoken") >= 2
    url = reverse("workbench:applications:accept", args=[application.number])
    assert client.post(url).status_code == 403
