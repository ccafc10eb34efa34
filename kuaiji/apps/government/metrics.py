"""The figures of one-stop services the cockpit reads, for the reader's whole scope and by
county: applications submitted today, and over the last 30 days the online rate, the average
handling time against the average promised limit, the on-time rate, the materials saved through
data sharing and satisfaction (the share of ratings of 4 or 5).

Applications are scoped by ``government.application.view``, ratings by
``government.rating.view``. Handling times are in working days when the calendar covers them,
else in calendar days (`Figures.unit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from kuaiji.apps.government.models import Application, MaterialSource, Rating, SuppliedMaterial
from kuaiji.apps.government.ratings import application_scope
from kuaiji.apps.government.statistics import (
    APPLICATION_VIEW,
    RATING_VIEW,
    SATISFIED,
    Clock,
    Unit,
    visible_applications,
)
from kuaiji.platform.directory.models import Region, RegionLevel

WINDOW_DAYS = 30


@dataclass(frozen=True)
class Figures:
    """Service figures of one area (`area` empty: the reader's whole scope)."""

    area: str
    code: str
    today: int
    applications: int
    online_rate: float | None
    average_days: float | None
    promised_days: float | None
    unit: Unit
    on_time_rate: float | None
    shared_materials: int
    ratings: int
    satisfaction: float | None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _figures(
    area: str, code: str, applications: QuerySet[Application], ratings: QuerySet[Rating]
) -> Figures:
    now = timezone.now()
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    recent = applications.filter(submitted_at__gte=now - timedelta(days=WINDOW_DAYS))
    counts = recent.aggregate(
        total=Count("pk"),
        online=Count("pk", filter=Q(online=True)),
        promised=Avg("item__promised_days"),
    )
    shared = SuppliedMaterial.objects.filter(
        application__in=recent.values("pk"), source=MaterialSource.SHARED
    ).count()
    decided: list[tuple[datetime, datetime, date | None]] = [
        (submitted, decided_at, due)
        for submitted, decided_at, due in recent.filter(decided_at__isnull=False).values_list(
            "submitted_at", "decided_at", "promised_by"
        )
        if decided_at is not None
    ]
    clock = Clock([moment for row in decided for moment in row[:2]])
    days = [clock.days(submitted, decided_at) for submitted, decided_at, _due in decided]
    promised = [
        timezone.localtime(decided_at).date() <= due
        for _submitted, decided_at, due in decided
        if due is not None
    ]
    rated = ratings.filter(application__in=recent.values("pk")).aggregate(
        total=Count("pk"), satisfied=Count("pk", filter=Q(level__gte=SATISFIED))
    )
    return Figures(
        area=area,
        code=code,
        today=applications.filter(submitted_at__gte=midnight).count(),
        applications=counts["total"],
        online_rate=_share(counts["online"], counts["total"]),
        average_days=round(sum(days) / len(days), 1) if days else None,
        promised_days=round(float(counts["promised"]), 1) if counts["promised"] else None,
        unit=clock.unit,
        on_time_rate=_share(sum(promised), len(promised)),
        shared_materials=shared,
        ratings=rated["total"],
        satisfaction=_share(rated["satisfied"], rated["total"]),
    )


def figures(actor: Any) -> list[Figures]:
    """The actor's whole scope first, then each county in it that has applications."""
    applications = visible_applications(actor, APPLICATION_VIEW)
    ratings = Rating.objects.filter(application_scope(actor, RATING_VIEW, "application__"))
    rows = [_figures("", "", applications, ratings)]
    for county in Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"):
        in_county = applications.filter(region_path__startswith=county.path)
        if in_county.exists():
            rows.append(
                _figures(
                    county.name,
                    county.code,
                    in_county,
                    ratings.filter(application__region_path__startswith=county.path),
                )
            )
    return rows
