"""The Celery application. With REDIS_URL set it talks to Redis; without, tasks run eagerly."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuaiji.config.settings")

app = Celery("kuaiji")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
