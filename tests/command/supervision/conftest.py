"""Supervision fixtures: the tiny city with a scene of supervised work."""

from __future__ import annotations

import pytest

from tests.chains.conftest import three_step  # noqa: F401  (the fixture, used by `scene`)
from tests.command.supervision.scene import Scene, build_scene
from tests.directory.city import TinyCity


@pytest.fixture
def scene(city: TinyCity, three_step: object) -> Scene:  # noqa: F811
    return build_scene(city)
