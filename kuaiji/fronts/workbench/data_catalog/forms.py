"""Forms of the catalog screens: the list's filters, and a resource's description with its schema
as a formset. They check the shape of the input; `ResourceRecord` and the catalog services check
its meaning, and their errors are put back next to the fields they concern."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.data.models import (
    FieldType,
    Level,
    OpeningType,
    SharingType,
    UpdateFrequency,
)

ALL = [("", _("All"))]


def words(text: str) -> list[str]:
    """Themes or tags written one after the other, separated by commas (also 、 and ，)."""
    for mark in ("，", "、", ";", "；", "\n"):
        text = text.replace(mark, ",")
    return [word.strip() for word in text.split(",") if word.strip()]


class FilterForm(forms.Form):
    """The filters of the catalog list."""

    q = forms.CharField(label=_("Code, title or tag"), max_length=100, required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    sharing = forms.ChoiceField(
        label=_("Sharing type"), choices=[*ALL, *SharingType.choices], required=False
    )
    opening = forms.ChoiceField(
        label=_("Opening type"), choices=[*ALL, *OpeningType.choices], required=False
    )

    def __init__(
        self,
        *args: Any,
        themes: list[str],
        departments: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        theme = cast(forms.ChoiceField, self.fields["theme"])
        theme.choices = [*ALL, *((name, name) for name in themes)]
        department = cast(forms.ChoiceField, self.fields["department"])
        department.choices = [*ALL, *departments]


class ResourceForm(forms.Form):
    """A resource's description: what it is, who keeps it, how it may be shared and opened."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens; it cannot change later."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("English title"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_en = forms.CharField(
        label=_("English description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    department_code = forms.ChoiceField(label=_("Owning department"))
    steward = forms.CharField(label=_("Data steward"), max_length=100, required=False)
    frequency = forms.ChoiceField(label=_("Update frequency"), choices=UpdateFrequency.choices)
    themes = forms.CharField(
        label=_("Themes"),
        max_length=400,
        required=False,
        help_text=_("Separated by commas."),
    )
    tags = forms.CharField(
        label=_("Tags"), max_length=800, required=False, help_text=_("Separated by commas.")
    )
    licence = forms.CharField(label=_("Licence"), max_length=100, required=False)
    sharing = forms.ChoiceField(label=_("Sharing type"), choices=SharingType.choices)
    sharing_basis = forms.CharField(
        label=_("Legal basis for not sharing"),
        max_length=300,
        required=False,
        help_text=_("Required when the resource is not shared."),
    )
    opening = forms.ChoiceField(label=_("Opening type"), choices=OpeningType.choices)

    def __init__(
        self, *args: Any, departments: list[tuple[str, str]], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["department_code"]).choices = departments
        if editing:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = ""

    def description_fields(self) -> dict[str, Any]:
        """The cleaned description as `ResourceRecord` takes it."""
        data = dict(self.cleaned_data)
        data["themes"] = words(data["themes"])
        data["tags"] = words(data["tags"])
        return data


class FieldForm(forms.Form):
    """One field of the schema."""

    name = forms.CharField(
        label=_("Name"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    type = forms.ChoiceField(label=_("Type"), choices=FieldType.choices, initial=FieldType.STRING)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    standard = forms.CharField(label=_("Data element standard"), max_length=100, required=False)
    # No default: a field is classified on purpose, never public by omission.
    level = forms.TypedChoiceField(
        label=_("Classification level"),
        choices=[("", _("Choose a level")), *Level.choices],
        coerce=int,
    )
    primary_key = forms.BooleanField(label=_("Primary key"), required=False)
    required = forms.BooleanField(label=_("Required"), required=False)

    def record(self) -> dict[str, Any]:
        """The cleaned field as `FieldRecord` takes it."""
        data = dict(self.cleaned_data)
        data.pop("DELETE", None)
        return data


FieldFormSet = forms.formset_factory(
    FieldForm, extra=1, can_delete=True, max_num=300, validate_max=True
)
