"""The demo runs a few chains in Tashan Street, Yuecheng, so every worklist has real work: grid
events at different steps (one waiting for the reporter's evaluation on its timer), a one-thing
service application handled by two departments, and the district head's directive."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kuaiji.platform.chains import services
from kuaiji.platform.chains.models import ChainInstance, TaskStatus
from kuaiji.platform.core.demo_loader import DemoSize, DemoStep
from kuaiji.platform.directory.demo_city.accounts import TASHAN, YUECHENG
from kuaiji.platform.directory.models import Department, Grid
from kuaiji.platform.identity.models import User

BUSINESS_TYPE = "demo"
GRID_EVENTS = (
    ("东街12号门口井盖缺失", ()),
    ("菜场北侧占道经营", ("accept", "escalate")),
    ("小区垃圾清运不及时", ("accept", "handle", "assign", "done", "feedback", "pass", "close")),
)
# The form each grid event step is completed with, by the short names above.
FORMS: dict[str, tuple[str, str, dict[str, str]]] = {
    "accept": ("township", "accept", {"decision": "accept", "opinion": "属实，受理"}),
    "escalate": ("township", "triage", {"decision": "escalate", "opinion": "需执法部门处置"}),
    "handle": ("township", "triage", {"decision": "handle"}),
    "assign": ("township", "assign", {"opinion": "交社区物业协调清运"}),
    "done": ("township", "handle_township", {"opinion": "已协调环卫清运"}),
    "feedback": ("gridworker", "feedback", {"opinion": "已向居民反馈"}),
    "pass": ("township", "verify", {"result": "pass"}),
    "close": ("township", "close", {}),
}


def _advance(instance: ChainInstance, users: dict[str, User], moves: tuple[str, ...]) -> None:
    for move in moves:
        username, step, form = FORMS[move]
        task = instance.tasks.get(status=TaskStatus.OPEN, step=step)
        services.complete(actor=users[username], task=task.pk, form=form)


@transaction.atomic
def load_chains(size: DemoSize) -> str:
    """Start the demo chains once (later loads leave them as they are)."""
    if ChainInstance.objects.filter(business_type=BUSINESS_TYPE).exists():
        return "0 created, chains unchanged"
    users = User.objects.in_bulk(["gridworker", "township", "county"], field_name="username")
    grid = Grid.objects.get(code=f"{TASHAN}001001")
    started: list[Any] = []
    for title, moves in GRID_EVENTS:
        instance = services.start(
            actor=users["gridworker"],
            definition="grid_event",
            title=title,
            business_type=BUSINESS_TYPE,
            grid=grid,
        )
        _advance(instance, users, moves)
        started.append(instance)
    started.append(
        services.start(
            actor=users["township"],
            definition="one_thing_service",
            title="开办餐饮店“一件事”联办",
            business_type=BUSINESS_TYPE,
            region=grid.region,
            data={"departments": [f"{YUECHENG}-SCJ", f"{YUECHENG}-ZHZF"]},
        )
    )
    started.append(
        services.start(
            actor=users["county"],
            definition="directive",
            title="关于开展夏季食品安全专项检查的批示",
            business_type=BUSINESS_TYPE,
            region=grid.region,
            department=Department.objects.get(code=f"{YUECHENG}-SCJ"),
        )
    )
    return f"{len(started)} created"


STEPS = [DemoStep("event execution chains", load_chains)]
