"""Periodic housekeeping of the platform."""

from __future__ import annotations

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="core.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry; returns how many were removed."""
    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
