"""Invoice operations (§4.11–4.17): create, get, update, dispatch, delete."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from enkash_tui.api.errors import ErrorType
from enkash_tui.api.models import InvoiceCreate, InvoiceDeletion, InvoiceDispatch, InvoiceUpdate
from enkash_tui.api.models.invoice import due_before_dated
from enkash_tui.sandbox import serialize
from enkash_tui.sandbox.context import Call, iso, new_id, per_invoice
from enkash_tui.sandbox.db import transaction
from enkash_tui.sandbox.envelope import SandboxError, invalid, unprocessable
from enkash_tui.sandbox.routes.customers import load_customer
from enkash_tui.sandbox.serialize import to_paise

PAYMENT_LINK = "https://sandbox.enkash.invalid/pay/{invoice_id}"
_AMOUNTS = ("base", "cgst", "sgst", "igst", "tds")
# Text-like fields a create or PATCH copies straight into a column of the same meaning.
_TEXT_COLUMNS = {
    "approval_status": "approval_status",
    "description": "description",
    "email_address": "email_address",
    "invoice_number": "invoice_number",
    "mobile_number": "mobile_number",
    "payable_reference_id": "payable_reference_id",
    "po_number": "po_number",
    "via": "via",
}


def receivable_status(net: int, received: int) -> str:
    if received >= net:
        return "PAID"
    return "PARTIALLY_PAID" if received > 0 else "UNPAID"


def load_invoice(call: Call, invoice_id: str) -> sqlite3.Row:
    """The caller's live invoice, or 404 (unknown/deleted) / 403 (another seller's)."""
    row = call.conn.execute("SELECT * FROM invoices WHERE invoice_id = ?", (invoice_id,))
    return call.owned(row.fetchone(), f"Invoice {invoice_id}", owner="seller_id")


def invoice_dto(call: Call, invoice_id: str) -> dict[str, Any]:
    row = call.conn.execute("SELECT * FROM invoices WHERE invoice_id = ?", (invoice_id,)).fetchone()
    return serialize.invoices(call.conn, [row])[0]


def settle_amounts(
    amounts: dict[str, int], gst_exclusive: bool, net: int | None, received: int
) -> dict[str, int]:
    """Net and balance from the parts (§4.11 rules); refuses a payment above the net amount."""
    if net is None:
        net = amounts["base"]
        if gst_exclusive:
            net += amounts["cgst"] + amounts["sgst"] + amounts["igst"] - amounts["tds"]
    if received > net:
        raise invalid("totalReceived", "cannot exceed the net amount", received / 100)
    return {"net": net, "received": received, "balance": net - received}


def _check_number_free(call: Call, number: str | None, invoice_id: str | None = None) -> None:
    if not number:
        return
    clash = call.conn.execute(
        "SELECT invoice_id FROM invoices WHERE seller_id = ? AND invoice_number = ? "
        "AND deleted = 0 AND invoice_id IS NOT ?",
        (call.company_id, number, invoice_id),
    ).fetchone()
    if clash:
        raise SandboxError(
            ErrorType.UNPROCESSABLE_REQUEST,
            f"Invoice number {number} is already used by {clash['invoice_id']}",
            [
                {
                    "object": "invoice",
                    "field": "invoiceNumber",
                    "rejectedValue": number,
                    "message": "is already used",
                }
            ],
        )


def _live_customer(call: Call, customer_id: str) -> sqlite3.Row:
    customer = load_customer(call, customer_id)
    if customer["status"] != "ACTIVE":
        raise unprocessable(f"Customer {customer_id} is inactive: activate it before invoicing")
    return customer


def insert_invoice(call: Call, new: InvoiceCreate, created_via: str = "API") -> str:
    customer = _live_customer(call, new.customer_id)
    _check_number_free(call, new.invoice_number)
    amounts = {
        name: to_paise(getattr(new, name if name != "base" else "base_amount")) for name in _AMOUNTS
    }
    money = settle_amounts(
        amounts,
        bool(new.gst_exclusive),
        to_paise(new.net_amount) if new.net_amount is not None else None,
        to_paise(new.total_received),
    )
    if new.balance_amount is not None and to_paise(new.balance_amount) != money["balance"]:
        raise invalid(
            "balanceAmount", "must equal netAmount - totalReceived", float(new.balance_amount)
        )
    invoice_id = new_id("KI", 14)
    number = new.invoice_number or _next_number(call)
    row: dict[str, Any] = {
        "invoice_id": invoice_id,
        "seller_id": call.company_id,
        "customer_id": new.customer_id,
        "customer_legal_name": customer["legal_name"],
        "external_id": new.external_id,
        **{column: getattr(new, name) for name, column in _TEXT_COLUMNS.items()},
        "invoice_number": number,
        **{f"{name}_paise": value for name, value in amounts.items()},
        "net_paise": money["net"],
        "received_paise": money["received"],
        "balance_paise": money["balance"],
        "gst_exclusive": None if new.gst_exclusive is None else int(new.gst_exclusive),
        "charge_customer": None if new.charge_customer is None else int(new.charge_customer),
        "invoice_date": iso(new.invoice_date) if new.invoice_date else call.now_iso,
        "due_date": new.due_date.isoformat(),
        "partial_payment_allowed": int(bool(new.partial_payment_allowed)),
        "receivable_status": receivable_status(money["net"], money["received"]),
        "created_via": created_via,
        "created_by": call.username,
        "created_by_name": call.display_name,
        "created_by_email": call.username,
        "created_on": call.now_iso,
        "modified_by": call.username,
        "modified_by_name": call.display_name,
        "modified_by_email": call.username,
        "modified_on": call.now_iso,
    }
    if new.approval_status is not None:
        row["approval_status"] = str(new.approval_status)
    if new.dispatch_now:
        row.update(
            dispatched=1,
            dispatched_on=call.now_iso,
            payment_link=PAYMENT_LINK.format(invoice_id=invoice_id),
        )
    call.conn.execute(
        f"INSERT INTO invoices ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        tuple(row.values()),
    )
    return invoice_id


def _next_number(call: Call) -> str:
    count = call.conn.execute(
        "SELECT count(*) FROM invoices WHERE seller_id = ?", (call.company_id,)
    ).fetchone()[0]
    return f"INV/SBX/{count + 1:06d}"


async def create_invoice(call: Call) -> dict[str, Any]:
    call.check_tenancy("sellerId")
    new = call.parse(InvoiceCreate)
    with transaction(call.conn):
        invoice_id = insert_invoice(call, new)
    return invoice_dto(call, invoice_id)


async def get_invoice(call: Call) -> dict[str, Any]:
    call.check_tenancy("sellerId")
    load_invoice(call, call.params["invoiceId"])
    return invoice_dto(call, call.params["invoiceId"])


def _patched_amounts(row: sqlite3.Row, changes: InvoiceUpdate) -> dict[str, int]:
    fields = changes.model_fields_set
    if "base_amount" in fields and changes.base_amount is None:
        raise invalid("baseAmount", "cannot be cleared", None)
    amounts = {name: row[f"{name}_paise"] for name in _AMOUNTS}
    for name in _AMOUNTS:
        attr = "base_amount" if name == "base" else name
        if attr in fields:
            amounts[name] = to_paise(getattr(changes, attr))
    gst_exclusive = bool(
        changes.gst_exclusive if "gst_exclusive" in fields else row["gst_exclusive"]
    )
    touched = fields & {"base_amount", "cgst", "sgst", "igst", "tds", "gst_exclusive"}
    if "net_amount" in fields and changes.net_amount is not None:
        net: int | None = to_paise(changes.net_amount)
    else:
        net = None if touched or "net_amount" in fields else row["net_paise"]
    received = (
        to_paise(changes.total_received) if "total_received" in fields else row["received_paise"]
    )
    money = settle_amounts(amounts, gst_exclusive, net, received)
    balance = changes.balance_amount if "balance_amount" in fields else None
    if balance is not None and to_paise(balance) != money["balance"]:
        raise invalid("balanceAmount", "must equal netAmount - totalReceived", float(balance))
    return {
        **{f"{k}_paise": v for k, v in amounts.items()},
        "net_paise": money["net"],
        "received_paise": money["received"],
        "balance_paise": money["balance"],
        "gst_exclusive": int(gst_exclusive),
    }


def _check_dates_agree(row: sqlite3.Row, changes: InvoiceUpdate) -> None:
    """A PATCH of either date is judged with the other as stored: never due before dated."""
    fields = changes.model_fields_set
    if not fields & {"due_date", "invoice_date"}:
        return
    due = changes.due_date if "due_date" in fields else dt.date.fromisoformat(row["due_date"])
    stored = row["invoice_date"]
    dated = (
        changes.invoice_date
        if "invoice_date" in fields
        else (dt.datetime.fromisoformat(stored) if stored else None)
    )
    problem = due_before_dated(dated, due)
    if problem:
        raise invalid("dueDate", problem, due.isoformat() if due else None)


async def update_invoice(call: Call) -> dict[str, Any]:
    call.check_tenancy("sellerId")
    invoice_id = call.params["invoiceId"]
    row = load_invoice(call, invoice_id)
    changes = call.parse(InvoiceUpdate)
    fields = changes.model_fields_set
    if "due_date" in fields and changes.due_date is None:
        raise invalid("dueDate", "cannot be cleared", None)
    _check_dates_agree(row, changes)
    updates: dict[str, Any] = {
        column: getattr(changes, name) for name, column in _TEXT_COLUMNS.items() if name in fields
    }
    if "approval_status" in updates and updates["approval_status"] is not None:
        updates["approval_status"] = str(updates["approval_status"])
    if "invoice_number" in fields:
        _check_number_free(call, changes.invoice_number, invoice_id)
    if "customer_id" in fields and changes.customer_id != row["customer_id"]:
        customer = _live_customer(call, str(changes.customer_id))
        updates.update(customer_id=changes.customer_id, customer_legal_name=customer["legal_name"])
    if "due_date" in fields and changes.due_date:
        updates["due_date"] = changes.due_date.isoformat()
    if "invoice_date" in fields:
        updates["invoice_date"] = iso(changes.invoice_date) if changes.invoice_date else None
    if "partial_payment_allowed" in fields:
        updates["partial_payment_allowed"] = int(bool(changes.partial_payment_allowed))
    if "charge_customer" in fields:
        charge = changes.charge_customer
        updates["charge_customer"] = None if charge is None else int(charge)
    updates.update(_patched_amounts(row, changes))
    updates["receivable_status"] = receivable_status(
        updates["net_paise"], updates["received_paise"]
    )
    if changes.dispatch_now:
        updates.update(
            dispatched=1,
            dispatched_on=call.now_iso,
            payment_link=PAYMENT_LINK.format(invoice_id=invoice_id),
        )
    updates.update(
        modified_by=call.username,
        modified_by_name=call.display_name,
        modified_by_email=call.username,
        modified_on=call.now_iso,
    )
    assignments = ", ".join(f"{column} = ?" for column in updates)
    with transaction(call.conn):
        call.conn.execute(
            f"UPDATE invoices SET {assignments} WHERE invoice_id = ?",
            (*updates.values(), invoice_id),
        )
    return invoice_dto(call, invoice_id)


def _dispatch_one(call: Call, request: InvoiceDispatch, invoice_id: str) -> str:
    row = load_invoice(call, invoice_id)
    if row["balance_paise"] == 0:
        raise unprocessable("Invoice is fully paid; nothing to collect")
    channels = _channels(call.conn, row["customer_id"])
    if not channels:
        raise unprocessable("Customer has no key contact with a channel enabled")
    partial = row["partial_payment_allowed"]
    if request.partial_payment_allowed is not None:
        partial = int(request.partial_payment_allowed)
    call.conn.execute(
        "UPDATE invoices SET dispatched = 1, dispatched_on = ?, payment_link = ?, "
        "partial_payment_allowed = ?, modified_on = ? WHERE invoice_id = ?",
        (
            call.now_iso,
            PAYMENT_LINK.format(invoice_id=invoice_id),
            partial,
            call.now_iso,
            invoice_id,
        ),
    )
    return "Sent: " + ", ".join(f"{count} {name}" for name, count in channels.items())


async def dispatch_invoices(call: Call) -> dict[str, Any]:
    call.check_tenancy("sellerId")
    request = call.parse(InvoiceDispatch)
    return per_invoice(call, request.invoice_ids, lambda i: _dispatch_one(call, request, i))


def _channels(conn: sqlite3.Connection, customer_id: str) -> dict[str, int]:
    row = conn.execute(
        "SELECT sum(coalesce(mail_enabled, 0)), sum(coalesce(sms_enabled, 0)), "
        "sum(coalesce(whatsapp_enabled, 0)) FROM key_contacts "
        "WHERE customer_id = ? AND deleted = 0",
        (customer_id,),
    ).fetchone()
    counts = {"e-mail": row[0] or 0, "SMS": row[1] or 0, "WhatsApp": row[2] or 0}
    return {name: count for name, count in counts.items() if count}


def _delete_one(call: Call, invoice_id: str) -> str:
    row = load_invoice(call, invoice_id)
    if row["received_paise"] > 0:
        raise unprocessable("Payments are recorded against it; it cannot be deleted")
    call.conn.execute(
        "UPDATE invoices SET deleted = 1, modified_on = ? WHERE invoice_id = ?",
        (call.now_iso, invoice_id),
    )
    return "Deleted"


async def delete_invoices(call: Call) -> dict[str, Any]:
    call.check_tenancy("sellerId")
    request = call.parse(InvoiceDeletion)
    return per_invoice(call, request.invoice_ids, lambda i: _delete_one(call, i))
