"""The worklist and a task's page with its actions: claim, complete, return, transfer, add a
co-handler, add an opinion, urge.

Each action posts to its own address and calls exactly one service. Done, it goes back to the
task with a message; refused for bad input or a clash, the task page shows why with the
error's status (400, 409); a task the person may not act on answers the shell's 404 page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.chains.common import (
    Failure,
    diagram,
    failure_context,
    light_badge,
    safe_next,
    step_fields,
    step_name,
    task_rows,
    task_step_name,
    timeline_rows,
)
from kuaiji.platform.access.services import authorize, has_permission
from kuaiji.platform.chains import selectors, services
from kuaiji.platform.chains.forms import choice_label, field_label
from kuaiji.platform.chains.models import OPEN_STATUSES, TaskStatus, WorkTask
from kuaiji.platform.core.errors import Conflict, InvalidInput

PER_PAGE = 20
FORM_PREFIX = "form-"
TABS: dict[str, tuple[Promise, Callable[[Any], Any]]] = {
    "mine": (gettext_lazy("My tasks"), selectors.my_tasks),
    "unit": (gettext_lazy("My unit's tasks"), selectors.unit_tasks),
}


@require_safe
@staff_required
def worklist(request: HttpRequest) -> HttpResponse:
    """One page of my tasks, or of my unit's tasks (``?tab=unit``), soonest due first."""
    authorize(request.user, "chains.task.handle")
    tab = request.GET.get("tab", "mine")
    if tab not in TABS:
        tab = "mine"
    page = Paginator(TABS[tab][1](request.user), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "tab": tab,
        "tabs": [(key, label) for key, (label, _selector) in TABS.items()],
        "page": page,
        "rows": task_rows(page.object_list),
        "may_start": has_permission(request.user, "chains.instance.start"),
    }
    return render(request, "workbench/chains/worklist.html", context)


@dataclass(frozen=True)
class InputField:
    """A field of the step's form as the completion form shows it."""

    name: str
    input_name: str
    label: str
    kind: str
    required: bool
    choices: list[tuple[str, str]]
    value: str
    error: str


def _input_fields(task: WorkTask, failure: Failure | None) -> list[InputField]:
    failed = failure is not None and failure.action == "complete"
    posted = failure.posted if failure is not None and failed else {}
    errors = failure.fields if failure is not None and failed else {}
    return [
        InputField(
            name=item["name"],
            input_name=FORM_PREFIX + item["name"],
            label=field_label(item["name"]),
            kind=item.get("kind", "text"),
            required=bool(item.get("required", True)),
            choices=[(choice, choice_label(choice)) for choice in item.get("choices", [])],
            value=str(posted.get(FORM_PREFIX + item["name"], "")),
            error=errors.get(item["name"], ""),
        )
        for item in step_fields(task.instance.version, task.step)
    ]


def _earlier_steps(task: WorkTask, tasks: list[WorkTask]) -> list[tuple[str, str]]:
    """The steps this instance has completed, in the order they were first completed."""
    done = sorted(
        (other for other in tasks if other.status == TaskStatus.DONE and other.completed_at),
        key=lambda other: (other.completed_at, other.pk),
    )
    steps: dict[str, str] = {}
    for other in done:
        steps.setdefault(other.step, step_name(task.instance.version, other.step))
    return list(steps.items())


def _task_page(
    request: HttpRequest, task_id: int, failure: Failure | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    task = selectors.task(user, task_id)
    instance = selectors.instance(user, task.instance_id)
    tasks = list(instance.tasks.all())
    version = task.instance.version
    co_handlers = [helper.user for helper in task.co_handlers.all()]
    is_open = task.status in OPEN_STATUSES
    may_handle = selectors.may_handle(user, task)
    context = {
        "task": task,
        "instance": instance,
        "step": task_step_name(task),
        "light": light_badge(task),
        "co_handlers": co_handlers,
        "may_handle": may_handle,
        "may_claim": may_handle and task.assignee_id is None,
        "may_opine": is_open
        and (task.assignee_id == user.pk or any(helper.pk == user.pk for helper in co_handlers)),
        "may_urge": is_open and WorkTask.objects.visible_to(user).filter(pk=task.pk).exists(),
        "fields": _input_fields(task, failure),
        "earlier_steps": _earlier_steps(task, tasks),
        **failure_context(failure),
        "diagram": diagram(
            user, version, (other.step for other in tasks if other.status in OPEN_STATUSES)
        ),
        "timeline": timeline_rows(version, instance.timeline.all()),
    }
    return render(request, "workbench/chains/task.html", context, status=status)


@require_safe
@staff_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    """A task: its step, unit, time limit and handlers, the actions open to the viewer, the
    instance's diagram and its timeline."""
    return _task_page(request, task_id)


DONE: dict[str, Promise] = {
    "claim": gettext_lazy("The task is yours now."),
    "complete": gettext_lazy("The task is completed."),
    "return": gettext_lazy("The chain went back to the step you chose."),
    "transfer": gettext_lazy("The task is transferred."),
    "co_handler": gettext_lazy("The co-handler is added."),
    "opinion": gettext_lazy("Your opinion is added."),
    "urge": gettext_lazy("The handlers are urged."),
}


def _act(
    request: HttpRequest, task_id: int, action: str, call: Callable[[], object]
) -> HttpResponse:
    """Run one service; back to the task (or the posted chain page) with a message, or the
    task page again with the error. NotFound and Forbidden are the shell's error pages."""
    try:
        call()
    except (InvalidInput, Conflict) as error:
        return _task_page(
            request, task_id, Failure.of(action, error, request.POST), status=error.status
        )
    messages.success(request, str(DONE[action]))
    default = reverse("workbench:chains:task", kwargs={"task_id": task_id})
    return HttpResponseRedirect(safe_next(request, default))


def _staff_named(username: str, field: str) -> int:
    """The id of the active member of staff with this user name."""
    found = (
        get_user_model()
        .objects.filter(username=username.strip(), is_active=True, is_staff=True)
        .values_list("pk", flat=True)
        .first()
    )
    if not username.strip() or found is None:
        raise InvalidInput(fields={field: _("No active member of staff has this user name.")})
    return int(found)


@require_POST
@staff_required
def claim(request: HttpRequest, task_id: int) -> HttpResponse:
    return _act(request, task_id, "claim", lambda: services.claim(actor=request.user, task=task_id))


@require_POST
@staff_required
def complete(request: HttpRequest, task_id: int) -> HttpResponse:
    """Complete with the step's form (fields posted as ``form-<name>``), a comment and files.

    No instance revision is sent: parallel tasks of one chain (departments handling a matter
    side by side) move its revision, and the task's own state already decides who wins."""
    form = {
        name.removeprefix(FORM_PREFIX): value
        for name, value in request.POST.items()
        if name.startswith(FORM_PREFIX)
    }

    def call() -> object:
        return services.complete(
            actor=request.user,
            task=task_id,
            form=form,
            comment=request.POST.get("comment", ""),
            files=request.FILES.getlist("files"),
        )

    return _act(request, task_id, "complete", call)


@require_POST
@staff_required
def return_to(request: HttpRequest, task_id: int) -> HttpResponse:
    def call() -> object:
        return services.return_to(
            actor=request.user,
            task=task_id,
            step=request.POST.get("step", ""),
            reason=request.POST.get("reason", ""),
        )

    return _act(request, task_id, "return", call)


@require_POST
@staff_required
def transfer(request: HttpRequest, task_id: int) -> HttpResponse:
    def call() -> object:
        return services.transfer(
            actor=request.user,
            task=task_id,
            to=_staff_named(request.POST.get("to", ""), "to"),
            reason=request.POST.get("reason", ""),
        )

    return _act(request, task_id, "transfer", call)


@require_POST
@staff_required
def add_co_handler(request: HttpRequest, task_id: int) -> HttpResponse:
    def call() -> object:
        helper = _staff_named(request.POST.get("user", ""), "user")
        return services.add_co_handler(actor=request.user, task=task_id, user=helper)

    return _act(request, task_id, "co_handler", call)


@require_POST
@staff_required
def add_opinion(request: HttpRequest, task_id: int) -> HttpResponse:
    def call() -> object:
        return services.add_opinion(
            actor=request.user, task=task_id, comment=request.POST.get("comment", "")
        )

    return _act(request, task_id, "opinion", call)


@require_POST
@staff_required
def urge(request: HttpRequest, task_id: int) -> HttpResponse:
    """Urge the handlers; back to the supervision page when sent from there."""

    def call() -> object:
        return services.urge(
            actor=request.user, task=task_id, message=request.POST.get("message", "")
        )

    return _act(request, task_id, "urge", call)
