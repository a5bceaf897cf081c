"""The local customer lookup: every customer of a profile, on disk, searchable as you type.

Filled and refreshed from the server's customer search (at most 50 a page) in the background; a
lookup never waits for the network. Kept per profile under the platformdirs cache dir, as JSON:
only what lookup needs (names, ids, GSTIN/PAN, phones, contact e-mails), never a secret. What
each customer owes comes from the last pass over the open invoices (``domain.open_book``, kept
in its own file), and from a customer's detail (``set_balance``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from enkash_tui import clock
from enkash_tui.api.client import EnkashClient
from enkash_tui.api.models import Customer, InvoiceFilter, SortDirection
from enkash_tui.api.text import clean_json
from enkash_tui.domain.invoices import BALANCE_PAGE, OPEN

# Balance and NO_BALANCE live in domain.open_book; still importable from here, as they were.
from enkash_tui.domain.open_book import NO_BALANCE as NO_BALANCE
from enkash_tui.domain.open_book import Balance as Balance
from enkash_tui.domain.open_book import OpenBook, Tally
from enkash_tui.local.locations import cache_dir
from enkash_tui.local.private_files import write_private

FORMAT = 2


def cache_path(profile_name: str, base_url: str, folder: Path | None = None) -> Path:
    """One file per profile and server: the same name on another server is another cache."""
    digest = hashlib.sha256(f"{profile_name}\n{base_url}".encode()).hexdigest()[:16]
    slug = "".join(ch if ch.isalnum() else "-" for ch in profile_name.lower()).strip("-")
    return (folder or cache_dir()) / f"customers-{slug or 'profile'}-{digest}.json"


def _digits(text: str | None) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


def _needle(query: str) -> tuple[str, str]:
    """What is typed, as lookup matches it: the lower-case text, and its digits when there
    are enough of them to look for in phone numbers (else "")."""
    needle = query.strip().lower()
    digits = _digits(needle)
    return needle, digits if len(digits) >= 4 else ""


@dataclass(frozen=True)
class CustomerEntry:
    """What lookup knows about one customer."""

    customer_id: str
    legal_name: str
    status: str = "ACTIVE"
    pan_or_gstin: str = ""
    contact_number: str = ""
    emails: tuple[str, ...] = ()
    mobiles: tuple[str, ...] = ()

    @classmethod
    def of(cls, customer: Customer) -> CustomerEntry:
        live = [c for c in customer.customer_key_contacts if not c.deleted]
        return cls(
            customer_id=customer.customer_id,
            legal_name=customer.legal_name or "",
            status=customer.status or "ACTIVE",
            pan_or_gstin=customer.pan_or_gstin or "",
            contact_number=customer.contact_number or "",
            emails=tuple(c.email for c in live if c.email),
            mobiles=tuple(c.mobile for c in live if c.mobile),
        )

    @property
    def text(self) -> str:
        """Lower-case words lookup matches against."""
        return " ".join(
            (self.legal_name, self.customer_id, self.pan_or_gstin, *self.emails)
        ).lower()

    @property
    def phone_digits(self) -> str:
        return " ".join(_digits(p) for p in (self.contact_number, *self.mobiles))

    def matches(self, query: str) -> bool:
        """Whether lookup lists this customer for ``query`` (everyone for no query): the rule
        ``CustomerCache.find`` applies."""
        needle, digits = _needle(query)
        return not needle or needle in self.text or bool(digits and digits in self.phone_digits)


@dataclass
class CustomerCache:
    path: Path
    entries: list[CustomerEntry] = field(default_factory=list)
    fetched_at: float | None = None  # unix time of the last complete refresh
    # Customer id -> what they owe, from the last pass over the open invoices (``use_balances``)
    # and customers' details; once totalled, a customer missing here owes nothing. Not saved in
    # this file: the pass is kept in its own (``local.open_book_cache``).
    balances: dict[str, Balance] = field(default_factory=dict)
    balances_at: float | None = None  # unix time balances were last totalled; None = unknown
    _index: list[tuple[str, str, CustomerEntry]] = field(default_factory=list, repr=False)

    # -- disk --------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> CustomerCache:
        """The cache on disk, or an empty one (missing, damaged or from an older format)."""
        cache = cls(path)
        try:
            # EnKash's text, possibly saved raw by an older version: cleaned as it is read.
            data = clean_json(json.loads(path.read_text(encoding="utf-8")))
            if data.get("format") != FORMAT:
                return cache
            if data["fetched_at"] is not None:
                cache.fetched_at = float(data["fetched_at"])
            # An older version kept balances here too ("balances"): they come from the
            # open book now, so they are left unread.
            cache.replace(
                CustomerEntry(**{**item, "emails": tuple(item.get("emails", ())),
                                 "mobiles": tuple(item.get("mobiles", ()))})
                for item in data["customers"]
            )  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError, AttributeError, ArithmeticError):
            # Damaged or hand-edited: start again (decimal.InvalidOperation is arithmetic).
            return cls(path)
        return cache

    def save(self) -> None:
        data: dict[str, Any] = {
            "format": FORMAT,
            "fetched_at": self.fetched_at,
            "customers": [asdict(entry) for entry in self.entries],
        }
        write_private(self.path, json.dumps(data, ensure_ascii=False))

    def age(self, now: float | None = None) -> float | None:
        """Seconds since the last complete refresh; None before the first."""
        if self.fetched_at is None:
            return None
        return (now or clock.timestamp()) - self.fetched_at

    def balance_of(self, customer_id: str) -> Balance | None:
        """What the customer owes; None when not known (never totalled, never looked at)."""
        known = self.balances.get(customer_id)
        if known is not None or self.balances_at is None:
            return known
        return NO_BALANCE

    def set_balance(self, customer_id: str, balance: Balance) -> None:
        """One customer's fresh figures (from their detail), kept until the next pass."""
        self.balances[customer_id] = balance

    def use_balances(self, book: OpenBook) -> None:
        """Every customer's figures from a pass over the open invoices; the same pass again
        changes nothing (figures set since from a detail stay)."""
        if book.computed_at is None or book.computed_at == self.balances_at:
            return
        self.balances = dict(book.balances)
        self.balances_at = book.computed_at

    # -- contents ----------------------------------------------------------------------------

    def replace(self, entries: Iterable[CustomerEntry]) -> None:
        self.entries = sorted(entries, key=_by_name)
        self._index = [(e.text, e.phone_digits, e) for e in self.entries]

    def _add(self, entries: Iterable[CustomerEntry]) -> None:
        """More entries, in order (as ``replace`` with all of them would put them); a customer
        already listed (another walk's, or one that moved between pages) stays listed once."""
        known = {e.customer_id for e in self.entries}
        fresh = [(e.text, e.phone_digits, e) for e in entries if e.customer_id not in known]
        self._index = sorted([*self._index, *fresh], key=lambda item: _by_name(item[2]))
        self.entries = [entry for _, _, entry in self._index]

    def put(self, customer: Customer) -> None:
        """Add or update one customer (after a create or an edit), keeping the order."""
        entry = CustomerEntry.of(customer)
        self.replace([*(e for e in self.entries if e.customer_id != entry.customer_id), entry])

    def drop(self, customer_id: str) -> None:
        self.replace(e for e in self.entries if e.customer_id != customer_id)

    def find(self, query: str, limit: int = 200) -> list[CustomerEntry]:
        """Customers whose name, id, GSTIN/PAN, contact e-mail or phone contains ``query``.

        Names that start with it come first. An empty query lists everyone (up to ``limit``).
        """
        needle, digits = _needle(query)
        if not needle:
            return self.entries[:limit]
        first: list[CustomerEntry] = []
        rest: list[CustomerEntry] = []
        for text, phones, entry in self._index:
            if needle in text or (digits and digits in phones):
                (first if text.startswith(needle) else rest).append(entry)
                if len(first) >= limit:
                    break
        return (first + rest)[:limit]

    # -- refreshing from the server ----------------------------------------------------------

    async def refresh(
        self,
        client: EnkashClient,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> int:
        """Walk every customer (50 a page) and replace the cache; returns how many there are.

        The old entries stay searchable until the walk completes, and are kept if it fails. A
        cache that holds nobody yet (the first visit) takes each page's customers as they come,
        so that lookup works from the first page (``progress`` says when)."""
        growing = not self.entries
        fetched: list[CustomerEntry] = []
        offset = 0
        while True:
            page = await client.search_customers(offset=offset, limit=50, order_by="legalName")
            arrived = [CustomerEntry.of(customer) for customer in page.items]
            fetched.extend(arrived)
            if growing:
                self._add(arrived)
            if progress is not None:
                progress(len(fetched), page.total)
            if not page.has_more or not page.items:
                break
            offset = page.next_offset
        self.replace(fetched)
        self.fetched_at = clock.timestamp()
        self.save()
        return len(fetched)


def _by_name(entry: CustomerEntry) -> str:
    return entry.legal_name.lower()


async def customer_balance(client: EnkashClient, customer_id: str, today: dt.date) -> Balance:
    """One customer's open invoices totalled by the server: two one-row searches (the result's
    balance comes with the first page), so it costs the same for 5 invoices or 5,000."""
    open_filter = InvoiceFilter(customer_ids=[customer_id], receivable_statuses=OPEN)
    yesterday_end = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(23, 59, 59))
    overdue_filter = open_filter.model_copy(update={"due_date_to": yesterday_end})
    opened, overdue = await asyncio.gather(
        client.search_invoices(open_filter, limit=1, order_by="dueDate",
                               direction=SortDirection.ASC),
        client.search_invoices(overdue_filter, limit=1),
    )  # fmt: skip
    if opened.total_balance is None or overdue.total_balance is None:
        # This server does not total a result: add the customer's open invoices up here.
        return await _walked_balance(client, open_filter, today)
    oldest = opened.items[0].due_date if opened.items else None
    return Balance(
        opened.total or len(opened.items),
        opened.total_balance or Decimal(0),
        overdue.total_balance or Decimal(0),
        oldest,
    )


async def _walked_balance(client: EnkashClient, filters: InvoiceFilter, today: dt.date) -> Balance:
    tally = Tally()
    async for invoice in client.iter_invoices(filters, page_size=BALANCE_PAGE):
        tally.add(invoice, today)
    return tally.total()
