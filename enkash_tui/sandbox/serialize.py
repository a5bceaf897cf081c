"""Database rows -> the JSON DTOs EnKash documents (InvoiceDTO, customers, reminders)."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from enkash_tui.api.rupees import inr

_LABELS = {
    "UNPAID": "Unpaid",
    "PARTIALLY_PAID": "Partially Paid",
    "PAID": "Paid",
}


def rupees(paise: int | None) -> float | None:
    """Paise -> a JSON number with exactly the 2-place value (float repr is exact here)."""
    return None if paise is None else paise / 100


def rupee_words(paise: int) -> str:
    """Paise as a message names them: ₹1,23,456.00, as the app shows amounts."""
    return inr(Decimal(paise) / 100)


def to_paise(amount: Decimal | float | int | None) -> int:
    if amount is None:
        return 0
    return int((Decimal(str(amount)) * 100).to_integral_value())


def status_ref(name: str | None) -> dict[str, str] | None:
    if not name:
        return None
    return {"label": _LABELS.get(name) or name.replace("_", " ").title(), "name": name}


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _grouped(
    conn: sqlite3.Connection, sql: str, ids: Sequence[str], key: str
) -> dict[str, list[sqlite3.Row]]:
    groups: dict[str, list[sqlite3.Row]] = defaultdict(list)
    for start in range(0, len(ids), 900):  # stay under SQLite's bound-parameter limit
        chunk = ids[start : start + 900]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(sql.format(marks=marks), chunk):
            groups[row[key]].append(row)
    return groups


def key_contact(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "keyContactPersonId": row["key_contact_person_id"],
        "name": row["name"],
        "legalName": row["legal_name"],
        "mobile": row["mobile"],
        "email": row["email"],
        "via": row["via"],
        "deleted": bool(row["deleted"]),
        "mail_enabled": _flag(row["mail_enabled"]),
        "sms_enabled": _flag(row["sms_enabled"]),
        "whatsapp_enabled": _flag(row["whatsapp_enabled"]),
    }


def reminder(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "customerReminderId": row["customer_reminder_id"],
        "customerId": row["customer_id"],
        "dueDateDifference": row["due_date_difference"],
        "reminderInterval": row["reminder_interval"],
        "reminderTime": row["reminder_time"],
        "reminderType": row["reminder_type"],
        "stage": row["stage"],
    }


def customers(conn: sqlite3.Connection, rows: Iterable[sqlite3.Row]) -> list[dict[str, Any]]:
    rows = list(rows)
    ids = [row["customer_id"] for row in rows]
    contacts = _grouped(
        conn,
        "SELECT * FROM key_contacts WHERE customer_id IN ({marks}) ORDER BY position",
        ids,
        "customer_id",
    )
    rules = _grouped(
        conn,
        "SELECT * FROM reminders WHERE customer_id IN ({marks}) ORDER BY position",
        ids,
        "customer_id",
    )
    return [
        {
            "customerId": row["customer_id"],
            "companyId": row["company_id"],
            "customerCompanyId": row["customer_company_id"],
            "legalName": row["legal_name"],
            "address": row["address"],
            "state": row["state"],
            "pinCode": row["pin_code"],
            "contactNumber": row["contact_number"],
            "accountNumber": row["account_number"],
            "ifsc": row["ifsc"],
            "panOrGstin": row["pan_or_gstin"],
            "uniqueRefNo": row["unique_ref_no"],
            "assignedAgent": row["assigned_agent"],
            "branchCodes": json.loads(row["branch_codes"] or "[]"),
            "externalSource": _flag(row["external_source"]),
            "customerKeyContacts": [key_contact(c) for c in contacts.get(row["customer_id"], [])],
            "customerReminders": [reminder(r) for r in rules.get(row["customer_id"], [])],
            "customerStatus": row["status"],
            "deleted": bool(row["deleted"]),
            "createdOn": row["created_on"],
            "modifiedOn": row["modified_on"],
        }
        for row in rows
    ]


def _attachment(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "invoiceAttachmentId": row["invoice_attachment_id"],
        "attachmentSource": row["attachment_source"],
        "url": row["url"],
        "originalFilename": row["original_filename"],
        "fileExt": row["file_ext"],
        "primary": bool(row["is_primary"]),
        "shared": bool(row["shared"]),
        "deleted": False,
        "referenceId": row["reference_id"],
        "remarks": row["remarks"],
        "createdBy": None,
        "modifiedBy": None,
    }


def network_event(row: sqlite3.Row) -> dict[str, Any]:
    """One step of a network invoice's history (``bharatConnect.history[]``)."""
    return {
        "at": row["at"],
        "status": row["status"],
        "by": row["by"],
        "action": row["action"],
        "remarks": row["remarks"],
        "objectVersion": row["object_version"],
    }


def _bharat_connect(row: sqlite3.Row, history: list[sqlite3.Row]) -> dict[str, Any]:
    payment = None
    if row["payment_id"]:
        payment = {
            "paymentId": row["payment_id"],
            "type": row["payment_type"],
            "amount": rupees(row["payment_paise"]),
            "reportedOn": row["payment_reported_on"],
            "remarks": row["payment_remarks"],
        }
    return {
        "objectId": row["object_id"],
        "status": row["status"],
        "objectVersion": row["object_version"],
        "buyerB2BId": row["buyer_b2b_id"],
        "supplierB2BId": row["supplier_b2b_id"],
        "reportedPayment": payment,
        "history": [network_event(event) for event in history],
    }


def invoices(conn: sqlite3.Connection, rows: Iterable[sqlite3.Row]) -> list[dict[str, Any]]:
    rows = list(rows)
    ids = [row["invoice_id"] for row in rows]
    attachments = _grouped(
        conn, "SELECT * FROM invoice_attachments WHERE invoice_id IN ({marks})", ids, "invoice_id"
    )
    network = _grouped(
        conn, "SELECT * FROM bc_invoices WHERE invoice_id IN ({marks})", ids, "invoice_id"
    )
    history = _grouped(
        conn,
        "SELECT * FROM bc_history WHERE invoice_id IN ({marks}) ORDER BY invoice_id, seq",
        list(network),
        "invoice_id",
    )
    with_contacts = _grouped(
        conn,
        "SELECT DISTINCT customer_id FROM key_contacts "
        "WHERE deleted = 0 AND customer_id IN ({marks})",
        sorted({row["customer_id"] for row in rows}),
        "customer_id",
    ).keys()
    return [_invoice(row, attachments, network, history, set(with_contacts)) for row in rows]


def _invoice(
    row: sqlite3.Row,
    attachments: dict[str, list[sqlite3.Row]],
    network: dict[str, list[sqlite3.Row]],
    history: dict[str, list[sqlite3.Row]],
    with_contacts: set[str],
) -> dict[str, Any]:
    invoice_id = row["invoice_id"]
    files = attachments.get(invoice_id, [])
    bc = network.get(invoice_id)
    return {
        "approvalStatus": status_ref(row["approval_status"]),
        "attachmentUrl": files[0]["url"] if files else None,
        "balanceAmount": rupees(row["balance_paise"]),
        "baseAmount": rupees(row["base_paise"]),
        "bharatConnect": _bharat_connect(bc[0], history.get(invoice_id, [])) if bc else None,
        "cgst": rupees(row["cgst_paise"]),
        "createdBy": row["created_by"],
        "createdByEmail": row["created_by_email"],
        "createdByMobile": row["created_by_mobile"],
        "createdByName": row["created_by_name"],
        "createdOn": row["created_on"],
        "customerId": row["customer_id"],
        "customerLegalName": row["customer_legal_name"],
        "description": row["description"],
        "dispatched": bool(row["dispatched"]),
        "dispatchedOn": row["dispatched_on"],
        "dueDate": row["due_date"],
        "externalId": row["external_id"],
        "hasKeyContacts": row["customer_id"] in with_contacts,
        "igst": rupees(row["igst_paise"]),
        "invoiceAttachments": [_attachment(f) for f in files],
        "invoiceDate": row["invoice_date"],
        "invoiceId": invoice_id,
        "invoiceNumber": row["invoice_number"],
        "modifiedBy": row["modified_by"],
        "modifiedByEmail": row["modified_by_email"],
        "modifiedByMobile": row["modified_by_mobile"],
        "modifiedByName": row["modified_by_name"],
        "modifiedOn": row["modified_on"],
        "netAmount": rupees(row["net_paise"]),
        "partialPaymentAllowed": bool(row["partial_payment_allowed"]),
        "payableReferenceId": row["payable_reference_id"],
        "paymentLink": row["payment_link"],
        "payoutStatus": status_ref(row["payout_status"]),
        "poNumber": row["po_number"],
        "receivableStatus": status_ref(row["receivable_status"]),
        "sellerId": row["seller_id"],
        "sgst": rupees(row["sgst_paise"]),
        "tds": rupees(row["tds_paise"]),
        "totalReceived": rupees(row["received_paise"]),
        "via": row["via"],
    }
