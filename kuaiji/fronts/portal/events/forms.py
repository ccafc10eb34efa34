"""Forms of the citizens' event screens. They check the shape of the input; the grassroots and
chain services check its meaning, and their field errors are shown on the same form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.grassroots.models import Rating, Urgency
from kuaiji.apps.grassroots.services import DESCRIPTION_MAX
from kuaiji.fronts.shell.grid_events import ServiceForm, category_choices
from kuaiji.platform.chains.forms import TEXT_MAX


class ReportForm(ServiceForm):
    """A citizen's report: what, which kind (optional), where, how urgent."""

    description = forms.CharField(
        label=_("What is the problem?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": DESCRIPTION_MAX}),
    )
    category = forms.ChoiceField(
        label=_("Kind of problem"),
        required=False,
        help_text=_("Leave it empty and the platform classifies your report."),
    )
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        required=False,
        help_text=_("Name the village, community or street, e.g. “塔山街道府山社区 3 号楼”."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = cast(forms.ChoiceField, self.fields["category"])
        category.choices = [("", _("Let the platform classify it")), *category_choices()]

    def report(self) -> dict[str, Any]:
        """The arguments of `report_event` this form gives."""
        data = self.cleaned_data
        return {
            "description": data["description"],
            "category": data["category"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "address": data["address"],
            "urgency": data["urgency"],
        }


class RatingForm(ServiceForm):
    """The reporter's rating of the result."""

    rating = forms.ChoiceField(
        label=_("Are you satisfied with how the problem was handled?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label=_("Your opinion"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
    )
