"""Finding one record from anywhere (Ctrl+P or ``:``): what a typed text asks EnKash for.

Every text of three characters or more is looked up as part of an invoice number. Customers are
looked up by what the text looks like: digits (and phone punctuation) are a phone number, a
GSTIN or PAN (whole or its start) is one, anything else is part of a legal name. The start of
a GSTIN or PAN is also tried as a name, since a name can begin the same way ("24SEVEN").
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from enkash_tui.api import AuthError, EnkashClient, EnkashError
from enkash_tui.api.gst import looks_like_gstin
from enkash_tui.api.models import (
    Customer,
    CustomerFilter,
    Invoice,
    InvoiceFilter,
    ReceivableStatus,
)
from enkash_tui.api.pages import Page
from enkash_tui.api.text import has_unsafe
from enkash_tui.domain.formatting import day, inr

MIN_CHARS = 3  # shorter texts match too much to be worth a call
PHONE_DIGITS = 5  # fewer digits read as part of an invoice number or a name, not a phone
FIND_LIMIT = 5  # hits of each kind: a palette, not a list
# Asked of each search, so that the exact match is among them to be put first (a whole short
# number, "INV-1", also begins "INV-10", "INV-11", …); FIND_LIMIT of them are shown.
FIND_ASKED = 25

T = TypeVar("T", bound=BaseModel)

# Position by position: what each character of a GSTIN (and of the PAN inside it) may be.
_GSTIN_SLOTS = ("0-9",) * 2 + ("A-Z",) * 5 + ("0-9",) * 4 + ("A-Z", "0-9A-Z", "Z", "0-9A-Z")
_PAN_SLOTS = _GSTIN_SLOTS[2:12]
_PAN = re.compile(r"^[A-Z]{5}[0-9]{4}[A-Z]$")
_PHONE = re.compile(r"^\+?\(?[0-9][0-9 ()-]*$")

BY_NAME = "name"
BY_TAX_ID = "GSTIN/PAN"
BY_PHONE = "phone"


def _fits(text: str, slots: tuple[str, ...]) -> bool:
    """``text`` could be the start of something laid out as ``slots``."""
    return len(text) <= len(slots) and all(
        re.fullmatch(f"[{slot}]", char) for char, slot in zip(text, slots, strict=False)
    )


def tax_id_start(text: str) -> bool:
    """Whole or the start of a GSTIN (state code and a letter at least) or of a PAN (its five
    letters and a digit at least). Spaces are not part of either."""
    value = text.upper()
    if " " in value:
        return False
    return (len(value) >= 3 and _fits(value, _GSTIN_SLOTS)) or (
        len(value) >= 6 and _fits(value, _PAN_SLOTS)
    )


def whole_tax_id(text: str) -> bool:
    return looks_like_gstin(text) or bool(_PAN.match(text.upper()))


def phone_digits(text: str) -> str:
    """The digits of a phone number as typed ("+91 98123-45678" -> "9812345678"), the last ten
    when there are more (a country code or a leading 0 dropped); "" when ``text`` is not one."""
    if not _PHONE.match(text):
        return ""
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits[-10:] if len(digits) >= PHONE_DIGITS else ""


@dataclass(frozen=True)
class FindPlan:
    """What to ask EnKash for one typed text."""

    text: str  # as searched: trimmed, runs of spaces made one
    by: str  # how customers are looked up: BY_NAME, BY_TAX_ID, BY_PHONE or "GSTIN/PAN or name"
    invoices: InvoiceFilter
    customers: tuple[CustomerFilter, ...]
    phone: str = ""  # the digits, when looked up by phone


def find_plan(text: str) -> FindPlan | None:
    """The searches for ``text``; None when it is too short to search, or could not be sent
    (control characters)."""
    value = " ".join(text.split())
    if len(value) < MIN_CHARS or has_unsafe(value):
        return None
    try:
        invoices = InvoiceFilter(invoice_number=value)
        digits = phone_digits(value)
        if digits:
            return FindPlan(
                value,
                BY_PHONE,
                invoices,
                (CustomerFilter(mobile=digits), CustomerFilter(contact_number=digits)),
                phone=digits,
            )
        if whole_tax_id(value):
            return FindPlan(
                value, BY_TAX_ID, invoices, (CustomerFilter(pan_or_gstin=value.upper()),)
            )
        if tax_id_start(value):
            return FindPlan(
                value,
                f"{BY_TAX_ID} or {BY_NAME}",
                invoices,
                (CustomerFilter(pan_or_gstin=value.upper()), CustomerFilter(legal_name=value)),
            )
        return FindPlan(value, BY_NAME, invoices, (CustomerFilter(legal_name=value),))
    except ValidationError:
        return None


def exact(plan: FindPlan, record: Invoice | Customer) -> bool:
    """The text is this invoice's whole number, or this customer's whole name or GSTIN/PAN."""
    wanted = plan.text.lower()
    if isinstance(record, Invoice):
        return (record.invoice_number or "").lower() == wanted
    return wanted in ((record.legal_name or "").lower(), (record.pan_or_gstin or "").lower())


@dataclass(frozen=True)
class Found:
    """What EnKash had for a plan: exact matches first, then in EnKash's order."""

    plan: FindPlan
    invoices: list[Invoice] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)
    problem: str = ""  # why (part of) the search failed; "" when it did not
    expired: AuthError | None = None  # the sign-in has ended: the app asks for it again


async def _answer(call: Awaitable[Page[T]]) -> Page[T] | EnkashError:
    try:
        return await call
    except EnkashError as error:
        return error


async def find(
    client: EnkashClient, plan: FindPlan, *, limit: int = FIND_LIMIT, asked: int = FIND_ASKED
) -> Found:
    """Invoices and customers matching ``plan``, asked side by side, exact matches first, at
    most ``limit`` of each; a failure is reported in ``problem``, beside whatever the other
    searches found."""
    invoice_reply, customer_replies = await asyncio.gather(
        _answer(client.search_invoices(plan.invoices, limit=asked)),
        asyncio.gather(*(_answer(client.search_customers(f, limit=asked)) for f in plan.customers)),
    )
    replies = [invoice_reply, *customer_replies]
    problems = [reply for reply in replies if isinstance(reply, EnkashError)]
    invoices = [] if isinstance(invoice_reply, EnkashError) else invoice_reply.items
    customers: dict[str, Customer] = {}
    for reply in customer_replies:
        if not isinstance(reply, EnkashError):
            for customer in reply.items:
                if not customer.deleted:
                    customers.setdefault(customer.customer_id, customer)
    return Found(
        plan,
        sorted(invoices, key=lambda invoice: not exact(plan, invoice))[:limit],
        sorted(customers.values(), key=lambda customer: not exact(plan, customer))[:limit],
        f"Could not search EnKash: {problems[0]}" if problems else "",
        next((p for p in problems if isinstance(p, AuthError)), None),
    )


# -- in words -----------------------------------------------------------------------------------


def invoice_line(invoice: Invoice) -> str:
    """ "Invoice INV-2025-0007 · Acme Ltd · ₹12,000.00 due 01 Dec 2026", then the status unless
    it is unpaid ("Partly Paid", "Paid")."""
    parts = [f"Invoice {invoice.invoice_number or invoice.invoice_id}"]
    if invoice.customer_legal_name:
        parts.append(invoice.customer_legal_name)
    owed = invoice.balance_amount
    if owed is not None and owed > Decimal(0):
        parts.append(inr(owed) + (f" due {day(invoice.due_date)}" if invoice.due_date else ""))
    elif invoice.net_amount is not None:
        parts.append(inr(invoice.net_amount))
    status = invoice.receivable_status
    if status is not None and status.name != ReceivableStatus.UNPAID:  # "due" says unpaid
        parts.append(status.display)
    return " · ".join(parts)


def _phones(customer: Customer) -> list[str]:
    contacts = [c.mobile for c in customer.customer_key_contacts if c.mobile and not c.deleted]
    return [p for p in (customer.contact_number, *contacts) if p]


def customer_line(customer: Customer, plan: FindPlan | None = None) -> str:
    """ "Customer Acme Ltd · GSTIN 27AAACA1234A1Z5 · +91 9812345678": the phone shown is the one
    that matched, when the text was a phone number."""
    parts = [f"Customer {customer.legal_name or customer.customer_id}"]
    tax_id = customer.pan_or_gstin or ""
    if tax_id:
        parts.append(f"{'GSTIN' if looks_like_gstin(tax_id) else 'PAN'} {tax_id}")
    phones = _phones(customer)
    if plan is not None and plan.phone:
        digits = plan.phone
        phones.sort(key=lambda p: digits not in "".join(ch for ch in p if ch.isdigit()))
    if phones:
        parts.append(phones[0])
    if not customer.is_active:
        parts.append("inactive")
    return " · ".join(parts)


def nothing_line(plan: FindPlan) -> str:
    """ "No invoice number or customer name on EnKash has “zzz” in it"."""
    return f"No invoice number or customer {plan.by} on EnKash has “{plan.text}” in it"
