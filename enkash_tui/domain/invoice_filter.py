"""The invoice filter as a person fills it in: its fields and choices, and the typed text as an
``InvoiceFilter`` (dates ``yyyy-mm-dd``, amounts in rupees); ``FieldProblem`` names the first bad
field, so nothing is searched until it is fixed.

Four choices come from the follow-up book, which EnKash knows nothing of: "has a promise",
"disputed" and "follow-up due" become a list of invoice ids, "my customers" (assignedAgent is the
signed-in user) a list of customer ids (``book_selection``), each at most what one search carries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from enkash_tui.api import field_errors_from_validation
from enkash_tui.api.models import Customer, InvoiceFilter
from enkash_tui.domain.followup_marks import BookChoice, BookMarks
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
# The follow-up book's choices (ticked: "yes"), in the order the form shows them.
BOOK_CHOICES: dict[str, str] = {
    "promised": "Has a promise",
    "disputed": "Disputed",
    "follow_up_due": "Follow-up due",
    "mine": "My customers",
}
YES = "yes"
# The most ids one list of a search may carry (the sandbox's bound, sandbox/search_bounds.py:
# a whole page of ids); a longer list is cut, newest first, and the title says so.
MAX_IDS = 5000
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


def assigned_to(customers: Sequence[Customer], username: str) -> list[str]:
    """The ids of the customers whose assignedAgent is ``username`` (case and surrounding spaces
    aside: a search by assignedAgent may match more loosely than that)."""
    me = username.strip().casefold()
    return [c.customer_id for c in customers if (c.assigned_agent or "").strip().casefold() == me]


def book_choices(values: dict[str, str]) -> list[str]:
    """The follow-up book's choices that are ticked."""
    return [name for name in BOOK_CHOICES if values.get(name) == YES]


@dataclass(frozen=True)
class BookSelection:
    """The follow-up book's ticked choices as a search's lists: the invoices they keep (None: no
    such choice), the customers assigned to the user (None: not asked), and, when a list was
    longer than a search carries, what was cut, in words."""

    invoice_ids: list[str] | None = None
    customer_ids: list[str] | None = None
    cut: str = ""


def _capped(ids: Sequence[str], what: str) -> tuple[list[str], str]:
    if len(ids) <= MAX_IDS:
        return list(ids), ""
    return list(ids[:MAX_IDS]), f"only the latest {MAX_IDS:,} of {len(ids):,} {what}"


def book_selection(
    values: dict[str, str], marks: BookMarks, my_customers: Sequence[str] | None = None
) -> BookSelection:
    """The ticked choices as id lists. Several invoice choices keep the invoices in all of them
    (as every other filter narrows); ``my_customers`` is the ids of the customers whose
    assignedAgent is the user (read from EnKash when "mine" is ticked). FieldProblem, on the
    choice, when one keeps nothing: searching would find nothing."""
    chosen = book_choices(values)
    invoice_ids: list[str] | None = None
    for name in chosen:
        if name == "mine":
            continue
        choice, none = _BOOK_MARKS[name]
        ids = marks.ids(choice)
        if not ids:
            raise FieldProblem(name, f"no invoice in the follow-up book: {none}")
        if invoice_ids is None:
            invoice_ids = list(ids)
        else:
            keep = set(ids)
            invoice_ids = [i for i in invoice_ids if i in keep]
            if not invoice_ids:
                raise FieldProblem(name, "no invoice is in all the ticked ones")
    customer_ids: list[str] | None = None
    if "mine" in chosen:
        customer_ids = list(dict.fromkeys(my_customers or ()))
        if not customer_ids:
            raise FieldProblem("mine", "no customer on EnKash has you as its assigned agent")
    cuts = []
    if invoice_ids is not None:
        invoice_ids, cut = _capped(invoice_ids, "invoices the book marks")
        cuts.append(cut)
    if customer_ids is not None:
        customer_ids, cut = _capped(customer_ids, "of your customers")
        cuts.append(cut)
    return BookSelection(invoice_ids, customer_ids, "; ".join(c for c in cuts if c))


def book_ids_again(choices: Sequence[str], marks: BookMarks) -> list[str] | None:
    """The invoice ids the book's ticked ``choices`` keep in the book as it is now (a refresh of
    a search made from them); None when they keep none any more."""
    try:
        return book_selection({name: YES for name in choices}, marks).invoice_ids
    except FieldProblem:
        return None


_BOOK_MARKS: dict[str, tuple[BookChoice, str]] = {
    "promised": ("promised", "none has an open promise to pay"),
    "disputed": ("disputed", "none has an open dispute"),
    "follow_up_due": ("follow_up_due", "none has a follow-up due"),
}


def build_filter(values: dict[str, str], book: BookSelection | None = None) -> InvoiceFilter:
    """The form's text as an InvoiceFilter, with the follow-up book's lists when ``book`` is
    given; FieldProblem names the first bad field."""
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
        "invoice_ids": book.invoice_ids if book else None,
        "customer_ids": book.customer_ids if book else None,
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


def filter_words(values: dict[str, str], cut: str = "") -> str:
    """The filters that are on, in words, for the list's title: "customer ~ acme · due from
    2026-12-01 · Unpaid · Not dispatched · Disputed"; "no filter" when none is. ``cut`` says
    what of the follow-up book's lists a search could not carry (``BookSelection.cut``)."""
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
    parts.extend(BOOK_CHOICES[name] for name in book_choices(values))
    if cut:
        parts.append(f"({cut})")
    return " · ".join(parts) or "no filter"
