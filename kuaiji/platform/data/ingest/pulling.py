"""Pulling a resource's file from a department's address on a schedule.

A department registers a `DataSource` — an http(s) address serving a CSV or XLSX file, how
often to fetch it and what bad rows do — with `add_source` (`data.resource.manage` within the
owning department, audited). `pull_due_sources`, run every minute by the "data.pull_sources"
task, fetches each active source whose period has passed and loads the file as the platform
(`load_file` with source "pull"). Fetching is bounded (a timeout, the 200 MB file limit);
a failure is recorded as a failed load and in the source's `last_error`, and never escapes the
scheduled job.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import requests
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.platform.access.services import authorize
from kuaiji.platform.audit.services import record
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.core.workbooks import MEGABYTE
from kuaiji.platform.data.ingest.loading import load_file
from kuaiji.platform.data.ingest.reading import MAX_FILE_BYTES
from kuaiji.platform.data.models import BadRowHandling, DataResource, DataSource, Load, LoadStatus
from kuaiji.platform.data.models.rows import FileFormat, LoadSource

logger = logging.getLogger(__name__)

#: Seconds to connect, and between bytes received.
TIMEOUT = (10, 60)
MAX_EVERY_MINUTES = 366 * 24 * 60
CHUNK = MEGABYTE
_urls = URLValidator(schemes=["http", "https"])


class FetchFailed(Exception):
    """The file could not be fetched; the message says why."""


@dataclass(frozen=True)
class PullRound:
    """What one round of scheduled pulls did."""

    due: int = 0
    applied: int = 0
    rejected: int = 0
    failed: int = 0


@transaction.atomic
def add_source(
    *,
    actor: Any,
    resource: DataResource,
    url: str,
    format: FileFormat | str,
    every_minutes: int,
    on_bad_rows: BadRowHandling | str,
) -> DataSource:
    """Register an address the resource's file is pulled from every `every_minutes`."""
    authorize(actor, "data.resource.manage", resource.department)
    if getattr(actor, "pk", None) is None:
        raise InvalidInput(_("A data source is added by a person, not by the platform."))
    problems: dict[str, str] = {}
    try:
        _urls(url)
    except ValidationError:
        problems["url"] = _("Give an http or https address.")
    if len(url) > DataSource._meta.get_field("url").max_length:  # type: ignore[operator]
        problems["url"] = _("The address is too long.")
    if format not in FileFormat.values:
        problems["format"] = _("Choose CSV or XLSX.")
    if not 1 <= every_minutes <= MAX_EVERY_MINUTES:
        problems["every_minutes"] = _("Between 1 minute and a year.")
    if on_bad_rows not in BadRowHandling.values:
        problems["on_bad_rows"] = _("Choose “reject” or “quarantine”.")
    if problems:
        raise InvalidInput(fields=problems)
    source = DataSource.objects.create(
        resource=resource,
        url=url,
        format=format,
        every_minutes=every_minutes,
        on_bad_rows=on_bad_rows,
        created_by=actor,
    )
    record(
        actor=actor,
        action="data.source.add",
        obj=source,
        changes={
            "resource": [None, resource.code],
            "url": [None, url],
            "format": [None, str(format)],
            "every_minutes": [None, every_minutes],
            "on_bad_rows": [None, str(on_bad_rows)],
        },
    )
    return source


def fetch(url: str) -> bytes:
    """The body at `url` (FetchFailed on a network error, an error status, or too much)."""
    try:
        with requests.get(url, stream=True, timeout=TIMEOUT, allow_redirects=True) as response:
            if response.status_code != 200:
                raise FetchFailed(
                    _("The address answered %(status)d.") % {"status": response.status_code}
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > MAX_FILE_BYTES:
                raise FetchFailed(_("The file is larger than 200 MB."))
            body = bytearray()
            for chunk in response.iter_content(CHUNK):
                body.extend(chunk)
                if len(body) > MAX_FILE_BYTES:
                    raise FetchFailed(_("The file is larger than 200 MB."))
            return bytes(body)
    except requests.RequestException as exc:
        raise FetchFailed(
            _("The address could not be reached (%(reason)s).") % {"reason": exc.__class__.__name__}
        ) from exc


def _file_name(source: DataSource) -> str:
    name = PurePosixPath(urlsplit(source.url).path).name or "pull"
    suffix = f".{source.format}"
    return name if name.lower().endswith(suffix) else f"{name}{suffix}"


def pull(source: DataSource) -> Load:
    """Fetch the source's file now and load it as the platform; a fetch that fails is
    recorded as a failed load. The source's last pull, load and error are updated."""
    resource = DataResource.objects.select_related("department").get(pk=source.resource_id)
    file_name = _file_name(source)
    error = ""
    try:
        content = fetch(source.url)
    except FetchFailed as failure:
        error = str(failure)
        loaded = _failed(source, resource, file_name, error)
    else:
        try:
            loaded = load_file(
                actor=SYSTEM,
                resource=resource,
                content=content,
                file_name=file_name,
                on_bad_rows=source.on_bad_rows,
                source=LoadSource.PULL,
                file_format=source.format,
            )
        except InvalidInput as refused:
            error = str(refused.message)
            loaded = _failed(source, resource, file_name, error)
        else:
            if loaded.status != LoadStatus.APPLIED:
                error = loaded.message
    source.last_pulled_at = timezone.now()
    source.last_load = loaded
    source.last_error = error[:500]
    source.save(update_fields=["last_pulled_at", "last_load", "last_error"])
    return loaded


def _failed(source: DataSource, resource: DataResource, file_name: str, error: str) -> Load:
    return Load.objects.create(
        resource=resource,
        source=LoadSource.PULL,
        file_name=file_name[:200],
        digest="",
        on_bad_rows=source.on_bad_rows,
        status=LoadStatus.FAILED,
        message=error[:500],
    )


def due_sources() -> list[DataSource]:
    """The active sources whose period has passed since their last pull (or never pulled)."""
    now = timezone.now()
    return [
        source
        for source in DataSource.objects.filter(active=True).order_by("pk")
        if source.last_pulled_at is None
        or source.last_pulled_at + timedelta(minutes=source.every_minutes) <= now
    ]


def pull_due_sources() -> PullRound:
    """Pull every due source once. A source is claimed first (its last pull moved to now
    only if no one else moved it), so two schedulers never pull it twice; no error escapes."""
    counts = {"due": 0, "applied": 0, "rejected": 0, "failed": 0}
    for source in due_sources():
        claimed = DataSource.objects.filter(
            pk=source.pk, last_pulled_at=source.last_pulled_at
        ).update(last_pulled_at=timezone.now())
        if not claimed:
            continue
        counts["due"] += 1
        try:
            loaded = pull(source)
        except Exception as exc:  # one source's trouble must not stop the others
            logger.exception("pulling data source %s failed", source.pk)
            DataSource.objects.filter(pk=source.pk).update(
                last_error=(_("The pull failed: %(reason)s") % {"reason": exc})[:500]
            )
            counts["failed"] += 1
            continue
        counts[loaded.status if loaded.status in counts else "failed"] += 1
    return PullRound(**counts)


def round_summary(done: PullRound) -> dict[str, int]:
    """A round's counts as a plain dict (the task's result)."""
    return asdict(done)
