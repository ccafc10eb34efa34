"""A duplicate is merged into the event it repeats: its chain is cancelled, it closes as merged."""

from __future__ import annotations

import pytest
from django.test import Client

from kuaiji.apps.grassroots import services
from kuaiji.apps.grassroots.models import EventStatus
from kuaiji.platform.chains.models import InstanceStatus, TaskStatus
from kuaiji.platform.core.errors import NotFound
from tests.directory.city import TinyCity
from tests.grassroots.test_dispatch import reported

pytestmark = pytest.mark.django_db


def test_merging_a_duplicate(city: TinyCity, calendar: None) -> None:
    first, second = reported(city, 2)
    assert second.duplicate_of == first
    with pytest.raises(NotFound):
        services.merge(actor=city.users["grid_worker"], event=second.pk, into=first.pk)
    merged = services.merge(actor=city.users["township_officer"], event=second.pk, into=first.pk)
    assert merged.status == EventStatus.MERGED and first.number in merged.status_note
    assert merged.instance is not None
    merged.instance.refresh_from_db()
    assert merged.instance.status == InstanceStatus.CANCELLED
    assert not merged.instance.tasks.filter(status=TaskStatus.OPEN).exists()
    first.refresh_from_db()
    assert first.is_open


def test_merging_from_the_event_page(city: TinyCity, calendar: None) -> None:
    first, second = reported(city, 2)
    client = Client()
    client.force_login(city.users["county_officer"])
    page = client.get(f"/work/events/{second.pk}/").content.decode()
    assert 'data-testid="merge"' in page
    assert client.post(f"/work/events/{second.pk}/merge/").status_code == 302
    second.refresh_from_db()
    assert second.status == EventStatus.MERGED
    assert 'data-testid="merge"' not in client.get(f"/work/events/{second.pk}/").content.decode()
    assert client.post(f"/work/events/{first.pk}/merge/").status_code == 404
