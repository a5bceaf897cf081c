"""The invoice filter as a person fills it in: its fields and choices, and the typed text as an
``InvoiceFilter`` (dates ``yyyy-mm-dd``, amounts in rupees); ``FieldProblem`` names the first bad
field, so nothing is searched until it is fixed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from enkash_tui.api import field_errors_from_validation
from enkash_tui.api.models import InvoiceFilter
from enkash_tui.domain.formatting import typed_amount
from enkash_tui.domain.invoices import AWAITING_APPROVAL, OPEN

ANY = "any"
CHOICES: dict[str, list[tuple[str, str]]] = {
    "receivable": [("Any", ANY), ("Open (unpaid or partly paid)", "open"),
                   ("Unpaid", "UNPAID"), ("Partly paid", "PARTIALLY_PAID"), ("Paid", "PAID")],
    "approval": [("Any", ANY), ("Awaiting approval", "pending"),
                 ("Approved", "approved"), ("Rejected", "rejected")],
    "dispatched": [("Any", ANY), ("Dispatched", "yes"), ("Not dispatched", "no")],
    "created_via": [("Any", ANY), ("API", "API"), ("Bulk upload", "BULK"), ("Screen", "UI")],
}  # fmt: skip
TEXT_FIELDS = {
    "customer": "Customer name contains",
    "number": "Invoice number contains",
    "due_from": "Due from (yyyy-mm-dd)",
    "due_to": "Due to",
    "dated_from": "Dated from",
    "dated_to": "Dated to",
    "balance_from": "Balance from ₹",
    "balance_to": "Balance to ₹",
}
APPROVED = ["MAKER_APPROVED", "CHECKER_APPROVED", "APPROVER_APPROVED", "BANK_APPROVED"]
REJECTED = ["MAKER_REJECTED", "CHECKER_REJECTED", "APPROVER_REJECTED"]


def _date(text: str, field: str, end: bool) -> dt.datetime | None:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise FieldProblem(field, "use yyyy-mm-dd, e.g. 2026-11-25") from None
    return dt.datetime.combine(day, dt.time(23, 59, 59) if end else dt.time.min)


def _amount(text: str, field: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(typed_amount(text))
    except InvalidOperation:
        raise FieldProblem(field, "a rupee amount, e.g. 25000 or 1,50,000.50") from None
    if not value.is_finite():  # NaN, Infinity: Decimal reads them, rupees do not come so
        raise FieldProblem(field, "a rupee amount, e.g. 25000 or 1,50,000.50")
    if value < 0:
        raise FieldProblem(field, "cannot be negative")
    return value


class FieldProblem(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def build_filter(values: dict[str, str]) -> InvoiceFilter:
    """The form's text as an InvoiceFilter; FieldProblem names the first bad field."""
    receivable = values.get("receivable", ANY)
    approval = values.get("approval", ANY)
    data: dict[str, Any] = {
        "customer_legal_name": values.get("customer") or None,
        "invoice_number": values.get("number") or None,
        "due_date_from": _date(values.get("due_from", ""), "due_from", end=False),
        "due_date_to": _date(values.get("due_to", ""), "due_to", end=True),
        "invoice_date_from": _date(values.get("dated_from", ""), "dated_from", end=False),
        "invoice_date_to": _date(values.get("dated_to", ""), "dated_to", end=True),
        "balance_amount_from": _amount(values.get("balance_from", ""), "balance_from"),
        "balance_amount_to": _amount(values.get("balance_to", ""), "balance_to"),
        "receivable_statuses": None if receivable == ANY else (
            OPEN if receivable == "open" else [receivable]),
        "approval_statuses": {"pending": AWAITING_APPROVAL, "approved": APPROVED,
                              "rejected": REJECTED}.get(approval),
        "dispatched": {"yes": True, "no": False}.get(values.get("dispatched", ANY)),
        "created_via": None if values.get("created_via", ANY) == ANY else values["created_via"],
    }  # fmt: skip
    for low, high, field in (
        ("due_date_from", "due_date_to", "due_to"),
        ("invoice_date_from", "invoice_date_to", "dated_to"),
        ("balance_amount_from", "balance_amount_to", "balance_to"),
    ):
        if data[low] is not None and data[high] is not None and data[low] > data[high]:
            raise FieldProblem(field, "is before the start of the range")
    try:
        return InvoiceFilter.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as error:
        [first, *_] = field_errors_from_validation(error, InvoiceFilter)
        field = "balance_from" if first.field == "balanceAmountFrom" else "balance_to"
        raise FieldProblem(field, first.message) from None


# How each text field reads in a list's title, before its value.
_SHORT = {
    "customer": "customer ~",
    "number": "number ~",
    "due_from": "due from",
    "due_to": "due to",
    "dated_from": "dated from",
    "dated_to": "dated to",
    "balance_from": "balance ≥ ₹",
    "balance_to": "balance ≤ ₹",
}


def filter_words(values: dict[str, str]) -> str:
    """The filters that are on, in words, for the list's title: "customer ~ acme · due from
    2026-12-01 · Unpaid · Not dispatched"; "no filter" when none is."""
    parts = [
        f"{_SHORT[name]} {values[name].strip()}"
        if not _SHORT[name].endswith("₹")
        else f"{_SHORT[name]}{values[name].strip()}"
        for name in TEXT_FIELDS
        if values.get(name, "").strip()
    ]
    for name, options in CHOICES.items():
        chosen = values.get(name, ANY)
        if chosen != ANY:
            label = next((label for label, value in options if value == chosen), chosen)
            parts.append(f"via {label}" if name == "created_via" else label)
    return " · ".join(parts) or "no filter"
