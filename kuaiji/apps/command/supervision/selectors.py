"""Reads of supervision: the region one supervises, the counts by light, kind, region and unit,
the most overdue work and the list of supervised items.

Every figure is an aggregate of the database, one grouped query a source; the list is the
union of the sources ordered by due time and sliced by the database; the pages behind the
items are found with one more query at most. A summary is thus a fixed number of queries
whatever the amount of work.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.db.models import Case, CharField, Count, QuerySet, Value, When
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.command.supervision import lights, sources
from kuaiji.apps.command.supervision.sources import KINDS, SOURCE_OF_KIND, VIEW, Source
from kuaiji.platform.access.scoping import grants_with, is_unrestricted
from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import InvalidInput, NotFound
from kuaiji.platform.directory.models import Region, RegionLevel
from kuaiji.platform.workdays.calendar import Light

ALERTS = 20
LIGHT_VALUES = tuple(light.value for light in lights.LIGHTS)


def local_name(region: Region | None) -> str:
    """A region's name in the reader's language."""
    if region is None:
        return ""
    from django.utils.translation import get_language

    english = (get_language() or "").startswith("en")
    return region.name_en if english and region.name_en else region.name


# Scope and filters ---------------------------------------------------------------------------


def roots(actor: Any) -> list[Region]:
    """The regions the actor supervises, widest first (every top region for superusers)."""
    authorize(actor, VIEW)
    if is_unrestricted(actor):
        return list(Region.objects.filter(parent__isnull=True).order_by("path"))
    found: dict[int, Region] = {}
    for grant in grants_with(actor, VIEW):
        if grant.region is not None:
            region = grant.region
        elif grant.department is not None:
            region = grant.department.region
        elif grant.grid is not None:
            region = grant.grid.region
        else:
            continue
        found[region.pk] = region
    return sorted(found.values(), key=lambda region: (len(region.path), region.path))


def supervised_region(actor: Any, code: str | None = None) -> Region:
    """The region `code` if the actor supervises it (404 otherwise), or the actor's widest."""
    tops = roots(actor)
    if not code:
        if not tops:
            raise NotFound()
        return tops[0]
    region = Region.objects.filter(code=code).first()
    if region is None or not any(region.path.startswith(top.path) for top in tops):
        raise NotFound()
    return region


def region_choices(actor: Any) -> list[Region]:
    """The regions one may pick: the supervised ones and their counties and townships."""
    tops = roots(actor)
    if not tops:
        return []
    from django.db.models import Q

    under = Q(pk__in=[])
    for top in tops:
        under |= Q(path__startswith=top.path)
    levels = (RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
    return list(Region.objects.filter(under, level__in=levels).order_by("path"))


@dataclass(frozen=True)
class Filters:
    """What to supervise: a region, optionally one kind, one light, one unit, a due period."""

    region: Region
    kind: str = ""
    light: str = ""
    unit: str = ""
    due_from: datetime | None = None
    due_until: datetime | None = None


def filters(
    actor: Any,
    *,
    region: str | None = None,
    kind: str = "",
    light: str = "",
    unit: str = "",
    due_from: datetime | None = None,
    due_until: datetime | None = None,
) -> Filters:
    """Checked filters (InvalidInput naming the field, NotFound for a region not supervised)."""
    errors = {}
    if kind and kind not in KINDS:
        errors["kind"] = _("Unknown kind of work.")
    if light and light not in LIGHT_VALUES:
        errors["light"] = _("Red, yellow or green.")
    if len(unit) > 200:
        errors["unit"] = _("At most %(count)d characters.") % {"count": 200}
    if errors:
        raise InvalidInput(fields=errors)
    return Filters(
        region=supervised_region(actor, region),
        kind=kind,
        light=light,
        unit=unit.strip(),
        due_from=due_from,
        due_until=due_until,
    )


def _sources(actor: Any, chosen: Filters, now: datetime, code: str = VIEW) -> list[QuerySet[Any]]:
    """The filtered sources (only the one holding the chosen kind)."""
    wanted = SOURCE_OF_KIND.get(chosen.kind)
    found = []
    for source, queryset in sources.rows(actor, code, now).items():
        if wanted and source != wanted:
            continue
        queryset = queryset.filter(sv_region__startswith=chosen.region.path)
        if chosen.kind:
            queryset = queryset.filter(sv_kind=chosen.kind)
        if chosen.light:
            queryset = queryset.filter(sv_light=chosen.light)
        if chosen.unit:
            queryset = queryset.filter(sv_unit=chosen.unit)
        if chosen.due_from:
            queryset = queryset.filter(sv_due__gte=chosen.due_from)
        if chosen.due_until:
            queryset = queryset.filter(sv_due__lt=chosen.due_until)
        found.append(queryset)
    return found


# Items ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    code: str
    name: str


@dataclass(frozen=True)
class Item:
    """One piece of supervised work, whatever table it lives in."""

    key: str  # "<source>:<pk>", what urging names
    source: str
    kind: str
    label: str
    title: str
    unit: str
    county: Place
    township: Place
    due_at: datetime | None
    light: str
    days_late: int
    urge_count: int
    link: str

    @property
    def region(self) -> str:
        """The township (or county) name, for one-column displays."""
        return self.township.name or self.county.name

    @property
    def urgeable(self) -> bool:
        return self.light in (Light.RED, Light.YELLOW)


def _items(rows: list[dict[str, Any]], now: datetime) -> list[Item]:
    places = sources.region_names(row["sv_region"] or "" for row in rows)
    targets = sources.links(rows)

    def place(code: str) -> Place:
        return Place(code, local_name(places.get(code))) if code else Place("", "")

    found = []
    for row, link in zip(rows, targets, strict=True):
        county, township = sources.county_and_township(row["sv_region"] or "")
        found.append(
            Item(
                key=f"{row['sv_source']}:{row['sv_pk']}",
                source=row["sv_source"],
                kind=row["sv_kind"],
                label=sources.kind_label(row["sv_kind"]),
                title=row["sv_title"] or "",
                unit=row["sv_unit"] or "",
                county=place(county),
                township=place(township),
                due_at=row["sv_due"],
                light=row["sv_light"],
                days_late=lights.days_late(row["sv_due"], now)
                if row["sv_light"] == Light.RED
                else 0,
                urge_count=row["sv_urges"] or 0,
                link=link,
            )
        )
    return found


class ItemList:
    """Supervised items, most overdue first, sliced by the database (a Paginator accepts it)."""

    def __init__(self, querysets: list[QuerySet[Any]], now: datetime) -> None:
        self.now = now
        parts = [queryset.order_by().values(*sources.COLUMNS) for queryset in querysets]
        self.union: QuerySet[Any] | None = None
        if parts:
            first, *others = parts
            combined = first.union(*others, all=True) if others else first
            self.union = combined.order_by("sv_sort", "sv_source", "sv_pk")

    def count(self) -> int:
        return self.union.count() if self.union is not None else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Item]:
        if self.union is None:
            return []
        if not isinstance(index, slice):
            raise TypeError("ItemList is sliced, not indexed")
        return _items(list(self.union[index]), self.now)


def items(actor: Any, chosen: Filters, now: datetime | None = None) -> ItemList:
    """The supervised items matching the filters."""
    now = now or timezone.now()
    return ItemList(_sources(actor, chosen, now), now)


# Summary -------------------------------------------------------------------------------------


@dataclass
class Lights:
    red: int = 0
    yellow: int = 0
    green: int = 0

    @property
    def total(self) -> int:
        return self.red + self.yellow + self.green

    def add(self, light: str, number: int) -> None:
        setattr(self, light, getattr(self, light) + number)


@dataclass
class KindCount(Lights):
    kind: str = ""
    label: str = ""
    link: str = ""


@dataclass
class RegionCount(Lights):
    code: str = ""
    name: str = ""


@dataclass
class UnitCount(Lights):
    unit: str = ""

    @property
    def open(self) -> int:
        return self.total


@dataclass
class Summary:
    """The supervision of one region at one moment."""

    region: Region
    filters: Filters
    at: datetime
    counts: Lights
    by_kind: list[KindCount]
    by_region: list[RegionCount]
    by_unit: list[UnitCount]
    alerts: list[Item] = field(default_factory=list)

    @property
    def region_name(self) -> str:
        return local_name(self.region)


def _child_expression(children: list[Region]) -> Any:
    """The child region a row lies in: a prefix of its path when the children's paths are of
    one length (codes of one level are), else a comparison with each."""
    if not children:
        return Value("", output_field=CharField())
    lengths = {len(child.path) for child in children}
    if len(lengths) == 1:
        return Substr("sv_region", 1, lengths.pop())
    return Case(
        *(When(sv_region__startswith=child.path, then=Value(child.path)) for child in children),
        default=Value(""),
        output_field=CharField(),
    )


def summary(
    actor: Any,
    chosen: Filters,
    now: datetime | None = None,
    *,
    kind_link: Any = None,
    alerts: int = ALERTS,
) -> Summary:
    """Counts by light, kind, child region and unit, and the most overdue red items.

    `kind_link(kind, region)` gives the link of a kind's row (by default none)."""
    now = now or timezone.now()
    children = list(chosen.region.children.order_by("code"))
    child = _child_expression(children)
    counts = Lights()
    by_kind: dict[str, KindCount] = {kind: KindCount(kind=kind) for kind in KINDS}
    by_child = {
        region.path: RegionCount(code=region.code, name=local_name(region)) for region in children
    }
    by_unit: dict[str, UnitCount] = defaultdict(UnitCount)
    querysets = _sources(actor, chosen, now)
    for queryset in querysets:
        grouped = (
            queryset.annotate(sv_child=child)
            .order_by()
            .values("sv_kind", "sv_light", "sv_child", "sv_unit")
            .annotate(number=Count("pk"))
        )
        for row in grouped:
            light, number = row["sv_light"], row["number"]
            counts.add(light, number)
            by_kind[row["sv_kind"]].add(light, number)
            if row["sv_child"] in by_child:
                by_child[row["sv_child"]].add(light, number)
            unit = by_unit[row["sv_unit"] or ""]
            unit.unit = row["sv_unit"] or ""
            unit.add(light, number)
    for kind, row in by_kind.items():
        row.label = sources.kind_label(kind)
        row.link = kind_link(kind, chosen.region) if kind_link else ""
    red = [queryset.filter(sv_light=Light.RED) for queryset in querysets]
    return Summary(
        region=chosen.region,
        filters=chosen,
        at=now,
        counts=counts,
        by_kind=[row for kind, row in by_kind.items() if not chosen.kind or kind == chosen.kind],
        by_region=list(by_child.values()),
        by_unit=sorted(by_unit.values(), key=lambda u: (-u.red, -u.yellow, -u.total, u.unit)),
        alerts=ItemList(red, now)[:alerts] if alerts else [],
    )


def red_items(actor: Any, chosen: Filters, now: datetime, limit: int) -> list[Item]:
    """The red items matching the filters, most overdue first (at most `limit`)."""
    return items(actor, replace(chosen, light=Light.RED.value), now)[:limit]


__all__ = [
    "Filters",
    "Item",
    "ItemList",
    "Source",
    "Summary",
    "filters",
    "items",
    "red_items",
    "region_choices",
    "summary",
    "supervised_region",
]
