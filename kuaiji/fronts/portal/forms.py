"""Forms of the service front's account screens. They check the shape of the input; the
identity services check its meaning (check digits, duplicates, password rules) and their
field errors are shown on the same form by `show_errors`."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kuaiji.fronts.portal.industries import SECTIONS
from kuaiji.platform.core.errors import KuaijiError
from kuaiji.platform.directory.models import EnterpriseScale
from kuaiji.platform.identity.backends import phone_credentials
from kuaiji.platform.identity.models import User
from kuaiji.platform.identity.registration.selectors import residence_choices


def _text(label: Any, max_length: int, **attrs: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, widget=forms.TextInput(attrs=attrs))


def _phone(label: Any, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        required=required,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


def show_errors(form: forms.Form, error: KuaijiError) -> None:
    """Put the field errors a service raised on the form's fields (the others on the form)."""
    for name, message in error.fields.items():
        form.add_error(name if name in form.fields else None, str(message))
    if not error.fields:
        form.add_error(None, str(error.message))


class CitizenRegistrationForm(forms.Form):
    """A citizen registers with real name, identity number, phone and a password."""

    name = _text(_("Name"), 50, autocomplete="name")
    id_number = _text(
        _("Identity number"), 18, autocomplete="off", autocapitalize="characters", minlength="18"
    )
    phone = _phone(_("Mobile phone number"))
    region_code = forms.ChoiceField(label=_("Where you live"))
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = cast(forms.ChoiceField, self.fields["region_code"])
        region.choices = [("", _("Choose your township or street")), *residence_choices()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned

    def person(self) -> dict[str, str]:
        """The arguments of the registration service."""
        data = self.cleaned_data
        names = ("name", "id_number", "phone", "password", "address", "region_code")
        return {name: data[name] for name in names}


class OperatorRegistrationForm(CitizenRegistrationForm):
    """An enterprise operator registers as a person and names the enterprise they act for."""

    enterprise_name = _text(_("Enterprise name"), 200, autocomplete="organization")
    credit_code = _text(
        _("Unified social credit code"),
        18,
        autocomplete="off",
        autocapitalize="characters",
        minlength="18",
    )
    legal_representative = _text(_("Legal representative"), 50, autocomplete="off")
    industry_code = forms.ChoiceField(
        label=_("Industry"), choices=[("", _("Choose an industry")), *SECTIONS]
    )
    scale = forms.ChoiceField(
        label=_("Scale"), choices=[("", _("Choose a scale")), *EnterpriseScale.choices]
    )

    field_order = [
        "name",
        "id_number",
        "phone",
        "region_code",
        "address",
        "enterprise_name",
        "credit_code",
        "legal_representative",
        "industry_code",
        "scale",
        "password",
        "password_again",
    ]

    def person(self) -> dict[str, str]:
        data = self.cleaned_data
        names = ("enterprise_name", "credit_code", "legal_representative", "industry_code", "scale")
        return {**super().person(), **{name: data[name] for name in names}}


class PhoneSignInForm(AuthenticationForm):
    """Sign in with the mobile phone number and password.

    The phone field keeps the name ``username`` so that django-axes, which keeps the form data
    of failed attempts, masks it like any username.
    """

    username = _phone(_("Mobile phone number"))
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The phone number or the password is wrong."),
    }

    def clean(self) -> dict[str, Any]:
        phone = str(self.cleaned_data.get("username") or "")
        password = self.cleaned_data.get("password")
        if phone and password:
            user = authenticate(self.request, **phone_credentials(phone, password))
            if user is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(user)
            self.user_cache = user
        return self.cleaned_data


class ProfileForm(forms.Form):
    """A new phone number or address; the current password confirms the change."""

    phone = _phone(_("New mobile phone number"), required=False)
    address = forms.CharField(
        label=_("New address"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_current_password(self) -> str:
        password = str(self.cleaned_data["current_password"])
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is wrong."), code="password_incorrect")
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("phone") and not cleaned.get("address"):
            raise forms.ValidationError(_("Give a new phone number or a new address."))
        return cleaned

    def changes(self) -> dict[str, str | None]:
        """The arguments of the profile service: None for what stays as it is."""
        return {name: self.cleaned_data[name] or None for name in ("phone", "address")}
