"""Run Celery beat's schedule inside the process when no broker is configured.

In production `kuaiji beat` sends the jobs in ``CELERY_BEAT_SCHEDULE`` to the workers. The
embedded default has no broker, so `kuaiji serve` starts this scheduler: it reads the same
schedule, asks each schedule object (interval or crontab) whether it is due, exactly as beat
does, and runs the task function in a background thread of the server.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from celery import Celery
from celery.schedules import BaseSchedule, maybe_schedule
from django.db import close_old_connections

logger = logging.getLogger(__name__)


@dataclass
class Job:
    """One entry of the beat schedule and when it last ran."""

    name: str
    task: str
    schedule: BaseSchedule
    last_run_at: datetime
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


def _as_schedule(value: Any, app: Celery) -> BaseSchedule:
    """An interval (seconds or timedelta) or a schedule object, as a schedule object."""
    converted = maybe_schedule(value, app=app)
    if not isinstance(converted, BaseSchedule):
        raise TypeError(f"not a schedule: {value!r}")
    return converted


class InProcessScheduler:
    """A minimal beat: due jobs run in this process, one at a time."""

    MAX_SLEEP = 60.0

    def __init__(self, app: Celery) -> None:
        self.app = app
        started = app.now()
        self.jobs = [
            Job(
                name=name,
                task=entry["task"],
                schedule=_as_schedule(entry["schedule"], app),
                last_run_at=started,
                args=tuple(entry.get("args", ())),
                kwargs=dict(entry.get("kwargs", {})),
            )
            for name, entry in (app.conf.beat_schedule or {}).items()
        ]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> float:
        """Run every due job; return the seconds until the next one is due."""
        wait = self.MAX_SLEEP
        for job in self.jobs:
            due, next_in = job.schedule.is_due(job.last_run_at)
            if due:
                job.last_run_at = self.app.now()
                self._run(job)
            wait = min(wait, float(next_in))
        return max(wait, 0.1)

    def _run(self, job: Job) -> None:
        close_old_connections()
        try:
            result = self.app.tasks[job.task].apply(args=job.args, kwargs=job.kwargs)
            if result.failed():
                logger.error("periodic job %s failed: %s", job.name, result.result)
            else:
                logger.info("periodic job %s done: %s", job.name, result.result)
        except Exception:
            logger.exception("periodic job %s could not run", job.name)
        finally:
            close_old_connections()

    def start(self) -> None:
        """Start the background thread (idempotent)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="kuaiji-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to stop and wait for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._stop.wait(self.tick())
