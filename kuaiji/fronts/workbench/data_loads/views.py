"""The load screens: a resource's loads with the upload form, and one load's problems by line
and its quarantined rows. Both are for those who manage the resource (`data.resource.manage`
within its department); a file that cannot be loaded is reported on the page, never as an
error page."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.data_loads.forms import LoadForm
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.data.ingest import reads
from kuaiji.platform.data.ingest.loading import load_file
from kuaiji.platform.data.models import LoadStatus

LOADS_PER_PAGE = 20
ROWS_PER_PAGE = 100
CHANGES_SHOWN = 100


@staff_required
@require_http_methods(["GET", "POST"])
def load_list(request: HttpRequest, code: str) -> HttpResponse:
    """The resource's loads, latest first, and the form that loads a file."""
    resource = reads.managed_resource(request.user, code)
    posted = request.method == "POST"
    form = LoadForm(request.POST, request.FILES) if posted else LoadForm()
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            done = load_file(
                actor=request.user,
                resource=resource,
                content=upload.read(),
                file_name=upload.name or "upload",
                on_bad_rows=form.cleaned_data["on_bad_rows"],
            )
        except InvalidInput as refused:
            form.add_error("file", str(refused.message))
        else:
            if done.status == LoadStatus.APPLIED:
                messages.success(
                    request,
                    _(
                        "%(file)s loaded: %(inserted)d new, %(updated)d changed, "
                        "%(unchanged)d unchanged, %(bad)d bad rows."
                    )
                    % {
                        "file": done.file_name,
                        "inserted": done.rows_inserted,
                        "updated": done.rows_updated,
                        "unchanged": done.rows_unchanged,
                        "bad": done.rows_bad,
                    },
                )
            else:
                messages.error(request, _("%(file)s was not loaded.") % {"file": done.file_name})
            return redirect("workbench:data_loads:detail", pk=done.pk)
    loads = Paginator(reads.loads_of(request.user, code), LOADS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "resource": resource,
        "fields": list(resource.fields.order_by("position")),
        "form": form,
        "loads": loads,
    }
    return render(request, "workbench/data_loads/list.html", context, status=400 if posted else 200)


@staff_required
@require_safe
def load_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One load: its counts and timings, its problems by line, its quarantined rows and the rows
    it changed, field by field."""
    load = reads.load_of(request.user, pk)
    quarantined = Paginator(load.quarantined.order_by("line"), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "load": load,
        "resource": load.resource,
        "problems": load.problems,
        "quarantined": quarantined,
        "changes": reads.changes_of(load, limit=CHANGES_SHOWN),
    }
    return render(request, "workbench/data_loads/detail.html", context)
