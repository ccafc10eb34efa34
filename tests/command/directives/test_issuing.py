"""Issuing: targets by department, region and role, scope refusals, one directive per
submission key, notifications, attachments and audit entries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kuaiji.apps.command.models import Directive, DirectiveAttachment, DirectiveTarget
from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.core.errors import Conflict, Forbidden, InvalidInput
from kuaiji.platform.messaging.models import Notification, NotificationKind
from tests.command.directives.conftest import Office, pdf

pytestmark = pytest.mark.django_db


def recipients(directive: Directive) -> set[str]:
    return set(directive.targets.values_list("recipient__username", flat=True))


def test_a_department_reaches_its_staff_with_accounts(office: Office) -> None:
    directive = office.issue(attachments=[pdf()])
    assert directive.number.startswith("ZL") and directive.created  # type: ignore[attr-defined]
    assert recipients(directive) == {"u_department_officer", "clerk"}
    assert directive.region.code == "330600" and directive.region_path == "330600/"
    assert directive.issuing_department is not None
    assert directive.issuing_department.code == "330600-GOV"
    assert directive.department_path == directive.issuing_department.path
    target = directive.targets.get(recipient=office.clerk)
    assert target.department is not None and target.department.code == "330602-SCJ"
    assert target.region is not None and target.region.code == "330602"
    notification = Notification.objects.get(pk=target.notification_id)
    assert notification.recipient == office.clerk
    assert notification.kind == NotificationKind.DIRECTIVE
    assert notification.link == f"/work/directives/{directive.number}/"
    assert DirectiveAttachment.objects.get(directive=directive).name == "通知.pdf"
    assert AuditEntry.objects.filter(action="command.directive.issue").count() == 1
    assert AuditEntry.objects.filter(action="command.directivetarget.create").count() == 2


def test_a_region_reaches_its_government_or_office_but_not_grid_staff(office: Office) -> None:
    directive = office.issue(
        departments=[], regions=[office.region("330602"), office.region("330602001")]
    )
    # the county government's officer and the street office's officer; the grid worker
    # (hired by the street office) is reached through the grid roles instead
    assert recipients(directive) == {"u_county_officer", "u_township_officer"}


def test_a_role_reaches_its_holders_within_the_chosen_regions(office: Office) -> None:
    everywhere = office.issue(departments=[], roles=[office.role("township_officer")], key="a")
    assert recipients(everywhere) == {"u_township_officer", "east"}
    east_only = office.issue(
        departments=[],
        regions=[office.region("330603")],
        roles=[office.role("township_officer")],
        key="b",
    )
    assert recipients(east_only) == {"east"}
    east_target = east_only.targets.get()
    assert east_target.department is not None
    assert east_target.department.code == "330603001-OFFICE"


def test_the_union_counts_each_person_once_and_leaves_out_the_issuer(office: Office) -> None:
    directive = office.issue(
        office.county,
        departments=[office.dept("330602-SCJ")],
        regions=[office.region("330602")],
        roles=[office.role("department_officer"), office.role("county_officer")],
    )
    assert recipients(directive) == {"u_department_officer", "clerk"}
    assert directive.region.code == "330602"
    assert DirectiveTarget.objects.filter(directive=directive).count() == 2


def test_a_township_cannot_reach_another_county(office: Office) -> None:
    with pytest.raises(InvalidInput) as refused:
        office.issue(
            office.township,
            departments=[office.dept("330603-SCJ")],
            regions=[office.region("330603001")],
        )
    assert set(refused.value.fields) == {"departments", "regions"}
    assert "东区市场监管局" in str(refused.value.fields["departments"])
    assert not Directive.objects.exists()
    # a role reaches only holders within the township's own scope
    own = office.issue(office.township, departments=[], roles=[office.role("grid_worker")])
    assert recipients(own) == {"u_grid_worker"}


def test_nobody_reached_or_nothing_chosen_is_refused(office: Office) -> None:
    with pytest.raises(InvalidInput) as nothing:
        office.issue(departments=[])
    assert "targets" in nothing.value.fields
    with pytest.raises(InvalidInput) as nobody:
        office.issue(departments=[office.dept("330600-DSJ")])
    assert "targets" in nobody.value.fields


def test_bad_input_is_refused_field_by_field(office: Office) -> None:
    with pytest.raises(InvalidInput) as refused:
        office.issue(
            title=" ",
            body="",
            priority="whenever",
            deadline=timezone.now() - timedelta(hours=1),
        )
    assert set(refused.value.fields) == {"title", "body", "priority", "deadline"}
    with pytest.raises(InvalidInput) as bad_file:
        office.issue(attachments=[SimpleUploadedFile("x.pdf", b"not a pdf")])
    assert "files" in bad_file.value.fields
    with pytest.raises(InvalidInput):
        office.issue(submission_key="")
    assert not Directive.objects.exists()
    assert not Notification.objects.exists()


def test_the_same_submission_twice_makes_one_directive(office: Office) -> None:
    first = office.issue()
    again = office.issue()
    assert again.pk == first.pk and not again.created  # type: ignore[attr-defined]
    assert Directive.objects.count() == 1
    assert Notification.objects.count() == 2
    with pytest.raises(Conflict):
        office.issue(office.county)


def test_only_issuers_issue(office: Office) -> None:
    with pytest.raises(Forbidden):
        office.issue(office.department)
    with pytest.raises(Forbidden):
        office.issue(office.clerk)


def test_numbers_follow_each_other_within_a_day(office: Office) -> None:
    first, second = office.issue(key="one"), office.issue(key="two")
    assert first.number[:10] == second.number[:10]
    assert int(second.number[10:]) == int(first.number[10:]) + 1
