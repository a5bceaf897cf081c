"""Optional AES payload encryption, as the EnKash Payouts guide documents it (§2).

AES-128-ECB, PKCS#7 padding, key = first 16 bytes of SHA-256(client secret), standard Base64,
carried as ``{"request": "<base64>"}`` in both directions. ``cryptography`` is an optional
dependency (the ``encryption`` extra), imported only when a profile turns encryption on.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from enkash_tui.api.errors import EncryptionUnavailableError

# The documented key is "request" both ways; accept the two likely alternatives when reading.
ENVELOPE_KEYS = ("request", "response", "payload")


class DecryptionError(ValueError):
    """The ciphertext is not valid for this key."""


def _primitives() -> Any:
    try:
        from cryptography.hazmat.primitives import padding
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    except ImportError:
        raise EncryptionUnavailableError(
            "Payload encryption needs the 'cryptography' package: "
            "pip install 'enkash-tui[encryption]'"
        ) from None
    return padding, Cipher, algorithms, modes


def derive_key(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8")).digest()[:16]


def encrypt(plaintext: str, secret: str) -> str:
    """Encrypt JSON text exactly once (the Node sample double-encodes strings; we do not)."""
    padding, Cipher, algorithms, modes = _primitives()
    padder = padding.PKCS7(128).padder()
    data = padder.update(plaintext.encode("utf-8")) + padder.finalize()
    encryptor = Cipher(algorithms.AES(derive_key(secret)), modes.ECB()).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode("ascii")


def decrypt(ciphertext: str, secret: str) -> str:
    padding, Cipher, algorithms, modes = _primitives()
    try:
        raw = base64.b64decode(ciphertext, validate=True)
        decryptor = Cipher(algorithms.AES(derive_key(secret)), modes.ECB()).decryptor()
        padded = decryptor.update(raw) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        plaintext: bytes = unpadder.update(padded) + unpadder.finalize()
        return plaintext.decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise DecryptionError("payload could not be decrypted with this client secret") from error


def wrap(plaintext_json: str, secret: str) -> dict[str, str]:
    return {"request": encrypt(plaintext_json, secret)}


def encrypted_text(body: Any) -> str | None:
    """The ciphertext if ``body`` is an encrypted wrapper (one string field), else None.

    A normal envelope (``response_code``/``payload`` object) is plaintext even in encrypted mode.
    """
    if isinstance(body, dict) and len(body) == 1:
        key, value = next(iter(body.items()))
        if key in ENVELOPE_KEYS and isinstance(value, str):
            return value
    return None
