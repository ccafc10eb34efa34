"""Where supervised work comes from, as rows of one shape.

Three tables hold work someone owes: the chains' task table (grid events, service applications,
data sharing requests, rectifications…), the checklist tasks, and the targets of directives that
owe feedback. Each source gives a queryset of its open work, restricted to what the actor may
supervise, annotated with the same columns (`COLUMNS`), so the three can be counted by the
database and united into one list ordered by due time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.command.checklists.common import LIST_LINK
from kuaiji.apps.command.directives.common import LINK as DIRECTIVE_LINK
from kuaiji.apps.command.models import (
    DirectiveStatus,
    DirectiveTarget,
    Feedback,
    Task,
    TaskListStatus,
)
from kuaiji.apps.command.models.checklists import OPEN_TASK_STATUSES
from kuaiji.apps.command.supervision import lights
from kuaiji.platform.access.scoping import Scope, scope_filter
from kuaiji.platform.chains.models import TaskStatus as ChainTaskStatus
from kuaiji.platform.chains.models import WorkTask
from kuaiji.platform.data.sharing import BUSINESS_TYPE as SHARING_TYPE
from kuaiji.platform.directory.models import Region

VIEW = "command.supervision.view"
URGE = "command.supervision.urge"
CHAIN_SUPERVISE = "chains.task.supervise"

# The business types of the chains whose work has its own kind (the apps' own constants are
# not imported: apps meet through the platform, and the chain rows carry the type as text).
EVENT_TYPE = "grassroots.event"
APPLICATION_TYPE = "government.application"
FAR_FUTURE = datetime(9999, 12, 31, tzinfo=timezone.get_fixed_timezone(0))


class Source:
    """The table an item lives in (the first part of its key, "chain:12")."""

    CHAIN = "chain"
    CHECKLIST = "checklist"
    DIRECTIVE = "directive"
    ALL = (CHAIN, CHECKLIST, DIRECTIVE)


KINDS: dict[str, Any] = {
    "event": _("Grid event"),
    "application": _("Service application"),
    "sharing": _("Data sharing request"),
    "chain": _("Other chain work"),
    "checklist": _("Checklist task"),
    "directive": _("Directive feedback"),
}
CHAIN_KINDS = ("event", "application", "sharing", "chain")
SOURCE_OF_KIND = {
    **{kind: Source.CHAIN for kind in CHAIN_KINDS},
    "checklist": Source.CHECKLIST,
    "directive": Source.DIRECTIVE,
}

# The columns every source gives, in this order (a union matches columns by position).
COLUMNS = (
    "sv_source",
    "sv_kind",
    "sv_pk",
    "sv_ref",
    "sv_ref_id",
    "sv_title",
    "sv_unit",
    "sv_region",
    "sv_due",
    "sv_sort",
    "sv_light",
    "sv_urges",
)

CHAIN_SCOPE = WorkTask.objects.all().scope
_DIRECTIVE_SCOPE = Scope(region_path="sv_region", department_path="department__path")


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def _sort(due: Any) -> Coalesce:
    """Due time for ordering, work without a due time last."""
    return Coalesce(due, Value(FAR_FUTURE, output_field=DateTimeField()))


def chain_kind() -> Case:
    """The kind of a chain task, from its business type."""
    return Case(
        When(business_type=EVENT_TYPE, then=_text("event")),
        When(business_type=APPLICATION_TYPE, then=_text("application")),
        When(business_type=SHARING_TYPE, then=_text("sharing")),
        default=_text("chain"),
        output_field=CharField(),
    )


def chain_rows(actor: Any, code: str, now: datetime) -> QuerySet[WorkTask]:
    """Open chain tasks the actor supervises with `code` and through the chains' own scope."""
    # Typed loosely: the type checker mixes up the two models whose queryset classes share a name.
    tasks: Any = WorkTask.objects.visible_to(actor, code)
    found: QuerySet[WorkTask] = (
        tasks.filter(scope_filter(WorkTask, CHAIN_SCOPE, actor, CHAIN_SUPERVISE))
        .filter(status=ChainTaskStatus.OPEN)
        .annotate(
            sv_source=_text(Source.CHAIN),
            sv_kind=chain_kind(),
            sv_pk=F("pk"),
            sv_ref=F("business_type"),
            sv_ref_id=F("business_id"),
            sv_title=F("title"),
            sv_unit=F("unit_label"),
            sv_region=F("region_path"),
            sv_due=F("due_at"),
            sv_sort=_sort(F("due_at")),
            sv_light=lights.chain_light_expression(now),
            sv_urges=F("urge_count"),
        )
    )
    return found


def checklist_rows(actor: Any, code: str, today: date) -> QuerySet[Task]:
    """Tasks of published lists not yet accepted, in the actor's scope for `code`."""
    offset = timezone.localtime().utcoffset() or timedelta()
    due = ExpressionWrapper(
        Cast("deadline", DateTimeField())
        + Value(timedelta(days=1) - offset, output_field=DurationField()),
        output_field=DateTimeField(),
    )
    return (
        Task.objects.visible_to(actor, code)
        .filter(status__in=OPEN_TASK_STATUSES, task_list__status=TaskListStatus.PUBLISHED)
        .annotate(
            sv_source=_text(Source.CHECKLIST),
            sv_kind=_text("checklist"),
            sv_pk=F("pk"),
            sv_ref=F("task_list__number"),
            sv_ref_id=Cast("sequence", CharField()),
            sv_title=F("title"),
            sv_unit=F("lead_department__name"),
            sv_region=F("region_path"),
            sv_due=due,
            sv_sort=_sort(due),
            sv_light=lights.checklist_light_expression(today),
            sv_urges=F("urge_count"),
        )
    )


def directive_rows(actor: Any, code: str, now: datetime) -> QuerySet[DirectiveTarget]:
    """Targets of directives in force that want feedback and have not given any, in the
    actor's scope for `code` (by the target's region, or its unit's, and its unit)."""
    answered = Feedback.objects.filter(target=OuterRef("pk"))
    return (
        DirectiveTarget.objects.annotate(
            sv_region=Coalesce("region__path", "department__region__path", "directive__region_path")
        )
        .filter(scope_filter(DirectiveTarget, _DIRECTIVE_SCOPE, actor, code))
        .filter(
            ~Exists(answered),
            directive__status=DirectiveStatus.ISSUED,
            directive__feedback_required=True,
        )
        .annotate(
            sv_source=_text(Source.DIRECTIVE),
            sv_kind=_text("directive"),
            sv_pk=F("pk"),
            sv_ref=F("directive__number"),
            sv_ref_id=_text(""),
            sv_title=F("directive__title"),
            sv_unit=Coalesce("department__name", "region__name", _text("")),
            sv_due=F("directive__deadline"),
            sv_sort=_sort(F("directive__deadline")),
            sv_light=lights.directive_light_expression(now),
            sv_urges=Cast("reminders", IntegerField()),
        )
    )


def rows(actor: Any, code: str, now: datetime) -> dict[str, QuerySet[Any]]:
    """The three sources for `actor` with permission `code`, by source."""
    today = timezone.localdate(now)
    return {
        Source.CHAIN: chain_rows(actor, code, now),
        Source.CHECKLIST: checklist_rows(actor, code, today),
        Source.DIRECTIVE: directive_rows(actor, code, now),
    }


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind))


# Links -------------------------------------------------------------------------------------


def _application_numbers(ids: Iterable[str]) -> dict[str, str]:
    """Application numbers by id (one query; the government app's table is read by name, as
    apps do not import each other)."""
    wanted = [int(value) for value in ids if value.isdigit()]
    if not wanted or not apps.is_installed("kuaiji.apps.government"):
        return {}
    model = apps.get_model("government", "Application")
    found = model.objects.filter(pk__in=wanted).values_list("pk", "number")
    return {str(pk): number for pk, number in found}


def links(rows: list[dict[str, Any]]) -> list[str]:
    """The page behind each row (one query for all the applications among them)."""
    numbers = _application_numbers(
        row["sv_ref_id"] for row in rows if row["sv_kind"] == "application"
    )
    return [_link(row, numbers) for row in rows]


def _link(row: dict[str, Any], numbers: dict[str, str]) -> str:
    kind, ref, ref_id = row["sv_kind"], row["sv_ref"], row["sv_ref_id"]
    if kind == "checklist":
        return LIST_LINK.format(number=ref)
    if kind == "directive":
        return DIRECTIVE_LINK.format(number=ref)
    if kind == "event" and str(ref_id).isdigit():
        return reverse("workbench:events:detail", args=[int(ref_id)])
    if kind == "application" and ref_id in numbers:
        return reverse("workbench:applications:detail", args=[numbers[ref_id]])
    if kind == "sharing":
        return reverse("workbench:data_sharing:list")
    return reverse("workbench:chains:task", args=[row["sv_pk"]])


# Regions -----------------------------------------------------------------------------------


def region_names(paths: Iterable[str]) -> dict[str, Region]:
    """The county and township regions of these region paths, by code (one query)."""
    codes: set[str] = set()
    for path in paths:
        codes.update(path.strip("/").split("/")[1:3])
    return {region.code: region for region in Region.objects.filter(code__in=codes)}


def county_and_township(path: str) -> tuple[str, str]:
    """The codes of the county and township a region path lies in ("" where it does not)."""
    parts = (path or "").strip("/").split("/")
    return (parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else "")
