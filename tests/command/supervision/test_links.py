"""Each item links to the page behind it: a real service application to its page by number,
a data sharing request to the sharing page, other chain work to its task page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kuaiji.apps.command.supervision import selectors
from kuaiji.apps.government import applications
from kuaiji.platform.chains.models import TaskStatus, WorkTask
from kuaiji.platform.data.sharing import BUSINESS_TYPE as SHARING
from tests.command.supervision.scene import Scene, chain_task
from tests.government.application_story import build, pdf

pytestmark = pytest.mark.django_db


def test_items_link_to_their_pages(scene: Scene) -> None:
    story = build(scene.city)
    application = applications.submit(
        actor=story.citizen,
        submission_key="single",
        item=story.single,
        answers={},
        uploads={"lease": pdf()},
    )
    assert application.chain is not None
    accept = application.chain.tasks.get(status=TaskStatus.OPEN)
    WorkTask.objects.filter(pk=accept.pk).update(due_at=timezone.now() - timedelta(days=9))
    sharing = chain_task(scene.city, SHARING, "5", "330602001001001", hours_late=1)
    rectification = chain_task(
        scene.city, "government.rating", "6", "330602001001001", hours_late=1
    )
    leader = scene.city.users["city_leader"]
    found = {item.key: item for item in selectors.items(leader, selectors.filters(leader))[0:50]}
    assert found[f"chain:{accept.pk}"].kind == "application"
    assert found[f"chain:{accept.pk}"].link == f"/work/services/applications/{application.number}/"
    assert (
        found[f"chain:{scene.application.pk}"].link == f"/work/chains/tasks/{scene.application.pk}/"
    )
    assert (found[f"chain:{sharing.pk}"].kind, found[f"chain:{sharing.pk}"].link) == (
        "sharing",
        "/work/data/sharing/",
    )
    assert (found[f"chain:{rectification.pk}"].kind, found[f"chain:{rectification.pk}"].link) == (
        "chain",
        f"/work/chains/tasks/{rectification.pk}/",
    )
