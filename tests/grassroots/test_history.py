"""Events of the former grid system are brought over closed, once, and count in the figures."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kuaiji.apps.grassroots.history import PastEvent, bring_over
from kuaiji.apps.grassroots.metrics import figures
from kuaiji.apps.grassroots.models import Event, EventStatus
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Forbidden, InvalidInput
from kuaiji.platform.directory.models import Grid
from tests.directory.city import TinyCity
from tests.grassroots.conftest import inside

pytestmark = pytest.mark.django_db


def past(reference: str, hours: int = 30, rating: str = "satisfied") -> PastEvent:
    lon, lat = inside("330602001001001")
    reported = timezone.now() - timedelta(days=10)
    return PastEvent(
        reference=reference,
        source="patrol",
        category="city.garbage",
        description="垃圾桶满溢无人清运",
        grid=Grid.objects.get(code="330602001001001"),
        longitude=Decimal(f"{lon:.6f}"),
        latitude=Decimal(f"{lat:.6f}"),
        reported_at=reported,
        closed_at=reported + timedelta(hours=hours),
        rating=rating,
    )


def test_past_events_are_brought_over_once(city: TinyCity) -> None:
    assert (
        bring_over(actor=SYSTEM, events=[past("OLD-1"), past("OLD-2", rating="unsatisfied")]) == 2
    )
    assert bring_over(actor=SYSTEM, events=[past("OLD-1")]) == 0
    assert set(Event.objects.values_list("status", flat=True)) == {EventStatus.CLOSED}
    [whole, county] = figures(city.users["county_officer"])
    assert (whole.closed, whole.satisfaction, whole.on_time_rate) == (2, 0.5, 1.0)
    assert county.code == "330602"


def test_bad_past_events_are_refused(city: TinyCity) -> None:
    with pytest.raises(InvalidInput):
        bring_over(actor=SYSTEM, events=[past("OLD-3", hours=-1)])
    with pytest.raises(Forbidden):
        bring_over(actor=city.users["grid_worker"], events=[past("OLD-4")])
    assert not Event.objects.exists()
