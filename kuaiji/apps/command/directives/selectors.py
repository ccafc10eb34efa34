"""Reads of directives: the inbox of received directives, those issued or in one's scope, one
directive as its viewer may open it, its targets and the consolidation of their feedback."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from kuaiji.apps.command.directives.common import VIEW, oversees, reachable
from kuaiji.apps.command.models import (
    Directive,
    DirectiveStatus,
    DirectiveTarget,
    Feedback,
    FeedbackState,
)
from kuaiji.platform.core.errors import NotFound

SEARCH_MAX = 100


def with_counts(directives: QuerySet[Directive]) -> QuerySet[Directive]:
    """Directives with their targets counted: delivered, read and answered."""
    return directives.annotate(
        targets_count=Count("targets", distinct=True),
        delivered_count=Count(
            "targets", filter=Q(targets__notification__isnull=False), distinct=True
        ),
        read_count=Count("targets", filter=Q(targets__read_at__isnull=False), distinct=True),
        answered_count=Count("feedback__target", distinct=True),
    )


def _latest_state() -> Subquery:
    return Subquery(
        Feedback.objects.filter(target=OuterRef("pk"))
        .order_by("-submitted_at", "-pk")
        .values("state")[:1]
    )


def received(actor: Any, *, q: str = "") -> QuerySet[DirectiveTarget]:
    """The directives addressed to the actor, unread first, the newest first, each with the
    state of their latest feedback."""
    targets = (
        DirectiveTarget.objects.filter(recipient_id=getattr(actor, "pk", None))
        .exclude(directive__status=DirectiveStatus.WITHDRAWN)
        .select_related("directive__issuer", "directive__issuing_department", "department")
        .annotate(latest_state=_latest_state())
        .order_by(F("read_at").asc(nulls_first=True), "-directive__issued_at", "-pk")
    )
    text = q.strip()[:SEARCH_MAX]
    if text:
        targets = targets.filter(Q(directive__title__icontains=text) | Q(directive__number=text))
    return targets


def overseen(
    actor: Any, *, mine: bool = False, status: str = "", q: str = ""
) -> QuerySet[Directive]:
    """Directives the actor issued (`mine`) or, by default, issued by them or in the scope
    where they may view directives; newest first, with their counts."""
    pk = getattr(actor, "pk", None)
    if mine:
        directives = Directive.objects.filter(issuer_id=pk)
    else:
        visible = Directive.objects.visible_to(actor, VIEW).values("pk")
        directives = Directive.objects.filter(Q(issuer_id=pk) | Q(pk__in=visible))
    if status in DirectiveStatus.values:
        directives = directives.filter(status=status)
    text = q.strip()[:SEARCH_MAX]
    if text:
        directives = directives.filter(Q(title__icontains=text) | Q(number=text))
    return with_counts(
        directives.select_related("issuer", "issuing_department", "region")
    ).order_by("-issued_at", "-pk")


def directive_for(actor: Any, number: str) -> Directive:
    """The directive the actor may open (its issuer, a target, or in their scope); NotFound
    otherwise, as for a missing one."""
    found = (
        Directive.objects.filter(reachable(actor), number=number)
        .select_related("issuer", "issuing_department", "region")
        .prefetch_related("attachments", "target_departments", "target_regions", "target_roles")
        .distinct()
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def target_of(actor: Any, directive: Directive) -> DirectiveTarget | None:
    """The actor's own target row of the directive, if they are one."""
    return (
        DirectiveTarget.objects.filter(directive=directive, recipient_id=getattr(actor, "pk", None))
        .select_related("department", "region")
        .prefetch_related(
            Prefetch("feedback", queryset=Feedback.objects.order_by("-submitted_at", "-pk"))
        )
        .first()
    )


@dataclass
class TargetRow:
    """A target with its latest feedback and how many reports it sent."""

    target: DirectiveTarget
    latest: Feedback | None
    reports: int

    @property
    def unit(self) -> str:
        department = self.target.department
        return department.name if department else str(self.target.recipient)


def target_rows(directive: Directive) -> list[TargetRow]:
    """Every target of the directive by unit, each with its latest feedback (three queries)."""
    targets = (
        directive.targets.select_related("recipient", "department", "region")
        .prefetch_related(
            Prefetch("feedback", queryset=Feedback.objects.order_by("-submitted_at", "-pk"))
        )
        .order_by("department__path", "recipient__username", "pk")
    )
    rows = []
    for target in targets:
        reports = list(target.feedback.all())
        rows.append(TargetRow(target, reports[0] if reports else None, len(reports)))
    return rows


@dataclass
class UnitFeedback:
    """One unit's targets, and the latest feedback any of them sent."""

    unit: str
    targets: int = 0
    answered: int = 0
    latest: Feedback | None = None


@dataclass
class Consolidation:
    """The feedback of a directive brought together: the latest per unit, the targets'
    latest states counted, and who has not answered."""

    units: list[UnitFeedback] = field(default_factory=list)
    states: list[tuple[str, str, int]] = field(default_factory=list)
    unanswered: list[TargetRow] = field(default_factory=list)
    answered: int = 0


def consolidate(rows: list[TargetRow]) -> Consolidation:
    """The consolidation of the target rows (`target_rows`)."""
    units: dict[str, UnitFeedback] = {}
    counted: Counter[str] = Counter()
    unanswered = []
    for row in rows:
        unit = units.setdefault(row.unit, UnitFeedback(row.unit))
        unit.targets += 1
        if row.latest is None:
            unanswered.append(row)
            continue
        unit.answered += 1
        counted[row.latest.state] += 1
        if unit.latest is None or (row.latest.submitted_at, row.latest.pk) > (
            unit.latest.submitted_at,
            unit.latest.pk,
        ):
            unit.latest = row.latest
    states = [(value, str(label), counted[value]) for value, label in FeedbackState.choices]
    return Consolidation(
        units=list(units.values()),
        states=states,
        unanswered=unanswered,
        answered=sum(counted.values()),
    )


def may_oversee(actor: Any, directive: Directive) -> bool:
    return oversees(actor, directive)


def answered_filter() -> Exists:
    """Targets with at least one feedback report."""
    return Exists(Feedback.objects.filter(target=OuterRef("pk")))
