"""Periodic jobs: the in-process scheduler runs Celery beat's schedule without a broker."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from celery import Celery
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from kuaiji.config.celery import app as kuaiji_app
from kuaiji.platform.core.scheduler import InProcessScheduler
from kuaiji.platform.core.tasks import clear_expired_sessions


def _app_with_job(calls: list[int], every: float) -> Celery:
    app = Celery("scheduler-test", broker="memory://")
    app.conf.task_always_eager = True

    @app.task(name="test.count", shared=False)
    def count(step: int) -> int:
        calls.append(step)
        return len(calls)

    @app.task(name="test.explode", shared=False)
    def explode() -> None:
        raise RuntimeError("job failure must not stop the scheduler")

    app.conf.beat_schedule = {
        "count": {"task": "test.count", "schedule": every, "args": (5,)},
        "explode": {"task": "test.explode", "schedule": timedelta(seconds=every)},
    }
    return app


@pytest.mark.django_db
def test_jobs_run_when_due_and_not_before() -> None:
    calls: list[int] = []
    scheduler = InProcessScheduler(_app_with_job(calls, every=0.2))
    scheduler.tick()
    assert calls == []
    time.sleep(0.25)
    wait = scheduler.tick()
    assert calls == [5]
    assert 0 < wait <= 0.2
    scheduler.tick()
    assert calls == [5], "a job runs once per period"


def test_background_thread_runs_and_stops() -> None:
    calls: list[int] = []
    scheduler = InProcessScheduler(_app_with_job(calls, every=0.05))
    scheduler.start()
    deadline = time.monotonic() + 5
    while len(calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    scheduler.stop()
    assert len(calls) >= 2
    settled = len(calls)
    time.sleep(0.15)
    assert len(calls) == settled


@pytest.mark.django_db
def test_the_platform_schedule_is_understood() -> None:
    scheduler = InProcessScheduler(kuaiji_app)
    assert {job.task for job in scheduler.jobs} == {
        "core.clear_expired_sessions",
        "identity.clear_expired_tokens",
        "chains.supervise",
        "data.pull_sources",
        "data.assess_quality",
        "data.deliver_flowback",
        "metrics.refresh",
        "command.remind_directives",
        "command.remind_due_tasks",
    }
    assert scheduler.tick() <= InProcessScheduler.MAX_SLEEP


@pytest.mark.django_db
def test_clear_expired_sessions() -> None:
    live = SessionStore()
    live["k"] = 1
    live.create()
    old = SessionStore()
    old["k"] = 2
    old.create()
    Session.objects.filter(session_key=old.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    assert clear_expired_sessions.delay().get() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
