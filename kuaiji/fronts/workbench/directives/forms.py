"""Forms of the directive screens (the cockpit's office screen issues with the same form).
They check the shape of the input; the directive services check its meaning and the scope,
their field errors shown beside the inputs they name."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.command.directives.common import FEEDBACK_MAX, ISSUE, TEXT_MAX
from kuaiji.apps.command.models import DirectivePriority, DirectiveStatus, FeedbackState
from kuaiji.fronts.shell.language import english
from kuaiji.fronts.shell.submissions import SubmissionKeyForm
from kuaiji.platform.access.models import Role
from kuaiji.platform.core.errors import KuaijiError
from kuaiji.platform.directory.models import Department, Region, RegionLevel

ACCEPT = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the service checks each)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class NamedChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Departments, regions and roles by their English name on English pages."""

    def label_from_instance(self, obj: Any) -> str:
        english_name = str(getattr(obj, "name_en", "") or "")
        return english_name if english() and english_name else str(obj.name)


class ShowsErrors(forms.Form):
    def show_errors(self, error: KuaijiError) -> None:
        """A service's refusal beside the inputs it names (the others above the form)."""
        for name, message in error.fields.items():
            target = "departments" if name == "targets" else name
            if name == "files":
                target = "attachments" if "attachments" in self.fields else "attachment"
            self.add_error(target if target in self.fields else None, str(message))
        if not error.fields:
            self.add_error(None, str(error.message))


class IssueForm(SubmissionKeyForm, ShowsErrors):
    """The issue form: what, how urgent, to whom (within the issuer's scope), by when."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=DirectivePriority.choices, initial=DirectivePriority.ROUTINE
    )
    departments = NamedChoice(
        label=_("Departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    regions = NamedChoice(
        label=_("Regions (their government or township office)"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    roles = NamedChoice(
        label=_("Roles (holders within your scope)"),
        queryset=Role.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    feedback_required = forms.BooleanField(
        label=_("Feedback required"), required=False, initial=True
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments: QuerySet[Department] = Department.objects.visible_to(actor, ISSUE)
        regions: QuerySet[Region] = Region.objects.visible_to(actor, ISSUE).filter(
            level__in=[RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP]
        )
        fields = self.fields
        cast(NamedChoice, fields["departments"]).queryset = departments.order_by("path")
        cast(NamedChoice, fields["regions"]).queryset = regions.order_by("path")
        cast(NamedChoice, fields["roles"]).queryset = Role.objects.order_by("code")


class FeedbackForm(ShowsErrors):
    """A target's report: state, what was done, and optionally a file."""

    state = forms.ChoiceField(
        label=_("State"),
        choices=FeedbackState.choices,
        widget=forms.RadioSelect,
        initial=FeedbackState.DONE,
    )
    body = forms.CharField(
        label=_("Feedback"), max_length=FEEDBACK_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class CloseForm(ShowsErrors):
    """The issuing office's summary of the feedback, written when closing."""

    summary = forms.CharField(
        label=_("Summary of the feedback"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ListForm(forms.Form):
    """The list's filters: which box, status, words of the title."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("any")), *DirectiveStatus.choices], required=False
    )
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
