"""The "随手拍" report page: a citizen describes a problem, says where it is (their phone's
location and/or an address), adds photos, and is taken to the report's tracking page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kuaiji.apps.grassroots import services
from kuaiji.apps.grassroots.models import Channel, EventSource
from kuaiji.apps.grassroots.photos import MAX_PHOTOS
from kuaiji.fronts.portal.events.access import citizen_required
from kuaiji.fronts.portal.events.forms import ReportForm
from kuaiji.platform.core.errors import InvalidInput


@require_http_methods(["GET", "HEAD", "POST"])
@citizen_required
def report(request: HttpRequest) -> HttpResponse:
    """The report form; bad input comes back on it with the reasons (400)."""
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                event = services.report_event(
                    actor=request.user,
                    source=EventSource.CITIZEN,
                    channel=Channel.SERVICE_FRONT,
                    photos=request.FILES.getlist("photos"),
                    **form.report(),
                )
            except InvalidInput as error:
                form.show_errors(error)
            else:
                messages.success(
                    request,
                    _("Thank you. Your report %(number)s is received.") % {"number": event.number},
                )
                return redirect("portal:events:detail", event_id=event.pk)
    context = {"form": form, "max_photos": MAX_PHOTOS}
    return render(request, "portal/events/new.html", context, status=status)
