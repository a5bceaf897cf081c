"""What every group of operations shares: the caller, tenancy defaults and reply parsing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from enkash_tui.api.caller import Caller, Reply, Upload
from enkash_tui.api.errors import ResponseFormatError
from enkash_tui.api.models import InvoiceActionResult
from enkash_tui.api.patterns import COMPANY_ID_PATTERN, CUSTOMER_ID_PATTERN
from enkash_tui.api.text import clean

M = TypeVar("M", bound=BaseModel)
FileSource = Path | str | bytes

_CONTENT_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
}


def checked_id(value: str, pattern: str, what: str) -> str:
    if not re.fullmatch(pattern, value):
        raise ValueError(f"{what} {value!r} does not match {pattern}")
    return value


def tenant(value: str | None, what: str) -> str | None:
    """A company / seller / parent-company id, checked against ``^CEK[A-Z0-9]{7}$``."""
    return checked_id(value, COMPANY_ID_PATTERN, what) if value else None


def parse(model: type[M], payload: Any) -> M:
    """A reply payload as ``model``; a reply of the wrong shape is the server's fault."""
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        raise ResponseFormatError(
            f"EnKash's reply is not a valid {model.__name__}: {error}"
        ) from None


def confirmation(reply: Reply, fallback: str) -> str:
    """A reply whose payload is a bare text (delete): that text, cleaned like any server text."""
    return clean(str(reply.payload or reply.message or fallback))


def action_result(reply: Reply) -> InvoiceActionResult:
    """Per-invoice results, or the server's message when it sent no per-invoice detail."""
    if isinstance(reply.payload, dict):
        return parse(InvoiceActionResult, reply.payload)
    text = reply.payload if isinstance(reply.payload, str) else reply.message
    return InvoiceActionResult(message=text)


def upload(source: FileSource, filename: str | None) -> Upload:
    """The multipart ``file`` part from a path or bytes."""
    if isinstance(source, bytes):
        content, name = source, filename or "upload.csv"
    else:
        path = Path(source)
        content, name = path.read_bytes(), filename or path.name
    content_type = _CONTENT_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
    return (name, content, content_type)


class Operations:
    """Base of the operation groups that make up ``EnkashClient``."""

    _caller: Caller
    company_id: str | None
    seller_id: str | None
    parent_company_id: str | None

    def _parent(self, parent_company_id: str | None) -> dict[str, Any]:
        return {
            "parentCompanyId": tenant(parent_company_id, "parentCompanyId")
            or self.parent_company_id
        }

    def _seller(self, seller_id: str | None) -> dict[str, Any]:
        return {"sellerId": tenant(seller_id, "sellerId") or self.seller_id}

    def _customer_path(self, customer_id: str) -> dict[str, str]:
        return {"customerId": checked_id(customer_id, CUSTOMER_ID_PATTERN, "customerId")}
