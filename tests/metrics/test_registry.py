"""Indicators are declared by the apps, found by the platform and stored as definitions."""

from __future__ import annotations

import pytest

from kuaiji.platform.metrics.models import Indicator
from kuaiji.platform.metrics.registry import specs, sync_definitions

pytestmark = pytest.mark.django_db

EXPECTED = {
    "grassroots.events.reported": ("grassroots", "sum"),
    "grassroots.events.closed": ("grassroots", "sum"),
    "grassroots.events.open": ("grassroots", "mean"),
    "grassroots.events.on_time_rate": ("grassroots", "mean"),
    "grassroots.events.satisfaction": ("grassroots", "mean"),
    "government.applications.submitted": ("government", "sum"),
    "government.applications.online_rate": ("government", "mean"),
    "government.applications.on_time_rate": ("government", "mean"),
    "government.materials.shared": ("government", "sum"),
    "government.applications.satisfaction": ("government", "mean"),
    "data.rows.loaded": ("data", "sum"),
    "data.calls": ("data", "sum"),
    "data.quality.score": ("data", "mean"),
    "command.directives.issued": ("command", "sum"),
    "command.directives.read_rate": ("command", "mean"),
    "command.directives.feedback_rate": ("command", "mean"),
    "command.tasks.open": ("command", "mean"),
    "command.tasks.overdue": ("command", "mean"),
    "command.tasks.on_time_rate": ("command", "mean"),
}


def test_the_apps_indicators_are_discovered() -> None:
    found = specs()
    assert {code: (spec.owner, spec.aggregate) for code, spec in found.items()} == EXPECTED
    assert all(spec.name and spec.name_en and spec.unit for spec in found.values())


def test_definitions_are_stored_after_migrate_and_kept_in_step() -> None:
    assert set(Indicator.objects.values_list("code", flat=True)) == set(EXPECTED)
    row = Indicator.objects.get(code="grassroots.events.reported")
    assert (row.name, row.owner, row.aggregate, row.dimensions) == (
        "上报事件数",
        "grassroots",
        "sum",
        ["region", "time"],
    )
    assert row.description == "Grid events reported in the region on the day."
    Indicator.objects.filter(pk=row.pk).update(name="旧名称", active=False)
    Indicator.objects.create(code="gone.indicator", name="已下线", unit="count", owner="gone")
    assert sync_definitions() == len(EXPECTED)
    row.refresh_from_db()
    assert row.name == "上报事件数" and not row.active, "an administrator's choice stays"
    assert not Indicator.objects.get(code="gone.indicator").active
    assert Indicator.objects.count() == len(EXPECTED) + 1
