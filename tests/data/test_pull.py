"""Pulling a resource's file from a department's address on a schedule, against a small HTTP
server in a thread (no internet): due sources, applied and failed pulls, the scheduled task."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from django.utils import timezone, translation

from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import InvalidInput, NotFound
from kuaiji.platform.data.ingest import pulling
from kuaiji.platform.data.ingest.pulling import add_source, pull, pull_due_sources
from kuaiji.platform.data.models import DataResource, DataRow, DataSource, LoadStatus
from kuaiji.platform.data.tasks import pull_sources
from tests.data.test_ingest import HEADER, csv_bytes, entity_rows
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


class Files(BaseHTTPRequestHandler):
    """Serves `files` by path; anything else is a 404."""

    files: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """A local HTTP server; yields its base address."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Files)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Files.files = {}
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _source(city: TinyCity, resource: DataResource, url: str, **changes: object) -> DataSource:
    arguments: dict[str, object] = {
        "url": url,
        "format": "csv",
        "every_minutes": 60,
        "on_bad_rows": "quarantine",
        **changes,
    }
    return add_source(
        actor=city.users["department_officer"],
        resource=resource,
        **arguments,  # type: ignore[arg-type]
    )


def test_adding_a_source_is_checked_and_audited(
    city: TinyCity, entities: DataResource, server: str
) -> None:
    source = _source(city, entities, f"{server}/entities.csv")
    assert source.created_by == city.users["department_officer"] and source.active
    assert AuditEntry.objects.filter(action="data.source.add", object_id=str(source.pk)).exists()
    with pytest.raises(InvalidInput) as refused:
        _source(city, entities, "ftp://example.org/x.csv", every_minutes=0, format="xls")
    assert set(refused.value.fields) == {"url", "every_minutes", "format"}
    with pytest.raises(NotFound):
        add_source(
            actor=city.users["township_officer"],
            resource=entities,
            url=f"{server}/x.csv",
            format="csv",
            every_minutes=60,
            on_bad_rows="reject",
        )
    with pytest.raises(InvalidInput):
        add_source(
            actor=SYSTEM,
            resource=entities,
            url=f"{server}/x.csv",
            format="csv",
            every_minutes=60,
            on_bad_rows="reject",
        )


def test_a_pull_loads_the_file(city: TinyCity, entities: DataResource, server: str) -> None:
    Files.files["/export"] = csv_bytes([HEADER, *entity_rows(4), ["", "bad", "", "", "", ""]])
    source = _source(city, entities, f"{server}/export")
    done = pull(source)
    assert done.status == LoadStatus.APPLIED and done.source == "pull"
    assert (done.rows_inserted, done.rows_bad) == (4, 1) and done.file_name == "export.csv"
    assert done.actor is None and done.quarantined.count() == 1
    source.refresh_from_db()
    assert source.last_load == done and source.last_error == "" and source.last_pulled_at
    assert DataRow.objects.filter(resource=entities).count() == 7


def test_a_failed_pull_is_recorded_not_raised(
    city: TinyCity, entities: DataResource, server: str
) -> None:
    source = _source(city, entities, f"{server}/missing.csv")
    done = pull(source)
    assert done.status == LoadStatus.FAILED and "404" in done.message
    source.refresh_from_db()
    assert "404" in source.last_error and source.last_load == done

    unreachable = _source(city, entities, "http://127.0.0.1:9/x.csv")
    assert pull(unreachable).status == LoadStatus.FAILED
    unreachable.refresh_from_db()
    assert "could not be reached" in unreachable.last_error

    Files.files["/bad.csv"] = csv_bytes([["unknown"], ["1"]])
    rejected = _source(city, entities, f"{server}/bad.csv")
    assert pull(rejected).status == LoadStatus.REJECTED
    rejected.refresh_from_db()
    assert "header" in rejected.last_error


def test_a_file_too_large_is_not_fetched_whole(
    city: TinyCity, entities: DataResource, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pulling, "MAX_FILE_BYTES", 50)
    Files.files["/big.csv"] = csv_bytes([HEADER, *entity_rows(20)])
    done = pull(_source(city, entities, f"{server}/big.csv"))
    assert done.status == LoadStatus.FAILED and "larger than" in done.message


def test_due_sources_are_pulled_once_per_period(
    city: TinyCity, entities: DataResource, server: str
) -> None:
    Files.files["/a.csv"] = csv_bytes([HEADER, *entity_rows(2)])
    due = _source(city, entities, f"{server}/a.csv")
    recent = _source(city, entities, f"{server}/a.csv")
    DataSource.objects.filter(pk=recent.pk).update(last_pulled_at=timezone.now())
    idle = _source(city, entities, f"{server}/a.csv")
    DataSource.objects.filter(pk=idle.pk).update(active=False)
    broken = _source(city, entities, f"{server}/none.csv")
    first = pull_due_sources()
    assert (first.due, first.applied, first.failed) == (2, 1, 1)
    assert pull_due_sources().due == 0
    DataSource.objects.filter(pk=due.pk).update(
        last_pulled_at=timezone.now() - timedelta(minutes=61)
    )
    assert pull_sources.delay().get() == {"due": 1, "applied": 1, "rejected": 0, "failed": 0}
    broken.refresh_from_db()
    assert broken.last_error


def test_the_scheduled_job_never_raises(
    city: TinyCity, entities: DataResource, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _source(city, entities, f"{server}/a.csv")

    def explode(url: str) -> bytes:
        raise RuntimeError("boom")

    monkeypatch.setattr(pulling, "fetch", explode)
    assert pull_due_sources().failed == 1
    source.refresh_from_db()
    assert "boom" in source.last_error
