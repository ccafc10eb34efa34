"""Audit log screens of the work front: search, one entry, and the chain check.

All of them only read (GET or HEAD; any other method answers 405): entries are never changed or
removed through a screen. Staff only, and the audit selectors refuse anyone without
``audit.entry.view`` (403); an entry outside the actor's regions answers 404.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.audit.forms import AuditSearchForm
from kuaiji.platform.audit import selectors
from kuaiji.platform.audit.models import AuditEntry

PER_PAGE = 50


@dataclass(frozen=True)
class FieldChange:
    """One changed field, as the screens print it: ``name: old → new``."""

    name: str
    old: str
    new: str


@dataclass(frozen=True)
class Row:
    """An entry with its changes ready to print."""

    entry: AuditEntry
    changes: list[FieldChange]


def _shown(value: Any) -> str:
    """A stored value as text; a missing one as an empty-set sign."""
    return "∅" if value is None or value == "" else str(value)


def field_changes(changes: Mapping[str, Any]) -> list[FieldChange]:
    """The changes of an entry (``{name: [old, new]}``) in order of field name; a value kept
    in another shape is shown whole as the new value."""
    shown = []
    for name, value in sorted(changes.items()):
        if isinstance(value, list | tuple) and len(value) == 2:
            shown.append(FieldChange(name, _shown(value[0]), _shown(value[1])))
        else:
            shown.append(FieldChange(name, "", _shown(value)))
    return shown


def rows(entries: Iterable[AuditEntry]) -> list[Row]:
    """Entries with their changes prepared for the table."""
    return [Row(entry, field_changes(entry.changes or {})) for entry in entries]


def _is_partial(request: HttpRequest) -> bool:
    """Whether htmx asks for a fragment (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


@require_safe
@staff_required
def entry_list(request: HttpRequest) -> HttpResponse:
    """The search form and one page of the matching entries, newest first."""
    form = AuditSearchForm(request.GET)
    valid = form.is_valid()
    # The selector authorises before anything else: bad input from someone who may not search
    # answers 403, like good input does. Its queryset is lazy, so nothing is read for a 400.
    found = selectors.entries(request.user, **(form.filters() if valid else {}))
    if not valid:
        context: dict[str, object] = {"form": form, "page": None, "rows": []}
        return render(request, "workbench/audit/list.html", context, status=400)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "rows": rows(page.object_list)}
    return render(request, "workbench/audit/list.html", context)


@require_safe
@staff_required
def entry_detail(request: HttpRequest, sequence: int) -> HttpResponse:
    """Everything one entry holds, its hash and the hash it follows included."""
    found = selectors.entry(request.user, sequence)
    context = {"entry": found, "changes": field_changes(found.changes or {})}
    return render(request, "workbench/audit/detail.html", context)


@require_safe
@staff_required
def verify(request: HttpRequest) -> HttpResponse:
    """Check the whole chain on request: intact with its length, or its first broken entry."""
    verdict = selectors.chain_status(request.user)
    template = "_chain_status.html" if _is_partial(request) else "verify.html"
    return render(request, f"workbench/audit/{template}", {"verdict": verdict})
