"""Starting a chain, an instance's page (diagram and timeline) with suspend, resume and
withdraw, and the download of a file attached to its timeline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.chains.common import (
    Failure,
    diagram,
    failure_context,
    localized,
    task_rows,
    timeline_rows,
)
from kuaiji.fronts.workbench.chains.forms import WITH_DEPARTMENTS, StartForm, show_errors
from kuaiji.platform.access.services import authorize
from kuaiji.platform.chains import selectors, services
from kuaiji.platform.chains.models import (
    OPEN_STATUSES,
    Attachment,
    ChainDefinition,
    ChainInstance,
    InstanceStatus,
)
from kuaiji.platform.core.errors import Conflict, InvalidInput, NotFound
from kuaiji.platform.directory.models import Department, Grid, Region

START = "chains.instance.start"
BUSINESS_TYPE = "workbench.manual"


def _definition_choices() -> list[tuple[str, str]]:
    """Every chain model that has a version (starting needs no right to see the models)."""
    found = ChainDefinition.objects.filter(versions__isnull=False).distinct().order_by("key")
    return [(item.key, localized(item.name, item.name_en)) for item in found]


def _region_choices(actor: Any) -> list[tuple[str, str]]:
    """The regions the actor may start chains in, as a tree (indented by depth)."""
    found = Region.objects.visible_to(actor, START).order_by("path")
    top = min((region.path.count("/") for region in found), default=0)
    return [
        (
            region.code,
            "\u3000" * (region.path.count("/") - top) + localized(region.name, region.name_en),
        )
        for region in found
    ]


def _department(code: str, field: str) -> Department:
    found = Department.objects.select_related("region").filter(code=code).first()
    if found is None:
        raise InvalidInput(fields={field: _("No department has this code.")})
    return found


def _start(actor: Any, data: dict[str, Any]) -> ChainInstance:
    """Look up the places the form names, then start the chain (one service call)."""
    region: Region | None = None
    grid: Grid | None = None
    if data["grid"]:
        grid = Grid.objects.visible_to(actor, START).filter(code=data["grid"]).first()
        if grid is None:
            raise InvalidInput(fields={"grid": _("No grid in your scope has this code.")})
    else:
        region = Region.objects.visible_to(actor, START).filter(code=data["region"]).first()
        if region is None:
            raise InvalidInput(fields={"region": _("Choose a region you may start chains in.")})
    department = _department(data["department"], "department") if data["department"] else None
    start_data: dict[str, Any] = {}
    if data["definition"] in WITH_DEPARTMENTS:
        codes = data["departments"]
        known = set(Department.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise InvalidInput(
                fields={
                    "departments": _("No department has these codes: %(codes)s.")
                    % {"codes": ", ".join(unknown)}
                }
            )
        start_data["departments"] = codes
    return services.start(
        actor=actor,
        definition=data["definition"],
        title=data["title"],
        business_type=BUSINESS_TYPE,
        region=region,
        grid=grid,
        department=department,
        data=start_data,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def start(request: HttpRequest) -> HttpResponse:
    """Choose a chain model, where it runs and its title; then on to the new instance."""
    authorize(request.user, START)
    form = StartForm(
        request.POST if request.method == "POST" else None,
        definitions=_definition_choices(),
        regions=_region_choices(request.user),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                instance = _start(request.user, form.cleaned_data)
            except (InvalidInput, Conflict) as error:
                show_errors(form, error)
                status = error.status
            else:
                messages.success(request, _("The chain is started."))
                return redirect("workbench:chains:instance", instance_id=instance.pk)
    context = {"form": form, "with_departments": " ".join(sorted(WITH_DEPARTMENTS))}
    return render(request, "workbench/chains/start.html", context, status=status)


def _instance_page(
    request: HttpRequest, instance_id: int, failure: Failure | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    instance = selectors.instance(user, instance_id)
    version = instance.version
    open_tasks = [task for task in instance.tasks.all() if task.status in OPEN_STATUSES]
    supervises = (
        ChainInstance.objects.visible_to(user, "chains.task.supervise")
        .filter(pk=instance.pk)
        .exists()
    )
    context = {
        "instance": instance,
        "version": version,
        "model_name": localized(version.definition.name, version.definition.name_en),
        "region_name": localized(instance.region.name, instance.region.name_en),
        "open_rows": task_rows(open_tasks),
        "may_suspend": supervises and instance.status == InstanceStatus.RUNNING,
        "may_resume": supervises and instance.status == InstanceStatus.SUSPENDED,
        "may_withdraw": instance.starter_id == user.pk
        and instance.status == InstanceStatus.RUNNING
        and not instance.touched,
        "diagram": diagram(user, version, (task.step for task in open_tasks)),
        "timeline": timeline_rows(version, instance.timeline.all()),
        **failure_context(failure),
    }
    return render(request, "workbench/chains/instance.html", context, status=status)


@require_safe
@staff_required
def instance_detail(request: HttpRequest, instance_id: int) -> HttpResponse:
    """An instance: its model, status and place, its current steps on the diagram, and its
    timeline from start to end."""
    return _instance_page(request, instance_id)


DONE: dict[str, Promise] = {
    "suspend": gettext_lazy("The chain is suspended."),
    "resume": gettext_lazy("The chain is resumed."),
    "withdraw": gettext_lazy("The chain is withdrawn."),
}


def _act(
    request: HttpRequest, instance_id: int, action: str, call: Callable[[], object]
) -> HttpResponse:
    try:
        call()
    except (InvalidInput, Conflict) as error:
        return _instance_page(
            request, instance_id, Failure.of(action, error, request.POST), status=error.status
        )
    messages.success(request, str(DONE[action]))
    return redirect("workbench:chains:instance", instance_id=instance_id)


@require_POST
@staff_required
def suspend(request: HttpRequest, instance_id: int) -> HttpResponse:
    def call() -> object:
        return services.suspend(
            actor=request.user, instance=instance_id, reason=request.POST.get("reason", "")
        )

    return _act(request, instance_id, "suspend", call)


@require_POST
@staff_required
def resume(request: HttpRequest, instance_id: int) -> HttpResponse:
    return _act(
        request,
        instance_id,
        "resume",
        lambda: services.resume(actor=request.user, instance=instance_id),
    )


@require_POST
@staff_required
def withdraw(request: HttpRequest, instance_id: int) -> HttpResponse:
    def call() -> object:
        return services.withdraw(
            actor=request.user, instance=instance_id, reason=request.POST.get("reason", "")
        )

    return _act(request, instance_id, "withdraw", call)


@require_safe
@staff_required
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """A file of the timeline, to whoever may see its instance (404 for the others)."""
    found = Attachment.objects.select_related("entry").filter(pk=attachment_id).first()
    if found is None:
        raise NotFound()
    selectors.instance(request.user, found.entry.instance_id)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )
    return cast(HttpResponse, response)  # streamed; `staff_required` is typed for HttpResponse
