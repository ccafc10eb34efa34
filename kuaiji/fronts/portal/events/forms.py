"""Forms of the citizens' event screens. They check the shape of the input; the grassroots and
chain services check its meaning, and their field errors are shown on the same form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.grassroots.models import Rating
from kuaiji.fronts.shell.grid_events import ReportFields, ServiceForm
from kuaiji.platform.chains.forms import TEXT_MAX


class ReportForm(ReportFields):
    """A citizen's report: what, which kind (optional), where, how urgent."""

    labels = {"description": _("What is the problem?"), "category": _("Kind of problem")}
    help_texts = {
        "category": _("Leave it empty and the platform classifies your report."),
        "address": _("Name the village, community or street, e.g. “塔山街道府山社区 3 号楼”."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"


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
