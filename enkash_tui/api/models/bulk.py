"""Bulk results (§5.6) and per-invoice action results (§5.7)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from enkash_tui.api.models.base import Amount, ReadModel


class BulkRowFailure(ReadModel):
    """One failed row of a bulk file, read tolerantly from ``failureRequests``."""

    row: int | None = None
    reference: str | None = None
    message: str = "Row rejected"
    errors: dict[str, str] = {}


class BulkResult(ReadModel):
    """``BulkResponse«Void»``: snake_case counters, camelCase arrays, exactly as documented."""

    total_count: int = Field(default=0, alias="total_count")
    success_count: int = Field(default=0, alias="success_count")
    failure_count: int = Field(default=0, alias="failure_count")
    failure_count_second_file: int = Field(default=0, alias="failure_count_second_file")
    warn_count: int = Field(default=0, alias="warn_count")
    total_amount: Amount | None = Field(default=None, alias="total_amount")
    success_requests: list[dict[str, Any]] = []
    failure_requests: list[dict[str, Any]] = []
    success_file_name: str | None = Field(default=None, alias="success_file_name")
    success_file_url: str | None = Field(default=None, alias="success_file_url")
    failure_file_name: str | None = Field(default=None, alias="failure_file_name")
    failure_file_url: str | None = Field(default=None, alias="failure_file_url")

    @property
    def row_failures(self) -> list[BulkRowFailure]:
        return [BulkRowFailure.model_validate(item) for item in self.failure_requests]


class InvoiceOutcome(ReadModel):
    invoice_id: str
    message: str | None = None


class InvoiceActionResult(ReadModel):
    """Per-invoice outcome of dispatch, delete, payment confirmation and status change."""

    success_invoices: list[InvoiceOutcome] = []
    failure_invoices: list[InvoiceOutcome] = []
    message: str | None = None

    @property
    def all_succeeded(self) -> bool:
        return not self.failure_invoices
