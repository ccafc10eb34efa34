"""The demo's grid events: 90 days of them across the demo city.

Events older than a week were handled in the former grid system and are brought over closed,
with their ratings; the last week's are reported on the platform through the same intake as
any report and travel the grid-event chain, some of them to the end. Texts come from the triage
corpus, points lie inside their grids, and everything is drawn from a fixed seed, so a size
always gives the same events.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape

from kuaiji.apps.grassroots.history import PastEvent, bring_over
from kuaiji.apps.grassroots.models import Channel, Event, EventSource, Rating
from kuaiji.apps.grassroots.services import report_event
from kuaiji.apps.grassroots.triage import corpus
from kuaiji.platform.chains import services as chains
from kuaiji.platform.chains.models import TaskStatus
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.demo_loader import DemoSize, DemoStep
from kuaiji.platform.directory.demo_city.accounts import TASHAN
from kuaiji.platform.directory.models import Grid
from kuaiji.platform.identity.models import User

DAYS = 90
LIVE_DAYS = 7
PER_DAY: dict[DemoSize, int] = {"small": 4, "default": 12, "large": 30}
LIVE: dict[DemoSize, int] = {"small": 6, "default": 12, "large": 20}
SOURCES = (
    (EventSource.PATROL, 55),
    (EventSource.CITIZEN, 25),
    (EventSource.HOTLINE, 15),
    (EventSource.SENSOR, 5),
)
# How far each live event travels: the forms of the grid-event chain's steps, in order.
MOVES: tuple[tuple[str, dict[str, str]], ...] = (
    ("township", {"decision": "accept"}),
    ("township", {"decision": "handle"}),
    ("township", {"opinion": "交社区网格处置"}),
    ("township", {"opinion": "已现场处置完毕"}),
    ("gridworker", {"opinion": "已向群众反馈处置结果"}),
    ("township", {"result": "pass"}),
    ("township", {}),
)


def _point_in(grid: Grid, rng: random.Random) -> tuple[Decimal, Decimal]:
    area = shape(grid.boundary)
    west, south, east, north = area.bounds
    for _attempt in range(50):
        point = Point(rng.uniform(west, east), rng.uniform(south, north))
        if area.contains(point):
            break
    else:
        point = area.representative_point()
    return Decimal(f"{point.x:.6f}"), Decimal(f"{point.y:.6f}")


def _source(rng: random.Random) -> str:
    return str(rng.choices([source for source, _ in SOURCES], [w for _, w in SOURCES])[0])


def _past(size: DemoSize, grids: list[Grid], rng: random.Random) -> list[PastEvent]:
    samples = corpus.samples()
    today = timezone.localdate()
    events = []
    for days_ago in range(DAYS, LIVE_DAYS, -1):
        day = today - timedelta(days=days_ago)
        for n in range(PER_DAY[size]):
            text, category = rng.choice(samples)
            grid = rng.choice(grids)
            longitude, latitude = _point_in(grid, rng)
            reported = timezone.make_aware(
                datetime.combine(day, time(rng.randint(7, 21), rng.randint(0, 59)))
            )
            events.append(
                PastEvent(
                    reference=f"DEMO-{day:%Y%m%d}-{n:03d}",
                    source=_source(rng),
                    category=category,
                    description=text,
                    grid=grid,
                    longitude=longitude,
                    latitude=latitude,
                    reported_at=reported,
                    closed_at=reported + timedelta(hours=rng.randint(4, 120)),
                    rating=Rating.UNSATISFIED if rng.random() < 0.06 else Rating.SATISFIED,
                )
            )
    return events


def _live(size: DemoSize, users: dict[str, User], rng: random.Random) -> int:
    samples = corpus.samples()
    grid = Grid.objects.get(code=f"{TASHAN}001001")  # the demo grid worker's grid
    reported = 0
    for n in range(LIVE[size]):
        text, category = rng.choice(samples)
        longitude, latitude = _point_in(grid, rng)
        patrol = n % 3 != 2
        event = report_event(
            actor=users["gridworker"] if patrol else SYSTEM,
            source=EventSource.PATROL if patrol else EventSource.HOTLINE,
            channel=Channel.WORK_FRONT,
            description=text,
            longitude=float(longitude),
            latitude=float(latitude),
            category=category,
            external_ref=f"DEMO-LIVE-{n:03d}",
        )
        for username, form in MOVES[: n % (len(MOVES) + 1)]:
            task = event.instance.tasks.get(status=TaskStatus.OPEN)  # type: ignore[union-attr]
            chains.complete(actor=users[username], task=task.pk, form=form)
        reported += 1
    return reported


@transaction.atomic
def load_events(size: DemoSize) -> str:
    """90 days of grid events (once; later loads leave them as they are)."""
    if Event.objects.filter(external_ref__startswith="DEMO-").exists():
        return "0 created, events unchanged"
    rng = random.Random(f"grassroots-{size}")  # noqa: S311  (synthetic data, not secrets)
    grids = list(Grid.objects.select_related("region").order_by("code"))
    past = bring_over(actor=SYSTEM, events=_past(size, grids, rng))
    users = User.objects.in_bulk(["gridworker", "township"], field_name="username")
    live = _live(size, users, rng)
    return f"{past + live} created"


STEPS = [DemoStep("grid events", load_events)]
