"""Replies in the documented ``ResponseDTO`` envelope, and the sandbox's typed failures."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from enkash_tui import clock
from enkash_tui.api.errors import ErrorType, field_errors_from_validation

_STATUS_BY_TYPE = {
    ErrorType.VALIDATION_ERROR: 400,
    ErrorType.UNAUTHORIZED: 401,
    ErrorType.INVALID_ACCESS: 403,
    ErrorType.RECORD_NOT_FOUND: 404,
    ErrorType.UNPROCESSABLE_REQUEST: 422,
    ErrorType.SYSTEM_ERROR: 500,
    ErrorType.CLIENT_REQUEST_ERROR: 400,
}


@dataclass
class SandboxError(Exception):
    """A failure the sandbox reports in the envelope with its documented HTTP status."""

    error_type: ErrorType
    message: str
    sub_errors: list[dict[str, Any]] = field(default_factory=list)
    status: int | None = None

    @property
    def http_status(self) -> int:
        return self.status or _STATUS_BY_TYPE.get(self.error_type, 500)


def not_found(what: str) -> SandboxError:
    return SandboxError(ErrorType.RECORD_NOT_FOUND, f"{what} not found")


def unprocessable(message: str) -> SandboxError:
    return SandboxError(ErrorType.UNPROCESSABLE_REQUEST, message)


def invalid(field_name: str, message: str, rejected: Any = None) -> SandboxError:
    return SandboxError(
        ErrorType.VALIDATION_ERROR,
        f"{field_name}: {message}",
        [{"object": "request", "field": field_name, "rejectedValue": rejected, "message": message}],
    )


def validation_failure(error: ValidationError, model: type[BaseModel]) -> SandboxError:
    """One ``apiSubErrors`` entry per bad field, Spring style."""
    subs = [
        {
            "object": model.__name__,
            "field": item.field,
            "rejectedValue": _jsonable(item.rejected_value),
            "message": item.message,
        }
        for item in field_errors_from_validation(error, model)
    ]
    fields = ", ".join(sorted({sub["field"] for sub in subs}))
    return SandboxError(ErrorType.VALIDATION_ERROR, f"Invalid request: {fields}", subs)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)[:200]


def success(payload: Any, message: str = "SUCCESS") -> dict[str, Any]:
    return {"response_code": 0, "response_message": message, "payload": payload}


def failure(error: SandboxError, *, request_id: str | None = None) -> dict[str, Any]:
    return {
        "errorResponse": {
            "apiSubErrors": error.sub_errors,
            "errorMessage": error.message,
            "errorType": str(error.error_type),
            "requestId": request_id or str(uuid.uuid4()),
            "timestamp": clock.now().strftime("%Y-%m-%d %H:%M:%S"),
        },
        "payload": None,
        "response_code": 1,
        "response_message": error.message,
    }


def dumps(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=_jsonable).encode()
