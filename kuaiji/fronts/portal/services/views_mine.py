"""The applicant's own applications on the service front: the list, one application's status
page (its items per department, materials, timeline, the correction request and its answer, the
withdrawal, the e-certificate and the rating), the certificate download, the data consents, and
the public certificate check.

Only the applicant (or an operator of the applying enterprise) reaches an application here:
anyone else gets 404, as for a number that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kuaiji.apps.government import applications as services
from kuaiji.apps.government import consents as consent_services
from kuaiji.apps.government import selectors
from kuaiji.apps.government.applying import form_of
from kuaiji.apps.government.casework import is_applicant
from kuaiji.apps.government.models import (
    Application,
    ApplicationStatus,
    Certificate,
    Consent,
    MaterialSource,
    Rating,
)
from kuaiji.apps.government.ratings import RATEABLE, rate
from kuaiji.apps.government.selectors import OPEN_APPLICATION
from kuaiji.fronts.portal.events.access import citizen_required
from kuaiji.fronts.portal.services.forms import (
    RatingForm,
    ResubmitForm,
    ServiceErrors,
    VerifyForm,
    WithdrawForm,
    pick,
)
from kuaiji.platform.core.errors import Conflict, KuaijiError, NotFound
from kuaiji.platform.core.personal import PersonalKind, mask

PER_PAGE = 20


def title_of(application: Application) -> str:
    """The application's bundle or item name, in the page's language."""
    target = application.bundle or application.item
    if target is None:
        return application.number
    return pick(target.name, target.name_en)


@dataclass(frozen=True)
class Row:
    """An application in the list."""

    application: Application
    title: str


@require_safe
@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    """The person's applications, newest first, with their status."""
    found = selectors.my_applications(request.user).order_by("-submitted_at", "-pk")
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    rows = [Row(application, title_of(application)) for application in page.object_list]
    return render(request, "portal/services/mine.html", {"page": page, "rows": rows})


def _own(request: HttpRequest, number: str) -> Application:
    """The application with this number when the person applied for it; NotFound else."""
    found = selectors.application_of(request.user, number)
    if not is_applicant(request.user, found):
        raise NotFound()
    return found


def _related(application: Application, relation: str) -> Any:
    try:
        return getattr(application, relation)
    except ObjectDoesNotExist:
        return None


def _names(application: Application) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """The material names by code and the merged form's fields by name."""
    items = [entry.item for entry in application.items.all()]
    names = {
        material.code: pick(material.name, material.name_en)
        for material in selectors.merge_materials(items)
    }
    names.update({material.code: material.name for material in application.materials.all()})
    fields = {str(spec["name"]): spec for spec in form_of(application.item, application.bundle)}
    return names, fields


def _resubmit_form(
    application: Application, correction: Any, data: Any = None, files: Any = None
) -> ResubmitForm:
    names, fields = _names(application)
    problems = correction.problems if correction is not None else []
    return ResubmitForm(
        data,
        files,
        fields=[fields[p["field"]] for p in problems if p.get("field") in fields],
        answers=dict(application.answers or {}),
        materials=[
            (p["material"], names.get(p["material"], p["material"]))
            for p in problems
            if p.get("material")
        ],
    )


def _problems(application: Application, correction: Any) -> list[dict[str, str]]:
    names, fields = _names(application)
    shown = []
    for problem in correction.problems if correction is not None else []:
        if problem.get("material"):
            what = names.get(problem["material"], problem["material"])
        else:
            spec = fields.get(problem.get("field", ""), {})
            what = pick(
                str(spec.get("label") or problem.get("field", "")), spec.get("label_en", "")
            )
        shown.append({"name": what, "what": problem.get("what", "")})
    return shown


def _materials(application: Application) -> list[dict[str, Any]]:
    rows = []
    for material in application.materials.select_related("data_call__resource"):
        resource = material.data_call.resource if material.data_call is not None else None
        rows.append(
            {
                "code": material.code,
                "name": material.name,
                "shared": material.source == MaterialSource.SHARED,
                "source": pick(resource.title, resource.title_en) if resource else "",
                "problem": material.problem,
            }
        )
    return rows


def _page(
    request: HttpRequest,
    number: str,
    *,
    resubmit_form: ResubmitForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    rating_form: RatingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    application = _own(request, number)
    correction = _related(application, "correction")
    rating: Rating | None = _related(application, "rating")
    waiting = application.status == ApplicationStatus.CORRECTION
    items = [
        {
            "name": pick(entry.item.name, entry.item.name_en),
            "department": pick(entry.department.name, entry.department.name_en),
            "entry": entry,
        }
        for entry in application.items.all()
    ]
    context = {
        "application": application,
        "title": title_of(application),
        "items": items,
        "materials": _materials(application),
        "timeline": selectors.timeline(application),
        "correction": correction,
        "problems": _problems(application, correction),
        "resubmit_form": (resubmit_form or _resubmit_form(application, correction))
        if waiting
        else None,
        "withdraw_form": (withdraw_form or WithdrawForm())
        if application.status in OPEN_APPLICATION
        else None,
        "certificate": _related(application, "certificate"),
        "rating": rating,
        "rating_form": (rating_form or RatingForm())
        if rating is None and application.status in RATEABLE
        else None,
    }
    return render(request, "portal/services/application.html", context, status=status)


@require_safe
@citizen_required
def application(request: HttpRequest, number: str) -> HttpResponse:
    """One application: where it stands and what the applicant can do now."""
    return _page(request, number)


def _refused(
    request: HttpRequest, number: str, error: KuaijiError, **forms: ServiceErrors
) -> HttpResponse:
    """The page again with the service's refusal: beside the inputs it names, or — when the
    application moved on meanwhile (Conflict) and the form is gone — as a message."""
    if isinstance(error, Conflict):
        messages.error(request, str(error.message))
        return _page(request, number, status=error.status)
    for form in forms.values():
        form.show_errors(error)
    return _page(request, number, status=error.status, **forms)  # type: ignore[arg-type]


def _done(request: HttpRequest, number: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("portal:services:application", number=number)


@require_POST
@citizen_required
def resubmit(request: HttpRequest, number: str) -> HttpResponse:
    """Answer the correction request with every field and material it named."""
    found = _own(request, number)
    form = _resubmit_form(found, _related(found, "correction"), request.POST, request.FILES)
    if form.is_valid():
        try:
            services.resubmit(
                actor=request.user,
                application=found,
                answers=form.answers(),
                uploads=form.uploads(),
            )
        except KuaijiError as error:
            return _refused(request, number, error, resubmit_form=form)
        return _done(request, number, _("Your corrections are sent to the service window."))
    return _page(request, number, resubmit_form=form, status=400)


@require_POST
@citizen_required
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    """Withdraw the application before it is decided."""
    found = _own(request, number)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw(
                actor=request.user, application=found, reason=form.cleaned_data["reason"]
            )
        except KuaijiError as error:
            return _refused(request, number, error, withdraw_form=form)
        return _done(request, number, _("Your application is withdrawn."))
    return _page(request, number, withdraw_form=form, status=400)


@require_POST
@citizen_required
def rate_application(request: HttpRequest, number: str) -> HttpResponse:
    """Rate the decided or delivered application (好差评), once."""
    found = _own(request, number)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            rate(
                actor=request.user,
                application=found,
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
            )
        except KuaijiError as error:
            return _refused(request, number, error, rating_form=form)
        return _done(request, number, _("Thank you for your rating."))
    return _page(request, number, rating_form=form, status=400)


@require_safe
@citizen_required
def certificate(request: HttpRequest, number: str) -> HttpResponse:
    """The e-certificate PDF as a download, for the applicant only."""
    found = Certificate.objects.filter(application=_own(request, number)).first()
    if found is None:
        raise NotFound()
    response = FileResponse(
        found.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{found.number}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)  # streamed; the views' decorators are typed for it


@dataclass(frozen=True)
class ConsentRow:
    """A consent as the list shows it."""

    consent: Consent
    resource: str
    title: str


@require_safe
@citizen_required
def consents(request: HttpRequest) -> HttpResponse:
    """The data the person let the platform obtain: what, for which application, when."""
    rows = [
        ConsentRow(
            consent,
            pick(consent.resource.title, consent.resource.title_en),
            title_of(consent.application),
        )
        for consent in consent_services.my_consents(request.user)
    ]
    return render(request, "portal/services/consents.html", {"rows": rows})


@require_POST
@citizen_required
def withdraw_consent(request: HttpRequest, consent_id: int) -> HttpResponse:
    """Withdraw one consent: the platform makes no further use of that data for that
    application."""
    try:
        consent_services.withdraw_consent(actor=request.user, consent=consent_id)
    except NotFound:
        raise
    except KuaijiError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your consent is withdrawn."))
    return redirect("portal:services:consents")


@require_http_methods(["GET", "HEAD"])
def verify(request: HttpRequest) -> HttpResponse:
    """The public check of an e-certificate by its verification code."""
    form = VerifyForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "checked": False, "found": None}
    if form.is_bound and form.is_valid():
        found = services.verify(form.cleaned_data["code"])
        context["checked"] = True
        if found is not None:
            context["found"] = {
                "number": found.number,
                "title": found.title,
                "issued_at": found.issued_at,
                "holder": mask(PersonalKind.NAME, found.application.applicant_name),
            }
    return render(request, "portal/services/verify.html", context)
