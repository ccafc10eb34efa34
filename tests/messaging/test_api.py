"""The inbox over the API: one's own notifications, read receipts, 404 for anyone else's."""

from __future__ import annotations

import pytest
from django.test import Client

from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.identity.models import User
from kuaiji.platform.messaging import services
from kuaiji.platform.messaging.models import Notification

pytestmark = pytest.mark.django_db


def _send(user: User, title: str) -> Notification:
    [notification] = services.notify(
        actor=SYSTEM, recipients=[user], kind="notice", title=title, body="正文"
    )
    return notification


def test_inbox_lists_my_notifications_newest_first(alice: User, bob: User) -> None:
    _send(alice, "第一条")
    second = _send(alice, "第二条")
    _send(bob, "别人的")
    client = Client()
    client.force_login(alice)
    page = client.get("/api/v1/messaging/inbox").json()
    assert page["count"] == 2
    assert [item["title"] for item in page["items"]] == ["第二条", "第一条"]
    assert page["items"][0]["id"] == second.pk
    assert page["items"][0]["read_at"] is None
    limited = client.get("/api/v1/messaging/inbox?limit=1&offset=1").json()
    assert [item["title"] for item in limited["items"]] == ["第一条"]


def test_read_receipt_and_unread_filter(alice: User) -> None:
    first = _send(alice, "第一条")
    _send(alice, "第二条")
    client = Client()
    client.force_login(alice)
    response = client.post(f"/api/v1/messaging/inbox/{first.pk}/read")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    unread = client.get("/api/v1/messaging/inbox?unread=true").json()
    assert [item["title"] for item in unread["items"]] == ["第二条"]
    first.refresh_from_db()
    assert first.read_at is not None


def test_another_persons_notification_answers_404(alice: User, bob: User) -> None:
    theirs = _send(bob, "别人的")
    client = Client()
    client.force_login(alice)
    for url in (f"/api/v1/messaging/inbox/{theirs.pk}/read", "/api/v1/messaging/inbox/999999/read"):
        response = client.post(url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_callers_are_refused(alice: User) -> None:
    mine = _send(alice, "我的")
    assert Client().get("/api/v1/messaging/inbox").status_code == 401
    assert Client().post(f"/api/v1/messaging/inbox/{mine.pk}/read").status_code == 401
