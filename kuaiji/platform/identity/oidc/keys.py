"""The RSA key that signs ID tokens (RS256), kept in a PEM file outside the database.

Outside production the file (``KUAIJI_DATA_DIR/oidc-rsa.pem`` unless KUAIJI_OIDC_KEY_FILE says
otherwise) is generated on first use, readable by its owner only. In production it must exist:
it is never generated there, and the first request that needs it fails with a clear message.

The key is read lazily, so settings can name it without touching the disk at import time
(``kuaiji manage check`` and the other commands start without it).
"""

from __future__ import annotations

import os
import secrets
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy

KEY_BITS = 3072


def generate_pem() -> str:
    """A new RSA private key as unencrypted PKCS#8 PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode("ascii")


def write_pem(path: Path, pem: str) -> None:
    """Save the key readable by its owner only; an existing file is kept (first writer wins)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(pem)
    try:
        os.link(temporary, path)  # fails if another process wrote the key meanwhile
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links
        if not path.exists():
            temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


@cache
def private_key_pem(path: Path, generate: bool) -> str:
    """The signing key's PEM, generated into `path` first when allowed and missing."""
    if not path.exists():
        if not generate:
            raise ImproperlyConfigured(
                f"The OpenID Connect signing key {path} is missing (KUAIJI_OIDC_KEY_FILE)."
            )
        write_pem(path, generate_pem())
    try:
        pem = path.read_text(encoding="ascii")
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"The OpenID Connect signing key {path} cannot be read: {exc}"
        ) from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ImproperlyConfigured(f"The OpenID Connect signing key {path} is not an RSA key.")
    return pem


def lazy_private_key(path: Path, *, generate: bool) -> str:
    """The signing key's PEM, read (or generated) only when first used."""
    return lazy(private_key_pem, str)(path, generate)
