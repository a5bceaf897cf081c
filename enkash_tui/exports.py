"""Writing a whole search result to CSV, page by page, for spreadsheets.

Amounts are plain decimals (no ₹ or grouping) so a spreadsheet reads them as numbers. The file is
written beside its final name and renamed at the end: a cancelled or failed export leaves nothing
half-written behind.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from .api.client import EnkashClient
from .api.models import Invoice
from .invoice_queries import InvoiceQuery

EXPORT_PAGE = 1000

COLUMNS: tuple[tuple[str, Callable[[Invoice, dt.date], object]], ...] = (
    ("Invoice number", lambda i, t: i.invoice_number),
    ("Invoice id", lambda i, t: i.invoice_id),
    ("Customer id", lambda i, t: i.customer_id),
    ("Customer", lambda i, t: i.customer_legal_name),
    ("Invoice date", lambda i, t: i.invoice_date.date().isoformat() if i.invoice_date else ""),
    ("Due date", lambda i, t: i.due_date.isoformat() if i.due_date else ""),
    ("Days overdue", lambda i, t: i.days_overdue(t)),
    ("Base", lambda i, t: i.base_amount),
    ("CGST", lambda i, t: i.cgst),
    ("SGST", lambda i, t: i.sgst),
    ("IGST", lambda i, t: i.igst),
    ("TDS", lambda i, t: i.tds),
    ("Net", lambda i, t: i.net_amount),
    ("Received", lambda i, t: i.total_received),
    ("Balance", lambda i, t: i.balance_amount),
    ("Receivable status", lambda i, t: i.receivable_status.name if i.receivable_status else ""),
    ("Approval status", lambda i, t: i.approval_status.name if i.approval_status else ""),
    ("Dispatched", lambda i, t: "yes" if i.dispatched else "no"),
    ("Dispatched on", lambda i, t: i.dispatched_on.isoformat() if i.dispatched_on else ""),
    ("Payment link", lambda i, t: i.payment_link),
    ("PO number", lambda i, t: i.po_number),
    ("External id", lambda i, t: i.external_id),
)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def csv_row(invoice: Invoice, today: dt.date) -> list[str]:
    return [_cell(value(invoice, today)) for _, value in COLUMNS]


def default_export_path(query: InvoiceQuery, today: dt.date, folder: Path | None = None) -> Path:
    slug = "".join(ch if ch.isalnum() else "-" for ch in query.label.lower()).strip("-")
    return (folder or Path.cwd()) / f"invoices-{slug}-{today.isoformat()}.csv"


async def export_invoices(
    client: EnkashClient,
    query: InvoiceQuery,
    path: Path,
    progress: Callable[[int, int | None], None],
    *,
    today: dt.date,
    page_size: int = EXPORT_PAGE,
) -> int:
    """Write every invoice ``query`` finds to ``path``; returns the rows written."""
    partial = path.with_name(path.name + ".part")
    written = 0
    try:
        with partial.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([name for name, _ in COLUMNS])
            offset = 0
            while True:
                page = await client.search_invoices(
                    query.filters,
                    offset=offset,
                    limit=page_size,
                    order_by=query.order_by,
                    direction=query.direction,
                )
                writer.writerows(csv_row(invoice, today) for invoice in page.items)
                written += len(page.items)
                progress(written, page.total)
                if not page.has_more or not page.items:
                    break
                offset = page.next_offset
        os.replace(partial, path)
    except (Exception, asyncio.CancelledError):
        partial.unlink(missing_ok=True)
        raise
    return written
