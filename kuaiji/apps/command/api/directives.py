"""Directives over the API: the inbox of received directives and those issued or in scope,
issuing (JSON; the same submission key again returns the directive), one directive (opening
it records a target's read receipt), feedback, reminding the unread, closing, statistics."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from kuaiji.apps.command.directives import selectors
from kuaiji.apps.command.directives.feedback import close, submit_feedback
from kuaiji.apps.command.directives.issuing import issue
from kuaiji.apps.command.directives.reading import mark_read
from kuaiji.apps.command.directives.reminders import remind_unread
from kuaiji.apps.command.directives.statistics import directive_figures, overview
from kuaiji.apps.command.models import (
    Directive,
    DirectivePriority,
    DirectiveStatus,
    FeedbackState,
)
from kuaiji.platform.access.models import Role
from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.directory.models import Department, Region
from kuaiji.platform.identity.api_auth import verified_session

router = Router(tags=["command"], auth=[api_key_auth, verified_session])


class DirectiveBase(Schema):
    number: str
    title: str
    priority: DirectivePriority
    status: DirectiveStatus
    issuer: str
    issuing_unit: str | None
    region_code: str
    feedback_required: bool
    deadline: datetime | None
    issued_at: datetime
    closed_at: datetime | None


class DirectiveOut(DirectiveBase):
    """A directive as lists show it, with its targets counted."""

    targets: int
    delivered: int
    read: int
    answered: int


class ReceivedOut(Schema):
    """A directive addressed to me, with my read receipt and my latest feedback's state."""

    number: str
    title: str
    priority: DirectivePriority
    status: DirectiveStatus
    issuer: str
    deadline: datetime | None
    issued_at: datetime
    read_at: datetime | None
    feedback_state: FeedbackState | None


class FeedbackOut(Schema):
    state: FeedbackState
    body: str
    attachment_name: str
    submitted_at: datetime


class TargetOut(Schema):
    recipient: str
    unit: str | None
    region_code: str | None
    delivered_at: datetime
    read_at: datetime | None
    reminders: int
    reports: int
    latest: FeedbackOut | None


class FiguresOut(Schema):
    targets: int
    delivered: int
    read: int
    read_rate: float | None
    expected: int
    answered: int
    feedback_rate: float | None
    late: int
    overdue: int


class DirectiveDetail(DirectiveBase):
    """A directive with its text; the issuer and those who view it in scope also get every
    target with its read receipt and latest feedback, and the figures."""

    body: str
    summary: str
    departments: list[str]
    regions: list[str]
    roles: list[str]
    attachments: list[str]
    task_lists: list[str]
    mine: TargetOut | None
    targets: list[TargetOut] | None
    figures: FiguresOut | None


class IssueIn(Schema):
    submission_key: str = Field(..., description="The same key again returns the directive.")
    title: str
    body: str
    priority: DirectivePriority = DirectivePriority.ROUTINE
    departments: list[str] = Field([], description="Codes of the departments to reach.")
    regions: list[str] = Field([], description="Codes of the regions to reach.")
    roles: list[str] = Field([], description="Codes of the roles to reach.")
    deadline: datetime | None = None
    feedback_required: bool = True


class FeedbackIn(Schema):
    state: FeedbackState
    body: str


class CloseIn(Schema):
    summary: str


class RemindOut(Schema):
    reminded: int


class UnitOut(FiguresOut):
    unit: str


class StatisticsOut(FiguresOut):
    start: date
    end: date
    issued: int
    closed: int
    units: list[UnitOut]


class ListFilter(Schema):
    box: Literal["received", "issued", "scope"] = Field(
        "received", description="received by me, issued by me, or issued or in my scope"
    )
    status: DirectiveStatus | None = None
    q: str = ""


class PeriodIn(Schema):
    start: date | None = None
    end: date | None = None


def _summary(directive: Directive) -> dict[str, Any]:
    unit = directive.issuing_department
    return {
        "number": directive.number,
        "title": directive.title,
        "priority": directive.priority,
        "status": directive.status,
        "issuer": str(directive.issuer),
        "issuing_unit": unit.name if unit else None,
        "region_code": directive.region.code,
        "feedback_required": directive.feedback_required,
        "deadline": directive.deadline,
        "issued_at": directive.issued_at,
        "closed_at": directive.closed_at,
    }


def _counted(directive: Any) -> dict[str, Any]:
    return {
        **_summary(directive),
        "targets": directive.targets_count,
        "delivered": directive.delivered_count,
        "read": directive.read_count,
        "answered": directive.answered_count,
    }


def _target(row: selectors.TargetRow) -> dict[str, Any]:
    target = row.target
    return {
        "recipient": str(target.recipient),
        "unit": target.department.name if target.department else None,
        "region_code": target.region.code if target.region else None,
        "delivered_at": target.delivered_at,
        "read_at": target.read_at,
        "reminders": target.reminders,
        "reports": row.reports,
        "latest": row.latest,
    }


def _detail(actor: Any, number: str) -> dict[str, Any]:
    directive = selectors.directive_for(actor, number)
    own = selectors.target_of(actor, directive)
    mine = None
    if own is not None:
        reports = list(own.feedback.all())
        own.recipient = actor
        mine = _target(selectors.TargetRow(own, reports[0] if reports else None, len(reports)))
    overseeing = selectors.may_oversee(actor, directive)
    return {
        **_summary(directive),
        "body": directive.body,
        "summary": directive.summary,
        "departments": [found.code for found in directive.target_departments.all()],
        "regions": [found.code for found in directive.target_regions.all()],
        "roles": [found.code for found in directive.target_roles.all()],
        "attachments": [found.name for found in directive.attachments.all()],
        "task_lists": list(directive.task_lists.values_list("number", flat=True)),
        "mine": mine,
        "targets": [_target(row) for row in selectors.target_rows(directive)]
        if overseeing
        else None,
        "figures": directive_figures(directive).as_dict() if overseeing else None,
    }


def _by_codes(model: Any, codes: list[str], name: str) -> list[Any]:
    wanted = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    found = {row.code: row for row in model.objects.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise InvalidInput(
            fields={name: _("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return [found[code] for code in wanted]


@router.get(
    "/directives",
    response=list[ReceivedOut] | list[DirectiveOut],
    summary="Directives received by me (box=received), issued by me, or in my scope",
)
def directives(request: HttpRequest, filters: Query[ListFilter]) -> Any:
    if filters.box == "received":
        targets = selectors.received(request.user, q=filters.q)
        if filters.status:
            targets = targets.filter(directive__status=filters.status)
        return [
            {
                **_summary(target.directive),
                "read_at": target.read_at,
                "feedback_state": target.latest_state,  # type: ignore[attr-defined]
            }
            for target in targets.select_related("directive__region")[:500]
        ]
    found = selectors.overseen(
        request.user,
        mine=filters.box == "issued",
        status=filters.status or "",
        q=filters.q,
    )
    return [_counted(directive) for directive in found[:500]]


@router.post(
    "/directives",
    response={200: DirectiveDetail, 201: DirectiveDetail},
    summary="Issue a directive (the same submission key again returns it)",
)
def issue_directive(request: HttpRequest, payload: IssueIn) -> Any:
    directive = issue(
        actor=request.user,
        submission_key=payload.submission_key,
        title=payload.title,
        body=payload.body,
        priority=payload.priority,
        departments=_by_codes(Department, payload.departments, "departments"),
        regions=_by_codes(Region, payload.regions, "regions"),
        roles=_by_codes(Role, payload.roles, "roles"),
        deadline=payload.deadline,
        feedback_required=payload.feedback_required,
    )
    status = 201 if getattr(directive, "created", False) else 200
    return Status(status, _detail(request.user, directive.number))


@router.get(
    "/directives/statistics",
    response=StatisticsOut,
    summary="Directives in my scope over a period: reading, feedback, overdue, per unit",
)
def statistics(request: HttpRequest, period: Query[PeriodIn]) -> Any:
    return overview(request.user, start=period.start, end=period.end).as_dict()


@router.get(
    "/directives/{number}",
    response=DirectiveDetail,
    summary="A directive (opening it records my read receipt when I am a target)",
)
def directive_detail(request: HttpRequest, number: str) -> Any:
    found = selectors.directive_for(request.user, number)
    mark_read(actor=request.user, directive=found)
    return _detail(request.user, number)


@router.post(
    "/directives/{number}/feedback",
    response={201: DirectiveDetail},
    summary="Report back on a directive addressed to me",
)
def feedback(request: HttpRequest, number: str, payload: FeedbackIn) -> Any:
    found = selectors.directive_for(request.user, number)
    submit_feedback(actor=request.user, directive=found, state=payload.state, body=payload.body)
    return Status(201, _detail(request.user, number))


@router.post(
    "/directives/{number}/remind",
    response=RemindOut,
    summary="Remind every target who has not read the directive yet",
)
def remind(request: HttpRequest, number: str) -> Any:
    found = selectors.directive_for(request.user, number)
    return {"reminded": remind_unread(actor=request.user, directive=found)}


@router.post(
    "/directives/{number}/close",
    response=DirectiveDetail,
    summary="Close the directive with a summary of the feedback",
)
def close_directive(request: HttpRequest, number: str, payload: CloseIn) -> Any:
    found = selectors.directive_for(request.user, number)
    close(actor=request.user, directive=found, summary=payload.summary)
    return _detail(request.user, number)
