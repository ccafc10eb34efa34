"""A varied scene for the grouped computations: grid events in every state over a few days
(reported before the days, closed later, rejected without a closing time, gone overdue), service
applications with decisions, materials and ratings, and data loads and calls."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from kuaiji.apps.government.models import Application
from kuaiji.apps.government.models import Rating as ServiceRating
from kuaiji.apps.grassroots.models import Event, EventStatus, Rating
from kuaiji.platform.chains.models import (
    ChainDefinition,
    ChainInstance,
    ChainVersion,
    OverdueRecord,
    WorkTask,
)
from kuaiji.platform.data.models import (
    CallChannel,
    DataCall,
    DataResource,
    Load,
    LoadStatus,
)
from tests.government.service_data import application
from tests.metrics.helpers import at, closed_events

FIRST = date(2026, 3, 10)
DAYS = [FIRST + timedelta(days=n) for n in range(4)]
GRIDS = ("330602001001001", "330602001002001", "330602002001001", "330603001001001")


def _late(event: Event) -> None:
    """Give the event a chain whose one task went overdue."""
    definition, _created = ChainDefinition.objects.get_or_create(
        key="metrics-scene", defaults={"name": "测试链"}
    )
    version, _created = ChainVersion.objects.get_or_create(
        definition=definition, number=1, defaults={"source": "-", "digest": "-", "spec": "-"}
    )
    instance = ChainInstance.objects.create(
        version=version,
        title="逾期事件",
        business_type="grassroots.event",
        region=event.region,
        region_path=event.region_path,
        state="{}",
    )
    task = WorkTask.objects.create(
        instance=instance,
        spiff_id=uuid.uuid4(),
        step="handle",
        step_name="处置",
        title="处置",
        business_type="grassroots.event",
        region_path=event.region_path,
    )
    OverdueRecord.objects.create(task=task, region_path=event.region_path, due_at=event.created_at)
    Event.objects.filter(pk=event.pk).update(instance=instance)


def events() -> None:
    """Events over the days and before them, in every state that counts differently."""
    for n, grid in enumerate(GRIDS):
        closed_events(grid, FIRST - timedelta(days=3), 1 + n % 2)  # long before
        for k, day in enumerate(DAYS[: 3 + n % 2]):
            closed_events(grid, day, 1 + (n + k) % 3, rating="unsatisfied" if k % 2 else "")
            closed_events(grid, day, 1, rating="satisfied")
    rows = list(Event.objects.order_by("pk"))
    for n, event in enumerate(rows):
        if n % 5 == 0:  # still open
            Event.objects.filter(pk=event.pk).update(status=EventStatus.HANDLING, closed_at=None)
        elif n % 7 == 0:  # rejected without a closing time: never open
            Event.objects.filter(pk=event.pk).update(status=EventStatus.REJECTED, closed_at=None)
        elif n % 11 == 0:  # merged with a closing time: open until then, not "closed"
            Event.objects.filter(pk=event.pk).update(status=EventStatus.MERGED)
        elif n % 3 == 0:  # closed two days later
            Event.objects.filter(pk=event.pk).update(
                closed_at=event.closed_at + timedelta(days=2), rating=Rating.SATISFIED
            )
        elif n % 4 == 0:
            _late(event)
        elif n % 4 == 1:
            Event.objects.filter(pk=event.pk).update(rating=Rating.UNSATISFIED)
        elif n % 4 == 3:
            Event.objects.filter(pk=event.pk).update(rating="")


def applications() -> None:
    """Applications submitted, decided (on time or not), with materials and ratings."""
    regions = ("330602001", "330602002", "330603001", "330602001")
    for n, day in enumerate(DAYS):
        for k, region in enumerate(regions[: 2 + n]):
            found = application(
                region=region,
                online=(n + k) % 3 != 0,
                submitted_at=at(day, 9 + k),
                decided_at=at(day + timedelta(days=k % 2), 16),
                promised_by=day + timedelta(days=(k % 3) - 1),
                shared=k % 3,
                uploaded=1,
            )
            if (n + k) % 2 == 0:
                ServiceRating.objects.create(
                    application=found, level=1 + (n * 2 + k) % 5, rated_at=at(day, 20)
                )
    undecided = application(region="330603001", submitted_at=at(DAYS[1], 9), status="accepted")
    Application.objects.filter(pk=undecided.pk).update(promised_by=None)


def data(resource: DataResource) -> None:
    """Applied and rejected loads and data calls of one resource."""
    for n, day in enumerate(DAYS[:3]):
        for status in (LoadStatus.APPLIED, LoadStatus.REJECTED):
            Load.objects.create(
                resource=resource,
                source="upload",
                file_name="x.csv",
                digest="-",
                on_bad_rows="reject",
                status=status,
                rows_inserted=10 * (n + 1),
                rows_updated=n,
                started_at=at(day, 10),
            )
        for hour in range(n + 1):
            DataCall.objects.create(
                at=at(day, 8 + hour),
                channel=CallChannel.API,
                resource=resource,
                fields=["record_id"],
                rows=1,
            )
