"""What both fronts' grid-event screens share: taxonomy names in the active language, a form
base that shows the grassroots services' field errors, and photos served as private files."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from kuaiji.apps.grassroots.models import Urgency
from kuaiji.apps.grassroots.services import DESCRIPTION_MAX
from kuaiji.apps.grassroots.triage import taxonomy
from kuaiji.fronts.shell.language import english
from kuaiji.platform.core.errors import KuaijiError

# Service error fields that are not form fields: shown next to the inputs they are about.
OWN_PLACES = ("location", "photos")


def category_name(code: str) -> str:
    """A category's name in the active language ("" for no category)."""
    if not code or code not in taxonomy.codes():
        return ""
    found = taxonomy.category(code)
    return str(found.name_en) if english() else found.name


def category_choices() -> list[tuple[str, Any]]:
    """The categories grouped by taxonomy group, in the active language."""
    return [
        (
            str(group.name_en) if english() else group.name,
            [(item.code, str(item.name_en) if english() else item.name) for item in items],
        )
        for group, items in taxonomy.by_group().items()
    ]


class ServiceForm(forms.Form):
    """A form that also shows a service's field errors: on its fields, and those about the
    location and the photos (no fields of their own) in `place_errors`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.place_errors: dict[str, list[str]] = {}

    def show_errors(self, error: KuaijiError) -> None:
        """Put a service's field errors on the form: the location's and the photos' beside
        those inputs, the others on their fields (or the form)."""
        for name, message in error.fields.items():
            if name in OWN_PLACES:
                self.place_errors.setdefault(name, []).append(str(message))
            else:
                self.add_error(name if name in self.fields else None, str(message))
        if not error.fields:
            self.add_error(None, str(error.message))

    def location_errors(self) -> list[str]:
        """Errors about where the problem is: the service's, and unreadable coordinates."""
        found = list(self.place_errors.get("location", []))
        if self.is_bound:
            for name in ("latitude", "longitude"):
                found += [str(message) for message in self.errors.get(name, [])]
        return found

    def photo_errors(self) -> list[str]:
        return list(self.place_errors.get("photos", []))


class ReportFields(ServiceForm):
    """The fields of a report in either front: what, which kind (optional), where, how urgent.
    Each front words the labels and help for its readers (`labels`, `help_texts`)."""

    labels: dict[str, StrPromise] = {}
    help_texts: dict[str, StrPromise] = {}

    description = forms.CharField(
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": DESCRIPTION_MAX}),
    )
    category = forms.ChoiceField(required=False)
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            self.fields[name].label = label
        for name, text in self.help_texts.items():
            self.fields[name].help_text = text
        category = cast(forms.ChoiceField, self.fields["category"])
        category.choices = [("", _("Let the platform classify it")), *category_choices()]

    def report(self) -> dict[str, Any]:
        """The arguments of `report_event` this form gives."""
        names = ("description", "category", "latitude", "longitude", "address", "urgency")
        return {name: self.cleaned_data[name] for name in names}


def photo_file(field: Any, content_type: str) -> HttpResponse:
    """A stored photo as a private, briefly cached answer."""
    response = FileResponse(field.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return cast(HttpResponse, response)  # streamed; the views' decorators are typed for it
