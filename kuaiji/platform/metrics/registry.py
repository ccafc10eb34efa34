"""Indicators, declared by each app in its ``indicators`` module as ``INDICATORS``.

An app lists `IndicatorSpec` entries; the platform finds them (as it finds permissions) and
`sync_definitions` stores them as `Indicator` rows, after every migrate and before each refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal

from django.apps import apps
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from kuaiji.platform.core.discovery import app_modules

if TYPE_CHECKING:
    from kuaiji.platform.directory.models import Region

Compute = Callable[["Region", date], float | None]


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator an app computes: `compute(region, day)` gives its value for the region
    (and everything below it) on that local day, or None when nothing counts towards it."""

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


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start of a local day and of the next one, as aware datetimes."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def share(part: int, whole: int) -> float | None:
    """`part / whole`, or None while nothing counts."""
    return part / whole if whole else None


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
