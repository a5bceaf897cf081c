"""The invoice form as a person fills it in: its fields (label and wire name), an invoice as the
form's starting values, and the typed values as the request body its model checks (blanks left
out, dates as datetimes, amounts as plain digits, the customer id picked out of "name — KC…"),
sent alone or, with "Send on Bharat Connect" ticked, on the network (``create_model``)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from enkash_tui.api.models import Invoice, InvoiceCreate
from enkash_tui.domain.customers import CUSTOMER_ID
from enkash_tui.domain.formatting import amount_as_typed, typed_amount
from enkash_tui.domain.network_invoice import NETWORK_COLUMN, BharatConnectInvoice

# form field -> (label, wire name). Amounts and dates are typed as text.
TEXT_FIELDS: dict[str, tuple[str, str]] = {
    "customer": ("Customer *", "customerId"),
    "invoice_number": ("Invoice number", "invoiceNumber"),
    "invoice_date": ("Invoice date", "invoiceDate"),
    "due_date": ("Due date *", "dueDate"),
    "base_amount": ("Base amount ₹ *", "baseAmount"),
    "cgst": ("CGST ₹", "cgst"),
    "sgst": ("SGST ₹", "sgst"),
    "igst": ("IGST ₹", "igst"),
    "tds": ("TDS ₹", "tds"),
    "description": ("Description", "description"),
    "po_number": ("PO number", "poNumber"),
    "external_id": ("External id", "externalId"),
}
FLAGS: dict[str, tuple[str, str]] = {
    "gst_exclusive": ("GST on top of base", "gstExclusive"),
    "partial_payment_allowed": ("Allow part payments", "partialPaymentAllowed"),
    "dispatch_now": ("Dispatch now", "dispatchNow"),
}
# Not a field of the body: ticked, the new invoice goes to its buyer over Bharat Connect, sent as
# a bulk file row with this column true would be (domain.network_invoice).
NETWORK_FLAG: dict[str, tuple[str, str]] = {
    "bharat_connect": ("Send on Bharat Connect", NETWORK_COLUMN)
}
CREATE_ONLY = {"external_id", "dispatch_now", "bharat_connect"}
BY_WIRE = {wire: name for name, (_, wire) in {**TEXT_FIELDS, **FLAGS, **NETWORK_FLAG}.items()}
NEW_INVOICE: dict[str, Any] = {
    "gst_exclusive": True,
    "partial_payment_allowed": False,
    "dispatch_now": False,
    "bharat_connect": False,
}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return amount_as_typed(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def values_of(invoice: Invoice) -> dict[str, Any]:
    """The form's starting values for an existing invoice."""
    values: dict[str, Any] = {
        name: _text(getattr(invoice, name, None)) for name in TEXT_FIELDS if name != "customer"
    }
    values["customer"] = f"{invoice.customer_legal_name or ''} — {invoice.customer_id or ''}"
    values["gst_exclusive"] = bool(getattr(invoice, "gst_exclusive", None))
    values["partial_payment_allowed"] = bool(invoice.partial_payment_allowed)
    values["dispatch_now"] = False
    return values


def wire_body(values: dict[str, Any]) -> dict[str, Any]:
    """Form values as the model's input: blanks left out, dates as datetimes, the customer id
    picked out of "name — KC…"."""
    body: dict[str, Any] = {}
    for name, (_, wire) in TEXT_FIELDS.items():
        text = str(values.get(name, "")).strip()
        if not text:
            continue
        if name == "customer":
            found = CUSTOMER_ID.search(text)
            body[wire] = found.group(0) if found else text
        elif name == "invoice_date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            body[wire] = f"{text}T00:00:00Z"
        elif name in ("base_amount", "cgst", "sgst", "igst", "tds"):
            body[wire] = typed_amount(text)
        else:
            body[wire] = text
    for name, (_, wire) in FLAGS.items():
        if name in values:
            body[wire] = bool(values[name])
    return body


def create_model(values: dict[str, Any]) -> type[InvoiceCreate]:
    """How a new invoice is sent: created on Bharat Connect when its box is ticked, else alone."""
    return BharatConnectInvoice if values.get("bharat_connect") else InvoiceCreate


def saved_note(saved: Invoice, *, created: bool) -> str:
    """What the list says once the form has saved: "Created INV-7 and sent to its buyer on
    Bharat Connect" for a new invoice on the network."""
    said = f"{'Created' if created else 'Saved'} {saved.invoice_number or saved.invoice_id}"
    if created and saved.bharat_connect is not None:
        said += " and sent to its buyer on Bharat Connect"
    return said
