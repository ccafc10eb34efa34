"""Who may open the staff fronts (the work front and the cockpit)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode

from kuaiji.platform.core.errors import Forbidden
from kuaiji.platform.identity.policy import is_verified, requires_second_factor

View = Callable[..., HttpResponse]


def staff_required(view: View, refusal: str | Promise | None = None) -> View:
    """Send anonymous visitors to sign in; refuse signed-in people who are not staff (403,
    with the `refusal` message when given); send those whose roles call for a second factor
    to prove it first."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            if refusal is not None:
                raise Forbidden(refusal)
            raise PermissionDenied
        if requires_second_factor(request.user) and not is_verified(request.user):
            verify = reverse("workbench:security:verify")
            return redirect(f"{verify}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper
