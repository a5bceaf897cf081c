"""What a sandbox handler is given (the caller's company, the decoded request) and returns."""

from __future__ import annotations

import datetime as dt
import random
import re
import sqlite3
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from enkash_tui import clock
from enkash_tui.api.errors import ErrorType
from enkash_tui.api.patterns import COMPANY_ID_PATTERN
from enkash_tui.sandbox.db import transaction
from enkash_tui.sandbox.envelope import SandboxError, invalid, not_found, validation_failure

M = TypeVar("M", bound=BaseModel)
_ID_ALPHABET = string.ascii_uppercase + string.digits
_ids = random.SystemRandom()


def new_id(prefix: str, length: int) -> str:
    """Server-minted ids: a prefix plus uppercase alphanumerics (KC + 14 = 16 chars)."""
    return prefix + "".join(_ids.choice(_ID_ALPHABET) for _ in range(length))


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Listing:
    """A search result: the rows of this page and how many match in all (X-Total-Count)."""

    items: list[dict[str, Any]]
    total: int
    # Sandbox extension: the result's summed balance (X-Total-Balance-Amount), first page only.
    balance_paise: int | None = None


@dataclass
class Call:
    conn: sqlite3.Connection
    company_id: str
    username: str
    display_name: str
    params: Mapping[str, str]
    query: Mapping[str, str]
    body: Any = None
    upload: tuple[str, bytes] | None = None
    now: dt.datetime = field(default_factory=clock.now)

    @property
    def now_iso(self) -> str:
        return iso(self.now)

    @property
    def today(self) -> dt.date:
        return self.now.date()

    def parse(self, model: type[M], body: Any = None) -> M:
        """Validate a JSON body with the documented request model (400 per bad field)."""
        data = self.body if body is None else body
        if not isinstance(data, dict):
            raise invalid("(body)", "a JSON object is required", None)
        try:
            return model.model_validate(data)
        except ValidationError as error:
            raise validation_failure(error, model) from None

    def owned(
        self,
        row: sqlite3.Row | None,
        what: str,
        *,
        owner: str = "company_id",
        deleted: str = "deleted",
    ) -> sqlite3.Row:
        """The caller's live record, or 404 (unknown or deleted) / 403 (another company's)."""
        if row is None or row[deleted]:
            raise not_found(what)
        if row[owner] != self.company_id:
            raise SandboxError(ErrorType.INVALID_ACCESS, f"{what} is not yours")
        return row

    def query_int(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.query.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise invalid(name, "must be a whole number", raw) from None
        if not low <= value <= high:
            raise invalid(name, f"must be between {low} and {high}", value)
        return value

    def check_tenancy(self, *names: str) -> None:
        """``parentCompanyId``/``sellerId``/``companyId`` may only name the caller's company."""
        for name in names:
            value = self.query.get(name)
            if value is not None and not re.fullmatch(COMPANY_ID_PATTERN, value):
                # Given, even empty, it must be a company id: "" is not "no company".
                raise invalid(name, "must be a company id (CEK and 7 letters or digits)", value)
            if value and value != self.company_id:
                raise SandboxError(
                    ErrorType.INVALID_ACCESS, f"{name} {value} is not accessible with this token"
                )

    def require_upload(self) -> tuple[str, bytes]:
        if self.upload is None:
            raise invalid("file", "a multipart part named 'file' is required")
        return self.upload


def sort_direction(call: Call, default: str) -> str:
    """``direction``: ASC or DESC exactly, as the enum is documented; ``default`` when absent."""
    direction = call.query.get("direction", default)
    if direction not in ("ASC", "DESC"):
        raise invalid("direction", "must be ASC or DESC", direction)
    return direction


def per_invoice(
    call: Call, invoice_ids: list[str], act: Callable[[str], str]
) -> dict[str, list[dict[str, str]]]:
    """Run ``act`` for each invoice in one transaction. A ``SandboxError`` fails that invoice
    only; the result is the documented ``successInvoices``/``failureInvoices`` shape (§5.7)."""
    result: dict[str, list[dict[str, str]]] = {"successInvoices": [], "failureInvoices": []}
    with transaction(call.conn):
        for invoice_id in invoice_ids:
            try:
                message = act(invoice_id)
            except SandboxError as error:
                result["failureInvoices"].append(
                    {"invoiceId": invoice_id, "message": error.message}
                )
            else:
                result["successInvoices"].append({"invoiceId": invoice_id, "message": message})
    return result
