"""The national algorithms the platform uses, from the `cryptography` package: SM3 hashes and
keyed hashes (HMAC-SM3), and SM4 encryption in GCM mode."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

SM4_KEY_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionFailed(ValueError):
    """The ciphertext was altered, or was not made with this key."""


def sm3(data: bytes) -> str:
    """The SM3 digest of `data`, as 64 hex digits."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3(key: bytes, data: bytes) -> str:
    """The keyed SM3 digest (HMAC-SM3) of `data`, as 64 hex digits."""
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def sm4_encrypt(key: bytes, plaintext: bytes, associated: bytes = b"") -> bytes:
    """SM4-GCM: a fresh 12-byte nonce, the ciphertext and the 16-byte tag, concatenated."""
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated)
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + ciphertext + encryptor.tag


def sm4_decrypt(key: bytes, sealed: bytes, associated: bytes = b"") -> bytes:
    """Open what `sm4_encrypt` sealed; DecryptionFailed if it was altered."""
    if len(sealed) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionFailed("ciphertext too short")
    nonce, body, tag = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:-TAG_BYTES], sealed[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(associated)
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag as exc:
        raise DecryptionFailed("ciphertext altered or wrong key") from exc
