"""Chains fixtures: the three-step test model."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuaiji.platform.chains.models import ChainVersion
from kuaiji.platform.chains.versions import upload_model
from kuaiji.platform.core.actors import SYSTEM

THREE_STEP = Path(__file__).with_name("three_step.bpmn")


@pytest.fixture
def three_step(calendar: None) -> ChainVersion:
    return upload_model(actor=SYSTEM, source=THREE_STEP.read_bytes())
