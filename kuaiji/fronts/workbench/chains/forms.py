"""Forms of the chain screens. They check the shape of the input; the chain services check its
meaning and their field errors are put on the same forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.chains.definitions import MAX_SOURCE_BYTES
from kuaiji.platform.chains.services import TITLE_MAX
from kuaiji.platform.core.errors import KuaijiError

# Models whose instances need the departments that work on them in parallel.
WITH_DEPARTMENTS = frozenset({"one_thing_service"})
MAX_DEPARTMENTS = 20


def show_errors(form: forms.Form, error: KuaijiError) -> None:
    """Put the field errors a service raised on the form's fields (the others on the form)."""
    for name, message in error.fields.items():
        form.add_error(name if name in form.fields else None, str(message))
    if not error.fields:
        form.add_error(None, str(error.message))


class StartForm(forms.Form):
    """Which chain, where, about what."""

    definition = forms.ChoiceField(label=_("Chain model"))
    region = forms.ChoiceField(label=_("Region"), required=False)
    grid = forms.CharField(
        label=_("Grid code"),
        required=False,
        max_length=20,
        help_text=_("The grid the matter lies in; the chain then runs in its region."),
    )
    department = forms.CharField(
        label=_("Responsible department code"), required=False, max_length=30
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    departments = forms.CharField(
        label=_("Departments handling it in parallel"),
        required=False,
        max_length=1000,
        help_text=_("Only for the “one thing” service: department codes, separated by commas."),
    )

    def __init__(
        self,
        *args: Any,
        definitions: list[tuple[str, str]],
        regions: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["definition"].choices = [("", _("Choose a chain model")), *definitions]  # type: ignore[attr-defined]
        self.fields["region"].choices = [("", _("Choose a region")), *regions]  # type: ignore[attr-defined]

    def clean_departments(self) -> list[str]:
        text = self.cleaned_data.get("departments", "")
        codes = [code.strip() for code in text.replace("，", ",").split(",") if code.strip()]
        if len(codes) > MAX_DEPARTMENTS:
            raise forms.ValidationError(
                _("At most %(count)d departments.") % {"count": MAX_DEPARTMENTS}
            )
        return list(dict.fromkeys(codes))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("region") and not data.get("grid"):
            self.add_error("region", _("Choose a region, or give a grid code."))
        if data.get("definition") in WITH_DEPARTMENTS and not data.get("departments"):
            self.add_error("departments", _("List the codes of the departments handling it."))
        return data


class UploadForm(forms.Form):
    """A BPMN 2.0 file."""

    file = forms.FileField(
        label=_("BPMN model file"),
        help_text=_("A .bpmn file of at most 2 MB; its process id names the chain."),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        source = bytes(upload.read(MAX_SOURCE_BYTES + 1))
        if len(source) > MAX_SOURCE_BYTES:
            return source  # the model check refuses it, saying why
        try:
            source.decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The model must be UTF-8 text.")) from error
        return source
