"""Indicators, declared by each app in its ``indicators`` module as ``INDICATORS``.

An app lists `IndicatorSpec` entries; the platform finds them (as it finds permissions) and
`sync_definitions` stores them as `Indicator` rows, after every migrate and before each refresh.

An indicator gives its value for one region and day (`compute`); it may also give the values
of every region of a refresh over several days at once (`grouped`), in a few queries grouped by
the rows' region path and day whatever the number of regions and days. `Tally` adds such grouped
rows up into each region whose path starts theirs, as ``region_path__startswith`` counts.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal

from django.apps import apps
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone, translation
from django.utils.functional import Promise

from kuaiji.platform.core.discovery import app_modules

if TYPE_CHECKING:
    from kuaiji.platform.directory.models import Region

Compute = Callable[["Region", date], float | None]
Values = dict[tuple[int, date], float | None]
Grouped = Callable[[Sequence["Region"], Sequence[date]], Values]


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator an app computes: `compute(region, day)` gives its value for the region
    (and everything below it) on that local day, or None when nothing counts towards it.

    `grouped(regions, days)`, when given, answers `compute(region, day)` for every region and
    day at once (keyed by region id and day, every pair present), in a number of queries that
    does not grow with the regions or days; `refresh` uses it instead of `compute`, so the two
    must agree exactly (the metrics tests compare them).
    """

    code: str
    name: str
    name_en: str
    unit: str
    description: str | Promise
    compute: Compute
    aggregate: Literal["sum", "mean"] = "sum"
    dimensions: tuple[str, ...] = ("region", "time")
    refresh: int = 15
    owner: str = ""
    grouped: Grouped | None = None


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start of a local day and of the next one, as aware datetimes."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def days_bounds(days: Sequence[date]) -> tuple[datetime, datetime]:
    """The start of the first of the days and the end of the last one."""
    return day_bounds(min(days))[0], day_bounds(max(days))[1]


def by_path_and_day(
    rows: QuerySet[Any], path: str, moment: str, days: Sequence[date], /, **counts: Any
) -> QuerySet[Any]:
    """Rows of (region path, local day of `moment`, *counts) for the rows whose `moment` falls
    on the days' span (in one GROUP BY), ready for `Tally.rows`."""
    start, end = days_bounds(days)
    grouped: QuerySet[Any] = (
        rows.filter(**{f"{moment}__gte": start, f"{moment}__lt": end})
        .annotate(metrics_day=TruncDate(moment))
        .order_by()
        .values(path, "metrics_day")
        .annotate(**counts)
        .values_list(path, "metrics_day", *counts)
    )
    return grouped


def share(part: int, whole: int) -> float | None:
    """`part / whole`, or None while nothing counts."""
    return part / whole if whole else None


class Tally:
    """Counts per region and day, made from rows grouped by region path and day.

    `add(path, day, *counts)` adds a row's counts to every region whose path starts `path`
    (the region itself and those above it, as ``region_path__startswith=region.path`` counts)
    for the day; rows of days not asked for are left out. With `running=True` a row counts
    for its day and every later day asked for (a count "as of the end of the day"), rows
    before the first day counting for all of them. `values(value)` turns each region's and
    day's counts into its value (e.g. `share`), for every region and day.
    """

    def __init__(
        self, regions: Iterable[Region], days: Iterable[date], width: int = 1, running: bool = False
    ) -> None:
        self.days = sorted(set(days))
        self.width = width
        self.running = running
        self._regions = {region.path: region.pk for region in regions}
        self._lengths = sorted({len(path) for path in self._regions})
        self._above: dict[str, list[int]] = {}
        self._index = {day: n for n, day in enumerate(self.days)}
        self._counts: dict[int, list[list[int | float]]] = {
            pk: [[0] * width for _ in self.days] for pk in self._regions.values()
        }

    def regions_of(self, path: str) -> list[int]:
        """The ids of the regions whose path starts `path`."""
        found = self._above.get(path)
        if found is None:
            found = [
                pk
                for length in self._lengths
                if length <= len(path) and (pk := self._regions.get(path[:length])) is not None
            ]
            self._above[path] = found
        return found

    def add(self, path: str | None, day: date, *counts: int | float) -> None:
        """Add one grouped row's counts (as many as `width`); rows without a path (none of
        the regions') are left out."""
        if path is None:
            return
        if self.running:
            n = bisect_left(self.days, day)
            if n == len(self.days):
                return
        else:
            found = self._index.get(day)
            if found is None:
                return
            n = found
        for pk in self.regions_of(path):
            totals = self._counts[pk][n]
            for k, count in enumerate(counts):
                totals[k] += count

    def rows(self, rows: Iterable[Sequence[Any]]) -> Tally:
        """Add rows of (path, day, *counts); returns the tally."""
        for path, day, *counts in rows:
            self.add(path, day, *counts)
        return self

    def values(self, value: Callable[..., float | None] = float) -> Values:
        """Every region's and day's value: `value(*counts)`."""
        found: Values = {}
        for pk, by_day in self._counts.items():
            totals: list[int | float] = [0] * self.width
            for day, counts in zip(self.days, by_day, strict=True):
                if self.running:
                    totals = [a + b for a, b in zip(totals, counts, strict=True)]
                    counts = totals
                found[(pk, day)] = value(*counts)
        return found


def _owner(module: Any) -> str:
    config = apps.get_containing_app_config(module.__name__)
    return config.label if config else ""


def specs() -> dict[str, IndicatorSpec]:
    """Every declared indicator by code, with its owning app (raises on a code declared
    twice)."""
    found: dict[str, IndicatorSpec] = {}
    for module in app_modules("indicators"):
        owner = _owner(module)
        for spec in module.INDICATORS:
            if spec.code in found:
                raise ValueError(f"indicator {spec.code} is declared twice")
            if spec.aggregate not in ("sum", "mean"):
                raise ValueError(f"indicator {spec.code}: unknown aggregate {spec.aggregate}")
            found[spec.code] = IndicatorSpec(**{**spec.__dict__, "owner": owner})
    return found


def _source_text(text: str | Promise) -> str:
    """The English source of a (lazily) translated text, whatever language is active."""
    with translation.override(None):
        return str(text)


@transaction.atomic
def sync_definitions() -> int:
    """Store every declared indicator (new ones active, existing ones keep their `active`);
    indicators no app declares any more become inactive. Returns the number declared."""
    from kuaiji.platform.metrics.models import Indicator

    declared = specs()
    existing = {row.code: row for row in Indicator.objects.all()}
    for code, spec in declared.items():
        fields = {
            "name": spec.name,
            "name_en": spec.name_en,
            "unit": spec.unit,
            "owner": spec.owner,
            "description": _source_text(spec.description),
            "dimensions": list(spec.dimensions),
            "aggregate": spec.aggregate,
            "refresh": spec.refresh,
        }
        row = existing.get(code)
        if row is None:
            Indicator.objects.create(code=code, **fields)
        elif any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            row.save()
    Indicator.objects.exclude(code__in=list(declared)).filter(active=True).update(active=False)
    return len(declared)


def sync_after_migrate(**kwargs: Any) -> None:
    """post_migrate receiver: store the declared indicators."""
    sync_definitions()
