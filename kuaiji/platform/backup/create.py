"""Making a backup: one consistent snapshot of the database and the uploaded files in one zip
archive, written beside its destination and moved into place when complete."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import kuaiji
from kuaiji.config.env import REPO_DIR
from kuaiji.platform.audit.services import record
from kuaiji.platform.backup import rows
from kuaiji.platform.backup.manifest import (
    DATABASE_FOLDER,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_FOLDER,
    READ_CHUNK,
    SEAL,
    BackupRefused,
    applied_migrations,
    key_checks,
    media_files,
    seal,
)
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.keys import keyring


@dataclass(frozen=True)
class BackupReport:
    """What a backup holds."""

    path: Path
    tables: int
    rows: int
    files: int
    file_bytes: int
    archive_bytes: int
    data_keys: list[str]


class _Hashing:
    """A writer that passes bytes on and keeps their SHA-256 and length."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.target.write(data)
        self.digest.update(data)
        self.size += len(data)


@contextmanager
def snapshot(using: str = "default") -> Iterator[None]:
    """Read every table from one consistent state of the database without blocking writers:
    a read-only repeatable-read transaction on PostgreSQL, a deferred transaction (a WAL
    snapshot) on SQLite. Inside a transaction already, read within it."""
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def git_commit() -> str | None:
    """The commit of the checkout Kuaiji runs from, if it is one and git is installed."""
    git = shutil.which("git")
    if git is None or not (REPO_DIR / ".git").exists():
        return None
    try:
        done = subprocess.run(  # noqa: S603
            [git, "-C", str(REPO_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and commit else None


def _write_tables(archive: zipfile.ZipFile, using: str) -> tuple[list[dict[str, Any]], set[str]]:
    tables = []
    data_keys: set[str] = set()
    for model in rows.models_to_copy():
        member = f"{DATABASE_FOLDER}{model._meta.db_table}.jsonl"
        with archive.open(member, "w", force_zip64=True) as stream:
            sink = _Hashing(stream)
            digest = rows.dump(model, sink.write, using)
        data_keys |= digest.data_keys
        tables.append(
            {
                "model": model._meta.label_lower,
                "table": model._meta.db_table,
                "columns": rows.columns(model),
                "rows": digest.rows,
                "checksum": digest.checksum,
                "member": member,
                "bytes": sink.size,
                "sha256": sink.digest.hexdigest(),
            }
        )
    return tables, data_keys


def _write_files(archive: zipfile.ZipFile) -> list[dict[str, Any]]:
    files = []
    for relative, path in media_files():
        member = f"{MEDIA_FOLDER}{relative}"
        with path.open("rb") as source, archive.open(member, "w", force_zip64=True) as stream:
            sink = _Hashing(stream)
            while chunk := source.read(READ_CHUNK):
                sink.write(chunk)
        files.append(
            {
                "path": relative,
                "member": member,
                "bytes": sink.size,
                "sha256": sink.digest.hexdigest(),
            }
        )
    return files


def create_backup(*, output: Path, using: str = "default") -> BackupReport:
    """Write the database and the uploaded files to a new archive at `output`.

    The key file is not included: back it up apart (docs/security.md). The backup is recorded
    in the audit log once the archive is complete."""
    if output.exists():
        raise BackupRefused(_("%(path)s exists already: choose another file.") % {"path": output})
    if not output.parent.is_dir():
        raise BackupRefused(_("The folder %(path)s does not exist.") % {"path": output.parent})
    partial = output.with_name(f".{output.name}.partial")
    ring = keyring()
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with (
            os.fdopen(descriptor, "wb") as raw,
            zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive,
        ):
            created_at = timezone.now()
            with snapshot(using):
                migrations = applied_migrations(using)
                tables, data_keys = _write_tables(archive, using)
            files = _write_files(archive)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "kuaiji_version": kuaiji.__version__,
                "git_commit": git_commit(),
                "created_at": created_at.isoformat(),
                "database": {"vendor": connections[using].vendor, "migrations": migrations},
                "tables": tables,
                "files": files,
                "keys": key_checks(ring, data_keys),
            }
            text = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            archive.writestr(MANIFEST, text)
            archive.writestr(SEAL, seal(ring, text) + "\n")
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    report = BackupReport(
        path=output,
        tables=len(tables),
        rows=sum(table["rows"] for table in tables),
        files=len(files),
        file_bytes=sum(entry["bytes"] for entry in files),
        archive_bytes=output.stat().st_size,
        data_keys=sorted(data_keys),
    )
    record(
        actor=SYSTEM,
        action="core.backup.create",
        object_type="core.backup",
        object_id=output.name[:100],
        changes={"rows": [None, report.rows], "files": [None, report.files]},
    )
    return report
