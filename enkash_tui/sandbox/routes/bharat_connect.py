"""Bharat Connect 2.0 AR (§4.23–4.24): payment confirmation and invoice status change.

Every change to a network invoice goes through ``advance``: it bumps ``objectVersion`` and
appends a step to the invoice's history (``bc_history``), so the history always ends at the
current status and version.
"""

from __future__ import annotations

import random
import sqlite3
from typing import Any

from enkash_tui.api.models import InvoiceStatusChange, PaymentConfirmation
from enkash_tui.api.models.bharat_connect import next_statuses
from enkash_tui.sandbox.context import Call, new_id, per_invoice
from enkash_tui.sandbox.envelope import unprocessable
from enkash_tui.sandbox.routes.invoices import load_invoice
from enkash_tui.sandbox.serialize import rupee_words

# The history's action when the supplier moves an invoice to a status (change-status).
SUPPLIER_ACTIONS = {
    "CREATED": "RESUBMITTED",
    "CANCELLED": "CANCELLED",
    "PAID": "MARKED_PAID",
    "ACCEPTED": "ACCEPTED",
    "REJECTED": "REJECTED",
    "RETURNED": "RETURNED",
}

_ids = random.SystemRandom()

# (payment id, type, paise, reported on, remarks) of a payment the buyer reported.
Payment = tuple[str, str, int, str, str | None]


def network_row(conn: sqlite3.Connection, invoice_id: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM bc_invoices WHERE invoice_id = ?", (invoice_id,)
    ).fetchone()
    return row


def advance(
    call: Call,
    network: sqlite3.Row,
    *,
    by: str,
    action: str,
    remarks: str | None,
    status: str | None = None,
    clear_payment: bool = False,
    report: Payment | None = None,
) -> int:
    """One step on the network: new status (or the same), version + 1, the reported payment
    set or cleared, and the step appended to the history. Returns the new version."""
    invoice_id = network["invoice_id"]
    version: int = network["object_version"] + 1
    status = status or network["status"]
    payment: tuple[Any, ...] | None = None
    if report is not None:
        payment = report
    elif clear_payment:
        payment = (None,) * 5
    if payment is None:
        call.conn.execute(
            "UPDATE bc_invoices SET status = ?, object_version = ? WHERE invoice_id = ?",
            (status, version, invoice_id),
        )
    else:
        call.conn.execute(
            "UPDATE bc_invoices SET status = ?, object_version = ?, payment_id = ?, "
            "payment_type = ?, payment_paise = ?, payment_reported_on = ?, payment_remarks = ? "
            "WHERE invoice_id = ?",
            (status, version, *payment, invoice_id),
        )
    # Never before the last step (a seed pinned to a later "today" has steps after now).
    call.conn.execute(
        "INSERT INTO bc_history (invoice_id, seq, at, status, by, action, remarks, "
        "object_version) SELECT ?, coalesce(max(seq), 0) + 1, max(?, coalesce(max(at), '')), "
        "?, ?, ?, ?, ? FROM bc_history WHERE invoice_id = ?",
        (invoice_id, call.now_iso, status, by, action, remarks, version, invoice_id),
    )
    return version


def _b2b_id(call: Call, sql: str, *args: Any) -> str:
    """A network id already in use (the same party keeps one), else a new one."""
    row = call.conn.execute(sql, args).fetchone()
    return str(row[0]) if row else "B2B" + "".join(str(_ids.randrange(10)) for _ in range(12))


def put_on_network(call: Call, invoice_id: str, customer_id: str) -> None:
    """A new invoice sent to its buyer over Bharat Connect: CREATED, version 1."""
    buyer = _b2b_id(
        call,
        "SELECT b.buyer_b2b_id FROM bc_invoices b JOIN invoices i USING (invoice_id) "
        "WHERE i.customer_id = ? LIMIT 1",
        customer_id,
    )
    supplier = _b2b_id(call, "SELECT supplier_b2b_id FROM bc_invoices LIMIT 1")
    call.conn.execute(
        "INSERT INTO bc_invoices (invoice_id, object_id, status, object_version, buyer_b2b_id, "
        "supplier_b2b_id) VALUES (?, ?, 'CREATED', 1, ?, ?)",
        (invoice_id, new_id("OBJ", 20), buyer, supplier),
    )
    call.conn.execute(
        "INSERT INTO bc_history (invoice_id, seq, at, status, by, action, remarks, "
        "object_version) VALUES (?, 1, ?, 'CREATED', 'SUPPLIER', 'CREATED', NULL, 1)",
        (invoice_id, call.now_iso),
    )


def _mark_paid(call: Call, invoice: sqlite3.Row, mode: str) -> None:
    call.conn.execute(
        "UPDATE invoices SET received_paise = net_paise, balance_paise = 0, "
        "receivable_status = 'PAID', collection_mode = ?, modified_on = ? WHERE invoice_id = ?",
        (mode, call.now_iso, invoice["invoice_id"]),
    )


def _confirm_one(call: Call, request: PaymentConfirmation, invoice_id: str) -> str:
    """Apply the supplier's answer to one invoice; raise SandboxError to record a failure."""
    invoice = load_invoice(call, invoice_id)
    network = network_row(call.conn, invoice_id)
    reported = network["payment_id"] if network else None
    if reported and reported != request.payment_id:
        raise unprocessable(
            f"Payment {request.payment_id} was not reported for this invoice "
            f"(the pending one is {reported})"
        )
    if request.response == "REJECT":
        if network and reported and network["payment_type"] != "OFFPLATFORM":
            raise unprocessable(
                f"Payment {reported} was made {network['payment_type']}: only OFFPLATFORM "
                "payments can be rejected"
            )
        if network:
            advance(
                call,
                network,
                by="SUPPLIER",
                action="PAYMENT_REJECTED",
                remarks=request.remarks,
                clear_payment=True,
            )
        return "Payment rejected; the invoice stays open"
    if invoice["balance_paise"] == 0:
        raise unprocessable("Invoice is already fully paid")
    _mark_paid(call, invoice, "BHARAT_CONNECT")
    if network:
        final = "PAID" if network["status"] in ("CREATED", "ACCEPTED") else None
        advance(
            call,
            network,
            by="SUPPLIER",
            action="PAYMENT_ACCEPTED",
            remarks=request.remarks,
            status=final,
            clear_payment=True,
        )
    return f"Marked paid: {rupee_words(invoice['balance_paise'])} received"


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
    network = network_row(call.conn, invoice_id)
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
    version = advance(
        call,
        network,
        by="SUPPLIER",
        action=SUPPLIER_ACTIONS.get(wanted, wanted),
        remarks=request.remarks,
        status=wanted,
        clear_payment=wanted == "PAID",  # settled: no payment is left to answer
    )
    if wanted == "PAID" and invoice["balance_paise"] > 0:
        _mark_paid(call, invoice, "BHARAT_CONNECT")
    return f"{current} → {wanted} (version {version})"


async def change_invoice_status(call: Call) -> dict[str, Any]:
    call.check_tenancy("sellerId")
    request = call.parse(InvoiceStatusChange)
    return per_invoice(
        call, request.invoice_ids, lambda invoice_id: _change_one(call, request, invoice_id)
    )
