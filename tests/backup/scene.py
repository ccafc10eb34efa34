"""A representative deployment to back up: the tiny city, the birth bundle's catalog with its
shared data rows, an application with an uploaded photo, a grid event with a photo (and its
thumbnail) and sealed personal data; and an empty database of the suite's kind to restore
into, with the environment that runs `kuaiji` against it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection

from kuaiji.apps.government.models import Application
from kuaiji.apps.grassroots.models import Event
from tests.directory.city import TinyCity
from tests.government.application_story import Story, build
from tests.government.test_applications import submit_birth
from tests.grassroots.test_intake import patrol, png

TIMEOUT = 180


@dataclass
class Scene:
    story: Story
    application: Application
    event: Event


def build_scene(city: TinyCity) -> Scene:
    story = build(city)
    application = submit_birth(story, key="backup-1")
    event = patrol(city, photos=[png()], reporter_phone="13900000002")
    return Scene(story=story, application=application, event=event)


@dataclass
class Target:
    """An empty database migrated like the suite's, and how to reach it."""

    environ: dict[str, str]
    sqlite_file: Path | None

    @property
    def media(self) -> Path:
        return Path(self.environ["KUAIJI_DATA_DIR"]) / "media"

    def kuaiji(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kuaiji", *args],
            env=self.environ,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )

    def count(self, table: str) -> int:
        query = f'SELECT count(*) FROM "{table}"'
        if self.sqlite_file is not None:
            with sqlite3.connect(self.sqlite_file) as database:
                row = database.execute(query).fetchone()
        else:
            with psycopg.connect(self.environ["DATABASE_URL"]) as database:
                row = database.execute(query).fetchone()
        assert row is not None
        return int(row[0])


def empty_target(cli_env: dict[str, str]) -> Target:
    """The `cli_env` of tests/test_cli.py (its own data folder; on PostgreSQL an empty scratch
    database) with an empty database migrated like the suite's: on SQLite a copy of the test
    database as migrated (taken before the test writes anything), on PostgreSQL the scratch
    database migrated by `kuaiji migrate`. The key file is the suite's: the archive's data is
    sealed with its keys."""
    environ = {**cli_env, "KUAIJI_KEYS_FILE": str(settings.KUAIJI_KEYS_FILE)}
    environ["LANGUAGE_CODE"] = "en"  # the messages the tests read
    if "DATABASE_URL" in environ:
        target = Target(environ=environ, sqlite_file=None)
        migrated = target.kuaiji("migrate")
        assert migrated.returncode == 0, migrated.stderr
        return target
    copy = Path(environ["KUAIJI_DATA_DIR"]) / "kuaiji.sqlite3"
    copy.parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    script = "\n".join(connection.connection.iterdump())
    destination = sqlite3.connect(copy)
    destination.executescript(script)
    destination.close()
    return Target(environ=environ, sqlite_file=copy)
