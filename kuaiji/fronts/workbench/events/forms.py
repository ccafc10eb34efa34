"""Forms of the grid-event screens. They check the shape of the input; the grassroots services
check its meaning, and their field errors are shown on the same form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.grassroots.models import EventSource
from kuaiji.fronts.shell.grid_events import ReportFields
from kuaiji.fronts.workbench.events.common import group_choices

STATUS_CHOICES = [("all", _("All")), ("open", _("Open")), ("closed", _("Closed"))]


class ReportForm(ReportFields):
    """A report from the work front: what, which kind (optional), where, how urgent, from which
    source; for hotline calls, who called."""

    labels = {"description": _("Description"), "category": _("Category")}
    help_texts = {
        "category": _("Leave it empty and the platform classifies the report."),
        "address": _("Without a point: name the village, community or township."),
    }

    source = forms.ChoiceField(label=_("Source"), initial=EventSource.PATROL)
    reporter_name = forms.CharField(label=_("Caller's name"), max_length=50, required=False)
    reporter_phone = forms.CharField(
        label=_("Caller's phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, sources: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources = [value for value, _label in sources]
        cast(forms.ChoiceField, self.fields["source"]).choices = sources

    @property
    def chooses_source(self) -> bool:
        """Whether the reporter has more than grid patrol to choose from."""
        return len(self.sources) > 1

    @property
    def takes_calls(self) -> bool:
        """Whether the reporter may record hotline calls (and so the caller's details)."""
        return EventSource.HOTLINE in self.sources

    def report(self) -> dict[str, Any]:
        """The arguments of `report_event` this form gives."""
        data = self.cleaned_data
        found = {**super().report(), "source": data["source"]}
        if self.takes_calls and data["source"] == EventSource.HOTLINE:
            found["reporter_name"] = data["reporter_name"]
            found["reporter_phone"] = data["reporter_phone"]
        return found


class FilterForm(forms.Form):
    """The filters of the event list."""

    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    group = forms.ChoiceField(label=_("Kind"), required=False)
    q = forms.CharField(label=_("Number or words"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = cast(forms.ChoiceField, self.fields["group"])
        group.choices = [("", _("All kinds")), *group_choices()]
