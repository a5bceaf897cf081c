"""The follow-up book checked against EnKash: what each open promise came to (from what EnKash has
received on its invoice, or across its customer's invoices), and Home's four follow-up tiles:
promises due today, broken promises, follow-ups due and open disputes, each a count and a rupee
total.

Home asks for ``tile_figures``: the invoices of the promises due today read in full (paid now,
they are kept), the follow-ups' and disputes' rupees summed by the server (one-row searches,
``Page.total_balance``), everything else from the book. ``check_book`` then reads in full the
invoices of the entries a caller wants: every promise not yet seen paid, after the tiles are
painted (``needs_payment_check``), or a tile's list (``needs_enkash``).

Invoices are read in few, big calls: invoice subjects by id, up to ``CHUNK`` ids a call; customer
subjects by customer id, every invoice of up to ``CHUNK`` customers a call (page after page of
``PAGE``). However many entries are open, the calls are bounded by the ids' chunks, never one a
subject. Nothing is written here: a promise whose payment is seen is returned
(``BookCheck.seen_paid``) for the caller to close in the book, as kept or paid late.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from enkash_tui.api import EnkashClient
from enkash_tui.api.models import Invoice, InvoiceFilter
from enkash_tui.api.models.search import MAX_INVOICE_PAGE
from enkash_tui.domain.followups import Entry, PromiseState, Subject, follow_up_due, promise_state
from enkash_tui.domain.home import FOLLOW_UP_TILES
from enkash_tui.domain.paging import chunks

CHUNK = 1000  # ids in one filter when the invoices are read in full
LIST_MOST = 5000  # ids in one filter when only the sum is asked for (the sandbox's bound)
PAGE = MAX_INVOICE_PAGE  # invoices a page, when reading customers' invoices
AT_ONCE = 4  # calls in flight together
ZERO = Decimal(0)

Wanted = Callable[[Entry, dt.date], bool]  # which open entries' invoices to read in full


@dataclass(frozen=True)
class Checked:
    """One open entry with what EnKash says of its subject now."""

    entry: Entry
    invoices: tuple[Invoice, ...]  # the subject's invoices on EnKash (one for an invoice)
    state: PromiseState | None = None  # a promise's
    # An open promise whose payment is seen (now, or on a day the book recorded): the caller
    # closes it as kept or paid late (``Worklog.settle_promises``).
    seen_paid_now: bool = False
    read: bool = False  # whether its invoices were read (else only the book was)

    @property
    def found(self) -> bool:
        """Whether EnKash has the subject (an invoice may have been deleted since)."""
        return not self.read or bool(self.invoices)

    @property
    def received(self) -> Decimal:
        return sum((i.total_received or ZERO for i in self.invoices), ZERO)

    @property
    def balance(self) -> Decimal:
        return sum((i.balance_amount or ZERO for i in self.invoices), ZERO)

    @property
    def name(self) -> str:
        """The customer's name as EnKash has it, else the entry's label."""
        named = next((i.customer_legal_name for i in self.invoices if i.customer_legal_name), None)
        return named or self.entry.subject.label or self.entry.subject.customer_id

    @property
    def amount(self) -> Decimal:
        """What the entry is worth: a promise's amount, else the subject's open balance."""
        if self.entry.kind == "promise" and self.entry.amount is not None:
            return self.entry.amount
        return self.balance


@dataclass(frozen=True)
class Figure:
    """One follow-up tile: how many entries, their rupees, and the entries (its list)."""

    key: str
    label: str
    entries: tuple[Checked, ...]
    total: Decimal

    @property
    def count(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class BookCheck:
    figures: dict[str, Figure]  # by the key of one of ``domain.home.FOLLOW_UP_TILES``
    seen_paid: tuple[Entry, ...]  # promises to close as paid (``Worklog.settle_promises``)
    calls: int  # searches made (for the benchmark's note)
    checked: tuple[Checked, ...] = field(default=(), repr=False)


class _Reader:
    """Searches EnKash for the invoices concerned, a few calls at a time, counting them."""

    def __init__(self, client: EnkashClient) -> None:
        self.client = client
        self.calls = 0
        self.gate = asyncio.Semaphore(AT_ONCE)

    async def _page(self, filters: InvoiceFilter, offset: int, limit: int) -> list[Invoice]:
        async with self.gate:
            self.calls += 1
            page = await self.client.search_invoices(filters, offset=offset, limit=limit)
        items = list(page.items)
        if page.has_more and len(items) == limit:  # more of these customers' invoices
            items += await self._page(filters, offset + len(items), limit)
        return items

    async def _balance(self, filters: InvoiceFilter) -> Decimal:
        async with self.gate:
            self.calls += 1
            page = await self.client.search_invoices(filters, limit=1)
        if page.total_balance is not None:
            return page.total_balance
        # A server that does not sum the result: read it all and sum it here.
        rest = await self._page(filters, 0, PAGE)
        return sum((i.balance_amount or ZERO for i in rest), ZERO)

    async def balance(self, invoice_ids: Sequence[str], customer_ids: Sequence[str]) -> Decimal:
        """The open balance of these invoices and of every invoice of these customers (each
        invoice once when none of ``invoice_ids`` is a customer's of ``customer_ids``)."""
        filters = [InvoiceFilter(invoice_ids=chunk) for chunk in chunks(invoice_ids, LIST_MOST)]
        filters += [InvoiceFilter(customer_ids=chunk) for chunk in chunks(customer_ids, LIST_MOST)]
        sums = await asyncio.gather(*(self._balance(f) for f in filters))
        return sum(sums, ZERO)

    async def read(self, invoice_ids: Sequence[str], customer_ids: Sequence[str]) -> list[Invoice]:
        jobs = [
            self._page(InvoiceFilter(invoice_ids=chunk), 0, len(chunk))
            for chunk in chunks(invoice_ids, CHUNK)
        ]
        jobs += [
            self._page(InvoiceFilter(customer_ids=chunk), 0, PAGE)
            for chunk in chunks(customer_ids, CHUNK)
        ]
        pages = await asyncio.gather(*jobs)
        return [invoice for page in pages for invoice in page]


def needs_enkash(entry: Entry, today: dt.date) -> bool:
    """Whether an open entry's row says more with its invoices read: every open promise (its
    state), dispute and due follow-up (their balances); not a follow-up still to come."""
    if entry.kind == "follow_up":
        return follow_up_due(entry, today)
    return entry.kind in ("promise", "dispute")


def needs_payment_check(entry: Entry, today: dt.date) -> bool:
    """A promise whose payment has not been seen yet: checked on every refresh, so that one paid
    by its date is seen by its date (and closed as kept), and one broken is closed once paid."""
    return entry.kind == "promise" and entry.paid_seen_on is None


def needs_reading_for_tiles(entry: Entry, today: dt.date) -> bool:
    """The promises whose tile depends on what EnKash has received: those due today and not seen
    paid (paid now, they are kept; else due today). One past its date and not seen paid is
    broken whatever EnKash says now (a payment seen only now is late), and one seen paid keeps
    the day it was seen."""
    return needs_payment_check(entry, today) and entry.due == today


def subjects_to_read(entries: Iterable[Entry]) -> tuple[list[str], list[str]]:
    """(invoice ids, customer ids) to search for: an invoice whose customer is read whole is
    not asked for again."""
    customers = sorted({e.subject.id for e in entries if e.subject.kind == "customer"})
    whole = set(customers)
    invoices = sorted(
        {
            e.subject.id
            for e in entries
            if e.subject.kind == "invoice" and e.subject.customer_id not in whole
        }
    )
    return invoices, customers


def check_entry(
    entry: Entry, invoices: Sequence[Invoice], today: dt.date, *, read: bool = True
) -> Checked:
    """One open entry against its subject's invoices as EnKash has them now (``read``), or as
    the book knows it (not read: a promise seen paid was paid, else nothing was seen)."""
    if entry.kind != "promise":
        return Checked(entry, tuple(invoices), read=read)
    baseline = entry.baseline or ZERO
    if not read:
        received = baseline + (entry.amount or ZERO) if entry.paid_seen_on else baseline
    elif not invoices:  # gone from EnKash: no payment can be seen on it
        received = baseline
    else:
        received = sum((i.total_received or ZERO for i in invoices), ZERO)
    state = promise_state(entry, received, today)
    grown = received - baseline
    seen_now = (
        entry.is_open
        and (read or entry.paid_seen_on is not None)
        and entry.amount is not None
        and grown >= entry.amount
    )
    return Checked(entry, tuple(invoices), state, seen_now, read)


def _balance_of(checked: Iterable[Checked]) -> Decimal:
    """The open balance of the invoices concerned, each invoice counted once."""
    seen: dict[str, Decimal] = {}
    for one in checked:
        for invoice in one.invoices:
            seen[invoice.invoice_id] = invoice.balance_amount or ZERO
    return sum(seen.values(), ZERO)


def figures_of(
    checked: Sequence[Checked], today: dt.date, balances: dict[str, Decimal] | None = None
) -> dict[str, Figure]:
    """The four tiles from entries already checked (``check_entry``). The follow-ups' and
    disputes' rupees are ``balances[key]`` when given (the server's sums), else the balance of
    the invoices read for them."""
    promises = [c for c in checked if c.entry.kind == "promise"]
    today_ = tuple(c for c in promises if c.state == "pending" and c.entry.due == today)
    # Paid late is not for chasing: the book closes it (``seen_paid``), so it is not counted.
    broken = tuple(c for c in promises if c.state == "broken" and not c.seen_paid_now)
    due = tuple(c for c in checked if follow_up_due(c.entry, today))
    disputes = tuple(c for c in checked if c.entry.kind == "dispute" and c.entry.is_open)
    given = balances or {}
    groups = {
        "promises-today": (today_, sum((c.amount for c in today_), ZERO)),
        "promises-broken": (broken, sum((c.amount for c in broken), ZERO)),
        "follow-ups-due": (due, given.get("follow-ups-due", _balance_of(due))),
        "disputes-open": (disputes, given.get("disputes-open", _balance_of(disputes))),
    }
    return {tile.key: Figure(tile.key, tile.label, *groups[tile.key]) for tile in FOLLOW_UP_TILES}


def _of_subject(
    subject: Subject, invoices: dict[str, Invoice], by_customer: dict[str, list[Invoice]]
) -> list[Invoice]:
    if subject.kind == "customer":
        return by_customer.get(subject.id, [])
    found = invoices.get(subject.id)
    return [found] if found is not None else []


async def _checked(
    reader: _Reader, open_ones: Sequence[Entry], today: dt.date, wanted: Wanted
) -> tuple[Checked, ...]:
    """Every one of ``open_ones`` checked, reading the invoices of those ``wanted``."""
    to_read = [e for e in open_ones if wanted(e, today)]
    found = await reader.read(*subjects_to_read(to_read))
    invoices = {i.invoice_id: i for i in found}
    by_customer: dict[str, list[Invoice]] = {}
    for invoice in invoices.values():
        if invoice.customer_id:
            by_customer.setdefault(invoice.customer_id, []).append(invoice)
    asked = {e.id for e in to_read}
    return tuple(
        check_entry(e, _of_subject(e.subject, invoices, by_customer), today, read=True)
        if e.id in asked
        else check_entry(e, [], today, read=False)
        for e in open_ones
    )


def _open(entries: Iterable[Entry]) -> list[Entry]:
    return [e for e in entries if e.is_open and e.kind != "note"]


async def check_book(
    client: EnkashClient,
    entries: Sequence[Entry],
    today: dt.date,
    wanted: Wanted = needs_enkash,
) -> BookCheck:
    """The open ``entries`` checked against EnKash (the invoices of those ``wanted`` read in
    full), and the tiles' figures from what was read: for a tile's list, or every promise's
    payment (``needs_payment_check``)."""
    reader = _Reader(client)
    checked = await _checked(reader, _open(entries), today, wanted)
    seen = tuple(c.entry for c in checked if c.seen_paid_now)
    return BookCheck(figures_of(checked, today), seen, reader.calls, checked)


async def tile_figures(client: EnkashClient, entries: Sequence[Entry], today: dt.date) -> BookCheck:
    """Home's four tiles, in few and small calls: the invoices of promises due today read in
    full; the follow-ups' and disputes' rupees summed by the server (one-row searches by their
    invoice and customer ids, ``Page.total_balance``)."""
    open_ones = _open(entries)
    reader = _Reader(client)
    due = [e for e in open_ones if follow_up_due(e, today)]
    disputes = [e for e in open_ones if e.kind == "dispute"]
    checked, due_balance, dispute_balance = await asyncio.gather(
        _checked(reader, open_ones, today, needs_reading_for_tiles),
        reader.balance(*subjects_to_read(due)),
        reader.balance(*subjects_to_read(disputes)),
    )
    balances = {"follow-ups-due": due_balance, "disputes-open": dispute_balance}
    seen = tuple(c.entry for c in checked if c.seen_paid_now)
    return BookCheck(figures_of(checked, today, balances), seen, reader.calls, checked)
