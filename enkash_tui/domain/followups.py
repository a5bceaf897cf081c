"""The collector's follow-up on an invoice or a customer: notes, promises to pay, disputes and the
next follow-up date, which EnKash has no place for (the app keeps them: ``local.worklog``).

What a promise came to is worked out here from live invoice data, never typed: kept when what
EnKash has received on the invoice (or across the customer's invoices) has grown by the promised
amount by the promised date, broken when the date has passed without it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from enkash_tui.domain.formatting import typed_amount

SubjectKind = Literal["invoice", "customer"]
EntryKind = Literal["note", "promise", "dispute", "follow_up"]
KINDS: tuple[EntryKind, ...] = ("note", "promise", "dispute", "follow_up")

# Why a customer disputes an invoice: the short list the dispute form offers, code -> words.
DISPUTE_REASONS: dict[str, str] = {
    "amount": "Amount or rate is wrong",
    "goods": "Goods or service not received",
    "quality": "Quality or damage",
    "tax": "GST or TDS is wrong",
    "duplicate": "Billed twice",
    "paid": "Says it is already paid",
    "other": "Other",
}
REPLACED = "replaced by a newer one"  # how the book closes a promise or follow-up a newer replaces
TEXT_LIMIT = 1000  # characters a note (or any entry's text) may hold
LONGEST_PROMISE = dt.timedelta(days=366)  # a promise further out than this is a typing slip


@dataclass(frozen=True)
class Subject:
    """What an entry is about: an invoice (with its customer) or a customer."""

    kind: SubjectKind
    id: str
    customer_id: str
    label: str = ""  # an invoice's number or a customer's name, for lists and files

    @classmethod
    def customer(cls, customer_id: str, name: str = "") -> Subject:
        return cls("customer", customer_id, customer_id, name)

    @classmethod
    def invoice(cls, invoice_id: str, customer_id: str, number: str = "") -> Subject:
        return cls("invoice", invoice_id, customer_id, number)


@dataclass(frozen=True)
class Entry:
    """One line of the follow-up book, as stored."""

    id: int
    kind: EntryKind
    subject: Subject
    at: dt.datetime  # when it was written (UTC)
    by: str  # the signed-in username who wrote it
    text: str = ""
    amount: Decimal | None = None  # a promise's amount
    due: dt.date | None = None  # a promise's date, or the follow-up date
    reason: str | None = None  # a dispute's reason code (DISPUTE_REASONS)
    baseline: Decimal | None = None  # a promise: what EnKash had received when it was made
    closed_at: dt.datetime | None = None  # a dispute resolved, a follow-up done
    closed_by: str | None = None
    closing_text: str = ""
    paid_seen_on: dt.date | None = None  # a promise: the day its payment was first seen

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class EntryProblem(ValueError):
    """What is wrong with a typed entry, and which field: shown beside that field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def clean_text(text: str, field: str = "text", *, required: bool = False) -> str:
    """Typed text as kept: trimmed, control characters made spaces, at most TEXT_LIMIT long."""
    cleaned = "".join(" " if ch < " " or ch == "\x7f" else ch for ch in text).strip()
    if required and not cleaned:
        raise EntryProblem(field, "is required")
    if len(cleaned) > TEXT_LIMIT:
        raise EntryProblem(field, f"at most {TEXT_LIMIT:,} characters")
    return cleaned


def typed_day(text: str, field: str, today: dt.date, *, latest: dt.timedelta) -> dt.date:
    """A yyyy-mm-dd date from today to ``latest`` ahead."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise EntryProblem(field, "use yyyy-mm-dd, e.g. 2026-12-31") from None
    if day < today:
        raise EntryProblem(field, "is in the past")
    if day > today + latest:
        raise EntryProblem(field, f"is more than {latest.days} days ahead")
    return day


def typed_rupees(text: str, field: str = "amount") -> Decimal:
    """A positive rupee amount with at most two decimals, typed as a person would."""
    try:
        value = Decimal(typed_amount(text))
    except InvalidOperation:
        raise EntryProblem(field, "a rupee amount, e.g. 25000 or 1,50,000.50") from None
    if not value.is_finite() or value <= 0:
        raise EntryProblem(field, "a rupee amount above zero")
    if value != value.quantize(Decimal("0.01")):
        raise EntryProblem(field, "at most two decimal places (paise)")
    return value


PromiseState = Literal["pending", "kept", "broken"]


def promise_paid(promise: Entry, received_now: Decimal) -> bool:
    """Whether what EnKash has received grew by the promised amount since the promise."""
    assert promise.kind == "promise" and promise.amount is not None
    return received_now - (promise.baseline or Decimal(0)) >= promise.amount


def promise_state(promise: Entry, received_now: Decimal, today: dt.date) -> PromiseState:
    """What a promise came to, from what EnKash has received now.

    Kept: the received amount grew by the promised amount, and that was seen by the promised
    date (``paid_seen_on``, recorded the first time the payment is seen; ``today`` when it is
    being seen now). Broken: the date has passed without it (a payment seen only after the date
    is late: still broken). Pending: neither yet."""
    assert promise.kind == "promise" and promise.due is not None
    if promise_paid(promise, received_now):
        seen = promise.paid_seen_on or today
        return "kept" if seen <= promise.due else "broken"
    return "broken" if today > promise.due else "pending"


SETTLED_WORDS = ("kept:", "paid late:")  # how settled_words begins


def settled_words(promise: Entry, seen: dt.date) -> str:
    """What a promise came to once its payment is seen: the book closes it with these words."""
    if promise.due is not None and seen > promise.due:
        return f"paid late: seen {seen.isoformat()}, promised by {promise.due.isoformat()}"
    return f"kept: paid, seen {seen.isoformat()}"


def is_settled(entry: Entry) -> bool:
    """A promise closed because its payment was seen (kept, or paid late)."""
    return (
        entry.kind == "promise"
        and not entry.is_open
        and entry.paid_seen_on is not None
        and entry.closing_text.startswith(SETTLED_WORDS)
    )


def follow_up_due(entry: Entry, today: dt.date) -> bool:
    """A follow-up whose date has come and that is not done."""
    return (
        entry.kind == "follow_up" and entry.is_open and entry.due is not None and entry.due <= today
    )


def current(entries: list[Entry], kind: EntryKind) -> Entry | None:
    """A subject's latest open entry of ``kind`` (its promise, dispute or next follow-up)."""
    open_ones = [e for e in entries if e.kind == kind and e.is_open]
    return max(open_ones, key=lambda e: (e.at, e.id), default=None)
