"""Fixtures for API keys. Rate counters need no clearing between tests: they are kept per key
prefix, and every key is new (clearing would flush a shared Redis database)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from kuaiji.platform.apikeys.models import ApiKey
from kuaiji.platform.apikeys.services import create_key
from kuaiji.platform.core.actors import SYSTEM

MakeKey = Callable[..., tuple[ApiKey, str]]


@pytest.fixture
def make_key(db: None) -> MakeKey:
    """Create a key as the system: ``make_key(owner, ["directory.region.view"], rate=5)``."""

    def make(
        owner: Any,
        codes: list[str],
        *,
        rate: int = 60,
        expires_at: datetime | None = None,
        name: str = "测试客户端",
    ) -> tuple[ApiKey, str]:
        return create_key(
            actor=SYSTEM,
            owner=owner,
            name=name,
            permissions=codes,
            rate_per_minute=rate,
            expires_at=expires_at,
        )

    return make
