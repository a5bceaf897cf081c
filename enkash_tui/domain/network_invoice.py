"""A new invoice sent to its buyer over Bharat Connect as it is created (the New invoice form's
tick box): EnKash puts invoices on the network through Bulk Create Invoice (§4.25), so the form
sends the one row a bulk file with ``bharatConnect`` true would hold, and reads the row's fate
from the per-row result: the new invoice, or the row's problems by field, as a refused single
create gives them.

Sent once: a lost reply, or one that does not say what became of the row, is rechecked by
looking the invoice up by its number (``find_on_network``, for ``send_or_recheck``), never by
uploading the row again.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from enkash_tui.api import ApiError, EnkashError, ErrorType, FieldError, NetworkError
from enkash_tui.api.bulk_format import INVOICE_COLUMNS
from enkash_tui.api.models import BulkResult, BulkRowFailure, Invoice, InvoiceCreate, InvoiceFilter
from enkash_tui.domain.bulk import record_id

if TYPE_CHECKING:
    from enkash_tui.api.client import EnkashClient

FILE_NAME = "invoice.csv"
NETWORK_COLUMN = "bharatConnect"


class BharatConnectInvoice(InvoiceCreate):
    """A createInvoice body to be sent as a one-row Bulk Create with ``bharatConnect`` true: the
    same fields and checks as ``InvoiceCreate``; only the way it is sent differs."""


class RowRefused(ApiError):
    """EnKash took the upload and refused its one row. Its problems are carried as a refused
    single create's (``field_errors`` by wire name), so a form shows them beside the fields."""

    title = "Refused"

    def __init__(self, failure: BulkRowFailure) -> None:
        super().__init__(
            failure.message,
            status_code=200,  # the upload itself was answered: only the row was refused
            error_type=ErrorType.VALIDATION_ERROR,
            field_errors=[FieldError(name, message) for name, message in failure.errors.items()],
        )


class UnreportedRow(NetworkError):
    """EnKash answered the upload without a word on its row. As after a lost reply, whether the
    invoice was created is unknown: ``send_or_recheck`` looks it up, and never sends it again."""

    def __init__(self) -> None:
        super().__init__(
            "EnKash's reply to the upload did not say what became of the invoice",
            may_have_reached_server=True,
        )


def _cell(value: Any, exact: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(exact, Decimal):
        return format(exact, "f")  # "1500.50" as typed, never a float's "1500.5" or "1e+16"
    return str(value)


def bulk_row(invoice: InvoiceCreate) -> dict[str, str]:
    """The invoice as the cells of a bulk file row (``api.bulk_format``), on the network."""
    wire = invoice.to_wire()
    exact = invoice.model_dump(exclude_none=True)
    unknown = [name for name in wire if name not in INVOICE_COLUMNS]
    if unknown:  # a field the bulk file has no column for would be silently dropped
        raise ValueError(f"a bulk invoice row has no column for {', '.join(unknown)}")
    cells = {name: _cell(wire[name], exact.get(name)) for name in INVOICE_COLUMNS if name in wire}
    cells[NETWORK_COLUMN] = "true"
    return cells


def one_row_file(invoice: InvoiceCreate) -> bytes:
    """The upload: a header of the row's columns, then the row (CSV, UTF-8)."""
    cells = bulk_row(invoice)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(cells.keys())
    writer.writerow(cells.values())
    return text.getvalue().encode("utf-8")


def row_outcome(result: BulkResult) -> str | None:
    """The new invoice's id from the upload's result; None when the reply names no row (look it
    up instead); ``RowRefused`` when the row was refused."""
    failures = result.row_failures
    if failures:
        raise RowRefused(failures[0])
    return next((found for found in map(record_id, result.success_requests) if found), None)


def is_this_invoice(sent: InvoiceCreate, found: Invoice) -> bool:
    """Whether ``found`` is the invoice this body created on the network, not another one that
    happens to have its number (a refused duplicate leaves the first one in place)."""
    return (
        found.invoice_number == sent.invoice_number
        and found.customer_id == sent.customer_id
        and found.due_date == sent.due_date
        and found.base_amount == sent.base_amount
        and found.bharat_connect is not None
    )


async def find_on_network(client: EnkashClient, sent: InvoiceCreate) -> Invoice | None:
    """The invoice this body created, as EnKash has it, or None (not created, or it has no
    number to look it up by)."""
    if not sent.invoice_number:
        return None
    page = await client.search_invoices(InvoiceFilter(invoice_number=sent.invoice_number), limit=50)
    return next((i for i in page.items if is_this_invoice(sent, i)), None)


class CreatedUnread(NetworkError):
    """The row was created but reading the invoice back failed. The change is made: like a lost
    reply, it is looked up (``send_or_recheck``), never sent again."""

    def __init__(self, invoice_id: str, error: EnkashError) -> None:
        super().__init__(
            f"EnKash created invoice {invoice_id} but reading it back failed: {error}",
            may_have_reached_server=True,
        )


async def create_on_network(client: EnkashClient, invoice: InvoiceCreate) -> Invoice:
    """Create ``invoice`` on Bharat Connect (CREATED, version 1) with a one-row Bulk Create, and
    read it back. ``RowRefused`` says why not; ``UnreportedRow`` that the reply did not say;
    ``CreatedUnread`` that it was created but could not be read back."""
    result = await client.bulk_create_invoices(one_row_file(invoice), filename=FILE_NAME)
    invoice_id = row_outcome(result)
    if not invoice_id:
        raise UnreportedRow
    try:
        return await client.get_invoice(invoice_id)
    except EnkashError as error:
        raise CreatedUnread(invoice_id, error) from error
