"""Grassroots fixtures: a citizen, points inside the tiny city's grids, a media folder."""

from __future__ import annotations

from typing import Any

import pytest
from shapely.geometry import shape

from kuaiji.platform.directory.models import Grid
from kuaiji.platform.identity.models import AccountKind, User


@pytest.fixture
def citizen(db: None) -> User:
    return User.objects.create_user("citizen_li", kind=AccountKind.CITIZEN)


def inside(grid_code: str) -> tuple[float, float]:
    """A point inside a grid (longitude, latitude)."""
    point = shape(Grid.objects.get(code=grid_code).boundary).representative_point()
    return point.x, point.y


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
