"""The report form of the work front, sized for a phone on patrol: the point from the phone's
location or a tap on the map of one's grid, or an address; photos; the source (grid patrol, or
for township and county staff also the hotline, department transfers and sensors).

The page's script keeps a draft of the fields on the phone and holds the report while the
phone is offline, sending it when the network returns; the event's page then clears the draft.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kuaiji.apps.grassroots import services
from kuaiji.apps.grassroots.models import Channel
from kuaiji.apps.grassroots.photos import MAX_PHOTOS
from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.events.common import (
    DRAFT_SENT,
    REPORT,
    draft_key,
    home_area,
    source_choices,
)
from kuaiji.fronts.workbench.events.forms import ReportForm
from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import InvalidInput


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def report(request: HttpRequest) -> HttpResponse:
    """The report form; bad input comes back on it with the reasons (400), a place outside
    the reporter's area too."""
    authorize(request.user, REPORT)
    form = ReportForm(request.POST or None, sources=source_choices(request.user))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                event = services.report_event(
                    actor=request.user,
                    channel=Channel.WORK_FRONT,
                    photos=request.FILES.getlist("photos"),
                    **form.report(),
                )
            except InvalidInput as error:
                form.show_errors(error)
            else:
                request.session[DRAFT_SENT] = True
                messages.success(
                    request, _("Event %(number)s is reported.") % {"number": event.number}
                )
                return redirect("workbench:events:detail", event_id=event.pk)
    area = home_area(request.user)
    context = {
        "form": form,
        "max_photos": MAX_PHOTOS,
        "area": area,
        "with_map": bool(area),
        "draft_key": draft_key(request.user),
    }
    return render(request, "workbench/events/new.html", context, status=status)
