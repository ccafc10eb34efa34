"""Crafted grid events and applications on chosen days, for the metrics tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

from kuaiji.apps.grassroots.history import PastEvent, bring_over
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.directory.models import Grid
from tests.grassroots.conftest import inside

_references = count(1)


def at(day: date, hour: int) -> datetime:
    """An aware local moment of a day."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def closed_events(grid_code: str, day: date, n: int, rating: str = "satisfied") -> None:
    """`n` events of a grid reported at 8:00 on `day` and closed at 18:00 the same day."""
    lon, lat = inside(grid_code)
    bring_over(
        actor=SYSTEM,
        events=[
            PastEvent(
                reference=f"metrics-{next(_references)}",
                source="patrol",
                category="city.garbage",
                description="某处发现垃圾堆放需要处理",
                grid=Grid.objects.get(code=grid_code),
                longitude=Decimal(f"{lon:.6f}"),
                latitude=Decimal(f"{lat:.6f}"),
                reported_at=at(day, 8),
                closed_at=at(day, 18),
                rating=rating,
            )
            for _ in range(n)
        ],
    )


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)
