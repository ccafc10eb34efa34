"""Senders of the external channels, one per channel, replaceable.

A sender's `send` either returns (the message left) or raises (the delivery is marked failed
and may be retried). `register` replaces the sender of a channel, e.g. with a gateway client
in a deployment or a fake in a test.

- e-mail goes through Django's `send_mail`, so the EMAIL_* settings choose the server;
- SMS: no SMS gateway exists in this project. The default `LoggingSmsSender` only writes the
  message's id and kind to the log, with the phone number masked; a deployment registers a
  sender for its operator's gateway instead.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from django.core.mail import send_mail

from kuaiji.platform.core.personal import PersonalKind, mask
from kuaiji.platform.messaging.models import Channel, Notification

logger = logging.getLogger(__name__)


class NoAddress(Exception):
    """The recipient has no address on this channel (no e-mail address, no phone)."""


class Sender(Protocol):
    """Sends one notification through one channel; raises if it could not."""

    channel: str

    def send(self, notification: Notification) -> None: ...


class EmailSender:
    """E-mail to the recipient's account address, through Django's mail settings."""

    channel = Channel.EMAIL.value

    def send(self, notification: Notification) -> None:
        address = notification.recipient.email
        if not address:
            raise NoAddress("the recipient has no e-mail address")
        text = notification.body
        if notification.link:
            text = f"{text}\n\n{notification.link}" if text else notification.link
        send_mail(notification.title, text, None, [address], fail_silently=False)


def phone_of(user: Any) -> str:
    """The phone of a person's staff record, else of their citizen record ("" if none)."""
    for relation in ("staff", "citizen"):
        # a missing reverse one-to-one raises a subclass of AttributeError: getattr's default
        record = getattr(user, relation, None)
        if record is not None and record.phone:
            return str(record.phone)
    return ""


class LoggingSmsSender:
    """Stands in for an SMS gateway (none exists here): logs the message, phone masked."""

    channel = Channel.SMS.value

    def send(self, notification: Notification) -> None:
        phone = phone_of(notification.recipient)
        if not phone:
            raise NoAddress("the recipient has no phone number")
        logger.info(
            "SMS for notification %s (%s) to %s",
            notification.pk,
            notification.kind,
            mask(PersonalKind.PHONE, phone),
        )


_SENDERS: dict[str, Sender] = {}


def register(sender: Sender) -> None:
    """Use `sender` for its channel from now on."""
    _SENDERS[sender.channel] = sender


def sender_for(channel: str) -> Sender:
    """The sender of a channel (KeyError for a channel nobody sends)."""
    return _SENDERS[channel]


register(EmailSender())
register(LoggingSmsSender())
