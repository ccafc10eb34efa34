"""Statistics of grid events by category, grid, township or department: volume, closed, on-time
rate, average handling time and satisfaction, over a period, within the reader's scope; and
their export as CSV or XLSX."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Literal

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from kuaiji.apps.grassroots.models import Event, EventStatus, Rating
from kuaiji.apps.grassroots.triage import taxonomy
from kuaiji.platform.chains.models import OverdueRecord
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.core.reports import csv_bytes, period, xlsx_bytes
from kuaiji.platform.directory.models import Region

Dimension = Literal["category", "grid", "township", "department"]
DIMENSIONS: tuple[Dimension, ...] = ("category", "grid", "township", "department")
TOWNSHIP_PATH = 24  # "330600/330602/330602001/": city, county and township codes


@dataclass(frozen=True)
class Row:
    """The figures of one category, grid, township or department."""

    key: str
    label: str
    volume: int
    closed: int
    on_time_rate: float | None
    average_hours: float | None
    satisfaction: float | None


@dataclass
class _Tally:
    volume: int = 0
    closed: int = 0
    on_time: int = 0
    hours: float = 0.0
    rated: int = 0
    satisfied: int = 0

    def row(self, key: str, label: str) -> Row:
        return Row(
            key=key,
            label=label,
            volume=self.volume,
            closed=self.closed,
            on_time_rate=self.on_time / self.closed if self.closed else None,
            average_hours=round(self.hours / self.closed, 1) if self.closed else None,
            satisfaction=self.satisfied / self.rated if self.rated else None,
        )


def _key(by: Dimension, event: Mapping[str, Any]) -> str:
    if by == "category":
        return str(event["category"] or "")
    if by == "grid":
        return str(event["grid__code"] or "")
    if by == "township":
        return str(event["region_path"])[:TOWNSHIP_PATH]
    return str(event["department__code"] or "")


def _labels(by: Dimension, keys: set[str], names: dict[str, str]) -> dict[str, str]:
    if by == "category":
        return {key: taxonomy.category(key).name for key in keys if key in taxonomy.codes()}
    if by == "township":
        codes = [key.strip("/").split("/")[-1] for key in keys]
        found = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
        return {key: found.get(key.strip("/").split("/")[-1], key) for key in keys}
    return names


def rows(
    actor: Any, by: Dimension, start: date | None = None, end: date | None = None
) -> list[Row]:
    """The statistics of the events reported in the period, in the actor's scope, most
    events first."""
    if by not in DIMENSIONS:
        raise InvalidInput(fields={"by": _("Count by category, grid, township or department.")})
    since, until = period(start, end)
    late = OverdueRecord.objects.filter(task__instance=OuterRef("instance"))
    events = (
        Event.objects.visible_to(actor)
        .filter(created_at__gte=since, created_at__lt=until)
        .exclude(status=EventStatus.MERGED)
        .annotate(late=Exists(late))
        .values(
            "category",
            "grid__code",
            "grid__name",
            "region_path",
            "department__code",
            "department__name",
            "status",
            "rating",
            "created_at",
            "closed_at",
            "late",
        )
    )
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    names: dict[str, str] = {}
    for event in events:
        key = _key(by, event)
        names.setdefault(key, event["grid__name"] if by == "grid" else event["department__name"])
        tally = tallies[key]
        tally.volume += 1
        if event["status"] == EventStatus.CLOSED and event["closed_at"]:
            tally.closed += 1
            tally.on_time += not event["late"]
            tally.hours += (event["closed_at"] - event["created_at"]).total_seconds() / 3600
        if event["rating"]:
            tally.rated += 1
            tally.satisfied += event["rating"] == Rating.SATISFIED
    labels = _labels(by, set(tallies), names)
    found = [tally.row(key, labels.get(key) or key or "—") for key, tally in tallies.items()]
    return sorted(found, key=lambda row: (-row.volume, row.key))


def _headings() -> list[str]:
    return [
        _("code"),
        _("name"),
        _("events"),
        _("closed"),
        _("on-time rate"),
        _("average handling hours"),
        _("satisfaction"),
    ]


def _values(row: Row) -> list[Any]:
    return [getattr(row, item.name) for item in fields(Row)]


def as_csv(found: list[Row]) -> bytes:
    """The rows as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Chinese)."""
    return csv_bytes(_headings(), (_values(row) for row in found))


def as_xlsx(found: list[Row], title: str) -> bytes:
    """The rows as an Excel workbook."""
    return xlsx_bytes(_headings(), (_values(row) for row in found), title)
