"""Bharat Connect 2.0 AR (§4.23–4.24): payment confirmation and invoice status change."""

from __future__ import annotations

import sqlite3
from typing import Any

from ..api.models import InvoiceStatusChange, PaymentConfirmation
from ..api.models.bharat_connect import next_statuses
from .context import Call, per_invoice
from .envelope import unprocessable
from .invoices import load_invoice


def _network_row(conn: sqlite3.Connection, invoice_id: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM bc_invoices WHERE invoice_id = ?", (invoice_id,)
    ).fetchone()
    return row


def _mark_paid(call: Call, invoice: sqlite3.Row, mode: str) -> None:
    call.conn.execute(
        "UPDATE invoices SET received_paise = net_paise, balance_paise = 0, "
        "receivable_status = 'PAID', collection_mode = ?, modified_on = ? WHERE invoice_id = ?",
        (mode, call.now_iso, invoice["invoice_id"]),
    )


def _clear_payment(call: Call, invoice_id: str, status: str | None = None) -> None:
    call.conn.execute(
        "UPDATE bc_invoices SET payment_id = NULL, payment_type = NULL, payment_paise = NULL, "
        "payment_reported_on = NULL, payment_remarks = NULL, "
        "status = coalesce(?, status), object_version = object_version + 1 "
        "WHERE invoice_id = ?",
        (status, invoice_id),
    )


def _confirm_one(call: Call, request: PaymentConfirmation, invoice_id: str) -> str:
    """Apply the supplier's answer to one invoice; raise SandboxError to record a failure."""
    invoice = load_invoice(call, invoice_id)
    network = _network_row(call.conn, invoice_id)
    reported = network["payment_id"] if network else None
    if reported and reported != request.payment_id:
        raise unprocessable(f"Payment {request.payment_id} was not reported for this invoice")
    if request.response == "REJECT":
        if network:
            _clear_payment(call, invoice_id)
        return "Payment rejected; the invoice stays open"
    if invoice["balance_paise"] == 0:
        raise unprocessable("Invoice is already fully paid")
    _mark_paid(call, invoice, "BHARAT_CONNECT")
    if network:
        final = "PAID" if network["status"] in ("CREATED", "ACCEPTED") else None
        _clear_payment(call, invoice_id, final)
    return f"Marked paid: ₹{invoice['balance_paise'] / 100:,.2f} received"


async def confirm_payment(call: Call) -> dict[str, Any]:
    call.check_tenancy("sellerId")
    body = call.body if isinstance(call.body, dict) else {}
    if body.get("response") == "REJECT" and body.get("type") != "OFFPLATFORM":
        raise unprocessable("REJECT is only allowed for OFFPLATFORM payments")
    request = call.parse(PaymentConfirmation)
    return per_invoice(
        call, request.invoice_ids, lambda invoice_id: _confirm_one(call, request, invoice_id)
    )


def _change_one(call: Call, request: InvoiceStatusChange, invoice_id: str) -> str:
    invoice = load_invoice(call, invoice_id)
    network = _network_row(call.conn, invoice_id)
    if network is None:
        raise unprocessable("Invoice is not on Bharat Connect")
    expected = (request.object_versions or {}).get(invoice_id)
    if expected is not None and expected != network["object_version"]:
        raise unprocessable(
            f"Changed elsewhere: now version {network['object_version']} "
            f"({network['status']}), you had version {expected}; refresh and retry"
        )
    current, wanted = network["status"], str(request.status)
    if request.status not in next_statuses(current):
        allowed = ", ".join(sorted(next_statuses(current))) or "none (final status)"
        raise unprocessable(f"Cannot move from {current} to {wanted}; allowed: {allowed}")
    call.conn.execute(
        "UPDATE bc_invoices SET status = ?, object_version = object_version + 1 "
        "WHERE invoice_id = ?",
        (wanted, invoice_id),
    )
    if wanted == "PAID" and invoice["balance_paise"] > 0:
        _mark_paid(call, invoice, "BHARAT_CONNECT")
    return f"{current} → {wanted} (version {network['object_version'] + 1})"


async def change_invoice_status(call: Call) -> dict[str, Any]:
    call.check_tenancy("sellerId")
    request = call.parse(InvoiceStatusChange)
    return per_invoice(
        call, request.invoice_ids, lambda invoice_id: _change_one(call, request, invoice_id)
    )
