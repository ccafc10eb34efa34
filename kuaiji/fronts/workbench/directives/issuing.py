"""The issue form's round trip, shared by the work front's "new" screen and the cockpit's
office screen: show the form, or issue with it and say what went wrong beside the inputs."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kuaiji.apps.command.directives.issuing import issue
from kuaiji.apps.command.models import Directive
from kuaiji.fronts.workbench.directives.forms import IssueForm
from kuaiji.platform.core.errors import KuaijiError


@dataclass
class Issued:
    """The form to show (with its status), or the directive issued."""

    form: IssueForm
    status: int = 200
    directive: Directive | None = None


def issue_with_form(request: HttpRequest) -> Issued:
    """A fresh form on GET; on POST the directive issued, or the form with its errors."""
    if request.method != "POST":
        return Issued(IssueForm(actor=request.user))
    form = IssueForm(request.POST, request.FILES, actor=request.user)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            directive = issue(
                actor=request.user,
                submission_key=form.key(),
                title=data["title"],
                body=data["body"],
                priority=data["priority"],
                departments=list(data["departments"]),
                regions=list(data["regions"]),
                roles=list(data["roles"]),
                deadline=data["deadline"],
                feedback_required=data["feedback_required"],
                attachments=data["attachments"] or [],
            )
        except KuaijiError as error:
            form.show_errors(error)
            status = error.status
        else:
            if getattr(directive, "created", False):
                count = directive.targets.count()
                messages.success(
                    request,
                    _("Directive %(number)s is issued to %(count)d people.")
                    % {"number": directive.number, "count": count},
                )
            return Issued(form, 200, directive)
    form.renew_key_if_missing()
    return Issued(form, status)
