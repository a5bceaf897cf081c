"""Typed failures the whole app can show and act on (design.md §2.4).

Every failure that leaves the service layer is one of these, carrying a message a person can
read, the server's ``requestId`` when there is one, and per-field errors a form can show.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from enkash_tui.api.text import clean, clean_or_none
from enkash_tui.api.wording import in_words


class ErrorType(StrEnum):
    """``errorResponse.errorType`` as documented (§6). Unknown values stay plain strings."""

    CLIENT_REQUEST_ABORT = "CLIENT_REQUEST_ABORT"
    CLIENT_REQUEST_ERROR = "CLIENT_REQUEST_ERROR"
    INVALID_ACCESS = "INVALID_ACCESS"
    RECORD_NOT_FOUND = "RECORD_NOT_FOUND"
    SYSTEM_ERROR = "SYSTEM_ERROR"
    UNAUTHORIZED = "UNAUTHORIZED"
    UNKNOWN_ERROR = "UNKNOWN_ERROR"
    UNPROCESSABLE_REQUEST = "UNPROCESSABLE_REQUEST"
    VALIDATION_ERROR = "VALIDATION_ERROR"


@dataclass(frozen=True)
class FieldError:
    """One bad field: the wire name (``legalName``, ``customerKeyContacts.0.mobile``) and why."""

    field: str
    message: str
    rejected_value: Any = None

    def __post_init__(self) -> None:
        # The server names fields and says why; a form or the log draws both as plain text.
        object.__setattr__(self, "field", clean(self.field))
        object.__setattr__(self, "message", clean(self.message))


def _wire_path(model: type[BaseModel] | None, loc: tuple[int | str, ...]) -> str:
    """``("customer_key_contacts", 0, "mobile")`` -> ``"customerKeyContacts.0.mobile"``."""
    parts: list[str] = []
    for part in loc:
        field = _model_field(model, part)
        if field is None:
            parts.append(str(part))
            continue
        parts.append(field.alias or str(part))
        model = _nested_model(field.annotation)
    return ".".join(parts) or "(body)"


def _model_field(model: type[BaseModel] | None, part: int | str) -> FieldInfo | None:
    """A field by Python name or by wire alias (input may use either)."""
    if model is None or not isinstance(part, str):
        return None
    found = model.model_fields.get(part)
    return found or next((f for f in model.model_fields.values() if f.alias == part), None)


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
        nested = [arg for arg in get_args(candidate) if isinstance(arg, type)]
        for arg in nested:
            if issubclass(arg, BaseModel):
                return arg
    return None


def field_errors_from_validation(
    error: ValidationError, model: type[BaseModel] | None = None
) -> list[FieldError]:
    """Local validation failures, named by wire field like the server's would be, in words."""
    return [
        FieldError(
            field=_wire_path(model, item["loc"]),
            message=in_words(item),
            rejected_value=item.get("input"),
        )
        for item in error.errors(include_url=False)
    ]


_TITLES = {
    ErrorType.CLIENT_REQUEST_ABORT: "Request aborted",
    ErrorType.CLIENT_REQUEST_ERROR: "Request refused",
    ErrorType.INVALID_ACCESS: "Not allowed for this company",
    ErrorType.RECORD_NOT_FOUND: "Not found",
    ErrorType.SYSTEM_ERROR: "EnKash server error",
    ErrorType.UNAUTHORIZED: "Not signed in",
    ErrorType.UNKNOWN_ERROR: "Unexpected error",
    ErrorType.UNPROCESSABLE_REQUEST: "Cannot be done",
    ErrorType.VALIDATION_ERROR: "Invalid input",
}


class EnkashError(Exception):
    """Base of every error the service layer raises."""

    title = "EnKash error"

    def __init__(self, message: str, *, request_id: str | None = None) -> None:
        # Error texts quote EnKash (its message, its request id, a value it sent): cleaned here,
        # once, so a notification, a form or the action log can never replay escape codes.
        message = clean(message)
        super().__init__(message)
        self.message = message
        self.request_id = clean_or_none(request_id)

    def __str__(self) -> str:
        suffix = f" (request {self.request_id})" if self.request_id else ""
        return f"{self.message}{suffix}"


class ApiError(EnkashError):
    """EnKash answered, and the answer was a failure (HTTP 4xx/5xx or ``response_code`` != 0)."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error_type: str = ErrorType.UNKNOWN_ERROR,
        request_id: str | None = None,
        field_errors: list[FieldError] | None = None,
        timestamp: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, request_id=request_id)
        self.status_code = status_code
        self.error_type = clean(error_type)
        self.field_errors = field_errors or []
        self.timestamp = clean_or_none(timestamp)
        self.retry_after = retry_after

    @property
    def title(self) -> str:  # type: ignore[override]
        try:
            return _TITLES[ErrorType(self.error_type)]
        except ValueError:
            return "EnKash error"

    def errors_for(self, wire_field: str) -> list[str]:
        """Messages for one field, including nested ones (``customerKeyContacts.0.mobile``)."""
        return [
            error.message
            for error in self.field_errors
            if error.field == wire_field or error.field.startswith(wire_field + ".")
        ]


class AuthError(ApiError):
    """Sign-in failed, the account is locked, or the session could not be renewed."""

    title = "Sign-in failed"


class NetworkError(EnkashError):
    """The request did not complete. ``may_have_reached_server`` says whether it could have
    taken effect: False means nothing was changed; True means the outcome is unknown."""

    title = "Connection problem"

    def __init__(self, message: str, *, may_have_reached_server: bool) -> None:
        super().__init__(message)
        self.may_have_reached_server = may_have_reached_server


class CallStoppedError(NetworkError):
    """The user stopped waiting for a call (Esc). Like a lost reply: a change may have been
    applied, so ``may_have_reached_server`` is True."""

    title = "Stopped waiting"


class ReadOnlyError(EnkashError):
    """A change was attempted through a read-only client; nothing was sent."""

    title = "Read-only session"


class ResponseFormatError(EnkashError):
    """EnKash answered with something the client cannot read (not JSON, wrong shape)."""

    title = "Unreadable reply"


class ResponseTooLargeError(ResponseFormatError):
    """EnKash's reply is bigger than any real one can be: more bytes than the cap for the call,
    or more rows than the page asked for. Nothing past the cap is read."""

    title = "Reply too large"


class EncryptionUnavailableError(EnkashError):
    """Payload encryption is on but the ``cryptography`` package is not installed."""

    title = "Encryption unavailable"
