"""What the statistics screens share: the form choosing what to count by and over which days,
and the links to the same table as CSV and XLSX."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.core.errors import InvalidInput


class PeriodForm(forms.Form):
    """What to count by (the screen's dimensions), and over which days (the last 30 by
    default)."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, data: QueryDict | None, *, dimensions: Mapping[str, str | Promise], default: str
    ) -> None:
        super().__init__(data)
        self.fields["by"] = forms.ChoiceField(
            label=_("Count by"), choices=list(dimensions.items()), initial=default, required=False
        )
        self.order_fields(["by", "start", "end"])
        self.default = default

    def chosen(self) -> Period:
        """The period asked for (the defaults when the form is not valid)."""
        if not self.is_valid():
            return Period(self.default, None, None)
        data = self.cleaned_data
        return Period(data["by"] or self.default, data["start"], data["end"])

    def refused(self, error: InvalidInput) -> None:
        """Show a service's refusal of the period above the form."""
        for message in error.fields.values():
            self.add_error(None, str(message))


@dataclass(frozen=True)
class Period:
    """What to count by, from which day to which (None: the default)."""

    by: Any
    start: date | None
    end: date | None

    def export_urls(self, url_name: str) -> dict[str, str]:
        """``csv_url`` and ``xlsx_url`` of the API endpoint `url_name` for this period."""
        query = {
            "by": self.by,
            **({"start": self.start.isoformat()} if self.start else {}),
            **({"end": self.end.isoformat()} if self.end else {}),
        }
        export = reverse(url_name)
        return {
            f"{kind}_url": f"{export}?{urlencode({**query, 'format': kind})}"
            for kind in ("csv", "xlsx")
        }
