"""Applications (办件) over the API.

An applicant submits (multipart: the form's `submission_key`, the item or bundle code, the
answers as JSON, one file per material code, the materials they consent to have obtained from
shared data), follows and withdraws their applications, answers a correction and downloads the
e-certificate. Staff in scope accept or request a correction, handle their department's items,
decide and deliver. The certificate check by verification code is public.

The applicant sees their own data whole; staff see identity numbers and phones masked, and the
fields of level 3–4 of shared records masked.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Form, Router, Schema, Status

from kuaiji.apps.government import applications as services
from kuaiji.apps.government import materials as supplied
from kuaiji.apps.government import selectors
from kuaiji.apps.government.casework import is_applicant
from kuaiji.apps.government.models import (
    Application,
    ApplicationStatus,
    Bundle,
    Certificate,
    ItemStatus,
    MaterialSource,
    ServiceItem,
)
from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.core.errors import InvalidInput, NotFound
from kuaiji.platform.core.personal import PersonalKind, mask
from kuaiji.platform.directory.models import Enterprise
from kuaiji.platform.identity.api_auth import verified_session

router = Router(tags=["government"], auth=[api_key_auth, verified_session])


class ApplicationOut(Schema):
    """An application as lists show it."""

    number: str
    item: str | None
    bundle: str | None
    title: str
    status: ApplicationStatus
    region_code: str
    revision: int
    submitted_at: datetime
    accepted_at: datetime | None
    promised_by: date | None
    decided_at: datetime | None
    delivered_at: datetime | None
    withdrawn_at: datetime | None

    @staticmethod
    def resolve_item(application: Application) -> str | None:
        return application.item.code if application.item else None

    @staticmethod
    def resolve_bundle(application: Application) -> str | None:
        return application.bundle.code if application.bundle else None

    @staticmethod
    def resolve_title(application: Application) -> str:
        return str(application.bundle or application.item)

    @staticmethod
    def resolve_region_code(application: Application) -> str:
        return application.region.code


def _summary(application: Application) -> dict[str, Any]:
    return {
        "number": application.number,
        "item": application.item.code if application.item else None,
        "bundle": application.bundle.code if application.bundle else None,
        "title": str(application.bundle or application.item),
        "status": application.status,
        "region_code": application.region.code,
        "revision": application.revision,
        "submitted_at": application.submitted_at,
        "accepted_at": application.accepted_at,
        "promised_by": application.promised_by,
        "decided_at": application.decided_at,
        "delivered_at": application.delivered_at,
        "withdrawn_at": application.withdrawn_at,
    }


class ItemOut(Schema):
    code: str
    name: str
    department_code: str
    department_name: str
    status: ItemStatus
    opinion: str
    handled_at: datetime | None


class MaterialOut(Schema):
    code: str
    name: str
    source: MaterialSource
    content_type: str
    digest: str
    record: dict[str, Any] | None
    problem: str
    supplied_at: datetime


class StepOut(Schema):
    at: datetime
    kind: str
    label: str
    unit: str
    comment: str


class CorrectionOut(Schema):
    problems: list[dict[str, str]]
    requested_at: datetime
    answered_at: datetime | None


class CertificateOut(Schema):
    number: str
    title: str
    verification_code: str
    digest: str
    issued_at: datetime


class ApplicationDetail(Schema):
    """An application with its applicant, answers, items, materials, correction and way."""

    number: str
    item: str | None
    bundle: str | None
    title: str
    status: ApplicationStatus
    region_code: str
    revision: int
    submitted_at: datetime
    accepted_at: datetime | None
    promised_by: date | None
    decided_at: datetime | None
    delivered_at: datetime | None
    withdrawn_at: datetime | None

    applicant_name: str
    id_number: str
    phone: str
    address: str
    enterprise: str | None
    answers: dict[str, Any]
    decision_note: str
    items: list[ItemOut]
    materials: list[MaterialOut]
    correction: CorrectionOut | None
    certificate: CertificateOut | None
    timeline: list[StepOut]


class ProblemIn(Schema):
    material: str = ""
    field: str = ""
    what: str


class CorrectionIn(Schema):
    problems: list[ProblemIn]


class ResubmitIn(Schema):
    answers: str = Field("{}", description="The corrected answers, a JSON object.")


class SubmitIn(Schema):
    submission_key: str
    item: str = Field("", description="The service item's code (or give a bundle).")
    bundle: str = Field("", description="The bundle's code (or give an item).")
    answers: str = Field("{}", description="The form's answers, a JSON object.")
    consent: str = Field(
        "",
        description="Material codes the platform may obtain from shared data, comma-separated.",
    )
    enterprise: str = Field("", description="Credit code of the enterprise applied for.")


class ReasonIn(Schema):
    reason: str


class DecideIn(Schema):
    approve: bool
    note: str
    revision: int | None = None


class HandleIn(Schema):
    opinion: str
    refused: bool = False


class VerifyOut(Schema):
    """What the public check shows: the certificate exists, for what, and when."""

    valid: bool
    number: str = ""
    title: str = ""
    application: str = ""
    holder: str = ""
    issued_at: datetime | None = None


def _answers(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise InvalidInput(fields={"answers": _("Send the answers as a JSON object.")})
    return value


def _uploads(request: HttpRequest) -> dict[str, Any]:
    return {code: request.FILES[code] for code in request.FILES}


def _detail(actor: Any, application: Application) -> dict[str, Any]:
    own = is_applicant(actor, application)
    return {
        **_summary(application),
        "applicant_name": application.applicant_name,
        "id_number": (application.id_number or "")
        if own
        else mask(PersonalKind.ID_NUMBER, application.id_number),
        "phone": (application.phone or "") if own else mask(PersonalKind.PHONE, application.phone),
        "address": (application.address or "")
        if own
        else mask(PersonalKind.ADDRESS, application.address),
        "enterprise": application.enterprise.name if application.enterprise else None,
        "answers": application.answers,
        "decision_note": application.decision_note,
        "items": [
            {
                "code": entry.item.code,
                "name": entry.item.name,
                "department_code": entry.department.code,
                "department_name": entry.department.name,
                "status": entry.status,
                "opinion": entry.opinion,
                "handled_at": entry.handled_at,
            }
            for entry in application.items.all()
        ],
        "materials": [
            {
                "code": material.code,
                "name": material.name,
                "source": material.source,
                "content_type": material.content_type,
                "digest": material.digest,
                "record": supplied.record_for(material, own=own),
                "problem": material.problem,
                "supplied_at": material.supplied_at,
            }
            for material in application.materials.select_related("data_call")
        ],
        "correction": _related(application, "correction"),
        "certificate": _related(application, "certificate"),
        "timeline": selectors.timeline(application),
    }


def _related(application: Application, relation: str) -> Any:
    """The application's correction or certificate, or None."""
    try:
        return getattr(application, relation)
    except ObjectDoesNotExist:
        return None


def _mine(request: HttpRequest, number: str) -> Application:
    return selectors.application_of(request.user, number)


@router.post(
    "/applications",
    response={200: ApplicationDetail, 201: ApplicationDetail},
    summary="Submit an application (the same submission key again returns it)",
)
def submit(request: HttpRequest, payload: Form[SubmitIn]) -> Any:
    item = ServiceItem.objects.filter(code=payload.item).first() if payload.item else None
    bundle = Bundle.objects.filter(code=payload.bundle).first() if payload.bundle else None
    if payload.item and item is None:
        raise InvalidInput(fields={"item": _("Unknown code.")})
    if payload.bundle and bundle is None:
        raise InvalidInput(fields={"bundle": _("Unknown code.")})
    enterprise = None
    if payload.enterprise:
        enterprise = Enterprise.objects.filter(credit_code=payload.enterprise.strip()).first()
        if enterprise is None:
            raise NotFound()
    application = services.submit(
        actor=request.user,
        submission_key=payload.submission_key,
        item=item,
        bundle=bundle,
        answers=_answers(payload.answers),
        uploads=_uploads(request),
        consent_to=[code.strip() for code in payload.consent.split(",") if code.strip()],
        enterprise=enterprise,
    )
    found = selectors.application_of(request.user, application.number)
    return Status(
        201 if getattr(application, "created", False) else 200, _detail(request.user, found)
    )


@router.get("/applications", response=list[ApplicationOut], summary="My applications")
def my_applications(request: HttpRequest) -> Any:
    return selectors.my_applications(request.user)


@router.get(
    "/applications/{number}", response=ApplicationDetail, summary="An application and its way"
)
def application_detail(request: HttpRequest, number: str) -> Any:
    return _detail(request.user, _mine(request, number))


def _after(request: HttpRequest, number: str) -> dict[str, Any]:
    return _detail(request.user, selectors.application_of(request.user, number))


@router.post(
    "/applications/{number}/accept", response=ApplicationDetail, summary="Accept an application"
)
def accept(request: HttpRequest, number: str) -> Any:
    services.accept(actor=request.user, application=_mine(request, number))
    return _after(request, number)


@router.post(
    "/applications/{number}/correction",
    response=ApplicationDetail,
    summary="Ask for a correction, every problem at once (once)",
)
def correction(request: HttpRequest, number: str, payload: CorrectionIn) -> Any:
    services.request_correction(
        actor=request.user,
        application=_mine(request, number),
        problems=[problem.dict() for problem in payload.problems],
    )
    return _after(request, number)


@router.post(
    "/applications/{number}/resubmit",
    response=ApplicationDetail,
    summary="Answer the correction (multipart: answers JSON and the files asked for)",
)
def resubmit(request: HttpRequest, number: str, payload: Form[ResubmitIn]) -> Any:
    services.resubmit(
        actor=request.user,
        application=_mine(request, number),
        answers=_answers(payload.answers),
        uploads=_uploads(request),
    )
    return _after(request, number)


@router.post(
    "/applications/{number}/withdraw",
    response=ApplicationDetail,
    summary="Withdraw my application before it is decided",
)
def withdraw(request: HttpRequest, number: str, payload: ReasonIn) -> Any:
    services.withdraw(actor=request.user, application=_mine(request, number), reason=payload.reason)
    return _after(request, number)


@router.post(
    "/applications/{number}/items/{item_code}/handle",
    response=ApplicationDetail,
    summary="Handle one's department's item",
)
def handle(request: HttpRequest, number: str, item_code: str, payload: HandleIn) -> Any:
    application = _mine(request, number)
    entry = application.items.filter(item__code=item_code).first()
    if entry is None:
        raise NotFound()
    services.handle(
        actor=request.user,
        application_item=entry,
        opinion=payload.opinion,
        refused=payload.refused,
    )
    return _after(request, number)


@router.post(
    "/applications/{number}/decide", response=ApplicationDetail, summary="Approve or reject"
)
def decide(request: HttpRequest, number: str, payload: DecideIn) -> Any:
    services.decide(
        actor=request.user,
        application=_mine(request, number),
        approve=payload.approve,
        note=payload.note,
        revision=payload.revision,
    )
    return _after(request, number)


@router.post(
    "/applications/{number}/deliver",
    response=ApplicationDetail,
    summary="Deliver the result (an approved application gets its e-certificate)",
)
def deliver(request: HttpRequest, number: str) -> Any:
    services.deliver(actor=request.user, application=_mine(request, number))
    return _after(request, number)


@router.get(
    "/applications/{number}/certificate",
    summary="The e-certificate PDF",
    response={200: None},
)
def certificate(request: HttpRequest, number: str) -> Any:
    found = Certificate.objects.filter(application=_mine(request, number)).first()
    if found is None:
        raise NotFound()
    return FileResponse(
        found.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"{found.number}.pdf",
    )


@router.get(
    "/certificates/{code}/verify",
    response=VerifyOut,
    summary="Check an e-certificate by its verification code (public)",
    auth=None,
)
def verify(request: HttpRequest, code: str) -> Any:
    found = services.verify(code)
    if found is None:
        return {"valid": False}
    return {
        "valid": True,
        "number": found.number,
        "title": found.title,
        "application": found.application.number,
        "holder": mask(PersonalKind.NAME, found.application.applicant_name),
        "issued_at": found.issued_at,
    }
