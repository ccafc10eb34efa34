"""What the chain screens share: names in the active language, traffic lights, form values in
words, the timeline as rows, the diagram's data, and service errors shown on the page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kuaiji.fronts.shell.language import english
from kuaiji.platform.access.services import has_permission
from kuaiji.platform.chains.forms import choice_label, field_label
from kuaiji.platform.chains.models import (
    ChainVersion,
    StepAction,
    TaskStatus,
    TimelineEntry,
    WorkTask,
)
from kuaiji.platform.chains.sla import light_of
from kuaiji.platform.core.errors import KuaijiError
from kuaiji.platform.workdays.calendar import Light

LIGHT_LABELS: dict[str, Promise] = {
    Light.GREEN: gettext_lazy("On time"),
    Light.YELLOW: gettext_lazy("Due soon"),
    Light.RED: gettext_lazy("Overdue"),
}


def localized(name: str, name_en: str = "") -> str:
    """A model's name in the active language (the Chinese one when no English one is set)."""
    return name_en if name_en and english() else name


def step_name(version: ChainVersion, step_id: str) -> str:
    """The name of a step of a model version, or its id when the version has no such step."""
    step = version.steps.get(step_id)
    if not isinstance(step, dict):
        return step_id
    return localized(step.get("name", step_id), step.get("name_en", ""))


def task_step_name(task: WorkTask) -> str:
    return localized(task.step_name, task.step_name_en)


@dataclass(frozen=True)
class Badge:
    """A task's traffic light as the screens print it: a colour and the same in words."""

    light: str
    label: str


def light_badge(task: WorkTask, now: datetime | None = None) -> Badge | None:
    """The light of an open task with a time limit; None for the others."""
    if task.status != TaskStatus.OPEN:
        return None
    found = light_of(task.created_at, task.due_at, now or timezone.now())
    return Badge(str(found), str(LIGHT_LABELS[found])) if found is not None else None


@dataclass(frozen=True)
class TaskRow:
    """A task of a list with its step name and light."""

    task: WorkTask
    step: str
    light: Badge | None


def task_rows(tasks: Iterable[WorkTask]) -> list[TaskRow]:
    now = timezone.now()
    return [TaskRow(task, task_step_name(task), light_badge(task, now)) for task in tasks]


@dataclass(frozen=True)
class FieldValue:
    """One value of a step's form, labelled."""

    label: str
    value: str


def step_fields(version: ChainVersion, step_id: str) -> list[dict[str, Any]]:
    step = version.steps.get(step_id)
    fields = step.get("fields", []) if isinstance(step, dict) else []
    return [item for item in fields if isinstance(item, dict)]


def form_values(version: ChainVersion, step_id: str, values: Mapping[str, Any]) -> list[FieldValue]:
    """Form data in words: each field's label, and a choice's label instead of its identifier,
    in the order the model declares the fields (others after them)."""
    kinds = {item["name"]: item.get("kind", "text") for item in step_fields(version, step_id)}
    ordered = [name for name in kinds if name in values]
    ordered += sorted(name for name in values if name not in kinds)
    shown = []
    for name in ordered:
        value = str(values[name])
        if kinds.get(name) == "choice":
            value = choice_label(value)
        shown.append(FieldValue(field_label(name), value))
    return shown


@dataclass(frozen=True)
class TimelineRow:
    """An entry of an instance's thread, ready to print."""

    entry: TimelineEntry
    step: str
    fields: list[FieldValue]
    note: str


def _note(version: ChainVersion, entry: TimelineEntry) -> str:
    details = entry.details or {}
    if entry.action == StepAction.RETURN and details.get("to"):
        return _("Back to: %(step)s") % {"step": step_name(version, str(details["to"]))}
    if entry.action == StepAction.TRANSFER and details.get("to_name"):
        return _("To: %(name)s") % {"name": details["to_name"]}
    if entry.action == StepAction.CO_HANDLER and details.get("user_name"):
        return _("Co-handler: %(name)s") % {"name": details["user_name"]}
    if entry.action == StepAction.CREATE and details.get("unit"):
        return _("For: %(unit)s") % {"unit": details["unit"]}
    if entry.action == StepAction.OVERDUE and details.get("escalated_to"):
        return _("Escalated to: %(unit)s") % {"unit": details["escalated_to"]}
    if entry.action == StepAction.START and details.get("version"):
        return _("Model version %(number)s") % {"number": details["version"]}
    return ""


def timeline_rows(version: ChainVersion, entries: Iterable[TimelineEntry]) -> list[TimelineRow]:
    """The thread from start to end: step name, form data in words and what the entry adds."""
    rows = []
    for entry in entries:
        task = entry.task
        form = (entry.details or {}).get("form")
        rows.append(
            TimelineRow(
                entry=entry,
                step=task_step_name(task) if task is not None else "",
                fields=form_values(version, task.step, form)
                if task is not None and isinstance(form, dict)
                else [],
                note=_note(version, entry),
            )
        )
    return rows


@dataclass(frozen=True)
class Diagram:
    """Where the diagram's BPMN is fetched from and which elements it highlights."""

    source_url: str
    current: str


def diagram(actor: Any, version: ChainVersion, current: Iterable[str] = ()) -> Diagram | None:
    """The diagram of a version for people who may see chain models; None for the others."""
    if not has_permission(actor, "chains.model.view"):
        return None
    url = reverse(
        "workbench:chains:model_source",
        kwargs={"key": version.definition.key, "number": version.number},
    )
    return Diagram(url, " ".join(sorted(set(current))))


@dataclass
class Failure:
    """A refused action, shown on the page it was sent from: which form, why, what was sent."""

    action: str
    message: str
    fields: dict[str, str] = field(default_factory=dict)
    posted: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, action: str, error: KuaijiError, posted: Mapping[str, Any]) -> Failure:
        return cls(
            action=action,
            message=str(error.message),
            fields={name: str(text) for name, text in error.fields.items()},
            posted=posted,
        )


def failure_context(failure: Failure | None) -> dict[str, Any]:
    """What a page needs to show a refused action: the failure, and its field errors and posted
    values by action (``errors.transfer.to``, ``posted.transfer.reason`` in a template)."""
    if failure is None:
        return {"failure": None, "errors": {}, "posted": {}}
    return {
        "failure": failure,
        "errors": {failure.action: failure.fields},
        "posted": {failure.action: failure.posted},
    }


def safe_next(request: HttpRequest, default: str) -> str:
    """The posted `next` address when it is a chain screen of this site, else `default`."""
    target = str(request.POST.get("next", ""))
    if target.startswith("/work/chains/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
