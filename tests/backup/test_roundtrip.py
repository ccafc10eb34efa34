"""`kuaiji backup` and `kuaiji restore` end to end: a representative scene is backed up, restored
by the command into an empty database (another SQLite file, or a scratch PostgreSQL database)
and compared table by table and file by file."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from kuaiji.platform.backup import rows
from kuaiji.platform.backup.create import create_backup
from kuaiji.platform.backup.manifest import file_sha256, media_files
from kuaiji.platform.core.rotation import personal_columns
from tests import test_cli
from tests.backup.scene import Target, build_scene, empty_target
from tests.directory.city import TinyCity
from tests.government.application_story import MOTHER_ID

pytestmark = pytest.mark.django_db
cli_env = test_cli.cli_env  # the fixture: its own data folder, on PostgreSQL a scratch database
AUDIT_TABLES = {"audit_auditentry", "audit_auditchainhead"}


@pytest.fixture
def target(cli_env: dict[str, str]) -> Target:
    return empty_target(cli_env)


def manifest_of(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return dict(json.loads(archive.read("manifest.json")))


def by_table(manifest: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {entry["table"]: (entry["rows"], entry["checksum"]) for entry in manifest["tables"]}


def test_a_backup_restores_into_an_empty_database_with_equal_counts_and_checksums(
    target: Target,
    city: TinyCity,
    calendar: None,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KUAIJI_TRIAGE_MIN_CONFIDENCE = 0.0
    scene = build_scene(city)
    assert scene.event.photos.count() == 1
    assert scene.application.materials.exclude(file="").count() == 1
    counts = {model._meta.db_table: model._base_manager.count() for model in rows.models_to_copy()}
    files = {relative: file_sha256(path) for relative, path in media_files()}
    assert len(files) >= 3  # the material, the event photo and its thumbnail

    archive = tmp_path / "scene.zip"
    made = create_backup(output=archive)
    manifest = manifest_of(archive)
    assert made.rows == sum(counts.values()) and made.files == len(files)
    assert {table: entry[0] for table, entry in by_table(manifest).items()} == counts
    assert {entry["path"]: entry["sha256"] for entry in manifest["files"]} == files
    assert manifest["keys"]["included"] is False and manifest["keys"]["data_keys"]
    with zipfile.ZipFile(archive) as opened:
        citizens = opened.read("database/directory_citizen.jsonl").decode()
        sealed = b"".join(
            opened.read(f"database/{model._meta.db_table}.jsonl")
            for model, _fields in personal_columns()
        )
    assert "sm4:" in citizens  # personal data stays sealed as stored
    assert MOTHER_ID.encode() not in sealed and b"13900000002" not in sealed

    restored = target.kuaiji("restore", str(archive))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "every count and checksum matches" in restored.stdout

    for table, count in counts.items():
        # the restore itself is one more audit entry
        expected = count + 1 if table == "audit_auditentry" else count
        assert target.count(table) == expected, table
    assert {relative: file_sha256(target.media / relative) for relative in files} == files

    again = tmp_path / "again.zip"
    backed_up = target.kuaiji("backup", "--output", str(again))
    assert backed_up.returncode == 0, backed_up.stderr
    before, after = by_table(manifest), by_table(manifest_of(again))
    assert set(before) == set(after)
    for table in set(before) - AUDIT_TABLES:
        assert after[table] == before[table], table
    assert [entry["sha256"] for entry in manifest_of(again)["files"]] == [
        entry["sha256"] for entry in manifest["files"]
    ]
    verified = target.kuaiji("audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert "Audit chain intact" in verified.stdout

    refused = target.kuaiji("restore", str(archive))
    assert refused.returncode == 1
    assert "holds data" in refused.stderr
