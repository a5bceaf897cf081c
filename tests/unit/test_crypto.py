"""AES payload encryption as the EnKash Payouts guide documents it (enkash-ar-api.md §2)."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest

from enkash_tui.api import crypto
from enkash_tui.api.crypto import DecryptionError

SECRET = "my-client-secret"
PLAINTEXT = '{"invoiceIds":["X"],"partialPaymentAllowed":true}'
CIPHERTEXT = (
    "TToorSDKxc51rGlZbqv6/4D3SrFNMPEBPmTFNEV+nIKvMY8WkaX+NYdy/kJnKmfN3j7KnFnQp8qbXbRG7+ShjA=="
)


def test_documented_test_vector_encrypts_exactly() -> None:
    assert crypto.encrypt(PLAINTEXT, SECRET) == CIPHERTEXT


def test_documented_test_vector_decrypts() -> None:
    assert crypto.decrypt(CIPHERTEXT, SECRET) == PLAINTEXT


def test_encryption_is_deterministic_ecb_with_block_padding() -> None:
    # ECB, no IV: same input, same output. PKCS#7 always adds a block when aligned.
    assert crypto.encrypt(PLAINTEXT, SECRET) == crypto.encrypt(PLAINTEXT, SECRET)
    assert len(base64.b64decode(crypto.encrypt("", SECRET))) == 16
    assert len(base64.b64decode(crypto.encrypt("a" * 16, SECRET))) == 32
    assert len(base64.b64decode(crypto.encrypt("a" * 15, SECRET))) == 16


def test_ciphertext_is_standard_base64() -> None:
    text = crypto.encrypt(PLAINTEXT, SECRET)
    assert "+" in text and "/" in text and text.endswith("==")
    assert base64.b64encode(base64.b64decode(text, validate=True)).decode() == text


@pytest.mark.parametrize(
    "plaintext",
    [
        '{"remarks":"Received ₹10,000 in bank"}',
        '{"legalName":"एनकैश प्राइवेट लिमिटेड","state":"महाराष्ट्र"}',
        json.dumps({"name": "Ravi ₹ कुमार"}, ensure_ascii=False),
        "",
        "x" * 1000,
    ],
)
def test_round_trip_unicode(plaintext: str) -> None:
    ciphertext = crypto.encrypt(plaintext, SECRET)
    assert crypto.decrypt(ciphertext, SECRET) == plaintext


def test_unicode_secret_round_trip() -> None:
    secret = "गुप्त-₹-secret"
    ciphertext = crypto.encrypt(PLAINTEXT, secret)
    assert ciphertext != CIPHERTEXT
    assert crypto.decrypt(ciphertext, secret) == PLAINTEXT


def test_wrong_key_raises_decryption_error() -> None:
    with pytest.raises(DecryptionError):
        crypto.decrypt(CIPHERTEXT, "another-client-secret")


@pytest.mark.parametrize(
    "garbage",
    [
        "not base64 at all!!",
        "@@@@",
        "QUJD",  # valid base64, 3 bytes: not a whole AES block
        base64.b64encode(b"0123456789abcdef0").decode(),  # 17 bytes
        CIPHERTEXT[:-4],  # truncated
    ],
)
def test_garbage_raises_decryption_error(garbage: str) -> None:
    with pytest.raises(DecryptionError):
        crypto.decrypt(garbage, SECRET)


def test_decryption_error_is_value_error() -> None:
    assert issubclass(DecryptionError, ValueError)


def test_derive_key_is_first_16_bytes_of_sha256() -> None:
    expected = hashlib.sha256(SECRET.encode("utf-8")).digest()[:16]
    assert crypto.derive_key(SECRET) == expected
    assert len(crypto.derive_key("")) == 16
    assert crypto.derive_key("₹") == hashlib.sha256("₹".encode()).digest()[:16]


def test_wrap_uses_request_key() -> None:
    assert crypto.wrap(PLAINTEXT, SECRET) == {"request": CIPHERTEXT}


@pytest.mark.parametrize("key", ["request", "response", "payload"])
def test_encrypted_text_recognises_wrapper_keys(key: str) -> None:
    assert crypto.encrypted_text({key: CIPHERTEXT}) == CIPHERTEXT


@pytest.mark.parametrize(
    "body",
    [
        {"response_code": 0, "response_message": "OK", "payload": {"a": 1}},
        {"response_code": 0, "payload": "Customer deleted"},
        {"payload": {"a": 1}},
        {"payload": None},
        {"request": CIPHERTEXT, "response": CIPHERTEXT},
        {"request": CIPHERTEXT, "extra": 1},
        {"data": CIPHERTEXT},
        {"request": 5},
        {},
        [CIPHERTEXT],
        CIPHERTEXT,
        None,
    ],
)
def test_encrypted_text_rejects_other_bodies(body: Any) -> None:
    assert crypto.encrypted_text(body) is None
