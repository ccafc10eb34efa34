"""Deployment configuration: settings, URLs, the Celery app and the WSGI/ASGI entry points."""

from kuaiji.config.celery import app as celery_app

__all__ = ["celery_app"]
