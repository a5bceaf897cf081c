"""What an invoice export holds: its columns, in the order a spreadsheet shows them, and the names
an export file may have. Writing it is ``local.exports``.

Amounts are plain decimals (no ₹ or grouping) so a spreadsheet reads them as numbers; text cells
follow the one safety rule in ``csv_safety``.
"""

from __future__ import annotations

import datetime as dt
import os

from enkash_tui.api.models import Invoice, StatusRef
from enkash_tui.domain.csv_safety import Column, number, text
from enkash_tui.domain.invoices import InvoiceQuery


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _name(status: StatusRef | None) -> str:
    return status.name if status else ""


def invoice_columns(today: dt.date) -> tuple[Column[Invoice], ...]:
    """The export's columns; ``today`` is what days overdue are counted to."""
    return (
        text("Invoice number", lambda i: i.invoice_number),
        text("Invoice id", lambda i: i.invoice_id),
        text("Customer id", lambda i: i.customer_id),
        text("Customer", lambda i: i.customer_legal_name),
        text("Invoice date", lambda i: _iso(i.invoice_date.date() if i.invoice_date else None)),
        text("Due date", lambda i: _iso(i.due_date)),
        number("Days overdue", lambda i: i.days_overdue(today)),
        number("Base", lambda i: i.base_amount),
        number("CGST", lambda i: i.cgst),
        number("SGST", lambda i: i.sgst),
        number("IGST", lambda i: i.igst),
        number("TDS", lambda i: i.tds),
        number("Net", lambda i: i.net_amount),
        number("Received", lambda i: i.total_received),
        number("Balance", lambda i: i.balance_amount),
        text("Receivable status", lambda i: _name(i.receivable_status)),
        text("Approval status", lambda i: _name(i.approval_status)),
        text("Dispatched", lambda i: "yes" if i.dispatched else "no"),
        text("Dispatched on", lambda i: _iso(i.dispatched_on)),
        text("Payment link", lambda i: i.payment_link),
        text("PO number", lambda i: i.po_number),
        text("External id", lambda i: i.external_id),
    )


HEADER = tuple(column.name for column in invoice_columns(dt.date.min))


# --- where ---------------------------------------------------------------------------------


def export_file_name(query: InvoiceQuery, today: dt.date) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in query.label.lower()).strip("-")
    slug = "-".join(part for part in slug.split("-") if part)[:60].strip("-")  # a filter's words
    return f"invoices-{slug}-{today.isoformat()}.csv"


def check_file_name(typed: str) -> str:
    """The file name as typed, or ValueError saying why it cannot be one."""
    name = typed.strip()
    if not name:
        raise ValueError("Type a file name.")
    if name in (".", "..") or any(sep and sep in name for sep in (os.sep, os.altsep)):
        raise ValueError("Just a file name here: the folder goes in the field above.")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise ValueError("A file name cannot hold control characters.")
    return name
