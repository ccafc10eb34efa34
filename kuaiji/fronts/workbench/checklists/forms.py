"""Forms of the task-list screens. They check the shape of the input; the checklist services
check its meaning (scope, dates, states), their errors shown on the same page."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.command.checklists.drawing import MilestoneDraft
from kuaiji.apps.command.models import AcceptanceDecision, Milestone, TaskListOrigin
from kuaiji.fronts.shell.submissions import SubmissionKeyForm
from kuaiji.platform.core.errors import KuaijiError
from kuaiji.platform.metrics.models import Indicator

TASK_ROWS = 3
DATE = forms.DateInput(attrs={"type": "date"})


def show_errors(form: forms.Form, errors: Mapping[str, Any], names: Mapping[str, str] = {}) -> None:
    """Put a service's field errors on the form's fields (under their form name), the rest on
    the form as a whole."""
    for name, message in errors.items():
        field = names.get(name, name)
        form.add_error(field if field in form.fields else None, str(message))


class ListForm(SubmissionKeyForm):
    """The list itself: title, description, where its tasks come from."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    origin = forms.ChoiceField(label=_("Origin"), choices=TaskListOrigin.choices)
    directive = forms.CharField(
        label=_("Directive number"),
        max_length=30,
        required=False,
        help_text=_("For tasks from a directive: its number."),
    )
    origin_reference = forms.CharField(
        label=_("Meeting or plan"),
        max_length=200,
        required=False,
        help_text=_("The meeting (and its date) or the plan the tasks come from."),
    )


def parse_milestones(text: str) -> list[MilestoneDraft]:
    """Milestones written one a line as "YYYY-MM-DD title"."""
    found = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        day, _sep, title = line.strip().partition(" ")
        try:
            due_on = date.fromisoformat(day)
        except ValueError:
            raise forms.ValidationError(
                _("Write one milestone a line: the date (YYYY-MM-DD), a space, its title.")
            ) from None
        found.append(MilestoneDraft(title.strip(), due_on))
    return found


class TaskForm(forms.Form):
    """One task of a list being drawn up (a row left without a title is skipped)."""

    title = forms.CharField(label=_("Task"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    target_value = forms.DecimalField(
        label=_("Target"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    indicator = forms.ModelChoiceField(
        label=_("Measured by indicator"),
        queryset=Indicator.objects.none(),
        required=False,
        to_field_name="code",
    )
    lead = forms.ChoiceField(label=_("Lead unit"), required=False)
    cooperating = forms.MultipleChoiceField(
        label=_("Cooperating units"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    milestones = forms.CharField(
        label=_("Milestones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "2026-06-30 完成一轮排查"}),
        help_text=_("One a line: the date (YYYY-MM-DD), a space, its title."),
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["lead"]).choices = [("", _("— choose —")), *units]
        cast(forms.MultipleChoiceField, self.fields["cooperating"]).choices = units
        cast(
            forms.ModelChoiceField[Indicator], self.fields["indicator"]
        ).queryset = Indicator.objects.filter(active=True).order_by("code")

    def clean_milestones(self) -> list[MilestoneDraft]:
        return parse_milestones(self.cleaned_data.get("milestones") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("title") or "").strip():
            return data
        for name in ("target_value", "unit", "lead", "starts_on", "deadline"):
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, _("This field is required."))
        return data

    @property
    def filled(self) -> bool:
        return bool(self.is_valid() and (self.cleaned_data.get("title") or "").strip())


BaseTasks = forms.formset_factory(
    TaskForm, extra=TASK_ROWS, max_num=100, absolute_max=100, validate_max=True
)


class TaskFormSet(BaseTasks):  # type: ignore[valid-type,misc]
    """The tasks of a new list: at least one filled in."""

    def clean(self) -> None:
        super().clean()
        if not any(form.errors for form in self.forms) and not any(
            form.filled for form in self.forms
        ):
            raise forms.ValidationError(_("Describe at least one task."))


def task_formset(units: list[tuple[str, str]], data: Any = None) -> TaskFormSet:
    return TaskFormSet(data, prefix="tasks", form_kwargs={"units": units})


class ReportForm(forms.Form):
    """A progress report; the evidence files come as `files` (several allowed)."""

    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    achieved_value = forms.DecimalField(
        label=_("Achieved so far"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    milestone = forms.TypedChoiceField(
        label=_("Milestone reached"), coerce=int, required=False, empty_value=None
    )
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, milestones: list[Milestone], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["milestone"]).choices = [
            ("", _("— none —")),
            *((str(m.pk), f"{m.due_on:%Y-%m-%d} {m.title}") for m in milestones),
        ]


class DecisionForm(forms.Form):
    """The office's decision on a submitted task."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=AcceptanceDecision.choices,
        widget=forms.RadioSelect,
        initial=AcceptanceDecision.ACCEPTED,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when returning: say what is missing."),
    )
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)


class DeadlineForm(forms.Form):
    """A new deadline and why."""

    deadline = forms.DateField(label=_("New deadline"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=500)
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class RevisionForm(forms.Form):
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)


def refusal(error: KuaijiError) -> str:
    """A service's refusal in one line."""
    return " ".join([str(error.message), *(str(text) for text in error.fields.values())])
