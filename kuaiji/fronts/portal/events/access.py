"""Who may use the citizens' event screens: citizens and enterprise operators, signed in.
Visitors are sent to sign in; staff accounts report on the work front instead."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.grassroots.services import CITIZEN_KINDS
from kuaiji.platform.core.errors import Forbidden

View = Callable[..., HttpResponse]

NOT_A_CITIZEN = _(
    "Problems are reported here by citizens and enterprises; staff report them on the work front."
)


def is_citizen(user: Any) -> bool:
    """A signed-in citizen or enterprise operator."""
    return bool(user.is_authenticated and getattr(user, "kind", None) in CITIZEN_KINDS)


def citizen_required(view: View) -> View:
    """Send visitors to the service front's sign-in; refuse accounts of staff (403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:login"))
        if not is_citizen(request.user):
            raise Forbidden(NOT_A_CITIZEN)
        return view(request, *args, **kwargs)

    return wrapper


def may_report(request: HttpRequest) -> bool:
    """Menu rule: visitors (who are asked to sign in) and citizens."""
    return not request.user.is_authenticated or is_citizen(request.user)


def citizen(request: HttpRequest) -> bool:
    """Menu rule: signed-in citizens and enterprise operators."""
    return is_citizen(request.user)
