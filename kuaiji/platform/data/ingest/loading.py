"""Applying a file to a resource's rows: one load, all of it or none of it.

`load_file` reads the file as a stream (`reading`), checks each row (`validation`) and writes
the good ones in batches, upserting by primary key: a row of the file whose key is new is
inserted, one whose values differ replaces the stored row (whose earlier values are kept as a
`RowRevision`), an identical one is counted unchanged. Rows that are not in the file stay as
they are. Each row is replaced whole: a field the file has no column for becomes null.

Everything happens in one transaction with the resource row locked, so concurrent loads of a
resource take turns and a load is never applied in part: when a file-level problem appears
(even halfway through), or a bad row is found and bad rows reject the file, every row written
so far is rolled back and the load is recorded as rejected with its problems. With
quarantine, the good rows are applied and each bad row is kept as a `QuarantinedRow`.

Every load is recorded (`Load`: counts, the first problems, timings, the SM3 digest of the
file, the data version it made) and audited. A load that changes rows makes the next data
version of the resource; every inserted or changed row carries it.

Writes go in batches of a few thousand rows, each batch one query to find the stored rows by
key and one to write them; on PostgreSQL a batch is copied into a temporary table (COPY) and
merged by three set-based statements.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.platform.access.services import authorize
from kuaiji.platform.audit.services import record
from kuaiji.platform.core.crypto import sm3
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.core.workbooks import UnreadableFile
from kuaiji.platform.data.ingest.reading import (
    MAX_FILE_BYTES,
    guess_format,
    open_table,
    too_large,
)
from kuaiji.platform.data.ingest.validation import BadRow, GoodRow, RowChecker
from kuaiji.platform.data.ingest.writing import writer_for
from kuaiji.platform.data.models import (
    BadRowHandling,
    DataResource,
    DataRow,
    Load,
    LoadStatus,
    QuarantinedRow,
)
from kuaiji.platform.data.models.rows import FileFormat, LoadSource

logger = logging.getLogger(__name__)

BATCH_ROWS = 5000
MAX_PROBLEMS = 500


class _Rejected(Exception):
    """Bad rows reject the file: roll back what was written."""


@dataclass
class _Run:
    """The counts and timings of one load while it runs."""

    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    bad: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    validate_seconds: float = 0.0
    write_seconds: float = 0.0

    def note(self, bad: BadRow) -> None:
        self.bad += 1
        for reason in bad.reasons:
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.append({"line": bad.line, **reason})


def _choice(on_bad_rows: str) -> BadRowHandling:
    try:
        return BadRowHandling(on_bad_rows)
    except ValueError:
        raise InvalidInput(fields={"on_bad_rows": _("Choose “reject” or “quarantine”.")}) from None


def load_file(
    *,
    actor: Any,
    resource: DataResource,
    content: bytes,
    file_name: str,
    on_bad_rows: BadRowHandling | str,
    source: LoadSource | str = LoadSource.UPLOAD,
    file_format: FileFormat | str | None = None,
) -> Load:
    """Load a CSV or XLSX file into the resource's rows (see the module's description) and
    return the recorded load: applied, or rejected with its problems. Needs
    `data.resource.manage` within the owning department; a file over 200 MB is refused
    (InvalidInput) without being read. `file_format` defaults to the file name's extension."""
    authorize(actor, "data.resource.manage", resource.department)
    handling = _choice(on_bad_rows)
    if len(content) > MAX_FILE_BYTES:
        raise too_large(len(content))
    started = timezone.now()
    with transaction.atomic():
        locked = (
            DataResource.objects.select_for_update()
            .select_related("department__region")
            .get(pk=resource.pk)
        )
        load = Load.objects.create(
            resource=locked,
            source=LoadSource(source),
            file_name=file_name[:200],
            digest=sm3(content),
            actor_id=getattr(actor, "pk", None),
            on_bad_rows=handling,
            status=LoadStatus.FAILED,
            started_at=started,
        )
        version = locked.data_version + 1
        run = _Run()
        try:
            with transaction.atomic():
                fmt = FileFormat(file_format) if file_format else guess_format(file_name, content)
                _apply(run, locked, load, content, fmt, handling, version)
                if handling == BadRowHandling.REJECT and run.bad:
                    raise _Rejected
            load.status = LoadStatus.APPLIED
        except _Rejected:
            load.status = LoadStatus.REJECTED
            load.message = _("%(n)d bad rows; the file was rejected and nothing was loaded.") % {
                "n": run.bad
            }
            run.inserted = run.updated = run.unchanged = 0
        except UnreadableFile as refused:
            load.status = LoadStatus.REJECTED
            load.message = str(refused.message)[:500]
            run.problems = [
                {"line": None, "field": name, "reason": str(text)}
                for name, text in refused.fields.items()
            ]
            run.inserted = run.updated = run.unchanged = 0
        except DatabaseError as failure:
            logger.exception("load %s of %s failed", load.pk, locked.code)
            load.status = LoadStatus.FAILED
            load.message = (_("The rows could not be written: %(reason)s") % {"reason": failure})[
                :500
            ]
            run.inserted = run.updated = run.unchanged = 0
        _finish(actor, locked, load, run, version)
    return load


def _apply(
    run: _Run,
    resource: DataResource,
    load: Load,
    content: bytes,
    fmt: FileFormat,
    handling: BadRowHandling,
    version: int,
) -> None:
    """Read, check and write every row of the file, counting as it goes."""
    clock = time.perf_counter()
    fields = list(resource.fields.order_by("position"))
    writer = writer_for(resource.pk, version, timezone.now())
    quarantine = handling == BadRowHandling.QUARANTINE
    writing = True
    pending: list[GoodRow] = []
    held: list[QuarantinedRow] = []

    def flush() -> None:
        nonlocal clock
        mark = time.perf_counter()
        run.validate_seconds += mark - clock
        if pending:
            inserted, updated, unchanged = writer.write(pending)
            run.inserted += inserted
            run.updated += updated
            run.unchanged += unchanged
            pending.clear()
        if held:
            QuarantinedRow.objects.bulk_create(held, batch_size=1000)
            held.clear()
        clock = time.perf_counter()
        run.write_seconds += clock - mark

    with open_table(content, fmt) as table:
        checker = RowChecker(fields, table.header, typed_cells=fmt == FileFormat.XLSX)
        rows: Iterator[tuple[int, list[Any]]] = table.rows
        for line, cells in rows:
            run.read += 1
            checked = checker.check(line, cells)
            if isinstance(checked, GoodRow):
                if writing:
                    pending.append(checked)
                    if len(pending) >= BATCH_ROWS:
                        flush()
                continue
            run.note(checked)
            if quarantine:
                held.append(
                    QuarantinedRow(
                        load=load, line=checked.line, values=checked.values, reasons=checked.reasons
                    )
                )
                if len(held) >= BATCH_ROWS:
                    flush()
            else:
                writing = False  # the file will be rejected: write no more
                pending.clear()
    if writing or held:
        flush()
    else:
        run.validate_seconds += time.perf_counter() - clock
    writer.close()


def _finish(actor: Any, resource: DataResource, load: Load, run: _Run, version: int) -> None:
    """Record the load's outcome on it and on the resource, and audit it."""
    mark = time.perf_counter()
    before = resource.data_version
    if load.status == LoadStatus.APPLIED:
        if run.inserted or run.updated:
            resource.data_version = version
            load.data_version = version
        resource.row_count = DataRow.objects.filter(resource=resource).count()
        resource.data_updated_at = timezone.now()
        resource.save(update_fields=["data_version", "row_count", "data_updated_at"])
    run.write_seconds += time.perf_counter() - mark
    load.rows_read = run.read
    load.rows_inserted = run.inserted
    load.rows_updated = run.updated
    load.rows_unchanged = run.unchanged
    load.rows_bad = run.bad
    load.problems = run.problems
    load.validate_seconds = round(run.validate_seconds, 3)
    load.write_seconds = round(run.write_seconds, 3)
    load.save()
    counts: dict[str, list[Any]] = {
        name: [None, getattr(load, name)]
        for name in (
            "status",
            "rows_read",
            "rows_inserted",
            "rows_updated",
            "rows_unchanged",
            "rows_bad",
        )
    }
    counts["data_version"] = [before, resource.data_version]
    counts["digest"] = [None, load.digest]
    record(
        actor=actor,
        action="data.load",
        obj=load,
        changes=counts,
        region_path=resource.department.region.path,
    )
