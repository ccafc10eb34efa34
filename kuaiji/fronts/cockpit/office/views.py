"""The leader's office screen in the cockpit: issue a directive, and follow the latest ones —
delivered, read and answered — each linking to its page on the work front."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from kuaiji.apps.command.directives import selectors
from kuaiji.apps.command.directives.common import ISSUE, VIEW
from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.directives.issuing import issue_with_form
from kuaiji.platform.access.services import has_permission
from kuaiji.platform.core.errors import Forbidden

LATEST = 12
REFUSAL = _("The office screen is for those who issue or follow directives.")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """The issue form (for issuers) and the latest directives issued or in scope."""
    user = request.user
    may_issue = has_permission(user, ISSUE)
    if not (may_issue or has_permission(user, VIEW)):
        raise Forbidden(REFUSAL)
    if request.method == "POST" and not may_issue:
        raise Forbidden()
    done = issue_with_form(request) if may_issue else None
    if done is not None and done.directive is not None:
        return redirect("workbench:directives:detail", number=done.directive.number)
    context = {
        "form": done.form if done is not None else None,
        "latest": list(selectors.overseen(user)[:LATEST]),
    }
    return render(request, "cockpit/office/home.html", context, status=done.status if done else 200)
