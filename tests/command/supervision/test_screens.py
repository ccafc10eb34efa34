"""The work-front supervision screen: filters, lights, tables, items with the urge form, export
links; urging from it; refusals; zh-hans by default."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kuaiji.platform.chains.models import WorkTask
from kuaiji.platform.messaging.models import Notification, NotificationKind
from tests.command.supervision.scene import Scene

pytestmark = pytest.mark.django_db
HOME = "/work/supervision/"


def signed_in(client: Client, scene: Scene, role: str = "city_leader", lang: str = "en") -> Client:
    client.force_login(scene.city.users[role])
    client.cookies["kuaiji_language"] = lang
    return client


def test_the_screen_shows_lights_tables_items_and_exports(client: Client, scene: Scene) -> None:
    page = signed_in(client, scene).get(HOME, {"region": "330602"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Supervision across the apps" in html
    assert re.search(r'data-light="red"><strong>4</strong>', html)
    assert 'data-region="330602001"' in html
    assert 'href="/work/events/41/"' in html
    assert f'value="chain:{scene.event.pk}"' in html  # red work can be ticked
    assert f'value="chain:{scene.calm_event.pk}"' not in html  # green cannot
    assert "/api/v1/command/supervision/report.pdf?region=330602" in html
    assert "<script>" not in html


def test_the_screen_in_chinese(client: Client, scene: Scene) -> None:
    html = signed_in(client, scene, lang="zh-hans").get(HOME).content.decode()
    assert "测试市" in html or "西区" in html
    assert 'lang="zh-hans"' in html or "zh" in html[:300]


def test_filters_choose_the_kind_and_light(client: Client, scene: Scene) -> None:
    html = (
        signed_in(client, scene)
        .get(HOME, {"kind": "checklist", "light": "yellow"})
        .content.decode()
    )
    assert f'data-item="checklist:{scene.near_task.pk}"' in html
    assert f'data-item="checklist:{scene.late_task.pk}"' not in html
    assert signed_in(Client(), scene).get(HOME, {"light": "blue"}).status_code == 400


def test_urging_from_the_screen(client: Client, scene: Scene) -> None:
    leader = signed_in(client, scene)
    posted = {
        "items": [f"chain:{scene.event.pk}", f"directive:{scene.late_target.pk}"],
        "message": "请加快",
        "submission_key": "screen-1",
        "region": "330602",
    }
    answer = leader.post(f"{HOME}urge/", posted)
    assert answer.status_code == 302 and answer["Location"] == f"{HOME}?region=330602"
    assert WorkTask.objects.get(pk=scene.event.pk).urge_count == 1
    assert (
        Notification.objects.filter(
            recipient=scene.city.users["township_officer"], kind=NotificationKind.URGE
        ).count()
        == 2
    )
    assert "2 items urged." in leader.get(answer["Location"]).content.decode()
    refused = leader.post(f"{HOME}urge/", {**posted, "message": "", "submission_key": "screen-2"})
    assert refused.status_code == 400
    assert 'data-testid="urge-error"' in refused.content.decode()


def test_who_may_not_supervise_is_refused(client: Client, scene: Scene) -> None:
    assert client.get(HOME).status_code == 302  # to sign in
    assert signed_in(client, scene, "department_officer").get(HOME).status_code == 403
    officer = signed_in(Client(), scene, "county_officer")
    assert officer.get(HOME, {"region": "330603"}).status_code == 400  # not a choice
    township = signed_in(Client(), scene, "township_officer")
    html = township.get(HOME).content.decode()
    assert 'name="items"' not in html  # may see, may not urge
