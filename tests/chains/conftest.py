"""Chains fixtures: a published working-day calendar and the three-step test model."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from kuaiji.platform.chains.models import ChainVersion
from kuaiji.platform.chains.versions import upload_model
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.workdays.models import PublishedYear
from kuaiji.platform.workdays.services import library_years, publish_from_library, publish_year

THREE_STEP = Path(__file__).with_name("three_step.bpmn")


def publish_calendar() -> None:
    """The library's years, and this year and next as plain weeks if the library stops
    earlier (so the tests do not depend on the day they run)."""
    publish_from_library(actor=SYSTEM, years=library_years())
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        if not PublishedYear.objects.filter(year=year).exists():
            publish_year(actor=SYSTEM, year=year, days=[])


@pytest.fixture
def calendar(db: None) -> None:
    publish_calendar()


@pytest.fixture
def three_step(calendar: None) -> ChainVersion:
    return upload_model(actor=SYSTEM, source=THREE_STEP.read_bytes())
