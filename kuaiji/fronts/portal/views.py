"""Screens of the service front: the home page and the accounts of citizens and enterprise
operators (register, sign in by phone, the profile, sign out)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kuaiji.fronts.portal.forms import (
    CitizenRegistrationForm,
    OperatorRegistrationForm,
    PhoneSignInForm,
    ProfileForm,
    show_errors,
)
from kuaiji.platform.core.errors import Conflict, InvalidInput
from kuaiji.platform.identity.models import User
from kuaiji.platform.identity.registration.selectors import profile_of
from kuaiji.platform.identity.registration.services import (
    register_citizen,
    register_enterprise_operator,
    update_profile,
)

REGISTRATIONS: dict[str, tuple[type[CitizenRegistrationForm], Callable[..., User]]] = {
    "citizen": (CitizenRegistrationForm, register_citizen),
    "enterprise": (OperatorRegistrationForm, register_enterprise_operator),
}


def home(request: HttpRequest) -> HttpResponse:
    """The service front's home page."""
    return render(request, "portal/home.html")


def register(request: HttpRequest, kind: str = "citizen") -> HttpResponse:
    """Registration of a citizen, or of an enterprise operator; then on to sign in."""
    if request.user.is_authenticated:
        return redirect("portal:profile")
    form_class, service = REGISTRATIONS[kind]
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                service(**form.person())
            except (InvalidInput, Conflict) as exc:
                show_errors(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Your account is ready: sign in with your phone number and password."),
                )
                return redirect("portal:login")
    context = {"form": form, "kind": kind}
    return render(request, "portal/register.html", context, status=status)


class PortalLoginView(LoginView):
    """Sign in with phone number and password; django-axes locks out repeated failures."""

    form_class = PhoneSignInForm
    template_name = "portal/login.html"
    redirect_authenticated_user = True
    next_page = "portal:profile"

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@login_required(login_url="portal:login")
def profile(request: HttpRequest) -> HttpResponse:
    """The person's own data, masked, with their real-name level and enterprises; a form to
    change their phone number or address."""
    user = cast(User, request.user)
    form = ProfileForm(user, request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                update_profile(actor=user, user=user, **form.changes())
            except (InvalidInput, Conflict) as exc:
                show_errors(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Your details are saved."))
                return redirect("portal:profile")
    context = {"profile": profile_of(user), "form": form}
    return render(request, "portal/profile.html", context, status=status)
