"""Uploads kept between the dry run and the confirmation on the work front.

The file is stored under MEDIA_ROOT/imports/ by a random token, readable by this process only,
with who uploaded it and for which kind; it can be taken back only by the same person, is
discarded after the import, and expires after an hour. Files hold personal data (phone
numbers), so MEDIA_ROOT/imports/ must never be served by the web server.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from kuaiji.platform.directory.imports.source import ImportFile

LIFETIME_SECONDS = 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True)
class Kept:
    """A kept upload: the file and the kind it was checked as."""

    file: ImportFile
    kind: str


def folder() -> Path:
    """Where uploads are kept."""
    return Path(settings.MEDIA_ROOT) / "imports"


def keep(file: ImportFile, *, kind: str, owner: Any) -> str:
    """Keep the file for `owner` (a user id) and return the token that finds it again."""
    purge()
    token = secrets.token_urlsafe(24)
    folder().mkdir(parents=True, exist_ok=True, mode=0o700)
    _write(_data_path(token), file.data)
    meta = {"name": file.name, "kind": kind, "owner": owner}
    _write(_meta_path(token), json.dumps(meta).encode())
    return token


def take(token: str, *, owner: Any) -> Kept | None:
    """The kept upload for `token` if it belongs to `owner` and has not expired."""
    if not TOKEN.match(token):
        return None
    data_path, meta_path = _data_path(token), _meta_path(token)
    try:
        if time.time() - meta_path.stat().st_mtime > LIFETIME_SECONDS:
            discard(token)
            return None
        meta = json.loads(meta_path.read_text())
        if meta.get("owner") != owner:
            return None
        return Kept(ImportFile(str(meta["name"]), data_path.read_bytes()), str(meta["kind"]))
    except (OSError, ValueError, KeyError):
        return None


def discard(token: str) -> None:
    """Delete the kept upload (nothing happens if it is gone already)."""
    if TOKEN.match(token):
        for path in (_data_path(token), _meta_path(token)):
            path.unlink(missing_ok=True)


def purge() -> None:
    """Delete every kept upload older than the lifetime."""
    if not folder().is_dir():
        return
    deadline = time.time() - LIFETIME_SECONDS
    for path in folder().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < deadline:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def _data_path(token: str) -> Path:
    return folder() / f"{token}.upload"


def _meta_path(token: str) -> Path:
    return folder() / f"{token}.json"


def _write(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
