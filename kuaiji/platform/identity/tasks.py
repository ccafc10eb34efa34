"""Periodic housekeeping of identity."""

from __future__ import annotations

from celery import shared_task
from oauth2_provider.models import clear_expired


@shared_task(name="identity.clear_expired_tokens")
def clear_expired_tokens() -> None:
    """Delete expired OAuth access, refresh and ID tokens and used grants."""
    clear_expired()
