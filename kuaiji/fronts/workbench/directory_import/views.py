"""The directory import screens of the work front: upload a file and see every problem, then
confirm to import the same file all or nothing.

Between the two steps the upload is kept on the server by a random token (see
`kuaiji.platform.directory.imports.stash`); the confirmation checks the kept file again before
writing, so what is imported is exactly what was checked, against the data as it is then.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.directory_import.forms import ConfirmForm, UploadForm
from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.directory.imports import (
    ImportKind,
    ImportRejected,
    ImportReport,
    UnreadableFile,
    apply,
    dry_run,
    stash,
)
from kuaiji.platform.directory.imports.importers import IMPORTERS

IMPORT_PERMISSION = "directory.import"


def column_reference() -> list[dict[str, Any]]:
    """Each kind's columns for the page's reference: name, other headers, required, values."""
    return [
        {
            "kind": kind,
            "label": kind.label,
            "columns": [
                {
                    "name": column.name,
                    "aliases": " / ".join(column.aliases),
                    "required": column.required,
                    "values": ", ".join(column.choices.values) if column.choices else "",
                    "hint": column.hint,
                }
                for column in importer.columns
            ],
        }
        for kind, importer in IMPORTERS.items()
    ]


def _report_page(
    request: HttpRequest, report: ImportReport, file_name: str, token: str = ""
) -> HttpResponse:
    context = {
        "report": report,
        "problems": report.sorted_problems(),
        "kind_label": ImportKind(report.kind).label,
        "file_name": file_name,
        "token": token,
    }
    return render(request, "workbench/directory_import/report.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """The upload form; a posted file is checked (dry run) and its report shown, with a
    confirmation button when it has no problem."""
    authorize(request.user, IMPORT_PERMISSION)
    posted = request.method == "POST"
    form = UploadForm(request.POST, request.FILES) if posted else UploadForm()
    if posted and form.is_valid():
        kind, file = form.cleaned_data["kind"], form.cleaned_data["file"]
        try:
            report = dry_run(kind, file, actor=request.user)
        except UnreadableFile as exc:
            form.add_error("file", str(exc.message))
        else:
            token = stash.keep(file, kind=kind, owner=request.user.pk) if report.ok else ""
            return _report_page(request, report, file.name, token)
    context = {"form": form, "reference": column_reference()}
    status = 400 if posted else 200
    return render(request, "workbench/directory_import/upload.html", context, status=status)


@staff_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    """Import the checked file kept under the posted token, all or nothing."""
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_("The confirmation is malformed; upload the file again."))
    token = form.cleaned_data["token"]
    kept = stash.take(token, owner=request.user.pk)
    if kept is None:
        messages.error(
            request, _("The checked file has expired or was imported already; upload it again.")
        )
        return redirect("workbench:directory_import:upload")
    try:
        report = apply(kept.kind, kept.file, actor=request.user)
    except ImportRejected as exc:
        stash.discard(token)
        return _report_page(request, exc.report, kept.file.name)
    stash.discard(token)
    messages.success(
        request,
        _("%(file)s imported: %(rows)d rows, %(counts)s.")
        % {"file": kept.file.name, "rows": report.rows, "counts": report.counts()},
    )
    return redirect("workbench:directory_import:upload")
