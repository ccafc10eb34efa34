"""Forms of the applicant's screens: the online application (the merged form's fields, a file
input per material and, for 免提交 materials, the consent to obtain them from shared data), the
answer to a correction request, the withdrawal, the rating and the certificate check.

The forms check the shape of the input; the application services check its meaning, and their
field errors — keyed by form field name or material code — are shown beside those inputs
(`ServiceErrors.show_errors`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.government.models import RatingLevel
from kuaiji.apps.government.ratings import COMMENT_MAX
from kuaiji.fronts.shell.language import english
from kuaiji.fronts.shell.submissions import SubmissionKeyForm
from kuaiji.platform.core.errors import KuaijiError

ANSWER = "answer_"
FILE = "file_"
CONSENT = "consent_"
TEXT_MAX = 2000
ACCEPT = "application/pdf,image/jpeg,image/png"


def pick(chinese: str, other: str) -> str:
    """The English text on English pages when there is one, else the Chinese."""
    return other if english() and other else chinese


def answer_field(spec: dict[str, Any], *, initial: Any = None) -> forms.Field:
    """The input of one field of a bundle's merged form (name, label, label_en, type,
    required, choices). Every field is optional here: the service says what is missing."""
    label = pick(str(spec.get("label") or spec["name"]), str(spec.get("label_en") or ""))
    kind = str(spec.get("type") or "text")
    common: dict[str, Any] = {
        "label": label,
        "required": False,
        "initial": initial,
        "help_text": "" if spec.get("required") else _("optional"),
    }
    if kind == "textarea":
        widget: forms.Widget = forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX})
    elif kind == "date":
        widget = forms.DateInput(attrs={"type": "date"})
    elif kind in ("number", "integer"):
        widget = forms.NumberInput(attrs={"inputmode": "decimal"})
    elif kind == "phone":
        widget = forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
    elif kind == "id_number":
        widget = forms.TextInput(attrs={"autocapitalize": "characters", "maxlength": 18})
    elif kind == "boolean":
        return forms.ChoiceField(choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))], **common)
    elif kind == "choice":
        choices = [("", "—"), *((str(value), str(value)) for value in spec.get("choices") or [])]
        return forms.ChoiceField(choices=choices, **common)
    else:
        widget = forms.TextInput(attrs={"maxlength": TEXT_MAX})
    return forms.CharField(widget=widget, max_length=TEXT_MAX, **common)


def file_field(label: str) -> forms.FileField:
    """A material's file input: PDF, JPEG or PNG (the service checks the bytes)."""
    return forms.FileField(
        label=label,
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class ServiceErrors(forms.Form):
    """A form showing a service's field errors beside the inputs they name: a form field's
    name goes to its ``answer_`` input, a material code to its ``file_`` input."""

    def show_errors(self, error: KuaijiError) -> None:
        for name, message in error.fields.items():
            for candidate in (f"{ANSWER}{name}", f"{FILE}{name}", name):
                if candidate in self.fields and not self.fields[candidate].widget.is_hidden:
                    self.add_error(candidate, str(message))
                    break
            else:
                self.add_error(None, str(message))
        if not error.fields:
            self.add_error(None, str(error.message))

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(ANSWER)]

    def answers(self) -> dict[str, Any]:
        """The answers given, by the merged form's field names (empty ones left out)."""
        values: dict[str, Any] = {}
        for name in self.fields:
            if not name.startswith(ANSWER):
                continue
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                values[name[len(ANSWER) :]] = value
        return values

    def uploads(self) -> dict[str, Any]:
        """The files sent, by material code."""
        return {
            name[len(FILE) :]: upload
            for name, upload in self.cleaned_data.items()
            if name.startswith(FILE) and upload
        }


class ApplyForm(SubmissionKeyForm, ServiceErrors):
    """The online application: the submission key (made when the form is first shown), the
    merged form's fields, one file input per material and the consents for 免提交 materials
    (given by default). `materials` are the merged materials (`selectors.MergedMaterial`)."""

    def __init__(
        self,
        *args: Any,
        fields: Sequence[dict[str, Any]],
        materials: Sequence[Any],
        enterprises: Iterable[tuple[str, str]] = (),
        enterprise_required: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for spec in fields:
            self.fields[f"{ANSWER}{spec['name']}"] = answer_field(spec)
        self.materials = list(materials)
        for material in self.materials:
            name = pick(material.name, material.name_en)
            self.fields[f"{FILE}{material.code}"] = file_field(name)
            if material.from_shared_data:
                self.fields[f"{CONSENT}{material.code}"] = forms.BooleanField(
                    required=False, initial=True
                )
        choices = list(enterprises)
        if choices:
            first = [] if enterprise_required else [("", _("Myself"))]
            self.fields["enterprise"] = forms.ChoiceField(
                label=_("Apply for"), choices=[*first, *choices], required=enterprise_required
            )

    def consented(self) -> list[str]:
        """The 免提交 materials to obtain from shared data: consented to, and not uploaded."""
        uploaded = self.uploads()
        return [
            material.code
            for material in self.materials
            if material.from_shared_data
            and self.cleaned_data.get(f"{CONSENT}{material.code}")
            and material.code not in uploaded
        ]


class ResubmitForm(ServiceErrors):
    """The answer to a correction request: each field and material it named, sent again."""

    def __init__(
        self,
        *args: Any,
        fields: Sequence[dict[str, Any]],
        answers: dict[str, Any],
        materials: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for spec in fields:
            self.fields[f"{ANSWER}{spec['name']}"] = answer_field(
                spec, initial=answers.get(str(spec["name"]))
            )
        for code, name in materials:
            self.fields[f"{FILE}{code}"] = file_field(name)

    def answers(self) -> dict[str, Any]:
        """Every field the correction named, also left empty (so the service can say so)."""
        return {
            name[len(ANSWER) :]: self.cleaned_data.get(name) or ""
            for name in self.fields
            if name.startswith(ANSWER)
        }


class WithdrawForm(ServiceErrors):
    """Why the applicant withdraws the application."""

    reason = forms.CharField(
        label=_("Why do you withdraw the application?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_MAX}),
    )


class RatingForm(ServiceErrors):
    """The applicant's rating (好差评): five levels and a comment."""

    level = forms.TypedChoiceField(
        label=_("How was the service?"),
        choices=[(str(value), label) for value, label in RatingLevel.choices],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX}),
    )


class VerifyForm(forms.Form):
    """The public certificate check: the verification code printed on it."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
