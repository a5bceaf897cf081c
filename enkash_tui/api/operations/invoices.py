"""Invoice operations (§4.11–4.17)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from enkash_tui.api.models import (
    BulkResult,
    Invoice,
    InvoiceActionResult,
    InvoiceCreate,
    InvoiceDeletion,
    InvoiceDispatch,
    InvoiceFilter,
    InvoiceUpdate,
    SortDirection,
)
from enkash_tui.api.models.search import InvoicePageRequest
from enkash_tui.api.operations.base import FileSource, Operations, action_result, parse, upload
from enkash_tui.api.pages import Page, parse_page, walk_pages


class InvoiceOperations(Operations):
    async def create_invoice(
        self, invoice: InvoiceCreate, *, seller_id: str | None = None
    ) -> Invoice:
        reply = await self._caller.call(
            "create_invoice", query=self._seller(seller_id), json_body=invoice.to_wire()
        )
        return parse(Invoice, reply.payload)

    async def bulk_create_invoices(
        self, file: FileSource, *, seller_id: str | None = None, filename: str | None = None
    ) -> BulkResult:
        """invoiceBulkUpload and Bharat Connect "Bulk Create Invoice": one endpoint (§4.12)."""
        reply = await self._caller.call(
            "bulk_create_invoices", query=self._seller(seller_id), upload=upload(file, filename)
        )
        return parse(BulkResult, reply.payload or {})

    async def dispatch_invoices(
        self,
        invoice_ids: list[str],
        *,
        partial_payment_allowed: bool | None = None,
        seller_id: str | None = None,
    ) -> InvoiceActionResult:
        body = InvoiceDispatch(
            invoice_ids=list(invoice_ids), partial_payment_allowed=partial_payment_allowed
        )
        reply = await self._caller.call(
            "dispatch_invoices", query=self._seller(seller_id), json_body=body.to_wire()
        )
        return action_result(reply)

    async def delete_invoices(
        self, invoice_ids: list[str], *, seller_id: str | None = None
    ) -> InvoiceActionResult:
        reply = await self._caller.call(
            "delete_invoices",
            query=self._seller(seller_id),
            json_body=InvoiceDeletion(invoice_ids=list(invoice_ids)).to_wire(),
        )
        return action_result(reply)

    async def search_invoices(
        self,
        filters: InvoiceFilter | None = None,
        *,
        offset: int = 0,
        limit: int = 100,
        order_by: str | None = None,
        direction: SortDirection | str | None = None,
        seller_id: str | None = None,
    ) -> Page[Invoice]:
        query, body = self._invoice_search(filters, offset, limit, order_by, direction, seller_id)
        reply = await self._caller.call("search_invoices", query=query, json_body=body)
        return parse_page(reply.payload, reply.headers, Invoice, offset=offset, limit=limit)

    async def fetch_invoice_page(
        self,
        filters: InvoiceFilter | None = None,
        *,
        offset: int = 0,
        limit: int = 100,
        order_by: str | None = None,
        direction: SortDirection | str | None = None,
        seller_id: str | None = None,
    ) -> Callable[[], Page[Invoice]]:
        """``search_invoices`` in two halves: the page is asked for and received now (the same
        request, deadline and size cap); calling what this returns reads it as search_invoices
        does (JSON, the envelope, every ``Invoice`` with its text cleaned, the same errors).
        That half is plain code, for a walk of 1,000-invoice pages to run in a thread, off the
        event loop."""
        query, body = self._invoice_search(filters, offset, limit, order_by, direction, seller_id)
        unread = await self._caller.fetch("search_invoices", query=query, json_body=body)

        def read() -> Page[Invoice]:
            reply = unread()
            return parse_page(reply.payload, reply.headers, Invoice, offset=offset, limit=limit)

        return read

    def _invoice_search(
        self,
        filters: InvoiceFilter | None,
        offset: int,
        limit: int,
        order_by: str | None,
        direction: SortDirection | str | None,
        seller_id: str | None,
    ) -> tuple[dict[str, Any], Any]:
        """A search's query string and body, checked by their models."""
        window = InvoicePageRequest.model_validate(
            {"offset": offset, "limit": limit, "order_by": order_by, "direction": direction}
        )
        query = {**window.to_query(), **self._seller(seller_id)}
        return query, (filters or InvoiceFilter()).to_wire()

    def iter_invoices(
        self, filters: InvoiceFilter | None = None, *, page_size: int = 1000, **options: Any
    ) -> AsyncIterator[Invoice]:
        """Every invoice matching ``filters``, page after page."""
        return walk_pages(
            lambda offset: self.search_invoices(filters, offset=offset, limit=page_size, **options)
        )

    async def get_invoice(self, invoice_id: str, *, seller_id: str | None = None) -> Invoice:
        reply = await self._caller.call(
            "get_invoice", path_params={"invoiceId": invoice_id}, query=self._seller(seller_id)
        )
        return parse(Invoice, reply.payload)

    async def update_invoice(
        self, invoice_id: str, changes: InvoiceUpdate, *, seller_id: str | None = None
    ) -> Invoice:
        reply = await self._caller.call(
            "update_invoice",
            path_params={"invoiceId": invoice_id},
            query=self._seller(seller_id),
            json_body=changes.to_wire(),
        )
        return parse(Invoice, reply.payload)
