"""The summary against a built scene: counts by light, kind, region and unit for the city and a
county, the scope of a township officer, the item list, and a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kuaiji.apps.command.supervision import selectors
from kuaiji.platform.core.errors import Forbidden, InvalidInput, NotFound
from tests.command.supervision.scene import Scene, chain_task, checklist_task, task_list

pytestmark = pytest.mark.django_db


def lights_of(row: Any) -> tuple[int, int, int]:
    return (row.red, row.yellow, row.green)


def test_the_city_summary(scene: Scene) -> None:
    leader = scene.city.users["city_leader"]
    found = selectors.summary(leader, selectors.filters(leader))
    assert found.region.code == "330600"
    assert lights_of(found.counts) == (5, 2, 2)
    kinds = {row.kind: lights_of(row) for row in found.by_kind}
    assert kinds == {
        "event": (2, 0, 1),
        "application": (1, 0, 0),
        "sharing": (0, 0, 0),
        "chain": (0, 0, 0),
        "checklist": (1, 1, 1),
        "directive": (1, 1, 0),
    }
    assert {row.code: lights_of(row) for row in found.by_region} == {
        "330602": (4, 2, 1),
        "330603": (1, 0, 1),
    }
    units = {row.unit: (row.open, row.red, row.yellow) for row in found.by_unit}
    assert units["330602001办事处"] == (4, 2, 2)
    assert found.by_unit[0].red >= found.by_unit[-1].red
    assert [alert.key for alert in found.alerts] == [
        f"chain:{scene.event.pk}",
        f"checklist:{scene.late_task.pk}",
        f"chain:{scene.application.pk}",
        f"chain:{scene.east_event.pk}",
        f"directive:{scene.late_target.pk}",
    ]


def test_a_county_summary_counts_its_townships(scene: Scene) -> None:
    leader = scene.city.users["city_leader"]
    found = selectors.summary(leader, selectors.filters(leader, region="330602"))
    assert lights_of(found.counts) == (4, 2, 1)
    assert {row.code: lights_of(row) for row in found.by_region} == {
        "330602001": (4, 2, 1),
        "330602002": (0, 0, 0),
    }
    first = found.alerts[0]
    assert (first.kind, first.county.name, first.township.code) == ("event", "西区", "330602001")
    assert first.days_late == 2 and first.link == "/work/events/41/"


def test_the_county_officer_sees_their_county_only(scene: Scene) -> None:
    officer = scene.city.users["county_officer"]
    chosen = selectors.filters(officer)
    assert chosen.region.code == "330602"
    assert lights_of(selectors.summary(officer, chosen).counts) == (4, 2, 1)
    with pytest.raises(NotFound):
        selectors.filters(officer, region="330603")
    with pytest.raises(NotFound):
        selectors.filters(officer, region="330600")


def test_a_township_officer_sees_only_their_township(scene: Scene) -> None:
    officer = scene.city.users["township_officer"]
    elsewhere = task_list(scene.city, "QD-X", "330602")
    checklist_task(elsewhere, 1, "330602002", scene.late_task.deadline)
    chain_task(scene.city, "grassroots.event", "77", "330602002001001", hours_late=5)
    found = selectors.summary(officer, selectors.filters(officer))
    assert found.region.code == "330602001"
    assert lights_of(found.counts) == (4, 2, 1)
    keys = {item.key for item in selectors.items(officer, found.filters)[:50]}
    assert f"chain:{scene.east_event.pk}" not in keys
    assert len(keys) == 7
    leader = scene.city.users["city_leader"]
    assert selectors.summary(leader, selectors.filters(leader)).counts.red == 7


def test_without_the_permission_supervision_is_refused(scene: Scene) -> None:
    with pytest.raises(Forbidden):
        selectors.filters(scene.city.users["department_officer"])
    with pytest.raises(Forbidden):
        selectors.filters(scene.city.users["grid_worker"])


def test_filters_are_checked(scene: Scene) -> None:
    leader = scene.city.users["city_leader"]
    with pytest.raises(InvalidInput) as refused:
        selectors.filters(leader, kind="weather", light="blue")
    assert set(refused.value.fields) == {"kind", "light"}
    with pytest.raises(NotFound):
        selectors.filters(leader, region="999999")


def test_items_are_filtered_and_sliced_by_the_database(scene: Scene) -> None:
    leader = scene.city.users["city_leader"]
    everything = selectors.items(leader, selectors.filters(leader))
    assert everything.count() == 9
    lights = [item.light for item in everything[0:9]]
    assert lights == sorted(lights, key=["red", "yellow", "green"].index)
    assert [item.key for item in everything[1:3]] == [
        f"checklist:{scene.late_task.pk}",
        f"chain:{scene.application.pk}",
    ]
    yellow = selectors.items(leader, selectors.filters(leader, light="yellow"))
    assert {item.key for item in yellow[0:10]} == {
        f"checklist:{scene.near_task.pk}",
        f"directive:{scene.near_target.pk}",
    }
    directives = selectors.items(leader, selectors.filters(leader, kind="directive"))
    assert [item.link for item in directives[0:5]] == [
        "/work/directives/ZL-1/",
        "/work/directives/ZL-2/",
    ]
    unit = selectors.items(leader, selectors.filters(leader, unit="330603001办事处"))
    assert [item.key for item in unit[0:5]] == [f"checklist:{scene.east_task.pk}"]


def test_a_summary_takes_a_fixed_number_of_queries(scene: Scene) -> None:
    leader = scene.city.users["city_leader"]
    chosen = selectors.filters(leader)
    with CaptureQueriesContext(connection) as few:
        selectors.summary(leader, chosen)
    for number in range(5):
        chain_task(scene.city, "grassroots.event", f"9{number}", "330603001001001", hours_late=2)
        checklist_task(
            task_list(scene.city, f"QD-{number}", "330603"),
            1,
            "330603001",
            scene.late_task.deadline,
        )
    with CaptureQueriesContext(connection) as more:
        found = selectors.summary(leader, chosen)
    assert found.counts.red == 15
    assert len(more.captured_queries) == len(few.captured_queries)
