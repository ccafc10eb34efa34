"""An application's page for staff in scope (404 for the others): the applicant (identity
masked), answers, materials (files to download, shared records masked), the items by
department, the timeline, and the actions the viewer may take now — accept, request the one
correction, handle the department's item, decide, deliver.

Each action calls the government service, as the API does. A refusal is shown on the page
itself: 400 with the form's errors, 409 when the application changed meanwhile (withdrawn,
decided, a correction already asked for, or a stale revision), 404 outside the viewer's scope.
"""

from __future__ import annotations

import os
from typing import Any, cast

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kuaiji.apps.government import applications as services
from kuaiji.apps.government import selectors
from kuaiji.apps.government.casework import in_scope
from kuaiji.apps.government.models import (
    Application,
    ApplicationItem,
    Certificate,
    MaterialSource,
)
from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.applications.common import (
    ACCEPT,
    DECIDE,
    answer_rows,
    applicant_of,
    correction_targets,
    material_rows,
    related,
)
from kuaiji.fronts.workbench.applications.forms import (
    DecideForm,
    HandleForm,
    ProblemFormSet,
    problem_formset,
)
from kuaiji.platform.chains.models import TaskStatus, WorkTask
from kuaiji.platform.core.errors import Conflict, InvalidInput, KuaijiError, NotFound


def _open_steps(application: Application) -> set[str]:
    """The steps of the application's chain open now (a department's "handle_departments")."""
    if application.chain_id is None:
        return set()
    steps = WorkTask.objects.filter(
        instance_id=application.chain_id, status=TaskStatus.OPEN
    ).values_list("step", flat=True)
    return {step.partition(" ")[0] for step in steps}


def _may(actor: Any, application: Application, code: str) -> bool:
    return in_scope(actor, code).filter(pk=application.pk).exists()


def _render(
    request: HttpRequest,
    application: Application,
    *,
    status: int = 200,
    error: str = "",
    problems: ProblemFormSet | None = None,
    handled: tuple[int, HandleForm] | None = None,
    decision: DecideForm | None = None,
) -> HttpResponse:
    """The page, with the forms of the actions the viewer may take now (a refused form is
    shown again with its errors)."""
    user = request.user
    steps = _open_steps(application)
    accepting = "accept" in steps and _may(user, application, ACCEPT)
    deciding = _may(user, application, DECIDE)
    correction = related(application, "correction")
    mine = {entry.pk for entry in selectors.department_queue(user).filter(application=application)}
    items: list[dict[str, Any]] = []
    for entry in application.items.select_related("item", "department", "handled_by").order_by(
        "department__name", "pk"
    ):
        form = None
        if handled is not None and handled[0] == entry.pk:
            form = handled[1]
        elif entry.pk in mine:
            form = HandleForm(auto_id=f"id_item{entry.pk}_%s")
        items.append({"entry": entry, "form": form})
    if decision is None and deciding and "decision" in steps:
        decision = DecideForm(initial={"revision": application.revision})
    if problems is None and accepting and correction is None:
        problems = problem_formset(correction_targets(application))
    context = {
        "application": application,
        "applicant": applicant_of(user, application),
        "answers": answer_rows(application),
        "materials": material_rows(user, application),
        "items": items,
        "timeline": selectors.timeline(application),
        "correction": correction,
        "correction_problems": [
            (str(problem.get("material") or problem.get("field") or ""), str(problem.get("what")))
            for problem in (correction.problems if correction is not None else [])
            if isinstance(problem, dict)
        ],
        "certificate": related(application, "certificate"),
        "may_accept": accepting,
        "problems": problems,
        "decision": decision,
        "may_deliver": deciding and "deliver" in steps,
        "error": error,
    }
    return render(request, "workbench/applications/detail.html", context, status=status)


def _refused(request: HttpRequest, number: str, error: KuaijiError) -> HttpResponse:
    """The page read again, with the service's refusal (409 or 400) on top."""
    found = selectors.application_of(request.user, number)
    text = " ".join([str(error.message), *(str(message) for message in error.fields.values())])
    return _render(request, found, status=error.status, error=text)


@require_safe
@staff_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    """One application of the viewer's scope."""
    return _render(request, selectors.application_of(request.user, number))


@require_POST
@staff_required
def accept(request: HttpRequest, number: str) -> HttpResponse:
    """The service window accepts the application (受理)."""
    found = selectors.application_of(request.user, number)
    try:
        services.accept(actor=request.user, application=found)
    except (Conflict, InvalidInput) as error:
        return _refused(request, number, error)
    messages.success(request, _("The application is accepted; the departments handle it now."))
    return redirect("workbench:applications:detail", number=number)


@require_POST
@staff_required
def correction(request: HttpRequest, number: str) -> HttpResponse:
    """Ask the applicant, once, to correct the application, every problem at once."""
    found = selectors.application_of(request.user, number)
    problems = problem_formset(correction_targets(found), request.POST)
    if not problems.is_valid():
        return _render(request, found, status=400, problems=problems)
    try:
        services.request_correction(
            actor=request.user, application=found, problems=problems.problems()
        )
    except InvalidInput as error:
        filled = [form for form in problems.forms if form.problem() is not None]
        unplaced = [str(error.message)]
        for name, message in error.fields.items():
            index = name.removeprefix("problems[").removesuffix("]")
            if index.isdigit() and int(index) < len(filled):
                filled[int(index)].add_error(None, str(message))
            else:
                unplaced.append(str(message))
        return _render(request, found, status=400, problems=problems, error=" ".join(unplaced))
    except Conflict as error:
        return _refused(request, number, error)
    messages.success(request, _("The applicant is asked to correct the application."))
    return redirect("workbench:applications:detail", number=number)


@require_POST
@staff_required
def handle(request: HttpRequest, number: str, item_code: str) -> HttpResponse:
    """An officer of the item's department handles it (or refuses it) with an opinion."""
    found = selectors.application_of(request.user, number)
    entry: ApplicationItem | None = found.items.filter(item__code=item_code).first()
    if entry is None:
        raise NotFound()
    form = HandleForm(request.POST, auto_id=f"id_item{entry.pk}_%s")
    if not form.is_valid():
        return _render(request, found, status=400, handled=(entry.pk, form))
    try:
        services.handle(
            actor=request.user,
            application_item=entry,
            opinion=form.cleaned_data["opinion"],
            refused=form.cleaned_data["refused"],
        )
    except InvalidInput as error:
        for name, message in error.fields.items():
            form.add_error(name if name in form.fields else None, str(message))
        return _render(request, found, status=400, handled=(entry.pk, form))
    except Conflict as error:
        return _refused(request, number, error)
    messages.success(request, _("The item is handled."))
    return redirect("workbench:applications:detail", number=number)


@require_POST
@staff_required
def decide(request: HttpRequest, number: str) -> HttpResponse:
    """Approve or reject the application, refused with 409 when the page was stale."""
    found = selectors.application_of(request.user, number)
    form = DecideForm(request.POST)
    if not form.is_valid():
        return _render(request, found, status=400, decision=form)
    try:
        services.decide(
            actor=request.user,
            application=found,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
            revision=form.cleaned_data["revision"],
        )
    except InvalidInput as error:
        for name, message in error.fields.items():
            form.add_error("decision" if name == "approve" else None, str(message))
        return _render(request, found, status=400, decision=form)
    except Conflict as error:
        return _refused(request, number, error)
    messages.success(request, _("The decision is recorded."))
    return redirect("workbench:applications:detail", number=number)


@require_POST
@staff_required
def deliver(request: HttpRequest, number: str) -> HttpResponse:
    """Deliver the decided application: an approved one gets its e-certificate."""
    found = selectors.application_of(request.user, number)
    try:
        issued = services.deliver(actor=request.user, application=found)
    except (Conflict, InvalidInput) as error:
        return _refused(request, number, error)
    if issued is not None:
        messages.success(request, _("The e-certificate is issued."))
    else:
        messages.success(request, _("The decision is delivered."))
    return redirect("workbench:applications:detail", number=number)


@require_safe
@staff_required
def material(request: HttpRequest, number: str, code: str) -> HttpResponse:
    """A file the applicant uploaded, for staff who may see the application."""
    found = selectors.application_of(request.user, number)
    supplied = found.materials.filter(code=code, source=MaterialSource.UPLOAD).first()
    if supplied is None or not supplied.file:
        raise NotFound()
    response = FileResponse(
        supplied.file.open("rb"),
        content_type=supplied.content_type or "application/octet-stream",
        as_attachment=True,
        filename=f"{found.number}-{code}{os.path.splitext(supplied.file.name or '')[1]}",
    )
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)  # streamed; the views' decorators are typed for it


@require_safe
@staff_required
def certificate(request: HttpRequest, number: str) -> HttpResponse:
    """The application's e-certificate as PDF."""
    found = selectors.application_of(request.user, number)
    issued = Certificate.objects.filter(application=found).first()
    if issued is None:
        raise NotFound()
    response = FileResponse(
        issued.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"{issued.number}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)
