"""The calendar's line in the health report: warns while this year or next is unpublished."""

from __future__ import annotations

from django.db import DatabaseError
from django.utils import timezone

from kuaiji.platform.core.health import CheckResult
from kuaiji.platform.workdays.calendar import unpublished_years_ahead


def check_calendar() -> CheckResult:
    """Healthy either way (serving goes on); a missing year is a warning for administrators."""
    try:
        missing = unpublished_years_ahead(timezone.localdate())
    except DatabaseError as exc:
        return {"ok": True, "detail": "unknown", "warning": str(exc)}
    if missing:
        years = ", ".join(str(year) for year in missing)
        return {"ok": True, "detail": "published", "warning": f"no holiday schedule for {years}"}
    return {"ok": True, "detail": "published"}
