"""The platform's secret keys, kept outside the database.

One JSON file (KUAIJI_KEYS_FILE; in the embedded default generated once as
``KUAIJI_DATA_DIR/keys.json``) holds:

- ``data_keys``: SM4 keys by id for personal data at rest, and ``current`` naming the one new
  values are sealed with (older ones stay to open values written before a rotation);
- ``index_key``: the HMAC-SM3 key of the blind indexes that find a person by identity number
  or phone;
- ``audit_key``: the HMAC-SM3 key that chains the audit log.

In production mode the file must exist: it is never generated there.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kuaiji.platform.core.crypto import SM4_KEY_BYTES


@dataclass(frozen=True)
class Keyring:
    """The keys in use."""

    data_keys: dict[str, bytes]
    current: str
    index_key: bytes
    audit_key: bytes

    @property
    def current_key(self) -> bytes:
        return self.data_keys[self.current]

    def as_json(self) -> str:
        return json.dumps(
            {
                "data_keys": {key_id: key.hex() for key_id, key in self.data_keys.items()},
                "current": self.current,
                "index_key": self.index_key.hex(),
                "audit_key": self.audit_key.hex(),
            },
            indent=2,
        )


def generate() -> Keyring:
    """A new keyring with fresh random keys."""
    return Keyring(
        data_keys={"k1": secrets.token_bytes(SM4_KEY_BYTES)},
        current="k1",
        index_key=secrets.token_bytes(32),
        audit_key=secrets.token_bytes(32),
    )


def keys_file() -> Path:
    """Where the keyring is kept."""
    return Path(settings.KUAIJI_KEYS_FILE)


def write(keyring: Keyring, path: Path | None = None) -> None:
    """Save the keyring, readable by its owner only."""
    target = path or keys_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    temporary.touch(mode=0o600)
    temporary.write_text(keyring.as_json())
    temporary.replace(target)


def _read(path: Path) -> Keyring:
    try:
        raw = json.loads(path.read_text())
        return Keyring(
            data_keys={key_id: bytes.fromhex(key) for key_id, key in raw["data_keys"].items()},
            current=raw["current"],
            index_key=bytes.fromhex(raw["index_key"]),
            audit_key=bytes.fromhex(raw["audit_key"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ImproperlyConfigured(f"The key file {path} cannot be read: {exc}") from exc


@cache
def keyring() -> Keyring:
    """The keyring of this process (generated on first use outside production)."""
    path = keys_file()
    if not path.exists():
        if settings.PRODUCTION:
            raise ImproperlyConfigured(f"The key file {path} is missing (KUAIJI_KEYS_FILE).")
        write(generate(), path)
    return _read(path)


def forget() -> None:
    """Reload the keyring on next use (after a rotation)."""
    keyring.cache_clear()
