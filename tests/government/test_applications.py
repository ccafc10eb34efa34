"""Applications at the service level: the birth bundle end to end, idempotent submission (also
two threads at once on PostgreSQL), the one correction request, decisions that lost a race,
scope refusals, bad uploads and answers, the audit log."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from kuaiji.apps.government import applications as services
from kuaiji.apps.government import selectors
from kuaiji.apps.government.models import (
    Application,
    ApplicationStatus,
    Consent,
    ItemStatus,
    MaterialSource,
)
from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.chains.models import InstanceStatus, TaskStatus
from kuaiji.platform.core.errors import Conflict, InvalidInput, NotFound
from kuaiji.platform.data.models import CallChannel, DataCall
from tests.directory.city import TinyCity
from tests.government.application_story import Story, big_pdf, build, pdf, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(city: TinyCity, calendar: None) -> Story:
    return build(city)


def submit_birth(story: Story, key: str = "key-1", **changes: Any) -> Application:
    arguments: dict[str, Any] = {
        "actor": story.citizen,
        "submission_key": key,
        "bundle": story.bundle,
        "answers": story.answers,
        "uploads": {"photo": png()},
        "consent_to": ["birth-proof", "household"],
        **changes,
    }
    return services.submit(**arguments)


def handle_all(story: Story, application: Application) -> None:
    for entry in application.items.select_related("department"):
        services.handle(
            actor=story.officers[entry.department.code], application_item=entry, opinion="同意"
        )


def test_the_birth_bundle_end_to_end(story: Story) -> None:
    application = submit_birth(story)
    assert application.number.startswith("SX") and len(application.number) == 16
    assert application.status == ApplicationStatus.SUBMITTED
    assert (application.applicant_name, application.id_number) == ("李娟", story_id(story))
    assert application.region.code == "330602001001"
    assert application.items.count() == 4
    shared = application.materials.filter(source=MaterialSource.SHARED)
    assert {material.code for material in shared} == {"birth-proof", "household"}
    calls = DataCall.objects.filter(pk__in=[material.data_call_id for material in shared])
    assert calls.count() == 2
    for call in calls:
        assert call.channel == CallChannel.API
        assert application.number in call.purpose
        assert call.department is not None
        assert story_id(story) not in str(call.query)
    assert Consent.objects.filter(application=application).count() == 2
    photo = application.materials.get(code="photo")
    assert photo.source == MaterialSource.UPLOAD and len(photo.digest) == 64
    assert application.chain is not None
    assert application.chain.business_type == "government.application"

    assert list(selectors.acceptance_queue(story.window)) == [application]
    application = services.accept(actor=story.window, application=application)
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.accepted_at is not None and application.promised_by is not None
    open_tasks = application.chain.tasks.filter(status=TaskStatus.OPEN)
    assert open_tasks.count() == 4
    assert set(application.items.values_list("status", flat=True)) == {ItemStatus.HANDLING}
    queue = selectors.department_queue(story.officers["330602-GAJ"])
    assert [entry.item.code for entry in queue] == ["GAJ-001"]

    handle_all(story, application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.HANDLING
    assert set(application.items.values_list("status", flat=True)) == {ItemStatus.DONE}

    application = services.decide(
        actor=story.window, application=application, approve=True, note="准予办理"
    )
    assert application.status == ApplicationStatus.DECIDED
    certificate = services.deliver(actor=story.window, application=application)
    assert certificate is not None
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DELIVERED
    application.chain.refresh_from_db()
    assert application.chain.status == InstanceStatus.COMPLETED
    content = certificate.pdf.open("rb").read()
    assert content.startswith(b"%PDF")
    assert application.number.encode() in content
    assert len(certificate.verification_code) == 12
    assert services.verify(certificate.verification_code.lower()) == certificate
    assert services.verify("AAAAAAAAAAAA") is None
    kinds = [step.kind for step in selectors.timeline(application)]
    assert kinds[:2] == ["submitted", "accepted"]
    assert kinds.count("handled") == 4
    assert kinds[-2:] == ["approved", "delivered"]
    actions = set(
        AuditEntry.objects.filter(object_type="government.application").values_list(
            "action", flat=True
        )
    )
    assert {
        "government.application.submit",
        "government.application.accept",
        "government.application.handle",
        "government.application.decide",
        "government.application.deliver",
    } <= actions


def story_id(story: Story) -> str:
    return str(story.citizen.citizen.id_number)


def test_the_same_key_twice_makes_one_application(story: Story) -> None:
    first = submit_birth(story)
    again = submit_birth(story)
    assert again.pk == first.pk
    assert Application.objects.count() == 1
    assert getattr(first, "created", None) is True and getattr(again, "created", None) is False


def test_a_key_of_someone_else_is_a_conflict(story: Story) -> None:
    submit_birth(story)
    with pytest.raises(Conflict):
        submit_birth(story, actor=story.stranger)


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_make_one_application(city: TinyCity, calendar: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    story = build(city)
    results: list[Any] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            results.append(submit_birth(story, key="same-key").pk)
        except Exception as error:  # pragma: no cover - reported below
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2 and results[0] == results[1], results
    assert Application.objects.filter(submission_key="same-key").count() == 1


def test_correction_once_with_every_problem(story: Story) -> None:
    application = submit_birth(story)
    problems = [
        {"material": "photo", "what": "照片不清晰"},
        {"field": "hospital", "what": "请填写医院全称"},
    ]
    with pytest.raises(InvalidInput) as refused:
        services.request_correction(
            actor=story.window, application=application, problems=[{"material": "x", "what": "a"}]
        )
    assert "problems[0]" in refused.value.fields
    correction = services.request_correction(
        actor=story.window, application=application, problems=problems
    )
    assert len(correction.problems) == 2
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CORRECTION
    assert application.materials.get(code="photo").problem == "照片不清晰"
    with pytest.raises(InvalidInput) as missing:
        services.resubmit(actor=story.citizen, application=application, answers={}, uploads={})
    assert set(missing.value.fields) == {"photo", "hospital"}
    application = services.resubmit(
        actor=story.citizen,
        application=application,
        answers={"hospital": "绍兴市妇幼保健院（越城）"},
        uploads={"photo": png("new.png")},
    )
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.answers["child_name"] == "李小明"
    with pytest.raises(Conflict):
        services.request_correction(actor=story.window, application=application, problems=problems)
    services.accept(actor=story.window, application=application)
    kinds = [step.kind for step in selectors.timeline(application)]
    assert kinds == ["submitted", "correction", "resubmitted", "accepted"]


def test_decide_after_withdraw_is_a_conflict(story: Story) -> None:
    application = submit_birth(story)
    services.accept(actor=story.window, application=application)
    handle_all(story, application)
    stale = Application.objects.get(pk=application.pk)
    withdrawn = services.withdraw(actor=story.citizen, application=application, reason="不办了")
    assert withdrawn.status == ApplicationStatus.WITHDRAWN
    assert withdrawn.chain is not None
    withdrawn.chain.refresh_from_db()
    assert withdrawn.chain.status == InstanceStatus.CANCELLED
    with pytest.raises(Conflict):
        services.decide(actor=story.window, application=stale, approve=True, note="准予")


def test_withdraw_before_anyone_acted_withdraws_the_chain(story: Story) -> None:
    application = submit_birth(story)
    services.withdraw(actor=story.citizen, application=application, reason="填错了")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.chain is not None and application.chain.status == InstanceStatus.WITHDRAWN
    with pytest.raises(Conflict):
        services.withdraw(actor=story.citizen, application=application, reason="again")


def test_decide_twice_or_with_an_old_revision_is_a_conflict(story: Story) -> None:
    application = submit_birth(story)
    services.accept(actor=story.window, application=application)
    handle_all(story, application)
    application.refresh_from_db()
    with pytest.raises(Conflict):
        services.decide(
            actor=story.window,
            application=application,
            approve=True,
            note="准予",
            revision=application.revision - 1,
        )
    services.decide(actor=story.window, application=application, approve=False, note="不予")
    with pytest.raises(Conflict):
        services.decide(actor=story.window, application=application, approve=True, note="准予")
    assert services.deliver(actor=story.window, application=application) is None
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


def test_scope_refusals(story: Story) -> None:
    application = submit_birth(story)
    with pytest.raises(NotFound):
        selectors.application_of(story.stranger, application.number)
    with pytest.raises(NotFound):
        services.accept(actor=story.officers["330602-GAJ"], application=application)
    with pytest.raises(NotFound):
        services.withdraw(actor=story.stranger, application=application, reason="x")
    assert selectors.application_of(story.citizen, application.number) == application
    assert selectors.application_of(story.window, application.number) == application
    assert selectors.application_of(story.officers["330602-YBJ"], application.number)
    with pytest.raises(NotFound):
        selectors.application_of(story.officers["330602-SCJ"], application.number)
    services.accept(actor=story.window, application=application)
    entry = application.items.get(item__code="GAJ-001")
    with pytest.raises(NotFound):
        services.handle(actor=story.officers["330602-YBJ"], application_item=entry, opinion="x")
    assert list(selectors.my_applications(story.stranger)) == []


@pytest.mark.parametrize(
    ("uploads", "field"),
    [
        ({"photo": pdf("x.pdf", b"not a pdf at all")}, "photo"),
        ({"photo": big_pdf()}, "photo"),
        ({"unknown": png()}, "unknown"),
        ({}, "photo"),
    ],
)
def test_bad_uploads_are_refused_by_name(story: Story, uploads: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        submit_birth(story, uploads=uploads)
    assert field in refused.value.fields
    assert not Application.objects.exists()


def test_a_shared_record_not_found_must_be_uploaded(story: Story) -> None:
    with pytest.raises(InvalidInput) as refused:
        submit_birth(story, actor=story.stranger)
    assert {"birth-proof", "household"} <= set(refused.value.fields)
    application = submit_birth(
        story,
        actor=story.stranger,
        uploads={"photo": png(), "birth-proof": pdf(), "household": pdf()},
    )
    assert not application.materials.filter(source=MaterialSource.SHARED).exists()


def test_without_consent_the_material_is_uploaded(story: Story) -> None:
    with pytest.raises(InvalidInput) as refused:
        submit_birth(story, consent_to=["birth-proof"])
    assert list(refused.value.fields) == ["household"]


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"birth_date": "2026-01-05"}, "child_name"),
        ({"child_name": "李小明", "birth_date": "5 January"}, "birth_date"),
        ({"child_name": "李小明", "birth_date": "2026-01-05", "extra": "x"}, "extra"),
    ],
)
def test_bad_answers_are_refused_by_name(story: Story, answers: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        submit_birth(story, answers=answers)
    assert field in refused.value.fields


def test_a_single_item_application(story: Story) -> None:
    application = services.submit(
        actor=story.citizen,
        submission_key="single",
        item=story.single,
        answers={},
        uploads={"lease": pdf()},
    )
    assert [entry.department.code for entry in application.items.all()] == ["330602-SCJ"]
    assert application.chain is not None
    assert application.chain.tasks.get(status=TaskStatus.OPEN).step == "accept"


def test_near_limit_and_the_promise(story: Story) -> None:
    application = submit_birth(story)
    assert list(selectors.near_limit(story.window, days=30)) == []
    application = services.accept(actor=story.window, application=application)
    assert application.promised_by is not None
    assert application.promised_by == services.promised_date(application, application.accepted_at)
    assert list(selectors.near_limit(story.window, days=10)) == [application]
    assert list(selectors.near_limit(story.window, days=0)) == []
    assert list(selectors.near_limit(story.officers["330602-SCJ"], days=10)) == []
