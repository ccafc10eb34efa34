"""What a restore refuses, with nothing changed: a database that holds data, an altered archive
(a member, or a member and the manifest), another schema, another key file; and what it does
with --force, or when the loaded rows do not match (all rolled back, exit 1)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.utils.translation import override

from kuaiji.cli import main
from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.backup import rows
from kuaiji.platform.backup.create import create_backup
from kuaiji.platform.backup.manifest import BackupRefused, seal
from kuaiji.platform.backup.restore import restore_backup
from kuaiji.platform.core.keys import keyring
from kuaiji.platform.directory.models import Region
from kuaiji.platform.identity.models import User
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db
REGIONS = "database/directory_region.jsonl"
NOTE = b"minutes of the grid meeting"


@pytest.fixture
def archive(city: TinyCity, settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "notes").mkdir(parents=True)
    (settings.MEDIA_ROOT / "notes" / "meeting.txt").write_bytes(NOTE)
    (settings.MEDIA_ROOT / "imports").mkdir()
    (settings.MEDIA_ROOT / "imports" / "pending.csv").write_text("13900000001")
    path = tmp_path / "city.zip"
    create_backup(output=path)
    return path


def counts() -> dict[str, int]:
    return {model._meta.db_table: model._base_manager.count() for model in rows.models_to_copy()}


def rewrite(source: Path, change: Callable[[str, bytes], bytes]) -> Path:
    target = source.with_name("changed.zip")
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(target, "w") as after:
        for name in before.namelist():
            after.writestr(name, change(name, before.read(name)))
    return target


def edit_manifest(source: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    """The archive with its manifest edited and sealed again with the suite's key file."""
    manifest = json.loads(zipfile.ZipFile(source).read("manifest.json"))
    edit(manifest)
    text = json.dumps(manifest).encode()

    def change(name: str, data: bytes) -> bytes:
        if name == "manifest.json":
            return text
        return seal(keyring(), text).encode() if name == "manifest.seal" else data

    return rewrite(source, change)


def altered(data: bytes) -> bytes:
    return data.replace(b"330602", b"330609", 1)


def refused(archive: Path, match: str) -> None:
    before = counts()
    with override("en"), pytest.raises(BackupRefused, match=match):
        restore_backup(archive=archive, force=True)
    assert counts() == before


def test_the_archive_leaves_out_pending_imports(archive: Path) -> None:
    names = zipfile.ZipFile(archive).namelist()
    assert "media/notes/meeting.txt" in names
    assert not [name for name in names if "imports" in name]


def test_a_database_that_holds_data_is_refused(archive: Path) -> None:
    refused_before = counts()
    with override("en"), pytest.raises(BackupRefused, match="holds data"):
        restore_backup(archive=archive)
    with override("en"):
        result = CliRunner().invoke(main, ["restore", str(archive)])
    assert result.exit_code == 1
    assert "holds data" in result.output and "--force" in result.output
    assert counts() == refused_before


def test_an_altered_member_is_refused(archive: Path) -> None:
    tampered = rewrite(
        archive,
        lambda name, data: data.replace(b"330602", b"330609", 1) if name == REGIONS else data,
    )
    refused(tampered, "altered or damaged: database/directory_region.jsonl")


def test_a_manifest_edited_to_match_is_refused_by_its_seal(archive: Path) -> None:
    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    regions = altered(zipfile.ZipFile(archive).read(REGIONS))
    entry = next(table for table in manifest["tables"] if table["member"] == REGIONS)
    entry["sha256"] = hashlib.sha256(regions).hexdigest()
    text = json.dumps(manifest).encode()
    replaced = {REGIONS: regions, "manifest.json": text}
    tampered = rewrite(archive, lambda name, data: replaced.get(name, data))
    refused(tampered, "seal does not match")


def test_another_schema_is_refused(archive: Path) -> None:
    future = edit_manifest(
        archive, lambda manifest: manifest["database"]["migrations"].append("audit.9999_future")
    )
    refused(future, r"another schema .*audit\.9999_future")


def test_another_key_file_is_refused(archive: Path, settings: Any, tmp_path: Path) -> None:
    def other_key(manifest: dict[str, Any]) -> None:
        manifest["keys"]["audit_key"] = "0" * 16

    refused(edit_manifest(archive, other_key), "audit_key is a different key")
    settings.KUAIJI_KEYS_FILE = tmp_path / "nowhere" / "keys.json"
    refused(archive, "key file .* is missing")


def test_force_erases_the_database_and_restores_the_archive(
    archive: Path, settings: Any, tmp_path: Path
) -> None:
    regions = Region.objects.count()
    User.objects.create_user("arrived_after_the_backup")
    Region.objects.filter(code="330602").update(name="改过的名字")
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    report = restore_backup(archive=archive, force=True)
    assert report.ok and report.restored
    assert not User.objects.filter(username="arrived_after_the_backup").exists()
    assert Region.objects.get(code="330602").name != "改过的名字"
    assert Region.objects.count() == regions
    assert (settings.MEDIA_ROOT / "notes" / "meeting.txt").read_bytes() == NOTE
    assert AuditEntry.objects.filter(action="core.backup.restore").count() == 1


def test_rows_that_load_differently_roll_everything_back(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load = rows.load

    def lossy(model: rows.Model, lines: Iterable[bytes], using: str = "default") -> int:
        if model._meta.db_table == "audit_auditentry":
            lines = list(lines)[:-1]
        return load(model, lines, using)

    monkeypatch.setattr(rows, "load", lossy)
    User.objects.create_user("arrived_after_the_backup")
    before = counts()
    report = restore_backup(archive=archive, force=True)
    assert not report.restored and not report.ok
    assert [check.table for check in report.tables if not check.ok] == ["audit_auditentry"]
    assert counts() == before
    with override("en"):
        result = CliRunner().invoke(main, ["restore", "--force", str(archive)])
    assert result.exit_code == 1
    assert "MISMATCH table audit_auditentry" in result.output
    assert "rolled back" in result.output
    assert counts() == before
