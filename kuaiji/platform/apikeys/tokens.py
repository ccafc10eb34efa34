"""The plaintext form of an API key, and the only thing stored of it: a keyed hash.

A key reads ``kj_`` + 8 letters or digits (its *prefix*, stored in clear to find the key and
to let people recognise it) + 32 letters or digits of secret: about 190 random bits in all.
The database keeps ``HMAC-SM3(api-key hashing key, whole key)``. The hashing key is derived
from the keyring's index key (kept outside the database) with a fixed label, so a stolen
database alone cannot be used to test guesses, and API-key hashes never share a key with the
blind indexes. Replacing the index key therefore invalidates every API key.
"""

from __future__ import annotations

import hmac
import re
import secrets
import string

from kuaiji.platform.core.crypto import hmac_sm3
from kuaiji.platform.core.keys import keyring

SCHEME = "kj_"
PREFIX_LENGTH = 8
SECRET_LENGTH = 32
_ALPHABET = string.ascii_letters + string.digits
_KEY = re.compile(rf"^{SCHEME}[A-Za-z0-9]{{{PREFIX_LENGTH + SECRET_LENGTH}}}$")
_LABEL = b"kuaiji.apikeys.v1"


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def generate() -> tuple[str, str]:
    """A new key: ``(prefix, plaintext)``."""
    prefix = _random(PREFIX_LENGTH)
    return prefix, f"{SCHEME}{prefix}{_random(SECRET_LENGTH)}"


def is_well_formed(presented: str) -> bool:
    """Whether `presented` has the shape of a key (says nothing about whether it exists)."""
    return bool(_KEY.match(presented))


def prefix_of(presented: str) -> str:
    """The prefix of a key, or of what someone typed to name one (``kj_Ab12Cd34``,
    ``Ab12Cd34`` or the whole key)."""
    text = presented.strip()
    if text.startswith(SCHEME):
        text = text[len(SCHEME) :]
    return text[:PREFIX_LENGTH]


def _hashing_key() -> bytes:
    return bytes.fromhex(hmac_sm3(keyring().index_key, _LABEL))


def digest(plaintext: str) -> str:
    """The stored form of a key: HMAC-SM3, 64 hex digits."""
    return hmac_sm3(_hashing_key(), plaintext.encode())


def matches(presented: str, stored_digest: str) -> bool:
    """Whether `presented` is the key whose digest is stored, compared in constant time."""
    return hmac.compare_digest(digest(presented), stored_digest)


def label(prefix: str) -> str:
    """How a key is shown to people: its scheme and prefix, never the secret."""
    return f"{SCHEME}{prefix}…"
