"""The triage model retrains on the shipped corpus and the handled events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kuaiji.apps.grassroots.learning import handled_samples, retrain_classifier
from kuaiji.apps.grassroots.models import Event, EventSource, EventStatus
from kuaiji.apps.grassroots.triage import classifier, corpus
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Forbidden
from kuaiji.platform.directory.models import Region
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


def test_retraining_learns_from_closed_events(
    city: TinyCity, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    classifier.forget()
    region = Region.objects.get(code="330602001001")
    for n, status in enumerate([EventStatus.CLOSED, EventStatus.CLOSED, EventStatus.REJECTED]):
        Event.objects.create(
            source=EventSource.PATROL,
            channel="work_front",
            region=region,
            region_path=region.path,
            status=status,
            category="city.garbage",
            description=f"垃圾桶满溢无人清运 {n}",
        )
    assert len(handled_samples()) == 2
    done = retrain_classifier(actor=SYSTEM)
    assert done.events == 2 and done.samples > len(corpus.samples())
    assert 0.8 < done.accuracy <= 1
    assert (tmp_path / "triage" / "model.joblib").exists()
    assert classifier.current_model().samples == done.samples
    with pytest.raises(Forbidden):
        retrain_classifier(actor=city.users["grid_worker"])
    classifier.forget()
