"""Receivables aging: every open invoice's balance in a bucket by days overdue, and the customers
who owe the most overdue. Home's is made with the customers' balances in one pass over the open
invoices (``domain.open_book``), kept on disk with the time it was computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from enkash_tui import clock
from enkash_tui.api.client import EnkashClient
from enkash_tui.api.models import Invoice
from enkash_tui.domain.invoices import walk_open_invoices

TOP_CUSTOMERS = 10
FRESH_FOR = 15 * 60  # seconds an aging (and the pass that made it) is used as it is


@dataclass
class Bucket:
    label: str  # "Current", "1-30", ..., "90+"
    first_day: int  # days overdue, inclusive (Current: 0 = not yet overdue)
    last_day: int | None  # inclusive; None = no end
    count: int = 0
    balance: Decimal = Decimal(0)

    def holds(self, days_late: int) -> bool:
        return days_late >= self.first_day and (self.last_day is None or days_late <= self.last_day)


def buckets_for(ends: Sequence[int]) -> list[Bucket]:
    """(30, 60, 90) -> Current, 1-30, 31-60, 61-90, 90+."""
    found = [Bucket("Current", 0, 0)]
    start = 1
    for end in ends:
        found.append(Bucket(f"{start}-{end}", start, end))
        start = end + 1
    found.append(Bucket(f"{ends[-1]}+", start, None))
    return found


@dataclass
class Debtor:
    customer_id: str
    name: str
    overdue: Decimal = Decimal(0)
    count: int = 0  # overdue invoices


@dataclass
class Aging:
    buckets: list[Bucket]
    debtors: dict[str, Debtor] = field(default_factory=dict)
    computed_at: float | None = None  # unix time
    today: dt.date | None = None

    @classmethod
    def empty(cls, ends: Sequence[int]) -> Aging:
        return cls(buckets_for(ends))

    def add(self, invoice: Invoice, today: dt.date) -> None:
        balance = invoice.balance_amount or Decimal(0)
        late = invoice.days_overdue(today)
        bucket = next(
            b
            for b in self.buckets
            if late >= b.first_day and (b.last_day is None or late <= b.last_day)
        )
        bucket.count += 1
        bucket.balance += balance
        if late > 0 and invoice.customer_id:
            debtor = self.debtors.setdefault(
                invoice.customer_id,
                Debtor(invoice.customer_id, invoice.customer_legal_name or invoice.customer_id),
            )
            debtor.overdue += balance
            debtor.count += 1

    @property
    def total(self) -> Decimal:
        return sum((b.balance for b in self.buckets), Decimal(0))

    @property
    def count(self) -> int:
        return sum(b.count for b in self.buckets)

    def top(self, n: int = TOP_CUSTOMERS) -> list[Debtor]:
        return sorted(self.debtors.values(), key=lambda d: (-d.overdue, d.name))[:n]

    def age(self, now: float | None = None) -> float | None:
        return None if self.computed_at is None else (now or clock.timestamp()) - self.computed_at

    def fresh(self, today: dt.date, now: float | None = None) -> bool:
        """Young enough to use as it is: computed less than FRESH_FOR ago, for ``today``."""
        age = self.age(now)
        # A negative age (a clock set back, an edited file) is not fresh: it would stay so.
        return age is not None and 0 <= age <= FRESH_FOR and self.today == today


async def compute_aging(
    client: EnkashClient,
    today: dt.date,
    ends: Sequence[int],
    progress: Callable[[int, int | None], None] | None = None,
) -> Aging:
    """Page through every open invoice (1,000 a page, each read in a thread) and bucket it: the
    aging alone (Home's comes with the balances, ``open_book.walk_open_book``)."""
    aging = Aging.empty(ends)

    def add(invoices: Iterable[Invoice]) -> None:
        for invoice in invoices:
            aging.add(invoice, today)

    await walk_open_invoices(client, add, progress)
    aging.computed_at = clock.timestamp()
    aging.today = today
    return aging
