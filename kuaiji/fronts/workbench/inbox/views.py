"""The inbox of the work front: one's own notifications, and marking them read.

Staff only; another person's notification answers 404 like a missing one.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from kuaiji.fronts.shell.access import staff_required
from kuaiji.platform.messaging import selectors, services

PER_PAGE = 30


@require_safe
@staff_required
def inbox_list(request: HttpRequest) -> HttpResponse:
    """One page of the inbox, newest first; ``?unread=1`` keeps only unread ones."""
    unread_only = request.GET.get("unread") == "1"
    found = selectors.inbox(request.user, unread_only=unread_only)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread_count": selectors.unread_count(request.user),
    }
    return render(request, "workbench/inbox/list.html", context)


@require_POST
@staff_required
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Record the read receipt, then go back to the inbox."""
    services.mark_read(actor=request.user, notification=notification_id)
    target = reverse("workbench:inbox:list")
    if request.POST.get("unread") == "1":
        target += "?unread=1"
    return HttpResponseRedirect(target)
