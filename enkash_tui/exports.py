"""Writing a whole search result to CSV, page by page, for spreadsheets.

Amounts are plain decimals (no ₹ or grouping) so a spreadsheet reads them as numbers; text cells
follow the one safety rule in ``csv_safety``. The file is written under a temporary name and
named at the end (``files.new_private_file``): a cancelled or failed export leaves nothing
half-written, the file is the owner's only (0600), and an existing file is never replaced — a
second export of the same search on the same day is ``…-2.csv``.

Where: the folder the user last chose, else their downloads folder (``platformdirs``), else their
documents folder when only that one exists; never wherever the app was started.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from .api.client import EnkashClient
from .api.models import Invoice, StatusRef
from .csv_safety import Column, SafeCsvWriter, number, text
from .files import new_private_file
from .invoice_queries import InvoiceQuery

EXPORT_PAGE = 1000


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


class FolderError(ValueError):
    """The folder typed cannot take the export; the message says why, in words."""


def default_export_folder(remembered: str | None = None) -> Path:
    """The folder last chosen, else downloads, else documents if only that exists."""
    if remembered:
        return Path(remembered).expanduser()
    downloads = Path(platformdirs.user_downloads_dir())
    if not downloads.is_dir():
        documents = Path(platformdirs.user_documents_dir())
        if documents.is_dir():
            return documents
    return downloads  # created by the export when it does not exist yet


def export_file_name(query: InvoiceQuery, today: dt.date) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in query.label.lower()).strip("-")
    return f"invoices-{slug}-{today.isoformat()}.csv"


def default_export_path(query: InvoiceQuery, today: dt.date, folder: Path | None = None) -> Path:
    return (folder or default_export_folder()) / export_file_name(query, today)


def ready_folder(typed: str) -> Path:
    """The folder ``typed`` names, as an absolute path, created (0700) if it does not exist;
    FolderError when it cannot hold a new file."""
    if not typed.strip():
        raise FolderError("Type the folder to write to.")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in typed):
        raise FolderError("A folder name cannot hold control characters.")
    folder = Path(typed.strip()).expanduser().absolute()
    if folder.exists() and not folder.is_dir():
        raise FolderError(f"{folder} is a file, not a folder.")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise FolderError(f"{folder} cannot be created: {error.strerror or error}.") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise FolderError(f"{folder} is not writable: choose another folder.")
    return folder


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


# --- writing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    path: Path  # the name the file got (``…-2.csv`` when the one asked for was taken)
    rows: int


async def export_invoices(
    client: EnkashClient,
    query: InvoiceQuery,
    path: Path,
    progress: Callable[[int, int | None], None],
    *,
    today: dt.date,
    page_size: int = EXPORT_PAGE,
) -> Exported:
    """Write every invoice ``query`` finds to ``path`` (or ``path``-2 … when it exists)."""
    written = 0
    with new_private_file(path, renumber=True) as new:
        sheet = SafeCsvWriter(new.handle, invoice_columns(today))
        sheet.header()
        offset = 0
        while True:
            page = await client.search_invoices(
                query.filters,
                offset=offset,
                limit=page_size,
                order_by=query.order_by,
                direction=query.direction,
            )
            written += sheet.rows(page.items)
            progress(written, page.total)
            if not page.has_more or not page.items:
                break
            offset = page.next_offset
    assert new.path is not None  # named once the block ended without an error
    return Exported(new.path, written)
