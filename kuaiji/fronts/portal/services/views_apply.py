"""Applying online for a service item or a one-thing bundle (在线申办).

The citizen's identity is shown read-only from their profile (masked, never editable here: the
service copies it from the profile, never from the form). The page asks the merged form's
fields and, per material, a file or — for 免提交 materials — the consent to obtain it from
shared data (given by default; uploading a file instead is always possible). The form carries
a submission key made when it is shown, so a double click or a retry makes one application.
The service's errors come back beside the inputs they name; success leads to the status page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kuaiji.apps.government import applications as services
from kuaiji.apps.government import selectors
from kuaiji.apps.government.applying import form_of
from kuaiji.apps.government.models import ApplicantKind, Bundle, ServiceItem
from kuaiji.apps.government.selectors import MergedMaterial
from kuaiji.fronts.portal.events.access import citizen_required
from kuaiji.fronts.portal.services.forms import ApplyForm, pick
from kuaiji.platform.core.errors import InvalidInput, KuaijiError
from kuaiji.platform.directory.models import Enterprise
from kuaiji.platform.identity.registration.selectors import profile_of


@dataclass(frozen=True)
class Target:
    """What is applied for: an item or a bundle, in the page's language."""

    kind: str
    code: str
    name: str
    applicants: str
    fields: list[dict[str, Any]]
    materials: list[MergedMaterial]
    promised_days: int
    item: ServiceItem | None = None
    bundle: Bundle | None = None


def _enterprises(request: HttpRequest, applicants: str) -> list[tuple[str, str]]:
    if applicants == ApplicantKind.CITIZEN:
        return []
    operated = Enterprise.objects.filter(operators=request.user.pk).order_by("name")
    return [(enterprise.credit_code, enterprise.name) for enterprise in operated]


def _enterprise(request: HttpRequest, credit_code: str) -> Enterprise | None:
    """The enterprise chosen on the form, among those the person acts for."""
    if not credit_code:
        return None
    found = Enterprise.objects.filter(credit_code=credit_code, operators=request.user.pk).first()
    if found is None:
        raise InvalidInput(fields={"enterprise": _("Choose an enterprise you act for.")})
    return found


def _material_rows(form: ApplyForm) -> list[dict[str, Any]]:
    """Each material with its inputs, for the template."""
    rows = []
    for material in form.materials:
        resource = material.data_resource
        rows.append(
            {
                "code": material.code,
                "name": pick(material.name, material.name_en),
                "required": material.required,
                "shared": material.from_shared_data,
                "source": pick(resource.title, resource.title_en) if resource else "",
                "file": form[f"file_{material.code}"],
                "consent": form[f"consent_{material.code}"] if resource else None,
            }
        )
    return rows


def _apply(request: HttpRequest, target: Target) -> HttpResponse:
    user: Any = request.user
    enterprises = _enterprises(request, target.applicants)
    options: dict[str, Any] = {
        "fields": target.fields,
        "materials": target.materials,
        "enterprises": enterprises,
        "enterprise_required": target.applicants == ApplicantKind.ENTERPRISE,
    }
    status = 200
    if request.method == "POST":
        form = ApplyForm(request.POST, request.FILES, **options)
        status = 400
        if form.is_valid():
            try:
                application = services.submit(
                    actor=user,
                    submission_key=form.key(),
                    item=target.item,
                    bundle=target.bundle,
                    answers=form.answers(),
                    uploads=form.uploads(),
                    consent_to=form.consented(),
                    enterprise=_enterprise(request, form.cleaned_data.get("enterprise") or ""),
                )
            except KuaijiError as error:
                form.show_errors(error)
                status = error.status
            else:
                if getattr(application, "created", False):
                    messages.success(
                        request,
                        _("Your application %(number)s is submitted.")
                        % {"number": application.number},
                    )
                return redirect("portal:services:application", number=application.number)
        form.renew_key_if_missing()
    else:
        form = ApplyForm(**options)
    context = {
        "target": target,
        "form": form,
        "profile": profile_of(user),
        "materials": _material_rows(form),
        "enterprise": form["enterprise"] if "enterprise" in form.fields else None,
        "for_citizens": target.applicants != ApplicantKind.ENTERPRISE,
    }
    return render(request, "portal/services/apply.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@citizen_required
def apply_item(request: HttpRequest, code: str) -> HttpResponse:
    """Apply online for one service item (404 for an unknown or withdrawn item)."""
    found = selectors.item(code)
    target = Target(
        kind="item",
        code=found.code,
        name=pick(found.name, found.name_en),
        applicants=found.applicants,
        fields=form_of(found, None),
        materials=selectors.merge_materials([found]),
        promised_days=found.promised_days,
        item=found,
    )
    return _apply(request, target)


@require_http_methods(["GET", "HEAD", "POST"])
@citizen_required
def apply_bundle(request: HttpRequest, code: str) -> HttpResponse:
    """Apply online for a one-thing bundle: its merged form and merged materials, once."""
    guide = selectors.bundle(code)
    found = guide.bundle
    target = Target(
        kind="bundle",
        code=found.code,
        name=pick(found.name, found.name_en),
        applicants=found.applicants,
        fields=form_of(None, found),
        materials=guide.materials,
        promised_days=guide.promised_days,
        bundle=found,
    )
    return _apply(request, target)
