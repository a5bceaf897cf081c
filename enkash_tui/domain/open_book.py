"""The open book: one pass over every open invoice, totalled two ways at once: Home's aging
(buckets by days overdue, the customers who owe the most overdue) and what each customer owes
(the Customers list's balance, overdue and oldest due).

Each page is read and added up in a thread (``walk_open_invoices``). ``local.open_book_cache``
keeps the last pass on disk with the time it was computed, and the signed-in ``Session`` runs one
pass at a time, which Home and Customers share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from enkash_tui import clock
from enkash_tui.api.client import EnkashClient
from enkash_tui.api.models import Invoice
from enkash_tui.domain.aging import Aging, buckets_for
from enkash_tui.domain.invoices import walk_open_invoices

# Seconds a pass is used as it is (shown, and its balances listed): an older one is made again.


@dataclass(frozen=True)
class Balance:
    """What one customer owes, totalled from their open invoices."""

    open_count: int = 0
    balance: Decimal = Decimal(0)
    overdue: Decimal = Decimal(0)
    oldest_due: dt.date | None = None  # of the invoices still open

    def to_json(self) -> list[Any]:
        oldest = self.oldest_due.isoformat() if self.oldest_due else None
        return [self.open_count, str(self.balance), str(self.overdue), oldest]

    @classmethod
    def from_json(cls, item: list[Any]) -> Balance:
        count, balance, overdue, oldest = item
        return cls(
            int(count),
            Decimal(balance),
            Decimal(overdue),
            dt.date.fromisoformat(oldest) if oldest else None,
        )


NO_BALANCE = Balance()


class Tally:
    """Adds one customer's open invoices up into a Balance."""

    def __init__(self) -> None:
        self.count, self.balance, self.overdue = 0, Decimal(0), Decimal(0)
        self.oldest: dt.date | None = None

    def add(self, invoice: Invoice, today: dt.date) -> None:
        owed = invoice.balance_amount or Decimal(0)
        self.count += 1
        self.balance += owed
        if invoice.days_overdue(today) > 0:
            self.overdue += owed
        if invoice.due_date is not None and (self.oldest is None or invoice.due_date < self.oldest):
            self.oldest = invoice.due_date

    def total(self) -> Balance:
        return Balance(self.count, self.balance, self.overdue, self.oldest)


@dataclass
class OpenBook:
    """One pass's figures. Its time and day are the aging's (``Aging.computed_at``, ``today``)."""

    aging: Aging
    # Customer id -> what they owe; a customer missing here owed nothing.
    balances: dict[str, Balance] = field(default_factory=dict)

    @property
    def computed_at(self) -> float | None:
        return self.aging.computed_at

    @property
    def today(self) -> dt.date | None:
        return self.aging.today

    @property
    def walked(self) -> int:
        """Open invoices walked: each is in exactly one bucket."""
        return self.aging.count

    def age(self, now: float | None = None) -> float | None:
        return self.aging.age(now)

    def fresh(self, today: dt.date, now: float | None = None) -> bool:
        return self.aging.fresh(today, now)

    def fits(self, ends: Sequence[int]) -> bool:
        """Whether its aging has the buckets ``ends`` make."""
        return [b.label for b in self.aging.buckets] == [b.label for b in buckets_for(ends)]

    def aging_for(self, ends: Sequence[int]) -> Aging:
        """Its aging, or an empty one (never computed) when it was bucketed by other ends."""
        return self.aging if self.fits(ends) else Aging.empty(ends)


class OpenTotals:
    """Open invoices added up both ways as the pages come (in the walk's thread)."""

    def __init__(self, today: dt.date, ends: Sequence[int]) -> None:
        self.today = today
        self.aging = Aging.empty(ends)
        self.tallies: dict[str, Tally] = {}

    def add(self, invoices: Iterable[Invoice]) -> None:
        for invoice in invoices:
            self.aging.add(invoice, self.today)
            if invoice.customer_id:
                self.tallies.setdefault(invoice.customer_id, Tally()).add(invoice, self.today)

    def book(self, computed_at: float) -> OpenBook:
        self.aging.computed_at, self.aging.today = computed_at, self.today
        return OpenBook(self.aging, {key: t.total() for key, t in self.tallies.items()})


async def walk_open_book(
    client: EnkashClient,
    today: dt.date,
    ends: Sequence[int],
    progress: Callable[[int, int | None], None] | None = None,
) -> OpenBook:
    """Every open invoice walked once, into the aging for ``ends`` and each customer's balance."""
    totals = OpenTotals(today, ends)
    await walk_open_invoices(client, totals.add, progress)
    return totals.book(clock.timestamp())


async def open_balances(
    client: EnkashClient,
    today: dt.date,
    *,
    only: Container[str] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> tuple[dict[str, Balance], int]:
    """Every open invoice walked once and totalled per customer (only the customers in
    ``only``, when given): what each owes (a customer owing nothing is missing), and how many
    open invoices there were. (An export's; the app's own come from ``walk_open_book``.)"""
    tallies: dict[str, Tally] = {}

    def add(invoices: Iterable[Invoice]) -> None:
        for invoice in invoices:
            if invoice.customer_id and (only is None or invoice.customer_id in only):
                tallies.setdefault(invoice.customer_id, Tally()).add(invoice, today)

    walked = await walk_open_invoices(client, add, progress)
    return {key: tally.total() for key, tally in tallies.items()}, walked
