"""The demo publishes every year the holiday library knows."""

from __future__ import annotations

from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.demo_loader import DemoSize, DemoStep
from kuaiji.platform.workdays.services import publish_from_library


def load_calendar(size: DemoSize) -> str:
    """Publish the library's years that are not stored yet."""
    added = publish_from_library(actor=SYSTEM)
    return f"{len(added)} created" if added else "0 created, calendar unchanged"


STEPS = [DemoStep("working-day calendar", load_calendar)]
