"""Forms of the application screens. They check the shape of the input; the government services
check its meaning (and the race with the applicant), their errors shown on the same page."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

DAYS_CHOICES = [(str(days), str(days)) for days in range(1, 6)]
CORRECTION_ROWS = 4
DECISIONS = [("approve", _("Approve")), ("reject", _("Reject"))]


class ProblemForm(forms.Form):
    """One problem of a correction request: a material or a field of the application (as
    "material:<code>" or "field:<name>"), and what the applicant should do about it."""

    target = forms.ChoiceField(label=_("Material or field"), required=False)
    what = forms.CharField(
        label=_("What to do"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, targets: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = [
            ("", _("— choose —")),
            *targets,
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("target")) != bool((data.get("what") or "").strip()):
            raise forms.ValidationError(_("Choose a material or a field, and say what to do."))
        return data

    def problem(self) -> dict[str, str] | None:
        """The problem as `request_correction` takes it; None for an empty row."""
        target = self.cleaned_data.get("target") or ""
        if not target:
            return None
        kind, _sep, name = target.partition(":")
        return {kind: name, "what": self.cleaned_data["what"].strip()}


BaseProblems = forms.formset_factory(
    ProblemForm, extra=CORRECTION_ROWS, max_num=50, absolute_max=50, validate_max=True
)


class ProblemFormSet(BaseProblems):  # type: ignore[valid-type,misc]
    """Every problem of the application at once (一次性告知): at least one row filled in."""

    def problems(self) -> list[dict[str, str]]:
        return [found for form in self.forms if (found := form.problem()) is not None]

    def clean(self) -> None:
        super().clean()
        if not any(form.errors for form in self.forms) and not self.problems():
            raise forms.ValidationError(_("List at least one problem."))


def problem_formset(targets: list[tuple[str, Any]], data: Any = None) -> ProblemFormSet:
    """The correction form offering the application's materials and fields."""
    return ProblemFormSet(data, prefix="problems", form_kwargs={"targets": targets})


class HandleForm(forms.Form):
    """A department's handling of its item: the opinion, or a refusal with its reason."""

    opinion = forms.CharField(
        label=_("Opinion"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    refused = forms.BooleanField(label=_("Refuse this item"), required=False)


class DecideForm(forms.Form):
    """The decision on the application, with the revision the page showed."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect, initial="approve"
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class NearForm(forms.Form):
    """How many working days ahead the supervision looks."""

    days = forms.TypedChoiceField(
        label=_("Promised within (working days)"),
        choices=DAYS_CHOICES,
        coerce=int,
        initial="2",
        required=False,
    )
