"""Notifying: the inbox row at once, the e-mail only after commit, and never twice."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import transaction

from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import InvalidInput, NotFound
from kuaiji.platform.directory.models import Department, Region, Staff
from kuaiji.platform.identity.models import User
from kuaiji.platform.messaging import selectors, senders, services
from kuaiji.platform.messaging.models import Delivery, DeliveryStatus, Notification
from kuaiji.platform.messaging.tasks import deliver
from tests.messaging.conftest import Mailbox


def _notify(*recipients: User, channels: tuple[str, ...] = ("email",)) -> list[Notification]:
    return services.notify(
        actor=SYSTEM,
        recipients=recipients,
        kind="urge",
        title="请尽快处置事件 E-1024",
        body="该事件即将超时。",
        link="/work/",
        channels=channels,
    )


@pytest.mark.django_db(transaction=True)
def test_notify_writes_the_inbox_and_mails_after_commit(alice: User, smtp_server: Mailbox) -> None:
    with transaction.atomic():
        [notification] = _notify(alice)
        assert smtp_server.messages == []  # nothing leaves before the commit
    assert selectors.inbox(alice)[0] == notification
    assert selectors.unread_count(alice) == 1
    [(to, message)] = smtp_server.messages
    assert to == ["alice@example.gov.cn"]
    assert message["Subject"] == "请尽快处置事件 E-1024"
    delivery = Delivery.objects.get(notification=notification)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    assert delivery.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_sends_nothing(alice: User, smtp_server: Mailbox) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify(alice)
        raise RuntimeError("the change fails")
    assert smtp_server.messages == []
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_delivering_twice_sends_once(alice: User, smtp_server: Mailbox) -> None:
    [notification] = _notify(alice)
    ids = list(Delivery.objects.filter(notification=notification).values_list("pk", flat=True))
    assert deliver(ids) == {"sent": 0, "failed": 0, "skipped": 1}
    deliver.delay(ids)
    assert len(smtp_server.messages) == 1
    assert Delivery.objects.get().attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_delivery_is_recorded_and_retried(alice: User, smtp_server: Mailbox) -> None:
    User.objects.filter(pk=alice.pk).update(email="")
    alice.refresh_from_db()
    _notify(alice)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert "e-mail address" in delivery.last_error
    User.objects.filter(pk=alice.pk).update(email="alice@example.gov.cn")
    deliver([delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_sms_is_logged_with_the_phone_masked(
    alice: User, caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks: Any
) -> None:
    region = Region.objects.create(code="330602", name="越城区", level="county")
    department = Department.objects.create(
        code="D1", name="综合执法局", level="county", kind="functional", region=region
    )
    Staff.objects.create(
        user=alice, employee_no="E1", name="王芳", department=department, phone="13912345678"
    )
    caplog.set_level(logging.INFO, logger=senders.__name__)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(alice, channels=("sms",))
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert "139****5678" in caplog.text
    assert "13912345678" not in caplog.text


@pytest.mark.django_db
def test_notify_audits_without_the_content(alice: User, bob: User) -> None:
    notifications = _notify(alice, bob, alice, channels=())
    assert len(notifications) == 2  # each person once
    assert not Delivery.objects.exists()
    entries = AuditEntry.objects.filter(action="messaging.notification.create")
    assert entries.count() == 2
    for entry in entries:
        assert "E-1024" not in str(entry.changes) + entry.object_label


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("kind", {"kind": "gossip"}),
        ("title", {"title": "  "}),
        ("link", {"link": "https://evil.example/"}),
        ("link", {"link": "//evil.example/"}),
        ("channels", {"channels": ("fax",)}),
    ],
)
def test_bad_input_is_refused(alice: User, field: str, changes: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {"kind": "notice", "title": "通知", "body": "", "link": ""}
    arguments |= changes
    with pytest.raises(InvalidInput) as refused:
        services.notify(actor=SYSTEM, recipients=[alice], **arguments)
    assert field in refused.value.fields
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_only_the_recipient_marks_read(alice: User, bob: User) -> None:
    [notification] = _notify(alice, channels=())
    with pytest.raises(NotFound):
        services.mark_read(actor=bob, notification=notification)
    with pytest.raises(NotFound):
        services.mark_read(actor=SYSTEM, notification=notification.pk)
    first = services.mark_read(actor=alice, notification=notification).read_at
    assert first is not None
    assert services.mark_read(actor=alice, notification=notification.pk).read_at == first
    assert selectors.unread_count(alice) == 0
    assert list(selectors.inbox(alice, unread_only=True)) == []
