"""What an archive says about itself, and the checks shared by backup and restore: the seal,
the key check values, the migration state, the uploaded files."""

from __future__ import annotations

import hashlib
import hmac
import os
import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from kuaiji.platform.core.crypto import hmac_sm3
from kuaiji.platform.core.errors import Conflict
from kuaiji.platform.core.keys import Keyring
from kuaiji.platform.directory.imports.stash import folder as import_stash

FORMAT = "kuaiji-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SEAL = "manifest.seal"
DATABASE_FOLDER = "database/"
MEDIA_FOLDER = "media/"
READ_CHUNK = 1024 * 1024


class BackupRefused(Conflict):
    """A backup or restore that cannot be done as asked; nothing was changed."""

    code = "backup_refused"


def key_check_value(key: bytes) -> str:
    """A short value that tells whether two keys are the same without revealing either."""
    return hmac_sm3(key, b"kuaiji key check value")[:16]


def key_checks(ring: Keyring, data_keys: set[str]) -> dict[str, Any]:
    """The check values of the keys a backup's data needs."""
    return {
        "included": False,
        "data_keys": {
            key_id: key_check_value(ring.data_keys[key_id])
            for key_id in sorted(data_keys)
            if key_id in ring.data_keys
        },
        "index_key": key_check_value(ring.index_key),
        "audit_key": key_check_value(ring.audit_key),
    }


def key_problems(ring: Keyring, checks: dict[str, Any]) -> list[str]:
    """Why this key file cannot open the archive's data (empty if it can)."""
    problems = []
    for key_id, expected in checks.get("data_keys", {}).items():
        if key_id not in ring.data_keys:
            problems.append(_("data key %(key)s is missing") % {"key": key_id})
        elif key_check_value(ring.data_keys[key_id]) != expected:
            problems.append(_("data key %(key)s is a different key") % {"key": key_id})
    for name, key in (("index_key", ring.index_key), ("audit_key", ring.audit_key)):
        if key_check_value(key) != checks.get(name):
            problems.append(_("%(key)s is a different key") % {"key": name})
    return problems


def seal(ring: Keyring, manifest: bytes) -> str:
    """HMAC-SM3 of the manifest under a key derived from the audit key."""
    sealing_key = bytes.fromhex(hmac_sm3(ring.audit_key, b"kuaiji backup manifest"))
    return hmac_sm3(sealing_key, manifest)


def seal_matches(ring: Keyring, manifest: bytes, stored: str) -> bool:
    return hmac.compare_digest(seal(ring, manifest), stored.strip())


def applied_migrations(using: str = "default") -> list[str]:
    """The migrations applied to the database, as ``app.name``."""
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def media_files() -> Iterator[tuple[str, Path]]:
    """Every uploaded file under MEDIA_ROOT as (relative POSIX path, path), sorted; the
    directory imports waiting for confirmation (transient, personal data in clear) are left
    out."""
    root = media_root()
    if not root.is_dir():
        return
    skipped = import_stash().resolve()
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(s for s in subfolders if (here / s).resolve() != skipped)
        for name in sorted(names):
            path = here / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def safe_media_path(relative: str) -> Path | None:
    """Where a file of the archive goes under MEDIA_ROOT, or None for a name that would leave
    it (absolute, ``..``, backslashes) or land among the import uploads."""
    normal = posixpath.normpath(relative)
    if (
        not relative
        or normal != relative
        or normal.startswith(("/", "../"))
        or normal == ".."
        or "\\" in relative
        or "\x00" in relative
    ):
        return None
    target = media_root() / normal
    root = media_root().resolve()
    resolved = target.resolve()
    if not resolved.is_relative_to(root) or resolved.is_relative_to(import_stash().resolve()):
        return None
    return target


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
