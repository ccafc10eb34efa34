"""The task-list screens (清单管理): the lists in scope and "my tasks", drawing up a list, and the
whole chain of a list on one page — its origin, every task with target and achieved value,
stopwatch and light, milestones, reports with evidence, acceptance history — with the actions
the viewer may take (publish, report, submit, accept or return, move a deadline, close).

Each action calls the checklist service, as the API does; a refusal is shown on the page
itself (400 with the form's errors, 409 for the wrong state or a stale page, 404 outside the
viewer's reach).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kuaiji.apps.command.checklists import acceptance, drawing, progress, selectors
from kuaiji.apps.command.checklists.common import MANAGE, VIEW
from kuaiji.apps.command.checklists.stopwatch import of_task
from kuaiji.apps.command.models import (
    AcceptanceDecision,
    Milestone,
    Task,
    TaskList,
    TaskListStatus,
)
from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.checklists.forms import (
    DeadlineForm,
    DecisionForm,
    ListForm,
    ReportForm,
    RevisionForm,
    refusal,
    show_errors,
    task_formset,
)
from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import InvalidInput, KuaijiError
from kuaiji.platform.directory.models import Department

PER_PAGE = 30


@require_safe
@staff_required
def index(request: HttpRequest) -> HttpResponse:
    """My units' open tasks (the overdue first) and the lists in my scope."""
    authorize(request.user, VIEW)
    today = timezone.localdate()
    mine = [
        {"task": task, "clock": of_task(task, today)}
        for task in selectors.my_tasks(request.user)[:200]
    ]
    page = Paginator(selectors.lists(request.user), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "mine": mine,
        "page": page,
        "may_draw_up": acceptance.may_manage_any(request.user),
    }
    return render(request, "workbench/checklists/list.html", context)


def _units(actor: Any) -> list[tuple[str, str]]:
    return [
        (str(pk), f"{name} ({code})")
        for pk, name, code in drawing.units_in_scope(actor)
        .order_by("path")
        .values_list("pk", "name", "code")
    ]


def _drafts(formset: Any) -> list[drawing.TaskDraft]:
    forms = [form for form in formset.forms if form.filled]
    ids = {int(form.cleaned_data["lead"]) for form in forms}
    for form in forms:
        ids |= {int(pk) for pk in form.cleaned_data["cooperating"]}
    units = Department.objects.select_related("region").in_bulk(list(ids))
    return [
        drawing.TaskDraft(
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            target_value=form.cleaned_data["target_value"],
            unit=form.cleaned_data["unit"],
            indicator=form.cleaned_data["indicator"],
            lead=units[int(form.cleaned_data["lead"])],
            cooperating=[units[int(pk)] for pk in form.cleaned_data["cooperating"]],
            starts_on=form.cleaned_data["starts_on"],
            deadline=form.cleaned_data["deadline"],
            milestones=form.cleaned_data["milestones"],
        )
        for form in forms
    ]


def _place_errors(error: KuaijiError, form: ListForm, formset: Any) -> None:
    """A service's refusal on the fields it names: the list's, or a task row's."""
    filled = [row for row in formset.forms if row.filled]
    other: dict[str, Any] = {}
    for name, message in error.fields.items():
        head, _dot, field = name.partition("].")
        index = head.removeprefix("tasks[")
        if field and index.isdigit() and int(index) < len(filled):
            show_errors(filled[int(index)], {field: message})
        else:
            other[name] = message
    show_errors(form, other)
    if not error.fields:
        form.add_error(None, str(error.message))


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def new(request: HttpRequest) -> HttpResponse:
    """Draw up a list: its origin and a formset of tasks (a draft, published from its page)."""
    authorize(request.user, MANAGE)
    units = _units(request.user)
    status = 200
    if request.method == "POST":
        form = ListForm(request.POST)
        formset = task_formset(units, request.POST)
        status = 400
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                directive = None
                if data["origin"] == "directive":
                    directive = drawing.directive_named(request.user, data["directive"])
                made = drawing.draw_up(
                    actor=request.user,
                    submission_key=form.key(),
                    title=data["title"],
                    description=data["description"],
                    origin=data["origin"],
                    directive=directive,
                    origin_reference=data["origin_reference"],
                    tasks=_drafts(formset),
                )
            except KuaijiError as error:
                _place_errors(error, form, formset)
                status = error.status
            else:
                if getattr(made, "created", False):
                    messages.success(
                        request,
                        _("List %(number)s is drawn up; publish it when it is complete.")
                        % {"number": made.number},
                    )
                return redirect("workbench:checklists:detail", number=made.number)
        form.renew_key_if_missing()
    else:
        form = ListForm()
        formset = task_formset(units)
    context = {"form": form, "formset": formset}
    return render(request, "workbench/checklists/new.html", context, status=status)


def _task_row(
    request: HttpRequest, task: Task, today: Any, forms: dict[int, Any], manages: bool
) -> dict[str, Any]:
    """A task with its clock and the forms of the actions the viewer may take now."""
    user = request.user
    pending = forms.get(task.pk, {})
    row: dict[str, Any] = {"task": task, "clock": of_task(task, today)}
    if progress.may_report(user, task):
        open_milestones = [m for m in task.milestones.all() if m.done_at is None]
        row["report"] = pending.get("report") or ReportForm(
            milestones=open_milestones,
            initial={"revision": task.revision, "progress": task.progress},
            auto_id=f"id_report{task.pk}_%s",
        )
    if acceptance.may_submit(user, task):
        row["submit"] = RevisionForm(initial={"revision": task.revision})
    if manages and task.status == "submitted":
        row["decision"] = pending.get("decision") or DecisionForm(
            initial={"revision": task.revision}, auto_id=f"id_decision{task.pk}_%s"
        )
    if manages and task.status != "accepted" and task.task_list.status != TaskListStatus.CLOSED:
        row["deadline"] = pending.get("deadline") or DeadlineForm(
            initial={"revision": task.revision, "deadline": task.deadline},
            auto_id=f"id_deadline{task.pk}_%s",
        )
    return row


def _render(
    request: HttpRequest,
    task_list: TaskList,
    *,
    status: int = 200,
    error: str = "",
    forms: dict[int, Any] | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    manages = acceptance.may_manage(request.user, task_list)
    tasks = list(selectors.tasks_of(request.user, task_list))
    rows = [_task_row(request, task, today, forms or {}, manages) for task in tasks]
    context = {
        "task_list": task_list,
        "rows": rows,
        "whole": selectors.sees_whole_list(request.user, task_list),
        "may_publish": manages and task_list.status == TaskListStatus.DRAFT,
        "may_close": acceptance.may_close(request.user, task_list),
        "error": error,
        "today": today,
    }
    return render(request, "workbench/checklists/detail.html", context, status=status)


@require_safe
@staff_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    """The whole chain of one list on one page."""
    return _render(request, selectors.list_of(request.user, number))


def _refused(request: HttpRequest, number: str, error: KuaijiError) -> HttpResponse:
    found = selectors.list_of(request.user, number)
    return _render(request, found, status=error.status, error=refusal(error))


def _back(number: str, sequence: int | None = None) -> HttpResponse:
    response = redirect("workbench:checklists:detail", number=number)
    if sequence is not None:
        response["Location"] += f"#task-{sequence}"
    return response


@require_POST
@staff_required
def publish(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.list_of(request.user, number)
    try:
        drawing.publish(actor=request.user, task_list=found)
    except KuaijiError as error:
        return _refused(request, number, error)
    messages.success(request, _("The list is published; its units are told."))
    return _back(number)


@require_POST
@staff_required
def close(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.list_of(request.user, number)
    try:
        acceptance.close(actor=request.user, task_list=found)
    except KuaijiError as error:
        return _refused(request, number, error)
    messages.success(request, _("The list is closed."))
    return _back(number)


def _task_action(
    request: HttpRequest,
    number: str,
    sequence: int,
    key: str,
    make_form: Callable[..., forms.Form],
    act: Callable[[Task, dict[str, Any]], str],
) -> HttpResponse:
    """Check the posted form of a task's action, `act` on it (returning the success message),
    and come back to the task; a refusal shows the page again with the form and its errors."""
    task = selectors.task_of(request.user, number, sequence)
    form = make_form(task, request.POST, auto_id=f"id_{key}{task.pk}_%s")
    if form.is_valid():
        try:
            done = act(task, form.cleaned_data)
        except InvalidInput as error:
            show_errors(form, error.fields)
            if not error.fields:
                form.add_error(None, str(error.message))
        except KuaijiError as error:
            return _refused(request, number, error)
        else:
            messages.success(request, done)
            return _back(number, sequence)
    found = selectors.list_of(request.user, number)
    return _render(request, found, status=400, forms={task.pk: {key: form}})


def _open_milestones(task: Task) -> list[Milestone]:
    return list(task.milestones.filter(done_at__isnull=True))


@require_POST
@staff_required
def report(request: HttpRequest, number: str, sequence: int) -> HttpResponse:
    """A unit reports progress on a task, with evidence files."""

    def act(task: Task, data: dict[str, Any]) -> str:
        milestone = next((m for m in _open_milestones(task) if m.pk == data["milestone"]), None)
        progress.report(
            actor=request.user,
            task=task,
            progress=data["progress"],
            summary=data["summary"],
            achieved_value=data["achieved_value"],
            milestone=milestone,
            files=request.FILES.getlist("files"),
            revision=data["revision"],
        )
        return _("The report is recorded.")

    def make(task: Task, *args: Any, **kwargs: Any) -> ReportForm:
        return ReportForm(*args, milestones=_open_milestones(task), **kwargs)

    return _task_action(request, number, sequence, "report", make, act)


@require_POST
@staff_required
def submit(request: HttpRequest, number: str, sequence: int) -> HttpResponse:
    """The lead unit submits its task for acceptance."""

    def act(task: Task, data: dict[str, Any]) -> str:
        acceptance.submit(actor=request.user, task=task, revision=data["revision"])
        return _("The task is submitted for acceptance.")

    return _task_action(
        request, number, sequence, "submit", lambda task, *a, **k: RevisionForm(*a, **k), act
    )


@require_POST
@staff_required
def decide(request: HttpRequest, number: str, sequence: int) -> HttpResponse:
    """The issuing office accepts the task or returns it."""

    def act(task: Task, data: dict[str, Any]) -> str:
        accept = data["decision"] == AcceptanceDecision.ACCEPTED
        acceptance.decide(
            actor=request.user,
            task=task,
            accept=accept,
            comment=data["comment"],
            revision=data["revision"],
        )
        return _("The task is accepted.") if accept else _("The task is returned.")

    return _task_action(
        request, number, sequence, "decision", lambda task, *a, **k: DecisionForm(*a, **k), act
    )


@require_POST
@staff_required
def deadline(request: HttpRequest, number: str, sequence: int) -> HttpResponse:
    """Move a task's deadline, with the reason."""

    def act(task: Task, data: dict[str, Any]) -> str:
        drawing.change_deadline(
            actor=request.user,
            task=task,
            revision=data["revision"],
            deadline=data["deadline"],
            reason=data["reason"],
        )
        return _("The deadline is changed.")

    return _task_action(
        request, number, sequence, "deadline", lambda task, *a, **k: DeadlineForm(*a, **k), act
    )


@require_safe
@staff_required
def evidence(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """A file of a report, for those who see its task."""
    found = selectors.evidence_of(request.user, number, pk)
    response = FileResponse(
        found.file.open("rb"),
        content_type=found.content_type or "application/octet-stream",
        as_attachment=True,
        filename=found.name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)
