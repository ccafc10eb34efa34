"""Staff check the real names people declared when registering (核验实名)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kuaiji.fronts.shell.access import staff_required
from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import NotFound
from kuaiji.platform.core.personal import PersonalKind, mask
from kuaiji.platform.identity.registration.selectors import awaiting_verification
from kuaiji.platform.identity.registration.services import verify_real_name

PERMISSION = "identity.real_name.verify"


@staff_required
def awaiting(request: HttpRequest) -> HttpResponse:
    """People in the officer's scope whose real name is only self-declared, masked."""
    authorize(request.user, PERMISSION)
    page = Paginator(awaiting_verification(request.user), 50).get_page(request.GET.get("page"))
    rows = [
        {
            "id": citizen.pk,
            "name": mask(PersonalKind.NAME, citizen.name),
            "id_number": mask(PersonalKind.ID_NUMBER, citizen.id_number),
            "region": citizen.region.name if citizen.region else "",
            "registered": citizen.user.date_joined if citizen.user else None,
        }
        for citizen in page
    ]
    return render(request, "workbench/accounts/awaiting.html", {"page": page, "rows": rows})


@require_POST
@staff_required
def verify(request: HttpRequest, citizen_id: int) -> HttpResponse:
    """Verify one person's real name after checking their papers in person."""
    citizen = awaiting_verification(request.user).filter(pk=citizen_id).first()
    if citizen is None or citizen.user is None:
        raise NotFound()
    verify_real_name(actor=request.user, user=citizen.user)
    messages.success(request, _("Real name verified."))
    return redirect("workbench:accounts:awaiting")
