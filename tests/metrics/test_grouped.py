"""The grouped computations give exactly what `compute(region, day)` gives, for every region of
a refresh and every day (None included), and refreshing uses them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bench import data_ingest
from kuaiji.platform.directory.models import Region
from kuaiji.platform.metrics import registry
from kuaiji.platform.metrics.models import IndicatorValue
from kuaiji.platform.metrics.refresh import compute_values, refresh, refresh_regions
from kuaiji.platform.metrics.registry import IndicatorSpec, Tally, specs
from tests.directory.city import TinyCity
from tests.metrics import scene

pytestmark = pytest.mark.django_db

GROUPED = {
    "grassroots.events.reported",
    "grassroots.events.closed",
    "grassroots.events.open",
    "grassroots.events.on_time_rate",
    "grassroots.events.satisfaction",
    "government.applications.submitted",
    "government.applications.online_rate",
    "government.applications.on_time_rate",
    "government.materials.shared",
    "government.applications.satisfaction",
    "data.rows.loaded",
    "data.calls",
}


@pytest.fixture
def busy(city: TinyCity) -> TinyCity:
    scene.events()
    scene.applications()
    scene.data(data_ingest.register())
    return city


def per_region(spec: IndicatorSpec, regions: list[Region], days: list) -> registry.Values:
    return {(region.pk, day): spec.compute(region, day) for region in regions for day in days}


def test_grouped_values_equal_the_per_region_values(busy: TinyCity) -> None:
    regions = refresh_regions()
    # the scene's days, the day before them (the open events carried over), a day after
    days = [scene.FIRST - timedelta(days=1), *scene.DAYS, scene.DAYS[-1] + timedelta(days=2)]
    declared = specs()
    assert {code for code, spec in declared.items() if spec.grouped} >= GROUPED
    for code in sorted(GROUPED):
        spec = declared[code]
        assert spec.grouped is not None
        expected = per_region(spec, regions, days)
        assert spec.grouped(regions, days) == expected, code
        # one day alone, and two days apart, agree too
        assert spec.grouped(regions, days[2:3]) == per_region(spec, regions, days[2:3]), code
        apart = [days[1], days[4]]
        assert spec.grouped(regions, apart) == per_region(spec, regions, apart), code


def test_the_scene_has_every_case(busy: TinyCity) -> None:
    """Guard the scene: zeros, Nones and fractions all occur, so the comparison means
    something."""
    regions = refresh_regions()
    declared = specs()
    values = {
        code: set(compute_values(declared[code], regions, scene.DAYS).values()) for code in GROUPED
    }
    for code in GROUPED:
        assert len(values[code]) > 1, code
    for code in ("grassroots.events.on_time_rate", "grassroots.events.satisfaction"):
        assert None in values[code] and any(0 < (v or 0) < 1 for v in values[code]), code
    for code in ("government.applications.on_time_rate", "government.applications.satisfaction"):
        assert None in values[code] and any(0 < (v or 0) < 1 for v in values[code]), code
    assert max(values["grassroots.events.open"]) > 3


def test_refresh_of_several_days_stores_the_grouped_values(busy: TinyCity) -> None:
    stored = refresh(days=scene.DAYS, indicators=sorted(GROUPED))
    assert stored == IndicatorValue.objects.filter(period_kind="day").count() > 0
    city = Region.objects.get(code="330600")
    spec = specs()["grassroots.events.reported"]
    for day in scene.DAYS:
        row = IndicatorValue.objects.get(
            indicator__code=spec.code, region=city, period=day, period_kind="day"
        )
        assert row.value == spec.compute(city, day)
    assert IndicatorValue.objects.filter(period_kind="month", period=scene.FIRST.replace(day=1))


def test_a_grouped_answer_missing_regions_is_refused(city: TinyCity) -> None:
    spec = specs()["grassroots.events.reported"]
    broken = IndicatorSpec(**{**spec.__dict__, "grouped": lambda regions, days: {}})
    with pytest.raises(ValueError, match="grouped"):
        compute_values(broken, refresh_regions(), scene.DAYS)


def test_tally_counts_each_row_for_the_regions_whose_path_starts_it() -> None:
    regions = [Region(pk=1, path="/1/"), Region(pk=2, path="/1/12/"), Region(pk=3, path="/1/3/")]
    first, second = scene.DAYS[0], scene.DAYS[1]
    tally = Tally(regions, [first, second]).rows(
        [("/1/12/5/", first, 2), ("/1/3/", second, 1), ("/1/123/", first, 4), (None, first, 9)]
    )
    assert tally.values() == {
        (1, first): 6.0,
        (1, second): 1.0,
        (2, first): 2.0,
        (2, second): 0.0,
        (3, first): 0.0,
        (3, second): 1.0,
    }
    running = Tally(regions, [first, second], running=True).rows(
        [("/1/3/", first - timedelta(days=9), 1), ("/1/3/", second, 1)]
    )
    assert running.values()[(3, first)] == 1.0 and running.values()[(3, second)] == 2.0
