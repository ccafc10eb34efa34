"""Query-string input of the directory screens, validated before any selector runs."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.directory.records import UNIT_CODE

REGION_CODE = r"^\d{6}(\d{3}){0,2}$"


class AreaForm(forms.Form):
    """Which township or village the grid map shows (none: the first one the actor sees)."""

    region = forms.RegexField(
        regex=REGION_CODE,
        required=False,
        error_messages={"invalid": _("A region code has 6, 9 or 12 digits.")},
    )


class StaffSearchForm(forms.Form):
    """The staff lookup's search words and department."""

    q = forms.CharField(required=False, max_length=50)
    department = forms.RegexField(
        regex=UNIT_CODE.pattern,
        required=False,
        max_length=40,
        error_messages={"invalid": _("Not a department code.")},
    )
