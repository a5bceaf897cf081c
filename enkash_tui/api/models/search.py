"""Paging and sorting query parameters of the search endpoints (§3.3)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from enkash_tui.api.models.base import WriteModel
from enkash_tui.api.models.invoice import SortDirection

MAX_INVOICE_PAGE = 5000
MAX_CUSTOMER_PAGE = 50


class PageRequest(WriteModel):
    offset: int = Field(default=0, ge=0, le=2**31 - 1)  # int32 on the wire (§3.3)
    limit: int = Field(default=50, ge=1)
    order_by: str | None = Field(default=None, min_length=1, max_length=64, pattern=r"^\w+$")
    direction: SortDirection | None = None

    def to_query(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class InvoicePageRequest(PageRequest):
    limit: int = Field(default=100, ge=1, le=MAX_INVOICE_PAGE)


class CustomerPageRequest(PageRequest):
    limit: int = Field(default=MAX_CUSTOMER_PAGE, ge=1, le=MAX_CUSTOMER_PAGE)
