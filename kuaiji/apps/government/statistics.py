"""Statistics of one-stop services by service item or by department over a period, within the
reader's scope; and their export as CSV or XLSX.

The unit counted is an item of an application submitted in the period (a one-thing bundle of
three items counts once for each of its three items, so each department sees its own share). A
row gives: applications, the share applied for online, how many were decided, the average
handling time (submitted → decided) against the average promised limit, the on-time rate
(decided on or before the promised day), materials saved through data sharing (materials
obtained from shared data instead of the applicant), ratings, satisfaction (the share rated 4
or 5), bad ratings, and how many of those have their rectification chain finished.

Handling time is counted in working days (the working days after the day of submission up to
and including the day of the decision, as time limits are counted) when the working-day
calendar is published for every year concerned, else in calendar days (fractional);
`Report.unit` says which.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.government.models import (
    Application,
    ApplicationItem,
    ItemMaterial,
    MaterialSource,
    Rating,
    SuppliedMaterial,
)
from kuaiji.apps.government.ratings import application_scope
from kuaiji.platform.chains.models import InstanceStatus
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.core.reports import csv_bytes, period, xlsx_bytes
from kuaiji.platform.workdays.calendar import WorkCalendar

Dimension = Literal["item", "department"]
DIMENSIONS: tuple[Dimension, ...] = ("item", "department")
Unit = Literal["working_days", "calendar_days"]
APPLICATION_VIEW = "government.application.view"
RATING_VIEW = "government.rating.view"
SATISFIED = 4


@dataclass(frozen=True)
class Row:
    """The figures of one service item or department; rates are None while nothing counts."""

    key: str
    label: str
    applications: int
    online_rate: float | None
    decided: int
    average_days: float | None
    promised_days: float | None
    on_time_rate: float | None
    shared_materials: int
    ratings: int
    satisfaction: float | None
    bad_ratings: int
    rectified: int


@dataclass(frozen=True)
class Report:
    """The rows, most applications first, and the unit of their handling times."""

    by: Dimension
    start: date
    end: date
    unit: Unit
    rows: list[Row]


@dataclass
class _Tally:
    applications: int = 0
    online: int = 0
    decided: int = 0
    days: float = 0.0
    promised: int = 0
    with_promise: int = 0
    on_time: int = 0
    shared: int = 0
    ratings: int = 0
    satisfied: int = 0
    bad: int = 0
    rectified: int = 0

    def row(self, key: str, label: str) -> Row:
        return Row(
            key=key,
            label=label,
            applications=self.applications,
            online_rate=_share(self.online, self.applications),
            decided=self.decided,
            average_days=round(self.days / self.decided, 1) if self.decided else None,
            promised_days=round(self.promised / self.applications, 1)
            if self.applications
            else None,
            on_time_rate=_share(self.on_time, self.with_promise),
            shared_materials=self.shared,
            ratings=self.ratings,
            satisfaction=_share(self.satisfied, self.ratings),
            bad_ratings=self.bad,
            rectified=self.rectified,
        )


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# ---------------------------------------------------------------------------------------------
# Handling time


class Clock:
    """Counts handling times in working days when the calendar covers them, else in days."""

    def __init__(self, moments: list[datetime]) -> None:
        self.calendar = WorkCalendar.load()
        years = {timezone.localtime(moment).year for moment in moments}
        spanned = set(range(min(years), max(years) + 1)) if years else set()
        self.unit: Unit = (
            "working_days" if spanned and spanned <= self.calendar.years else "calendar_days"
        )

    def days(self, start: datetime, end: datetime) -> float:
        """The handling time from `start` to `end` in this clock's unit."""
        if self.unit == "calendar_days":
            return max(0.0, (end - start).total_seconds() / 86400)
        first = timezone.localtime(start).date()
        last = timezone.localtime(end).date()
        count, day = 0, first
        while day < last:
            day += timedelta(days=1)
            count += self.calendar.is_workday(day)
        return float(count)


def _on_time(decided_at: datetime, promised_by: date) -> bool:
    return timezone.localtime(decided_at).date() <= promised_by


# ---------------------------------------------------------------------------------------------
# Rows


def visible_applications(actor: Any, code: str = APPLICATION_VIEW) -> QuerySet[Application]:
    """The applications the actor may see with `code` (regions and departments of its grants)."""
    return Application.objects.filter(application_scope(actor, code))


def _visible_items(actor: Any) -> QuerySet[ApplicationItem]:
    """Items of applications in the actor's scope; a department grant sees its own items."""
    from kuaiji.platform.access.scoping import NOTHING, grants_with, is_unrestricted

    if is_unrestricted(actor):
        return ApplicationItem.objects.all()
    combined = NOTHING
    for grant in grants_with(actor, APPLICATION_VIEW):
        if grant.region is not None:
            combined |= Q(application__region_path__startswith=grant.region.path)
        elif grant.department is not None:
            combined |= Q(department__path__startswith=grant.department.path)
        elif grant.grid is not None:
            combined |= Q(application__region_path__startswith=grant.grid.region.path)
    return ApplicationItem.objects.filter(combined)


def _shared_by_item(
    application_ids: set[int], items: dict[int, list[tuple[int, int]]]
) -> dict[int, int]:
    """Shared materials per application item (pk): a material goes to the first item of its
    application that asks for its code, else to the application's first item."""
    counts: dict[int, int] = defaultdict(int)
    if not application_ids:
        return counts
    shared = SuppliedMaterial.objects.filter(
        application_id__in=application_ids, source=MaterialSource.SHARED
    ).values_list("application_id", "code")
    service_items = {item for entries in items.values() for _pk, item in entries}
    codes: dict[int, set[str]] = defaultdict(set)
    asked = ItemMaterial.objects.filter(item_id__in=service_items).values_list("item_id", "code")
    for item_id, code in asked:
        codes[item_id].add(code)
    for application_id, code in shared:
        entries = items.get(application_id, [])
        if entries:
            target = next((pk for pk, item in entries if code in codes[item]), entries[0][0])
            counts[target] += 1
    return counts


def report(
    actor: Any, by: Dimension = "department", start: date | None = None, end: date | None = None
) -> Report:
    """The statistics of the applications submitted in the period, in the actor's scope, by
    service item or by department, most applications first."""
    if by not in DIMENSIONS:
        raise InvalidInput(fields={"by": _("Count by service item or by department.")})
    since, until = period(start, end)
    rated_ok = application_scope(actor, RATING_VIEW, "application__")
    entries = list(
        _visible_items(actor)
        .filter(application__submitted_at__gte=since, application__submitted_at__lt=until)
        .values(
            "pk",
            "application_id",
            "item_id",
            "item__code",
            "item__name",
            "item__promised_days",
            "department__code",
            "department__name",
            "application__online",
            "application__submitted_at",
            "application__decided_at",
            "application__promised_by",
        )
        .order_by("application_id", "pk")
    )
    application_ids = {entry["application_id"] for entry in entries}
    items: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for entry in entries:
        items[entry["application_id"]].append((entry["pk"], entry["item_id"]))
    shared = _shared_by_item(application_ids, items)
    rated = {
        application_id: (level, status)
        for application_id, level, status in Rating.objects.filter(rated_ok)
        .filter(application_id__in=application_ids)
        .values_list("application_id", "level", "rectification__status")
    }
    moments = [
        moment
        for entry in entries
        for moment in (entry["application__submitted_at"], entry["application__decided_at"])
        if moment is not None
    ]
    clock = Clock(moments)
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    labels: dict[str, str] = {}
    for entry in entries:
        key = entry["item__code"] if by == "item" else entry["department__code"]
        labels.setdefault(key, entry["item__name"] if by == "item" else entry["department__name"])
        tally = tallies[key]
        tally.applications += 1
        tally.online += bool(entry["application__online"])
        tally.promised += entry["item__promised_days"] or 0
        decided_at = entry["application__decided_at"]
        if decided_at is not None:
            tally.decided += 1
            tally.days += clock.days(entry["application__submitted_at"], decided_at)
            if entry["application__promised_by"] is not None:
                tally.with_promise += 1
                tally.on_time += _on_time(decided_at, entry["application__promised_by"])
        tally.shared += shared.get(entry["pk"], 0)
        if entry["application_id"] in rated:
            level, status = rated[entry["application_id"]]
            tally.ratings += 1
            tally.satisfied += level >= SATISFIED
            if level <= 2:
                tally.bad += 1
                tally.rectified += status == InstanceStatus.COMPLETED
    found = [tally.row(key, labels.get(key) or key) for key, tally in tallies.items()]
    first, last = (timezone.localtime(since).date(), timezone.localtime(until).date())
    return Report(
        by=by,
        start=first,
        end=last - timedelta(days=1),
        unit=clock.unit,
        rows=sorted(found, key=lambda row: (-row.applications, row.key)),
    )


# ---------------------------------------------------------------------------------------------
# Export


def _headings(unit: Unit) -> list[str]:
    days = _("working days") if unit == "working_days" else _("calendar days")
    return [
        _("code"),
        _("name"),
        _("applications"),
        _("online rate"),
        _("decided"),
        _("average handling (%(unit)s)") % {"unit": days},
        _("average promised limit (working days)"),
        _("on-time rate"),
        _("materials saved by data sharing"),
        _("ratings"),
        _("satisfaction"),
        _("bad ratings"),
        _("rectified"),
    ]


def _values(row: Row) -> list[Any]:
    return [getattr(row, item.name) for item in fields(Row)]


def as_csv(found: Report) -> bytes:
    """The rows as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Chinese)."""
    return csv_bytes(_headings(found.unit), (_values(row) for row in found.rows))


def as_xlsx(found: Report, title: str) -> bytes:
    """The rows as an Excel workbook."""
    return xlsx_bytes(_headings(found.unit), (_values(row) for row in found.rows), title)
