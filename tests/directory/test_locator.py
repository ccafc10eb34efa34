"""Point-to-grid assignment through an STRtree index that follows grid changes."""

from __future__ import annotations

import numpy as np
import pytest

from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.directory import locator, services
from kuaiji.platform.directory.records import GridRecord
from tests.directory.city import TinyCity, box

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_index() -> None:
    locator.forget_locator()


def test_a_point_is_named_down_to_its_grid(city: TinyCity) -> None:
    found = locator.locate(120.05, 30.1)
    assert found.inside
    assert found.grid is not None and found.grid.code == "330602001001001"
    assert found.village is not None and found.village.code == "330602001001"
    assert found.township is not None and found.township.code == "330602001"
    assert found.county is not None and (found.county.code, found.county.name) == ("330602", "西区")


def test_outside_the_city_is_outside_the_jurisdiction(city: TinyCity) -> None:
    outside = locator.locate(116.4, 39.9)
    assert not outside.inside
    assert outside.grid is None and outside.county is None


def test_points_on_a_shared_border_get_exactly_one_grid(city: TinyCity) -> None:
    index = locator.get_locator()
    result = index.grid_indices(np.array([120.0625, 120.125]), np.array([30.1, 30.1]))
    assert (result >= 0).all()


def test_vectorised_lookup_matches_a_naive_scan(city: TinyCity) -> None:
    index = locator.get_locator()
    rng = np.random.default_rng(7)
    lons, lats = rng.uniform(119.9, 121.1, 500), rng.uniform(29.9, 30.6, 500)
    fast = index.grid_indices(lons, lats)
    from shapely.geometry import Point

    for lon, lat, found in zip(lons, lats, fast, strict=True):
        naive = [i for i, g in enumerate(index.grids) if g.geometry.intersects(Point(lon, lat))]
        assert (found in naive) if naive else found == -1


def test_the_index_follows_grid_changes(city: TinyCity) -> None:
    assert not locator.locate(121.5, 30.2).inside
    services.upsert_grids(
        actor=SYSTEM,
        records=[
            GridRecord(
                code="330603001001009",
                name="新网格",
                region_code="330603001001",
                boundary=box(121.4, 30.1, 121.6, 30.3),
            ),
        ],
    )
    assert locator.locate(121.5, 30.2).grid.code == "330603001001009"  # type: ignore[union-attr]


def test_other_processes_changes_are_noticed(
    city: TinyCity, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kuaiji.platform.directory.models import Grid

    assert locator.locate(120.05, 30.1).inside
    Grid.objects.filter(code="330602001001001").delete()  # as if another process removed it
    monkeypatch.setattr(locator, "RECHECK_SECONDS", 0.0)
    assert not locator.locate(120.05, 30.1).inside
