"""What each customer owes, totalled from a real sandbox's open invoices in the one pass that
makes the aging too (``domain.open_book``), equal to what the old separate walks gave, and kept
on disk beside the customer cache."""

from __future__ import annotations

import datetime as dt
import json
import stat
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from enkash_tui import clock
from enkash_tui.api import EnkashClient
from enkash_tui.api.models import InvoiceFilter, SortDirection
from enkash_tui.domain.aging import Aging, compute_aging
from enkash_tui.domain.invoices import OPEN
from enkash_tui.domain.open_book import NO_BALANCE, Balance, open_balances, walk_open_book
from enkash_tui.local.customer_cache import CustomerCache, customer_balance
from enkash_tui.local.open_book_cache import load_open_book, save_open_book
from tests.support.records import Records

if TYPE_CHECKING:
    from tests.support.sandboxes import RunningSandbox

ENDS = (30, 60, 90)


@pytest.fixture
def today(shared_sandbox: RunningSandbox) -> dt.date:
    """The sandbox's "today": pinned in its settings, or the real one."""
    return shared_sandbox.settings.today or clock.today()


async def expected_balances(client: EnkashClient, today: dt.date) -> dict[str, Balance]:
    """Every customer's open invoices added up here, independently of the cache."""
    count: dict[str, int] = {}
    owed: dict[str, Decimal] = {}
    overdue: dict[str, Decimal] = {}
    oldest: dict[str, dt.date] = {}
    async for invoice in client.iter_invoices(InvoiceFilter(receivable_statuses=OPEN)):
        key = invoice.customer_id
        assert key, f"open invoice {invoice.invoice_id} has no customer"
        amount = invoice.balance_amount or Decimal(0)
        count[key] = count.get(key, 0) + 1
        owed[key] = owed.get(key, Decimal(0)) + amount
        overdue.setdefault(key, Decimal(0))
        if invoice.days_overdue(today) > 0:
            overdue[key] += amount
        if invoice.due_date is not None:
            oldest[key] = min(oldest.get(key, invoice.due_date), invoice.due_date)
    return {key: Balance(count[key], owed[key], overdue[key], oldest.get(key)) for key in count}


async def customer_without_invoices(client: EnkashClient) -> str:
    created = await client.create_customer(Records.customer())
    return created.customer_id


async def old_aging(client: EnkashClient, today: dt.date) -> Aging:
    """The aging as Home computed it before the open book: every open invoice read page by page
    with ``search_invoices`` and bucketed on its own."""
    aging = Aging.empty(ENDS)
    async for invoice in client.iter_invoices(
        InvoiceFilter(receivable_statuses=OPEN), order_by="dueDate", direction=SortDirection.ASC
    ):
        aging.add(invoice, today)
    return aging


async def test_one_pass_gives_every_customers_balance_and_the_aging_the_old_walks_gave(
    client: EnkashClient, tmp_path: Path, today: dt.date
) -> None:
    idle = await customer_without_invoices(client)
    cache = CustomerCache(tmp_path / "customers.json")

    book = await walk_open_book(client, today, ENDS)
    expected = await expected_balances(client, today)
    aging = await old_aging(client, today)

    assert book.walked == sum(b.open_count for b in expected.values()) == aging.count > 0
    assert book.balances == expected  # every customer's figures to the paisa
    assert book.aging.buckets == aging.buckets  # every bucket's count and rupees
    assert book.aging.debtors == aging.debtors and book.aging.top() == aging.top()
    assert book.today == today and book.computed_at is not None
    # The export's walk (only some customers) and the aging alone agree with it too.
    assert (await open_balances(client, today)) == (expected, book.walked)
    assert (await compute_aging(client, today, ENDS)).buckets == aging.buckets
    # The sandbox's data covers both kinds of customer, so the overdue split is really tested.
    assert any(b.overdue > 0 for b in expected.values())
    assert any(b.overdue < b.balance for b in expected.values())

    cache.use_balances(book)
    assert cache.balances == expected and cache.balances_at == book.computed_at
    everyone = [c.customer_id async for c in client.iter_customers(page_size=50)]
    assert idle in everyone
    for customer_id in everyone:
        assert cache.balance_of(customer_id) == expected.get(customer_id, NO_BALANCE), customer_id
    assert cache.balance_of(idle) == NO_BALANCE == Balance(0, Decimal(0), Decimal(0), None)


async def test_the_pass_is_saved_beside_the_cache_and_the_cache_keeps_no_balances(
    client: EnkashClient, tmp_path: Path, today: dt.date
) -> None:
    cache = CustomerCache(tmp_path / "customers.json")
    await cache.refresh(client)
    book = await walk_open_book(client, today, ENDS)
    cache.use_balances(book)
    cache.save()
    path = tmp_path / "open-book.json"
    save_open_book(book, path)

    loaded = load_open_book(path)
    again = CustomerCache.load(cache.path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert loaded is not None
    assert loaded.balances == book.balances and loaded.computed_at == book.computed_at
    assert loaded.aging.buckets == book.aging.buckets
    assert again.entries == cache.entries
    assert again.balances == {} and again.balances_at is None  # they come from the book
    again.use_balances(loaded)
    someone = next(iter(book.balances))
    assert again.balance_of(someone) == cache.balance_of(someone)
    assert again.balance_of("KCNOSUCHCUSTOMER") == NO_BALANCE


async def test_customer_balance_matches_the_walked_totals(
    client: EnkashClient, today: dt.date
) -> None:
    expected = await expected_balances(client, today)
    by_count = sorted(expected, key=lambda key: (expected[key].open_count, key))
    picks = {
        by_count[-1],  # the most open invoices
        by_count[0],  # the fewest
        next(key for key in by_count if expected[key].overdue > 0),
        next(key for key in by_count if expected[key].overdue == 0),
    }

    for customer_id in sorted(picks):
        assert await customer_balance(client, customer_id, today) == expected[customer_id]

    idle = await customer_without_invoices(client)
    nothing = await customer_balance(client, idle, today)
    assert nothing.open_count == 0
    assert nothing.balance == 0 and nothing.overdue == 0
    assert nothing.oldest_due is None


async def test_balance_of_is_unknown_before_any_totals_and_zero_after_a_pass(
    client: EnkashClient, tmp_path: Path, today: dt.date
) -> None:
    idle = await customer_without_invoices(client)
    cache = CustomerCache(tmp_path / "customers.json")
    assert cache.balance_of(idle) is None
    assert cache.balance_of("KCNOSUCHCUSTOMER") is None

    shown = Balance(2, Decimal("1500.50"), Decimal("500"), dt.date(2024, 1, 31))
    cache.set_balance(idle, shown)
    assert cache.balance_of(idle) == shown
    assert cache.balance_of("KCNOSUCHCUSTOMER") is None

    cache.use_balances(await walk_open_book(client, today, ENDS))

    # The pass replaces figures kept from a detail view: this customer owes nothing.
    assert cache.balance_of(idle) == NO_BALANCE
    assert idle not in cache.balances
    assert cache.balance_of("KCNOSUCHCUSTOMER") == NO_BALANCE


async def test_set_balance_is_kept_until_the_next_pass(
    client: EnkashClient, tmp_path: Path, today: dt.date
) -> None:
    cache = CustomerCache(tmp_path / "customers.json")
    book = await walk_open_book(client, today, ENDS)
    cache.use_balances(book)
    someone = next(iter(cache.balances))
    fresh = await customer_balance(client, someone, today)
    changed = Balance(fresh.open_count + 1, fresh.balance + 1, fresh.overdue, fresh.oldest_due)

    cache.set_balance(someone, changed)
    cache.use_balances(book)  # the same pass again (Customers' tick, a second visit)

    assert cache.balance_of(someone) == changed
    assert {k: v for k, v in cache.balances.items() if k != someone} == {
        k: v for k, v in book.balances.items() if k != someone
    }

    cache.use_balances(await walk_open_book(client, today, ENDS))
    assert cache.balance_of(someone) == book.balances[someone]


@pytest.mark.parametrize(
    "balances",
    [
        {"KC0000000000000A": [2, "1234.50", "200.25", "2024-01-05"]},
        {"KC0000000000000B": ["two", "10.00", "0", None]},  # damaged, as an old file may be
        ["KC0000000000000A"],
        "damaged",
    ],
)
def test_balances_an_older_version_kept_in_the_cache_are_left_unread(
    tmp_path: Path, balances: Any
) -> None:
    path = tmp_path / "customers.json"
    customer = {"customer_id": "KC0000000000000A", "legal_name": "Acme"}
    data = {"format": 2, "fetched_at": 1_700_000_000.0, "customers": [customer],
            "balances_at": 1_700_000_100.0, "balances": balances}  # fmt: skip
    path.write_text(json.dumps(data), encoding="utf-8")

    loaded = CustomerCache.load(path)

    assert [e.customer_id for e in loaded.entries] == ["KC0000000000000A"]
    assert loaded.fetched_at == 1_700_000_000.0
    assert loaded.balances == {} and loaded.balances_at is None
    assert loaded.balance_of("KC0000000000000A") is None
