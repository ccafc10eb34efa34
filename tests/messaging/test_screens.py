"""The inbox screen of the work front."""

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
        actor=SYSTEM, recipients=[user], kind="reminder", title=title, body="", link="/work/"
    )
    return notification


def test_inbox_marks_unread_and_records_the_receipt(alice: User) -> None:
    mine = _send(alice, "请提交周报")
    client = Client()
    client.force_login(alice)
    page = client.get("/work/inbox/").content.decode()
    assert "请提交周报" in page
    assert 'class="unread"' in page
    assert f"/work/inbox/{mine.pk}/read/" in page
    assert 'href="/work/inbox/"' in page  # the menu entry
    response = client.post(f"/work/inbox/{mine.pk}/read/")
    assert response.status_code == 302
    assert response["Location"] == "/work/inbox/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    page = client.get("/work/inbox/").content.decode()
    assert 'class="read"' in page
    assert f"/work/inbox/{mine.pk}/read/" not in page
    assert "请提交周报" not in client.get("/work/inbox/?unread=1").content.decode()


def test_another_persons_notification_answers_404(alice: User, bob: User) -> None:
    theirs = _send(bob, "别人的")
    client = Client()
    client.force_login(alice)
    assert "别人的" not in client.get("/work/inbox/").content.decode()
    assert client.post(f"/work/inbox/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_reading_needs_a_post(alice: User) -> None:
    mine = _send(alice, "通知")
    client = Client()
    client.force_login(alice)
    assert client.get(f"/work/inbox/{mine.pk}/read/").status_code == 405


def test_anonymous_visitors_sign_in_first() -> None:
    response = Client().get("/work/inbox/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
