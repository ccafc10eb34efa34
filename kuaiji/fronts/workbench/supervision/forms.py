"""The filter form of the supervision screen: region, kind of work, light."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.command.supervision.selectors import local_name
from kuaiji.apps.command.supervision.sources import KINDS
from kuaiji.platform.directory.models import Region

LIGHTS = (("red", _("Red")), ("yellow", _("Yellow")), ("green", _("Green")))


class FilterForm(forms.Form):
    """Which region (the supervised ones and their counties and townships), kind and light."""

    def __init__(self, data: Mapping[str, str] | None, *, regions: list[Region]) -> None:
        super().__init__(data)
        depth = min((region.path.count("/") for region in regions), default=0)
        indented = [
            (region.code, "\u3000" * (region.path.count("/") - depth) + local_name(region))
            for region in regions
        ]
        self.fields["region"] = forms.ChoiceField(
            label=_("Region"), required=False, choices=indented
        )
        self.fields["kind"] = forms.ChoiceField(
            label=_("Kind of work"),
            required=False,
            choices=[("", _("All kinds")), *KINDS.items()],
        )
        self.fields["light"] = forms.ChoiceField(
            label=_("Light"), required=False, choices=[("", _("All lights")), *LIGHTS]
        )

    def chosen(self) -> dict[str, Any]:
        """The valid choices (none where the form is not valid)."""
        if not self.is_bound or not self.is_valid():
            return {"region": None, "kind": "", "light": ""}
        data = self.cleaned_data
        return {"region": data["region"] or None, "kind": data["kind"], "light": data["light"]}
