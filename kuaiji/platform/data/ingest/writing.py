"""Writing checked rows in batches: upsert by primary key, keeping the values replaced.

`writer_for` gives the writer for the database in use. Each batch is compared with the stored
rows of the same keys: new keys are inserted, changed values replace the stored ones (whose
earlier values become a `RowRevision` of the load's version), identical rows are left alone.

- `OrmWriter` (any database): one query finds the stored rows of the batch's keys, one
  ``INSERT … ON CONFLICT DO UPDATE`` writes the new and changed ones, one writes the revisions.
- `CopyWriter` (PostgreSQL): the batch is copied into a temporary table with COPY, then three
  set-based statements keep the revisions, update the changed rows and insert the new ones.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from django.db import connection

from kuaiji.platform.data.ingest.validation import GoodRow
from kuaiji.platform.data.models import DataRow, RowRevision

Counts = tuple[int, int, int]  # inserted, updated, unchanged


class Writer(Protocol):
    """Writes batches of checked rows of one resource as one data version."""

    def write(self, rows: Sequence[GoodRow]) -> Counts:
        """Upsert the rows; return how many were inserted, updated, unchanged."""
        ...

    def close(self) -> None:
        """Release what the writer holds (temporary tables)."""
        ...


class OrmWriter:
    """Upserts through the ORM, for every database Django supports with ON CONFLICT."""

    def __init__(self, resource_id: int, version: int, now: datetime) -> None:
        self.resource_id = resource_id
        self.version = version
        self.now = now

    def write(self, rows: Sequence[GoodRow]) -> Counts:
        stored = dict(
            DataRow.objects.filter(
                resource_id=self.resource_id, key__in=[row.key for row in rows]
            ).values_list("key", "data")
        )
        changed: list[DataRow] = []
        revisions: list[RowRevision] = []
        inserted = unchanged = 0
        for row in rows:
            if row.key not in stored:
                inserted += 1
            elif stored[row.key] == row.data:
                unchanged += 1
                continue
            else:
                revisions.append(
                    RowRevision(
                        resource_id=self.resource_id,
                        key=row.key,
                        version=self.version,
                        data=stored[row.key],
                    )
                )
            changed.append(
                DataRow(
                    resource_id=self.resource_id,
                    key=row.key,
                    data=row.data,
                    version=self.version,
                    updated_at=self.now,
                )
            )
        if changed:
            DataRow.objects.bulk_create(
                changed,
                update_conflicts=True,
                unique_fields=["resource", "key"],
                update_fields=["data", "version", "updated_at"],
            )
        if revisions:
            RowRevision.objects.bulk_create(revisions)
        return inserted, len(revisions), unchanged

    def close(self) -> None:
        pass


STAGE = "kuaiji_load_stage"
KEEP_REVISIONS = (
    "INSERT INTO {revisions} (resource_id, key, version, data) "
    "SELECT r.resource_id, r.key, %(version)s, r.data FROM {rows} r "
    "JOIN {stage} s ON r.resource_id = %(resource)s AND r.key = s.key AND r.data <> s.data"
)
UPDATE = (
    "UPDATE {rows} r SET data = s.data, version = %(version)s, updated_at = %(now)s "
    "FROM {stage} s WHERE r.resource_id = %(resource)s AND r.key = s.key AND r.data <> s.data"
)
INSERT = (
    "INSERT INTO {rows} (resource_id, key, data, version, updated_at) "
    "SELECT %(resource)s, s.key, s.data, %(version)s, %(now)s FROM {stage} s "
    "ON CONFLICT (resource_id, key) DO NOTHING"
)


PLANNER = ("enable_seqscan", "enable_hashjoin", "enable_mergejoin")
CURRENT_PLANS = "SELECT " + ", ".join(f"current_setting('{name}')" for name in PLANNER)
PLAN_BY_KEY = "SELECT " + ", ".join(f"set_config('{name}', 'off', true)" for name in PLANNER)
RESTORE_PLANS = "SELECT " + ", ".join(f"set_config('{name}', %s, true)" for name in PLANNER)


class CopyWriter:
    """Upserts on PostgreSQL through a temporary table filled by COPY."""

    def __init__(self, resource_id: int, version: int, now: datetime) -> None:
        self.params: dict[str, int | datetime] = {
            "resource": resource_id,
            "version": version,
            "now": now,
        }
        names = {
            "rows": connection.ops.quote_name(DataRow._meta.db_table),
            "revisions": connection.ops.quote_name(RowRevision._meta.db_table),
            "stage": STAGE,
        }
        self.keep_revisions = KEEP_REVISIONS.format(**names)
        self.update = UPDATE.format(**names)
        self.insert = INSERT.format(**names)
        # A resource without rows before the load gets only new rows (keys are unique in a file).
        self.had_rows = DataRow.objects.filter(resource_id=resource_id).exists()
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} "
                f"(key varchar(300) NOT NULL, data jsonb NOT NULL) ON COMMIT DROP"
            )

    def write(self, rows: Sequence[GoodRow]) -> Counts:
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {STAGE}")
            with cursor.copy(f"COPY {STAGE} (key, data) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((row.key, dumps(row.data)))
            updated = 0
            if self.had_rows:
                # The statistics of the rows table predate this load's own inserts: without
                # these settings the planner may scan every row of the table for each batch.
                cursor.execute(CURRENT_PLANS)
                previous = cursor.fetchone()
                cursor.execute(PLAN_BY_KEY)
                cursor.execute(self.keep_revisions, self.params)
                updated = cursor.rowcount
                cursor.execute(self.update, self.params)
                cursor.execute(RESTORE_PLANS, previous)
            cursor.execute(self.insert, self.params)
            inserted = cursor.rowcount
        return inserted, updated, len(rows) - inserted - updated

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {STAGE}")


def writer_for(resource_id: int, version: int, now: datetime) -> Writer:
    """The fastest writer the database in use allows."""
    if connection.vendor == "postgresql":
        return CopyWriter(resource_id, version, now)
    return OrmWriter(resource_id, version, now)
