"""The directive screens of the work front: the list (received, and issued or in scope), the
issue form, a directive's page (text, attachments, targets with read receipts and feedback,
the consolidation, and the actions: report back, remind the unread, close) and statistics.

Each action calls the directive services, as the API does; a refusal is shown on the page
itself (400 with the form's errors, 403, 409 when the directive is closed meanwhile)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kuaiji.apps.command.directives import selectors
from kuaiji.apps.command.directives.common import ISSUE, VIEW, manages
from kuaiji.apps.command.directives.feedback import close as close_directive
from kuaiji.apps.command.directives.feedback import submit_feedback
from kuaiji.apps.command.directives.reading import mark_read
from kuaiji.apps.command.directives.reminders import remind_unread
from kuaiji.apps.command.directives.statistics import directive_figures, overview
from kuaiji.apps.command.models import Directive, DirectiveStatus, Feedback
from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.directives.forms import CloseForm, FeedbackForm, ListForm
from kuaiji.fronts.workbench.directives.issuing import issue_with_form
from kuaiji.fronts.workbench.periods import PeriodForm
from kuaiji.platform.access.services import has_permission
from kuaiji.platform.core.errors import Forbidden, InvalidInput, KuaijiError, NotFound

PAGE = 25
TABS = ("received", "issued")


def _task_lists(directive: Directive) -> list[tuple[str, str, str]]:
    """The task lists drawn up from the directive: number, title and the link to each."""
    rows = []
    for number, title in directive.task_lists.values_list("number", "title"):
        try:
            href = reverse("workbench:checklists:detail", kwargs={"number": number})
        except NoReverseMatch:
            href = f"/work/checklists/{number}/"
        rows.append((number, title, href))
    return rows


@require_safe
@staff_required
def directive_list(request: HttpRequest) -> HttpResponse:
    """Received directives (unread first), or those issued by the viewer or in their scope."""
    user = request.user
    oversees = has_permission(user, VIEW) or has_permission(user, ISSUE)
    tab = request.GET.get("tab", "received")
    if tab not in TABS or (tab == "issued" and not oversees):
        tab = "received"
    filters = ListForm(request.GET)
    status, q = "", ""
    if filters.is_valid():
        status, q = filters.cleaned_data["status"], filters.cleaned_data["q"]
    if tab == "received":
        rows: Any = selectors.received(user, q=q)
        if status:
            rows = rows.filter(directive__status=status)
    else:
        rows = selectors.overseen(user, status=status, q=q)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    context = {
        "tab": tab,
        "oversees": oversees,
        "may_issue": has_permission(user, ISSUE),
        "filters": filters,
        "page": page,
        "unread": selectors.received(user).filter(read_at__isnull=True).count(),
    }
    return render(request, "workbench/directives/list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def new(request: HttpRequest) -> HttpResponse:
    """The issue form (issuers only)."""
    if not has_permission(request.user, ISSUE):
        raise Forbidden(_("Only offices that issue directives may do this."))
    done = issue_with_form(request)
    if done.directive is not None:
        return redirect("workbench:directives:detail", number=done.directive.number)
    return render(request, "workbench/directives/new.html", {"form": done.form}, status=done.status)


def _render(
    request: HttpRequest,
    directive: Directive,
    *,
    status: int = 200,
    error: str = "",
    feedback: FeedbackForm | None = None,
    closing: CloseForm | None = None,
) -> HttpResponse:
    user = request.user
    mine = selectors.target_of(user, directive)
    overseeing = selectors.may_oversee(user, directive)
    managing = manages(user, directive)
    rows = selectors.target_rows(directive) if overseeing else []
    issued = directive.status == DirectiveStatus.ISSUED
    reports = list(mine.feedback.all()) if mine is not None else []
    context = {
        "directive": directive,
        "mine": mine,
        "my_reports": reports,
        "overseeing": overseeing,
        "rows": rows,
        "consolidation": selectors.consolidate(rows) if overseeing else None,
        "figures": directive_figures(directive) if overseeing else None,
        "may_manage": managing and issued,
        "feedback_form": (feedback or FeedbackForm()) if mine is not None and issued else None,
        "close_form": (closing or CloseForm()) if managing and issued else None,
        "task_lists": _task_lists(directive),
        "error": error,
    }
    return render(request, "workbench/directives/detail.html", context, status=status)


def _refused(request: HttpRequest, number: str, error: KuaijiError) -> HttpResponse:
    found = selectors.directive_for(request.user, number)
    text = " ".join([str(error.message), *(str(message) for message in error.fields.values())])
    return _render(request, found, status=error.status, error=text)


@require_safe
@staff_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    """One directive; opening it records the viewer's read receipt when they are a target."""
    found = selectors.directive_for(request.user, number)
    mark_read(actor=request.user, directive=found)
    return _render(request, found)


@require_POST
@staff_required
def feedback(request: HttpRequest, number: str) -> HttpResponse:
    """A target reports back."""
    found = selectors.directive_for(request.user, number)
    form = FeedbackForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, found, status=400, feedback=form)
    try:
        submit_feedback(
            actor=request.user,
            directive=found,
            state=form.cleaned_data["state"],
            body=form.cleaned_data["body"],
            attachment=form.cleaned_data["attachment"],
        )
    except InvalidInput as error:
        form.show_errors(error)
        return _render(request, found, status=400, feedback=form)
    except KuaijiError as error:
        return _refused(request, number, error)
    messages.success(request, _("Your feedback is sent."))
    return redirect("workbench:directives:detail", number=number)


@require_POST
@staff_required
def remind(request: HttpRequest, number: str) -> HttpResponse:
    """The issuing office reminds the unread targets now."""
    found = selectors.directive_for(request.user, number)
    try:
        count = remind_unread(actor=request.user, directive=found)
    except KuaijiError as error:
        return _refused(request, number, error)
    messages.success(request, _("%(count)d people were reminded.") % {"count": count})
    return redirect("workbench:directives:detail", number=number)


@require_POST
@staff_required
def close(request: HttpRequest, number: str) -> HttpResponse:
    """The issuing office closes the directive with its summary."""
    found = selectors.directive_for(request.user, number)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _render(request, found, status=400, closing=form)
    try:
        close_directive(actor=request.user, directive=found, summary=form.cleaned_data["summary"])
    except InvalidInput as error:
        form.show_errors(error)
        return _render(request, found, status=400, closing=form)
    except KuaijiError as error:
        return _refused(request, number, error)
    messages.success(request, _("The directive is closed."))
    return redirect("workbench:directives:detail", number=number)


def _file(field: Any, name: str, content_type: str = "") -> HttpResponse:
    response = FileResponse(
        field.open("rb"),
        content_type=content_type or "application/octet-stream",
        as_attachment=True,
        filename=name,
    )
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)


@require_safe
@staff_required
def attachment(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """A file sent with the directive, for those who may open it."""
    found = selectors.directive_for(request.user, number)
    sent = found.attachments.filter(pk=pk).first()
    if sent is None or not sent.file:
        raise NotFound()
    return _file(sent.file, sent.name, sent.content_type)


@require_safe
@staff_required
def feedback_file(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """A file sent with a report: for its author and those who oversee the directive."""
    found = selectors.directive_for(request.user, number)
    report = Feedback.objects.filter(directive=found, pk=pk).select_related("target").first()
    if report is None or not report.attachment:
        raise NotFound()
    if report.target.recipient_id != request.user.pk and not selectors.may_oversee(
        request.user, found
    ):
        raise NotFound()
    return _file(report.attachment, report.attachment_name or "attachment")


@require_safe
@staff_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Reading and feedback of the directives in the viewer's scope over a period."""
    if not (has_permission(request.user, VIEW) or has_permission(request.user, ISSUE)):
        raise Forbidden()
    form = PeriodForm(request.GET or None, dimensions={"unit": _("unit")}, default="unit")
    chosen = form.chosen()
    try:
        seen = overview(request.user, start=chosen.start, end=chosen.end)
    except InvalidInput as error:
        form.refused(error)
        seen = overview(request.user)
    return render(request, "workbench/directives/statistics.html", {"form": form, "overview": seen})
