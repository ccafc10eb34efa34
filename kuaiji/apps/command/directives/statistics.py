"""Statistics of directives: one directive's delivery, reading and feedback, and the same
across the directives in one's scope over a period, with a table per unit reached."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.command.directives.common import VIEW
from kuaiji.apps.command.models import Directive, DirectiveStatus, DirectiveTarget, Feedback
from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import InvalidInput

DEFAULT_DAYS = 30
MAX_DAYS = 366


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass(frozen=True)
class Figures:
    """Targets reached, delivered (with an inbox notification), read and answered; `late`
    answered after the deadline; `overdue` owe feedback past the deadline."""

    targets: int
    delivered: int
    read: int
    answered: int
    late: int
    overdue: int
    expected: int  # targets that owe feedback

    @property
    def read_rate(self) -> float | None:
        return rate(self.read, self.targets)

    @property
    def feedback_rate(self) -> float | None:
        return rate(self.answered, self.expected)

    def as_dict(self) -> dict[str, Any]:
        return {
            "targets": self.targets,
            "delivered": self.delivered,
            "read": self.read,
            "read_rate": self.read_rate,
            "expected": self.expected,
            "answered": self.answered,
            "feedback_rate": self.feedback_rate,
            "late": self.late,
            "overdue": self.overdue,
        }


def _annotated(targets: QuerySet[DirectiveTarget]) -> QuerySet[DirectiveTarget]:
    reports = Feedback.objects.filter(target=OuterRef("pk"))
    return targets.annotate(
        has_feedback=Exists(reports),
        first_report=Subquery(reports.order_by("submitted_at").values("submitted_at")[:1]),
    )


def _counts(now: datetime) -> dict[str, Count]:
    """The counts of `Figures`, as aggregates over annotated targets (`_annotated`)."""
    owes = Q(directive__feedback_required=True)
    return {
        "targets": Count("pk"),
        "delivered": Count("pk", filter=Q(notification__isnull=False)),
        "read": Count("pk", filter=Q(read_at__isnull=False)),
        "answered": Count("pk", filter=Q(has_feedback=True)),
        "late": Count("pk", filter=owes & Q(first_report__gt=F("directive__deadline"))),
        "overdue": Count("pk", filter=owes & Q(directive__deadline__lt=now, has_feedback=False)),
        "expected": Count("pk", filter=owes),
    }


def _as_figures(counts: dict[str, Any]) -> Figures:
    return Figures(**{name: counts[name] or 0 for name in Figures.__dataclass_fields__})


def directive_figures(directive: Directive, now: datetime | None = None) -> Figures:
    """The figures of one directive."""
    targets = _annotated(directive.targets.all())
    return _as_figures(targets.aggregate(**_counts(now or timezone.now())))


@dataclass(frozen=True)
class UnitRow:
    unit: str
    figures: Figures


@dataclass(frozen=True)
class Overview:
    """The directives in scope issued within the period, with the figures of their targets
    and a row per unit reached (the most targets first)."""

    start: date
    end: date
    issued: int
    closed: int
    figures: Figures
    units: list[UnitRow] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "issued": self.issued,
            "closed": self.closed,
            **self.figures.as_dict(),
            "units": [{"unit": row.unit, **row.figures.as_dict()} for row in self.units],
        }


def period(start: date | None, end: date | None) -> tuple[date, date]:
    """The days asked for (the last 30 by default), checked."""
    end = end or timezone.localdate()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise InvalidInput(fields={"start": _("The first day comes after the last.")})
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput(fields={"start": _("Choose at most a year.")})
    return start, end


def in_scope(actor: Any) -> QuerySet[Directive]:
    """The directives the actor issued or may view."""
    visible = Directive.objects.visible_to(actor, VIEW).values("pk")
    return Directive.objects.filter(Q(issuer_id=getattr(actor, "pk", None)) | Q(pk__in=visible))


def overview(
    actor: Any,
    *,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> Overview:
    """The figures of the directives in the actor's scope issued from `start` to `end`
    (for those who may view directives somewhere)."""
    authorize(actor, VIEW)
    first, last = period(start, end)
    now = now or timezone.now()
    since = timezone.make_aware(datetime.combine(first, time.min))
    until = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    directives = in_scope(actor).filter(issued_at__gte=since, issued_at__lt=until)
    counted = directives.aggregate(
        issued=Count("pk"), closed=Count("pk", filter=Q(status=DirectiveStatus.CLOSED))
    )
    targets = _annotated(DirectiveTarget.objects.filter(directive__in=directives.values("pk")))
    total = targets.aggregate(**_counts(now))
    grouped: Any = targets.values("department_id", "department__name").annotate(**_counts(now))
    by_unit: list[dict[str, Any]] = list(grouped.order_by("-targets", "department__name"))
    units = [
        UnitRow(row["department__name"] or _("(no unit)"), _as_figures(row)) for row in by_unit
    ]
    return Overview(
        start=first,
        end=last,
        issued=counted["issued"],
        closed=counted["closed"],
        figures=_as_figures(total),
        units=units,
    )
