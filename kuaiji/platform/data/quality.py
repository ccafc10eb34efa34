"""Data quality: checking a resource's rows and ranking departments by what they keep.

`assess` measures four things, each a share from 0 to 1:

- **completeness** — the share of non-empty values (not null, not blank text) over the required
  fields, or over every field when none is required;
- **validity** — the share of non-empty values that convert by their field's type (an integer
  field holds integers, a date field ISO dates…); when the resource had loads in the last 30
  days, this is averaged with the share of good rows those loads read, ``(read − bad) / read``;
- **timeliness** — 1 while the data was updated within its frequency's period (real time one
  hour, daily 1 day, weekly 7, monthly 31, quarterly 92, yearly 366; irregular resources count
  as fresh for a year), falling linearly to 0 at twice the period; never updated is 0;
- **uniqueness** — distinct records over all rows, a record being its primary key normalised
  (Unicode NFKC, trimmed, inner spaces collapsed, case folded): the database keeps keys unique
  as written, so what this catches is the same entity entered twice as ``91330602ma…`` and
  ``９１３３０６０２MA…`` or with a stray space. Resources without a key compare whole rows.

The score is ``100 × (0.3 completeness + 0.3 validity + 0.25 timeliness + 0.15 uniqueness)``.

Large resources are read in chunks, never whole: uniqueness streams only the `key` column of
every row; completeness and validity read every row up to `FULL_SCAN_ROWS` rows and, above
that, a systematic sample of about that many (every n-th row by id, chosen in SQL).

A score below ``KUAIJI_DATA_QUALITY_THRESHOLD`` (80 by default) starts a ``data_rectification``
chain in the owning department's worklist, unless one is still open for the resource.
`assess_all` runs daily (Celery task ``data.assess_quality``); `ranking` orders departments by
the mean of their resources' latest scores. Reading scores needs ``data.quality.view``;
checking a resource on demand needs ``data.resource.manage`` within its department.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Mod
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.platform.access.services import authorize
from kuaiji.platform.chains import services as chains
from kuaiji.platform.chains.models import ChainInstance, InstanceStatus
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import NotFound
from kuaiji.platform.data.models import (
    DataResource,
    DataRow,
    FieldType,
    Load,
    QualityReport,
    ResourceField,
    UpdateFrequency,
)
from kuaiji.platform.data.values import converter
from kuaiji.platform.directory.models import Department

WEIGHTS = {"completeness": 0.3, "validity": 0.3, "timeliness": 0.25, "uniqueness": 0.15}
PERIODS: dict[str, timedelta] = {
    UpdateFrequency.REALTIME: timedelta(hours=1),
    UpdateFrequency.DAILY: timedelta(days=1),
    UpdateFrequency.WEEKLY: timedelta(days=7),
    UpdateFrequency.MONTHLY: timedelta(days=31),
    UpdateFrequency.QUARTERLY: timedelta(days=92),
    UpdateFrequency.YEARLY: timedelta(days=366),
    UpdateFrequency.IRREGULAR: timedelta(days=366),
}
LOAD_WINDOW = timedelta(days=30)
FULL_SCAN_ROWS = 100_000
CHUNK = 2000
CHAIN_KEY = "data_rectification"
BUSINESS_TYPE = "data.quality"
OPEN_CHAIN = (InstanceStatus.RUNNING, InstanceStatus.SUSPENDED)
MAX_PROBLEMS = 20
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Measures:
    """The four measures of one check (0–1 each), the rows counted and the problems found."""

    rows: int
    completeness: float
    validity: float
    timeliness: float
    uniqueness: float
    problems: list[dict[str, Any]]

    @property
    def score(self) -> float:
        """The weighted mean on a 0–100 scale, to one decimal."""
        total = sum(float(getattr(self, name)) * weight for name, weight in WEIGHTS.items())
        return round(100 * total, 1)


@dataclass(frozen=True)
class DepartmentScore:
    """A department's place in the ranking: the mean of its resources' latest scores."""

    code: str
    name: str
    resources: int
    assessed: int
    below_threshold: int
    score: float | None


def threshold() -> float:
    """The score under which a resource is sent for rectification."""
    return float(getattr(settings, "KUAIJI_DATA_QUALITY_THRESHOLD", 80))


def _share(part: float, whole: float) -> str:
    """A share as the problems list writes it."""
    if whole <= 0:
        return "0%"
    value = part / whole
    if 0 < value < 0.01:
        return _("less than 1%")
    return f"{value:.0%}"


def _problem(kind: str, message: str, **details: Any) -> dict[str, Any]:
    return {"kind": kind, "message": message, **details}


def is_empty(value: Any) -> bool:
    """Null or blank text counts as no value."""
    return value is None or (isinstance(value, str) and not value.strip())


def is_valid(field_type: str, value: Any) -> bool:
    """Whether a (non-empty) stored value converts by its field's type."""
    if isinstance(value, dict | list):
        return False
    if isinstance(value, bool):
        return field_type in (FieldType.BOOLEAN, FieldType.STRING)
    if isinstance(value, float) and not math.isfinite(value):
        return False
    try:
        converter(field_type)(str(value).strip())
    except (ValueError, KeyError):
        return False
    return True


def normalised(text: str) -> str:
    """A key as compared for uniqueness: NFKC, trimmed, inner spaces collapsed, case folded."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def identity(values: Any) -> str:
    """What uniqueness compares: the values (a key's, or a whole row's) with text normalised."""
    if isinstance(values, dict):
        values = [values[name] for name in sorted(values)]
    if not isinstance(values, list):
        values = [values]
    same = [normalised(value) if isinstance(value, str) else value for value in values]
    return json.dumps(same, ensure_ascii=False, separators=(",", ":"))


def _scanned(resource: DataResource, total: int) -> Iterator[dict[str, Any]]:
    """The row values that completeness and validity look at: all of them, or a systematic
    sample of about `FULL_SCAN_ROWS` when the resource is larger."""
    rows: QuerySet[DataRow] = DataRow.objects.filter(resource=resource)
    if total > FULL_SCAN_ROWS:
        step = math.ceil(total / FULL_SCAN_ROWS)
        rows = rows.alias(_bucket=Mod(F("pk"), step)).filter(_bucket=0)
    for values in rows.order_by("pk").values_list("data", flat=True).iterator(chunk_size=CHUNK):
        if isinstance(values, dict):
            yield values


def _values_measures(
    fields: list[ResourceField], rows: Iterable[dict[str, Any]]
) -> tuple[int, float, float, list[dict[str, Any]]]:
    """Completeness and validity of the values in `rows`, with their problems."""
    checked = [item for item in fields if item.required] or fields
    empty = dict.fromkeys((item.name for item in checked), 0)
    invalid = dict.fromkeys((item.name for item in fields), 0)
    filled = 0
    count = 0
    for values in rows:
        count += 1
        for item in fields:
            value = values.get(item.name)
            if is_empty(value):
                if item.name in empty:
                    empty[item.name] += 1
                continue
            filled += 1
            if not is_valid(item.type, value):
                invalid[item.name] += 1
    if count == 0:
        return 0, 0.0, 0.0, []
    completeness = 1 - sum(empty.values()) / (count * len(checked)) if checked else 1.0
    validity = 1 - sum(invalid.values()) / filled if filled else 1.0
    problems = [
        _problem(
            "empty",
            _("field %(field)s is empty in %(share)s of rows")
            % {"field": name, "share": _share(number, count)},
            field=name,
            share=round(number / count, 4),
        )
        for name, number in empty.items()
        if number
    ]
    problems += [
        _problem(
            "invalid",
            _("field %(field)s has values that are not of its type in %(share)s of rows")
            % {"field": name, "share": _share(number, count)},
            field=name,
            share=round(number / count, 4),
        )
        for name, number in invalid.items()
        if number
    ]
    return count, completeness, validity, problems


def _loads_validity(resource: DataResource, now: datetime) -> float | None:
    """The share of good rows the loads of the last 30 days read (None without any)."""
    totals = Load.objects.filter(resource=resource, started_at__gte=now - LOAD_WINDOW).aggregate(
        read=Sum("rows_read"), bad=Sum("rows_bad")
    )
    read, bad = totals["read"] or 0, totals["bad"] or 0
    if read <= 0:
        return None
    return max(0.0, (read - bad) / read)


def timeliness(resource: DataResource, now: datetime | None = None) -> float:
    """1 within the frequency's period since the last update, 0 from twice the period."""
    if resource.data_updated_at is None:
        return 0.0
    period = PERIODS.get(resource.frequency, PERIODS[UpdateFrequency.IRREGULAR])
    age = (now or timezone.now()) - resource.data_updated_at
    if age <= period:
        return 1.0
    return max(0.0, 1.0 - float((age - period) / period))


def _age_text(age: timedelta) -> str:
    if age < timedelta(days=2):
        return _("%(hours)d hours") % {"hours": age.total_seconds() // 3600}
    return _("%(days)d days") % {"days": age.days}


def _uniqueness(resource: DataResource, keyed: bool) -> tuple[float, int]:
    """Distinct normalised keys (whole rows without a key) over all rows, and the duplicates."""
    seen: set[str] = set()
    total = 0
    rows = DataRow.objects.filter(resource=resource).order_by("pk")
    column = "key" if keyed else "data"
    for value in rows.values_list(column, flat=True).iterator(chunk_size=CHUNK * 5):
        total += 1
        if keyed:
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        seen.add(identity(value))
    if total == 0:
        return 1.0, 0
    return len(seen) / total, total - len(seen)


def measure(resource: DataResource, now: datetime | None = None) -> Measures:
    """The four measures of a resource's rows as they are now (nothing is stored)."""
    now = now or timezone.now()
    fields = sorted(resource.fields.all(), key=lambda item: item.position)
    total = DataRow.objects.filter(resource=resource).count()
    count, completeness, validity, problems = _values_measures(fields, _scanned(resource, total))
    if total == 0:
        problems.append(_problem("no_rows", _("the resource has no rows")))
    loaded = _loads_validity(resource, now)
    if loaded is not None:
        validity = (validity + loaded) / 2 if count else loaded
        if loaded < 1:
            problems.append(
                _problem(
                    "bad_loads",
                    _("%(share)s of the rows loaded in the last 30 days were bad")
                    % {"share": f"{1 - loaded:.0%}" if loaded <= 0.99 else _("less than 1%")},
                    share=round(1 - loaded, 4),
                )
            )
    fresh = timeliness(resource, now)
    if resource.data_updated_at is None:
        problems.append(_problem("never_updated", _("never updated")))
    elif fresh < 1:
        problems.append(
            _problem(
                "stale",
                _("not updated for %(age)s, expected %(frequency)s")
                % {
                    "age": _age_text(now - resource.data_updated_at),
                    "frequency": resource.get_frequency_display(),
                },
            )
        )
    unique, duplicates = _uniqueness(resource, keyed=any(item.primary_key for item in fields))
    if duplicates:
        problems.append(
            _problem(
                "duplicates",
                _("%(count)d rows repeat another row's key once normalised")
                % {"count": duplicates},
                count=duplicates,
            )
        )
    if 0 < count < total:
        problems.append(
            _problem(
                "sampled",
                _("completeness and validity were measured on a sample of %(count)d rows")
                % {"count": count},
                count=count,
            )
        )
    return Measures(
        rows=total,
        completeness=round(completeness, 4),
        validity=round(validity, 4),
        timeliness=round(fresh, 4),
        uniqueness=round(unique, 4),
        problems=problems[:MAX_PROBLEMS],
    )


def open_rectification(resource: DataResource) -> ChainInstance | None:
    """The resource's rectification chain that is still running or suspended, if any."""
    return (
        ChainInstance.objects.filter(
            business_type=BUSINESS_TYPE, business_id=resource.code, status__in=OPEN_CHAIN
        )
        .order_by("-pk")
        .first()
    )


def _start_rectification(resource: DataResource, report: QualityReport) -> ChainInstance:
    department = resource.department
    title = _("Data quality rectification: %(title)s (score %(score)s)") % {
        "title": resource.title,
        "score": f"{report.score:.0f}",
    }
    return chains.start(
        actor=SYSTEM,
        definition=CHAIN_KEY,
        title=title[:200],
        business_type=BUSINESS_TYPE,
        business_id=resource.code,
        region=department.region,
        department=department,
        data={
            "resource": resource.code,
            "score": report.score,
            "problems": [str(item["message"]) for item in report.problems],
        },
    )


@transaction.atomic
def assess(resource: DataResource, now: datetime | None = None) -> QualityReport:
    """Check a resource and store the report; below the threshold, make sure a rectification
    chain is open for it in the owning department (`report.chain`)."""
    resource = DataResource.objects.select_related("department__region").get(pk=resource.pk)
    now = now or timezone.now()
    measures = measure(resource, now)
    report = QualityReport.objects.create(
        resource=resource,
        at=now,
        data_version=resource.data_version,
        rows=measures.rows,
        completeness=measures.completeness,
        validity=measures.validity,
        timeliness=measures.timeliness,
        uniqueness=measures.uniqueness,
        score=measures.score,
        problems=measures.problems,
    )
    if report.score < threshold():
        report.chain = open_rectification(resource) or _start_rectification(resource, report)
        report.save(update_fields=["chain"])
    return report


def assess_all(now: datetime | None = None) -> int:
    """Check every resource (the daily job); returns how many were checked."""
    checked = 0
    for resource in DataResource.objects.order_by("pk").iterator(chunk_size=100):
        assess(resource, now)
        checked += 1
    return checked


def assess_now(*, actor: Any, code: str) -> QualityReport:
    """Check a resource on its owner's demand (``data.resource.manage`` in its department)."""
    found = DataResource.objects.select_related("department").filter(code=code).first()
    if found is None:
        raise NotFound()
    authorize(actor, "data.resource.manage", found.department)
    return assess(found)


def resource_reports(
    actor: Any, code: str, limit: int = 30
) -> tuple[DataResource, list[QualityReport]]:
    """A resource and its latest reports, newest first (``data.quality.view``)."""
    authorize(actor, "data.quality.view")
    found = DataResource.objects.select_related("department").filter(code=code).first()
    if found is None:
        raise NotFound()
    reports = list(found.quality_reports.select_related("chain").order_by("-at", "-pk")[:limit])
    return found, reports


def ranking(actor: Any | None = None) -> list[DepartmentScore]:
    """Departments keeping resources, best mean latest score first (departments with nothing
    assessed last). With an actor, it needs ``data.quality.view``; None is the platform's own
    read (the cockpit's figures)."""
    if actor is not None:
        authorize(actor, "data.quality.view")
    latest = QualityReport.objects.filter(resource=OuterRef("pk")).order_by("-at", "-pk")
    resources = DataResource.objects.annotate(
        latest_score=Subquery(latest.values("score")[:1])
    ).values_list("department_id", "latest_score")
    by_department: dict[int, list[float | None]] = {}
    for department_id, score in resources:
        by_department.setdefault(department_id, []).append(score)
    departments = Department.objects.in_bulk(list(by_department))
    limit = threshold()
    places = []
    for department_id, scores in by_department.items():
        assessed = [score for score in scores if score is not None]
        department = departments[department_id]
        places.append(
            DepartmentScore(
                code=department.code,
                name=department.name,
                resources=len(scores),
                assessed=len(assessed),
                below_threshold=sum(1 for score in assessed if score < limit),
                score=round(sum(assessed) / len(assessed), 1) if assessed else None,
            )
        )
    places.sort(key=lambda place: (place.score is None, -(place.score or 0), place.code))
    return places
