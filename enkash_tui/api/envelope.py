"""The ``ResponseDTO`` envelope (§3.1), parsed in one place.

``{"response_code": 0, "response_message": …, "payload": …, "errorResponse": {…}}``. A non-zero
``response_code`` (even under HTTP 200) or any 4xx/5xx becomes an :class:`ApiError`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from enkash_tui.api.errors import ApiError, AuthError, ErrorType, FieldError, ResponseFormatError
from enkash_tui.api.text import clean_json, clean_or_none

# Used when the server gives no errorType: the documented HTTP -> errorType mapping (§3.2).
_TYPE_BY_STATUS = {
    400: ErrorType.VALIDATION_ERROR,
    401: ErrorType.UNAUTHORIZED,
    403: ErrorType.INVALID_ACCESS,
    404: ErrorType.RECORD_NOT_FOUND,
    422: ErrorType.UNPROCESSABLE_REQUEST,
    429: ErrorType.CLIENT_REQUEST_ERROR,
}

_STATUS_MESSAGES = {
    401: "Your session is not valid; sign in again",
    403: "This account may not do that",
    404: "Not found",
    429: "EnKash is rate-limiting requests; wait a moment and try again",
    502: "EnKash is unreachable behind its gateway (502)",
    503: "EnKash is temporarily unavailable (503)",
    504: "EnKash took too long to answer (504)",
}


# No reply EnKash documents nests more than a handful of levels; far deeper is hostile, and
# would crash the parser (RecursionError) or whatever walks the result next.
MAX_JSON_DEPTH = 64
# Only brackets and quotes tell the depth: every other byte goes, and "{}" count as "[]".
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')
_ONE_KIND = bytes.maketrans(b"{}", b"[]")


def _too_deep(text: bytes) -> bool:
    """Whether brackets outside strings nest deeper than MAX_JSON_DEPTH, found in a few linear
    passes (no recursion, no per-byte Python loop). Malformed JSON is left to json.loads."""
    if text.count(b"[") + text.count(b"{") <= MAX_JSON_DEPTH:
        return False  # cannot nest deeper than it has brackets
    # Without escaped backslashes and quotes, strings lie between every other pair of quotes.
    unescaped = text.replace(b"\\\\", b"").replace(b'\\"', b"")
    parts = unescaped.translate(None, _NOT_STRUCTURE).split(b'"')
    if len(parts) % 2 == 0:
        return False  # an unclosed string: not JSON
    brackets = b"".join(parts[::2]).translate(_ONE_KIND)
    # Each pass removes the innermost (empty) pairs: one level of nesting.
    for _ in range(MAX_JSON_DEPTH):
        shorter = brackets.replace(b"[]", b"")
        if len(shorter) == len(brackets):
            return False  # all gone (shallow enough), or unbalanced: not JSON
        brackets = shorter
    return bool(brackets)


def loads(text: str | bytes) -> Any:
    """JSON with every fractional number as ``Decimal``: money never passes through float.

    Not JSON: ValueError. Nested deeper than MAX_JSON_DEPTH: ResponseFormatError."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if _too_deep(raw):
        raise ResponseFormatError(
            f"EnKash's reply nests more than {MAX_JSON_DEPTH} levels deep, "
            "deeper than any real answer: it was not read"
        )
    try:
        return json.loads(text, parse_float=Decimal)
    except RecursionError:  # unbalanced brackets the scan let through to the parser
        raise ResponseFormatError("EnKash's reply is not JSON (nested too deep)") from None


def _sub_error(item: Any) -> FieldError | None:
    # Spring's ApiSubError is {object, field, rejectedValue, message}; tolerate partial ones.
    if not isinstance(item, dict) or not item:
        return None
    name = item.get("field") or item.get("object") or "(body)"
    message = item.get("message") or item.get("errorMessage") or "is invalid"
    # FieldError cleans the name and the message; the value EnKash echoes is cleaned here.
    rejected = clean_json(item.get("rejectedValue"))
    return FieldError(field=str(name), message=str(message), rejected_value=rejected)


def error_from_body(status_code: int, body: Any, retry_after: float | None = None) -> ApiError:
    """Build the typed error for a failed reply, whatever JSON (or none) it carried."""
    error_type: str = _TYPE_BY_STATUS.get(status_code, ErrorType.SYSTEM_ERROR)
    if status_code < 400:
        error_type = ErrorType.UNKNOWN_ERROR
    message = _STATUS_MESSAGES.get(status_code) or f"EnKash answered HTTP {status_code}"
    request_id = timestamp = None
    field_errors: list[FieldError] = []
    if isinstance(body, dict):
        detail = body.get("errorResponse")
        if isinstance(detail, dict):
            error_type = detail.get("errorType") or error_type
            message = detail.get("errorMessage") or body.get("response_message") or message
            request_id = detail.get("requestId")
            timestamp = detail.get("timestamp")
            subs = detail.get("apiSubErrors") or []
            field_errors = [e for e in map(_sub_error, subs) if e is not None]
        elif body.get("response_message"):
            message = str(body["response_message"])
        elif isinstance(body.get("payload"), str) and body["payload"]:
            message = body["payload"]
    cls = AuthError if error_type == ErrorType.UNAUTHORIZED or status_code == 401 else ApiError
    return cls(
        str(message),
        status_code=status_code,
        error_type=str(error_type),
        request_id=request_id,
        field_errors=field_errors,
        timestamp=timestamp,
        retry_after=retry_after,
    )


def unwrap(status_code: int, body: Any) -> tuple[Any, str | None]:
    """Return ``(payload, response_message)`` of a successful reply, or raise its error."""
    if status_code >= 400:
        raise error_from_body(status_code, body)
    if not isinstance(body, dict) or "response_code" not in body:
        raise ResponseFormatError("EnKash's reply is not the documented response envelope")
    try:
        code = int(body["response_code"])
    except (TypeError, ValueError):
        raise ResponseFormatError("EnKash's reply has an unreadable response_code") from None
    if code != 0:
        raise error_from_body(status_code, body)
    # The payload's text is cleaned where a ReadModel parses it; the message is read here.
    return body.get("payload"), clean_or_none(body.get("response_message"))
