"""Restoring a backup into an empty database migrated to the archive's schema.

Everything that can be checked is checked before anything is written: the archive's manifest,
its seal and every member's SHA-256; the key file (the archive's data needs the same keys);
the migration state and the tables; that the database is empty (no user account) and
MEDIA_ROOT holds no file, unless `force` allows erasing them. The database is then flushed and
loaded in one transaction, sequences are reset, and every table is counted and checksummed
against the manifest before the transaction commits: a mismatch rolls it all back. The files
go back into MEDIA_ROOT last and are hashed again from the disk.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import IntegrityError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from kuaiji.platform.audit.services import record
from kuaiji.platform.backup import rows
from kuaiji.platform.backup.manifest import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    READ_CHUNK,
    SEAL,
    BackupRefused,
    applied_migrations,
    file_sha256,
    key_problems,
    media_files,
    safe_media_path,
    seal_matches,
)
from kuaiji.platform.core import keys
from kuaiji.platform.core.actors import SYSTEM

MANIFEST_MAX_BYTES = 256 * 1024 * 1024
SHOWN = 5


@dataclass(frozen=True)
class TableCheck:
    """One table after the restore, against the manifest."""

    table: str
    expected_rows: int
    rows: int
    expected_checksum: str
    checksum: str

    @property
    def ok(self) -> bool:
        return self.rows == self.expected_rows and self.checksum == self.expected_checksum


@dataclass(frozen=True)
class FileCheck:
    """One uploaded file after the restore, against the manifest."""

    path: str
    ok: bool


@dataclass
class RestoreReport:
    """What a restore did and found."""

    archive: Path
    created_at: str
    kuaiji_version: str
    restored: bool = False
    tables: list[TableCheck] = field(default_factory=list)
    files: list[FileCheck] = field(default_factory=list)
    other_files: int = 0

    @property
    def ok(self) -> bool:
        return (
            self.restored
            and all(check.ok for check in self.tables)
            and all(check.ok for check in self.files)
        )

    @property
    def rows(self) -> int:
        return sum(check.rows for check in self.tables)


class _Mismatch(Exception):
    """The loaded tables do not match the manifest (raised to roll the load back)."""

    def __init__(self, checks: list[TableCheck]) -> None:
        super().__init__("mismatch")
        self.checks = checks


@contextmanager
def _opened(path: Path) -> Iterator[zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise BackupRefused(_("There is no file %(path)s.") % {"path": path}) from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupRefused(_("%(path)s is not a Kuaiji backup.") % {"path": path}) from exc
    with archive:
        yield archive


def _manifest(archive: zipfile.ZipFile) -> tuple[dict[str, Any], bytes]:
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError as exc:
        raise BackupRefused(_("The archive has no manifest: it is not a Kuaiji backup.")) from exc
    if info.file_size > MANIFEST_MAX_BYTES:
        raise BackupRefused(_("The archive's manifest is too large."))
    text = archive.read(info)
    try:
        manifest = json.loads(text)
    except ValueError as exc:
        raise BackupRefused(_("The archive's manifest cannot be read.")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(_("The archive is not a Kuaiji backup."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupRefused(
            _("The archive has format version %(found)s; this Kuaiji reads version %(known)s.")
            % {"found": manifest.get("format_version"), "known": FORMAT_VERSION}
        )
    if not _well_formed(manifest):
        raise BackupRefused(_("The archive's manifest is incomplete."))
    return manifest, text


def _well_formed(manifest: dict[str, Any]) -> bool:
    """The manifest has every entry restore reads, of the right kind."""
    tables, files = manifest.get("tables"), manifest.get("files")
    database = manifest.get("database")
    if not (
        isinstance(tables, list)
        and isinstance(files, list)
        and isinstance(database, dict)
        and isinstance(database.get("migrations"), list)
        and isinstance(manifest.get("keys"), dict)
        and isinstance(manifest["keys"].get("data_keys"), dict)
    ):
        return False
    table_keys = {"table": str, "columns": list, "rows": int, "checksum": str, "member": str}
    file_keys = {"path": str, "member": str}
    return all(
        isinstance(entry, dict)
        and all(isinstance(entry.get(key), kind) for key, kind in expected.items())
        and isinstance(entry.get("bytes"), int)
        and isinstance(entry.get("sha256"), str)
        for entries, expected in ((tables, table_keys), (files, file_keys))
        for entry in entries
    )


def _check_keys_and_seal(archive: zipfile.ZipFile, manifest: dict[str, Any], text: bytes) -> None:
    path = keys.keys_file()
    if not path.exists():
        raise BackupRefused(
            _(
                "The key file %(path)s is missing: put the key file kept with this backup in "
                "place (KUAIJI_KEYS_FILE) before restoring."
            )
            % {"path": path}
        )
    ring = keys.keyring()
    problems = key_problems(ring, manifest["keys"])
    if problems:
        raise BackupRefused(
            _(
                "The key file %(path)s cannot open this backup's data (%(problems)s): put the "
                "key file of the deployment that made it in place."
            )
            % {"path": path, "problems": "; ".join(problems)}
        )
    try:
        stored = archive.read(SEAL).decode()
    except (KeyError, UnicodeDecodeError) as exc:
        raise BackupRefused(_("The archive has no valid seal.")) from exc
    if not seal_matches(ring, text, stored):
        raise BackupRefused(_("The archive's manifest was altered: its seal does not match."))


def _member_digest(archive: zipfile.ZipFile, member: str, size: int) -> str | None:
    """The SHA-256 of a member, or None if it is longer than the manifest says."""
    digest = hashlib.sha256()
    read = 0
    with archive.open(member) as stream:
        while chunk := stream.read(READ_CHUNK):
            read += len(chunk)
            if read > size:
                return None
            digest.update(chunk)
    return digest.hexdigest()


def _check_members(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every member is the one the manifest lists, byte for byte, and nothing else is there."""
    expected: dict[str, dict[str, Any]] = {}
    for entry in manifest["tables"]:
        expected[entry["member"]] = entry
    for entry in manifest["files"]:
        if safe_media_path(entry["path"]) is None or entry["member"] != f"media/{entry['path']}":
            raise BackupRefused(
                _("The archive names a file outside MEDIA_ROOT: %(path)s.")
                % {"path": entry["path"]}
            )
        expected[entry["member"]] = entry
    present = set(archive.namelist()) - {MANIFEST, SEAL}
    unknown = sorted(present - set(expected))
    missing = sorted(set(expected) - present)
    if unknown or missing:
        raise BackupRefused(
            _("The archive does not match its manifest: unlisted %(unknown)s, missing %(missing)s.")
            % {"unknown": unknown[:SHOWN], "missing": missing[:SHOWN]}
        )
    for member, entry in expected.items():
        info = archive.getinfo(member)
        try:
            digest = _member_digest(archive, member, entry["bytes"])
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise BackupRefused(
                _("The archive is damaged at %(member)s.") % {"member": member}
            ) from exc
        if info.file_size != entry["bytes"] or digest != entry["sha256"]:
            raise BackupRefused(
                _("The archive was altered or damaged: %(member)s does not match its checksum.")
                % {"member": member}
            )


def _check_schema(manifest: dict[str, Any], using: str) -> dict[str, rows.Model]:
    """The database is migrated exactly as the archive's was, and has the archive's tables;
    return the models by table."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupRefused(
            _("The database schema is not up to date: run `kuaiji migrate` first, then restore.")
        )
    theirs = set(manifest["database"]["migrations"])
    ours = set(applied_migrations(using))
    if theirs != ours:
        raise BackupRefused(
            _(
                "The archive was made at another schema (Kuaiji %(version)s): migrations only "
                "in the archive %(theirs)s, only in this database %(ours)s. Restore with the "
                "Kuaiji version that made it, then upgrade."
            )
            % {
                "version": manifest.get("kuaiji_version", "?"),
                "theirs": sorted(theirs - ours)[:SHOWN],
                "ours": sorted(ours - theirs)[:SHOWN],
            }
        )
    models = {model._meta.db_table: model for model in rows.models_to_copy()}
    listed = {entry["table"]: entry["columns"] for entry in manifest["tables"]}
    differing = sorted(
        table
        for table in set(models) | set(listed)
        if table not in models or rows.columns(models[table]) != listed.get(table)
    )
    if differing:
        raise BackupRefused(
            _("The archive's tables differ from this database's: %(tables)s.")
            % {"tables": differing[:SHOWN]}
        )
    return models


def _refuse_unless_empty(using: str, force: bool) -> None:
    accounts = get_user_model()._base_manager.using(using).count()
    has_files = next(media_files(), None) is not None
    if (accounts or has_files) and not force:
        raise BackupRefused(
            _(
                "The database holds data (%(accounts)s user accounts) or MEDIA_ROOT holds "
                "files: restore into an empty database just migrated, or give --force to erase "
                "everything in the database first (files in MEDIA_ROOT are overwritten)."
            )
            % {"accounts": accounts}
        )


def _verify(
    manifest: dict[str, Any], models: dict[str, rows.Model], using: str
) -> list[TableCheck]:
    checks = []
    for entry in manifest["tables"]:
        digest = rows.dump(models[entry["table"]], using=using)
        checks.append(
            TableCheck(
                table=entry["table"],
                expected_rows=entry["rows"],
                rows=digest.rows,
                expected_checksum=entry["checksum"],
                checksum=digest.checksum,
            )
        )
    return checks


def _load_database(
    archive: zipfile.ZipFile, manifest: dict[str, Any], models: dict[str, rows.Model], using: str
) -> list[TableCheck]:
    """Flush, load, reset sequences, check constraints and verify, in one transaction."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            # fire the deferred foreign-key checks of earlier writes in this transaction, which
            # would otherwise forbid TRUNCATE ("pending trigger events")
            connection.check_constraints()
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), list(models), reset_sequences=False)
        )
        for entry in manifest["tables"]:
            with archive.open(entry["member"]) as stream:
                rows.load(models[entry["table"]], stream, using)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(models.values())):
                cursor.execute(statement)
        try:
            connection.check_constraints(table_names=list(models))
        except IntegrityError as exc:
            raise BackupRefused(
                _("The archive's rows break the database's constraints: %(problem)s")
                % {"problem": exc}
            ) from exc
        checks = _verify(manifest, models, using)
        if not all(check.ok for check in checks):
            raise _Mismatch(checks)
    ContentType.objects.clear_cache()
    return checks


def _restore_files(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> list[FileCheck]:
    checks = []
    for entry in manifest["files"]:
        target = safe_media_path(entry["path"])
        if target is None:  # checked before; kept for the type checker
            checks.append(FileCheck(path=entry["path"], ok=False))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.restoring")
        with archive.open(entry["member"]) as source, partial.open("wb") as written:
            while chunk := source.read(READ_CHUNK):
                written.write(chunk)
        partial.replace(target)
        checks.append(FileCheck(path=entry["path"], ok=file_sha256(target) == entry["sha256"]))
    return checks


def restore_backup(*, archive: Path, force: bool = False, using: str = "default") -> RestoreReport:
    """Restore `archive` into the database and MEDIA_ROOT; see the module's description.

    Raises BackupRefused, with nothing changed, when a check fails before loading; returns a
    report whose `ok` is false when the loaded data did not match (the database load is then
    rolled back) or a restored file did not."""
    with _opened(archive) as opened:
        manifest, text = _manifest(opened)
        _check_keys_and_seal(opened, manifest, text)
        _check_members(opened, manifest)
        models = _check_schema(manifest, using)
        _refuse_unless_empty(using, force)
        report = RestoreReport(
            archive=archive,
            created_at=str(manifest.get("created_at", "")),
            kuaiji_version=str(manifest.get("kuaiji_version", "")),
        )
        listed = {entry["path"] for entry in manifest["files"]}
        report.other_files = sum(1 for relative, _path in media_files() if relative not in listed)
        try:
            report.tables = _load_database(opened, manifest, models, using)
        except _Mismatch as mismatch:
            report.tables = mismatch.checks
            return report
        report.restored = True
        report.files = _restore_files(opened, manifest)
    record(
        actor=SYSTEM,
        action="core.backup.restore",
        object_type="core.backup",
        object_id=archive.name[:100],
        changes={
            "created_at": [None, report.created_at],
            "rows": [None, report.rows],
            "files": [None, len(report.files)],
            "verified": [None, report.ok],
        },
    )
    return report
