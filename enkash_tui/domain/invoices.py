"""Saved searches an operator reaches for all day, as invoice search queries."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from enkash_tui.api.client import EnkashClient
from enkash_tui.api.models import (
    ApprovalStatus,
    Invoice,
    InvoiceFilter,
    ReceivableStatus,
    SortDirection,
)
from enkash_tui.api.pages import Page
from enkash_tui.api.rupees import inr
from enkash_tui.domain.formatting import typed_amount

# OVERDUE is not documented but may be how EnKash marks late unpaid invoices: include it.
OPEN = [ReceivableStatus.UNPAID, ReceivableStatus.PARTIALLY_PAID, ReceivableStatus.OVERDUE]
AWAITING_APPROVAL = [
    ApprovalStatus.MAKER_APPROVAL_PENDING,
    ApprovalStatus.CHECKER_APPROVAL_PENDING,
    ApprovalStatus.APPROVER_APPROVAL_PENDING,
]
# Open invoices are walked this many a page (the aging and customer balances, and exports):
# few requests, and a page read in a thread in well under a second.
BALANCE_PAGE = 1000


@dataclass(frozen=True)
class InvoiceQuery:
    """One search: the server-side filters and sort, and a name to show for it."""

    label: str
    filters: InvoiceFilter = field(default_factory=InvoiceFilter)
    order_by: str = "dueDate"
    descending: bool = False
    # The search this one narrowed (a typed search on the whole result): Esc goes back to it.
    back: InvoiceQuery | None = field(default=None, compare=False, repr=False)
    # The follow-up book's ticked choices its invoice ids came from: read again on refresh.
    book: tuple[str, ...] = ()

    @property
    def direction(self) -> SortDirection:
        return SortDirection.DESC if self.descending else SortDirection.ASC

    def sorted_by(self, order_by: str) -> InvoiceQuery:
        """Sort by ``order_by``; asking for the current sort again flips its direction."""
        if order_by == self.order_by:
            return replace(self, descending=not self.descending)
        return replace(self, order_by=order_by, descending=False)


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min)


def _end(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59))


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    build: Callable[[dt.date], InvoiceQuery]
    short: str = ""  # for the one-line preset bar on an 80-column terminal

    @property
    def name(self) -> str:
        """Its name on the command line (``invoices search --view due-week``)."""
        return VIEW_NAMES.get(self.key) or self.label.lower().replace(" ", "-")


VIEW_NAMES = {"3": "due-week"}  # where the label's own words are too long to type


PRESETS: tuple[Preset, ...] = (
    Preset("1", "Open", lambda today: InvoiceQuery(
        "Open", InvoiceFilter(receivable_statuses=OPEN))),
    Preset("2", "Overdue", lambda today: InvoiceQuery(
        "Overdue",
        InvoiceFilter(receivable_statuses=OPEN, due_date_to=_end(today - dt.timedelta(days=1))))),
    Preset("3", "Due this week", short="Due 7d", build=lambda today: InvoiceQuery(
        "Due this week",
        InvoiceFilter(receivable_statuses=OPEN, due_date_from=_start(today),
                      due_date_to=_end(today + dt.timedelta(days=6))))),
    Preset("4", "Not dispatched", short="Unsent", build=lambda today: InvoiceQuery(
        "Not dispatched", InvoiceFilter(dispatched=False, receivable_statuses=OPEN),
        order_by="createdOn", descending=True)),
    Preset("5", "Partly paid", short="Part-paid", build=lambda today: InvoiceQuery(
        "Partly paid", InvoiceFilter(receivable_statuses=[ReceivableStatus.PARTIALLY_PAID]))),
    Preset("6", "Awaiting approval", short="Approval", build=lambda today: InvoiceQuery(
        "Awaiting approval", InvoiceFilter(approval_statuses=AWAITING_APPROVAL),
        order_by="createdOn")),
    Preset("7", "All", lambda today: InvoiceQuery(
        "All invoices", order_by="createdOn", descending=True)),
)  # fmt: skip

BY_KEY = {preset.key: preset for preset in PRESETS}


# -- a typed search, asked of EnKash ---------------------------------------------------------

NUMBER_FIELD, CUSTOMER_FIELD, AMOUNT_FIELD = "invoice number", "customer name", "balance"
# Written as an amount: a rupee sign, a comma or paise ("₹12,000", "12000.50"). Plain digits are
# more likely part of an invoice number ("00283").
_AMOUNT = re.compile(r"₹?\s*[0-9][0-9,]*(\.[0-9]{1,2})?")


def search_field(text: str) -> str:
    """The server-side filter typed text means: an amount written as one is a balance; invoice
    numbers carry a digit and no space ("INV-2025-0007", "0007"); anything else is part of a
    customer's name."""
    text = text.strip()
    if _AMOUNT.fullmatch(text) and any(mark in text for mark in "₹,."):
        return AMOUNT_FIELD
    has_digit = any(c.isdigit() for c in text)
    return NUMBER_FIELD if has_digit and " " not in text else CUSTOMER_FIELD


def narrowed(query: InvoiceQuery, text: str) -> InvoiceQuery:
    """``query`` with ``text`` as its invoice number, customer or balance filter
    (``search_field``), on the whole result rather than the loaded rows; ``back`` leads to
    ``query`` again. A filter of the same field the search had is replaced, and the title says
    so."""
    text = text.strip()
    field = search_field(text)
    base = query.back if query.back is not None else query  # a second search replaces the first
    had = base.filters.model_dump(exclude_unset=True)
    if field == AMOUNT_FIELD:
        amount = Decimal(typed_amount(text))
        change: dict[str, object] = {"balanceAmountFrom": amount, "balanceAmountTo": amount}
        words, before = f"balance = {inr(amount)}", had.get("balanceAmountFrom")
    elif field == NUMBER_FIELD:
        change = {"invoiceNumber": text}
        words, before = f"number ~ {text}", had.get("invoiceNumber")
    else:
        change = {"customerLegalName": text}
        words, before = f"customer ~ {text}", had.get("customerLegalName")
    if before is not None:
        words += " (in place of the filter's)"
    filters = InvoiceFilter.model_validate(had | change)
    return replace(query, label=f"{base.label} · {words}", filters=filters, back=base)


# -- a whole result, read at once ------------------------------------------------------------


async def read_whole_result(
    client: EnkashClient,
    filters: InvoiceFilter,
    order_by: str,
    direction: SortDirection,
    seen: Callable[[int, int | None], object],
    page_size: int = BALANCE_PAGE,
) -> list[Invoice]:
    """Every invoice ``filters`` finds, page after page in the given order, each once: an invoice
    that moves between pages while they are read (the buyer acts, a payment lands) is kept once.
    ``seen(read, total)`` follows each page; it may raise to stop the reading."""
    found: dict[str, Invoice] = {}
    offset = 0
    while True:
        page = await client.search_invoices(
            filters, offset=offset, limit=page_size, order_by=order_by, direction=direction
        )
        seen(len(found.keys() | {i.invoice_id for i in page.items}), page.total)
        found.update((invoice.invoice_id, invoice) for invoice in page.items)
        if not page.items or not page.has_more:
            return list(found.values())
        offset = page.next_offset


# -- every open invoice, walked once ---------------------------------------------------------


async def walk_open_invoices(
    client: EnkashClient,
    add: Callable[[Iterable[Invoice]], object],
    progress: Callable[[int, int | None], None] | None = None,
) -> int:
    """Every open invoice, BALANCE_PAGE a page, oldest due first, each page given to
    ``add``; returns how many there were. ``progress(walked, total)`` follows each page.

    Only the request and the reply's bytes are the event loop's: reading a page (JSON, every
    ``Invoice``) and ``add`` run in a thread, one page at a time, so keys are not held up while
    a large book is totalled. ``add`` must touch nothing the loop uses meanwhile."""
    walked = 0
    while True:
        read = await client.fetch_invoice_page(
            InvoiceFilter(receivable_statuses=OPEN),
            offset=walked,
            limit=BALANCE_PAGE,
            order_by="dueDate",
            direction=SortDirection.ASC,
        )
        count, total, more = await asyncio.to_thread(_read_and_add, read, add)
        walked += count
        if progress is not None:
            progress(walked, total)
        if not more or not count:
            return walked


def _read_and_add(
    read: Callable[[], Page[Invoice]], add: Callable[[Iterable[Invoice]], object]
) -> tuple[int, int | None, bool]:
    """In the thread: the page read and added up; what the walk needs of it."""
    page = read()
    add(page.items)
    return len(page.items), page.total, page.has_more
