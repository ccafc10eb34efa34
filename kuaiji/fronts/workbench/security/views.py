"""Sign-in security of the work front: proving and enrolling the second factor, and signing
out of every session."""

from __future__ import annotations

import base64

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from kuaiji.platform.identity import second_factor
from kuaiji.platform.identity.services import sign_out_everywhere as end_all_sessions


class TokenForm(forms.Form):
    """The six digits the authenticator app shows."""

    token = forms.RegexField(
        regex=r"^\d{6}$",
        label=gettext_lazy("Code from your authenticator app"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if safe else "/work/"


def _go(url_name: str, request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse(url_name)}?{urlencode({'next': _next(request)})}")


def _staff_only(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the current code; a person without an authenticator enrols one first."""
    _staff_only(request)
    device = second_factor.confirmed_device(request.user)
    if device is None:
        return _go("workbench:security:enrol", request)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("token", _("The code is wrong or has expired; try the next one."))
    return render(request, "workbench/security/verify.html", {"form": form, "next": _next(request)})


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Show the QR code of a new authenticator and confirm it with its first code."""
    _staff_only(request)
    if second_factor.confirmed_device(request.user) is not None:
        return _go("workbench:security:verify", request)
    device = second_factor.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if second_factor.confirm(request.user, device, form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Your authenticator is set up."))
            return redirect(_next(request))
        form.add_error("token", _("The code is wrong or has expired; try the next one."))
    context = {
        "form": form,
        "next": _next(request),
        "qr_code": second_factor.qr_code_svg(device),
        "secret": base64.b32encode(device.bin_key).decode(),
    }
    return render(request, "workbench/security/enrol.html", context)


@require_POST
@login_required
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the signed-in person, this one included."""
    end_all_sessions(actor=request.user, user=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.success(request, _("You have been signed out of every session."))
    return redirect("workbench:login")
