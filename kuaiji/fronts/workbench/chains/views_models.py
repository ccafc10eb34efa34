"""Chain models: the list with their versions, a model's diagram and steps, its BPMN source
(read by the diagram's script), and the upload of a new version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.chains.common import diagram, localized
from kuaiji.fronts.workbench.chains.forms import UploadForm, show_errors
from kuaiji.platform.access.services import authorize, has_permission
from kuaiji.platform.chains import selectors
from kuaiji.platform.chains.forms import choice_label, field_label
from kuaiji.platform.chains.models import ChainVersion
from kuaiji.platform.chains.versions import upload_model
from kuaiji.platform.core.errors import InvalidInput

VIEW = "chains.model.view"
MANAGE = "chains.model.manage"


def _models_page(
    request: HttpRequest, form: UploadForm | None = None, status: int = 200
) -> HttpResponse:
    authorize(request.user, VIEW)
    may_manage = has_permission(request.user, MANAGE)
    definitions = [
        (definition, localized(definition.name, definition.name_en))
        for definition in selectors.definitions(request.user)
    ]
    context = {
        "definitions": definitions,
        "may_manage": may_manage,
        "form": form or (UploadForm() if may_manage else None),
    }
    return render(request, "workbench/chains/models.html", context, status=status)


@require_safe
@staff_required
def model_list(request: HttpRequest) -> HttpResponse:
    """Every chain model with its versions; the upload form for those who manage models."""
    return _models_page(request)


@require_POST
@staff_required
def upload(request: HttpRequest) -> HttpResponse:
    """Check an uploaded BPMN model and keep it as the next version of its chain; a model that
    cannot run is refused (400) with the message naming the element at fault."""
    authorize(request.user, MANAGE)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = upload_model(actor=request.user, source=form.cleaned_data["file"])
        except InvalidInput as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)d of %(name)s is uploaded.")
                % {
                    "number": version.number,
                    "name": localized(version.definition.name, version.definition.name_en),
                },
            )
            target = reverse("workbench:chains:model", kwargs={"key": version.definition.key})
            return redirect(f"{target}?version={version.number}")
    return _models_page(request, form, status=400)


@dataclass(frozen=True)
class FieldRow:
    label: str
    kind: str
    required: bool
    choices: str


@dataclass(frozen=True)
class StepRow:
    """A user task of the model as the steps table shows it."""

    id: str
    name: str
    lane: str
    assignee: str
    time_limit: str
    fields: list[FieldRow]


def _step_rows(version: ChainVersion) -> list[StepRow]:
    rows = []
    for step_id, step in version.steps.items():
        lane = version.lanes.get(step.get("lane", ""), {})
        rows.append(
            StepRow(
                id=step_id,
                name=localized(step.get("name", step_id), step.get("name_en", "")),
                lane=localized(lane.get("name", step.get("lane", "")), lane.get("name_en", "")),
                assignee=lane.get("assignee", ""),
                time_limit=step.get("time_limit", ""),
                fields=[
                    FieldRow(
                        label=field_label(item["name"]),
                        kind=item.get("kind", "text"),
                        required=bool(item.get("required", True)),
                        choices=" / ".join(choice_label(c) for c in item.get("choices", [])),
                    )
                    for item in step.get("fields", [])
                ],
            )
        )
    return rows


def _version_number(request: HttpRequest) -> int | None:
    text = request.GET.get("version", "")
    if not text:
        return None
    if not text.isdigit():
        raise InvalidInput(fields={"version": _("A version is a whole number.")})
    return int(text)


@require_safe
@staff_required
def model_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A version of a model (the latest without ``?version=N``): its diagram, with the step
    named by ``?step=`` highlighted, and its steps: lane, time limit and form fields."""
    version = selectors.version(request.user, key, _version_number(request))
    steps = _step_rows(version)
    chosen = request.GET.get("step", "")
    context: dict[str, Any] = {
        "version": version,
        "model_name": localized(version.definition.name, version.definition.name_en),
        "versions": list(version.definition.versions.select_related("uploaded_by")),
        "steps": steps,
        "chosen_step": chosen if chosen in version.steps else "",
        "diagram": diagram(request.user, version, [chosen] if chosen in version.steps else []),
    }
    return render(request, "workbench/chains/model.html", context)


@require_safe
@staff_required
def model_source(request: HttpRequest, key: str, number: int) -> HttpResponse:
    """The BPMN XML of a version, as uploaded."""
    version = selectors.version(request.user, key, number)
    response = HttpResponse(version.source, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{key}-v{number}.bpmn"'
    return response
