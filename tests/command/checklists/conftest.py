"""The task-list story of the tiny city, with uploads kept in a temporary folder."""

from __future__ import annotations

from typing import Any

import pytest

from tests.command.checklists.story import Story, build
from tests.directory.city import TinyCity


@pytest.fixture
def story(city: TinyCity, settings: Any, tmp_path: Any) -> Story:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build(city)
