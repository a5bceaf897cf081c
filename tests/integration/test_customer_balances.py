"""What each customer owes, totalled from a real sandbox's open invoices and kept on disk."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from enkash_tui import clock
from enkash_tui.api import EnkashClient
from enkash_tui.api.models import InvoiceFilter
from enkash_tui.domain.invoices import OPEN
from enkash_tui.local.customer_cache import (
    NO_BALANCE,
    Balance,
    CustomerCache,
    customer_balance,
)
from tests.support.records import Records

if TYPE_CHECKING:
    from tests.support.sandboxes import RunningSandbox


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


async def test_refresh_balances_totals_every_customers_open_invoices(
    client: EnkashClient, tmp_path: Path, today: dt.date
) -> None:
    idle = await customer_without_invoices(client)
    cache = CustomerCache(tmp_path / "customers.json")

    walked = await cache.refresh_balances(client, today)
    expected = await expected_balances(client, today)

    assert walked == sum(b.open_count for b in expected.values()) > 0
    assert cache.balances == expected
    # The sandbox's data covers both kinds of customer, so the overdue split is really tested.
    assert any(b.overdue > 0 for b in expected.values())
    assert any(b.overdue < b.balance for b in expected.values())
    everyone = [c.customer_id async for c in client.iter_customers(page_size=50)]
    assert idle in everyone
    for customer_id in everyone:
        assert cache.balance_of(customer_id) == expected.get(customer_id, NO_BALANCE), customer_id
    assert cache.balance_of(idle) == NO_BALANCE == Balance(0, Decimal(0), Decimal(0), None)
    assert cache.balances_at is not None


async def test_refreshed_balances_are_saved_and_load_back(
    client: EnkashClient, tmp_path: Path, today: dt.date
) -> None:
    cache = CustomerCache(tmp_path / "customers.json")
    await cache.refresh(client)
    await cache.refresh_balances(client, today)

    again = CustomerCache.load(cache.path)

    assert again.balances == cache.balances
    assert again.balances_at == cache.balances_at
    assert again.entries == cache.entries
    someone = next(iter(cache.balances))
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


async def test_balance_of_is_unknown_before_any_totals_and_zero_after_a_full_walk(
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

    await cache.refresh_balances(client, today)

    # The full walk replaces figures kept from a detail view: this customer owes nothing.
    assert cache.balance_of(idle) == NO_BALANCE
    assert idle not in cache.balances
    assert cache.balance_of("KCNOSUCHCUSTOMER") == NO_BALANCE


async def test_set_balance_is_kept_beside_the_walked_totals(
    client: EnkashClient, tmp_path: Path, today: dt.date
) -> None:
    cache = CustomerCache(tmp_path / "customers.json")
    await cache.refresh(client)
    await cache.refresh_balances(client, today)
    someone = next(iter(cache.balances))
    fresh = await customer_balance(client, someone, today)
    changed = Balance(fresh.open_count + 1, fresh.balance + 1, fresh.overdue, fresh.oldest_due)

    cache.set_balance(someone, changed)
    cache.save()
    again = CustomerCache.load(cache.path)

    assert again.balance_of(someone) == changed
    assert {k: v for k, v in again.balances.items() if k != someone} == {
        k: v for k, v in cache.balances.items() if k != someone
    }


FIGURES = {
    "KC0000000000000A": Balance(2, Decimal("1234.50"), Decimal("200.25"), dt.date(2024, 1, 5)),
    "KC0000000000000B": Balance(1, Decimal("10"), Decimal(0), None),
}


def test_set_balance_survives_a_restart_without_a_full_walk(tmp_path: Path) -> None:
    cache = CustomerCache(tmp_path / "customers.json")
    cache.fetched_at = 1_700_000_000.0  # the customers were listed; balances never totalled
    for customer_id, balance in FIGURES.items():
        cache.set_balance(customer_id, balance)
    cache.save()

    again = CustomerCache.load(cache.path)

    assert again.balances == FIGURES
    assert again.balances_at is None
    for customer_id, balance in FIGURES.items():
        assert again.balance_of(customer_id) == balance
    assert again.balance_of("KC0000000000000C") is None


def test_set_balance_survives_a_restart_before_any_refresh(tmp_path: Path) -> None:
    """A cache saved before its first customer refresh completed still loads back."""
    cache = CustomerCache(tmp_path / "customers.json")
    for customer_id, balance in FIGURES.items():
        cache.set_balance(customer_id, balance)
    cache.save()

    again = CustomerCache.load(cache.path)

    assert again.fetched_at is None
    assert again.balances == FIGURES


def saved_cache(tmp_path: Path) -> Path:
    cache = CustomerCache(tmp_path / "customers.json")
    cache.fetched_at = 1_700_000_000.0
    cache.balances_at = 1_700_000_100.0
    cache.set_balance("KC0000000000000A", FIGURES["KC0000000000000A"])
    cache.save()
    loaded = CustomerCache.load(cache.path)
    assert loaded.balances == {"KC0000000000000A": FIGURES["KC0000000000000A"]}
    return cache.path


@pytest.mark.parametrize(
    "entry",
    [
        ["two", "10.00", "0", None],  # a count that is not a number
        [1, "ten", "0", None],  # a balance that is not a number
        [1, "10.00", None, None],  # no overdue figure
        [1, "10.00", "0", "2024-13-45"],  # no such date
        [1, "10.00", "0"],  # too short
        [1, "10.00", "0", None, "extra"],  # too long
        None,
        "1,10.00,0",
    ],
)
def test_a_damaged_balances_entry_loads_as_an_empty_cache(tmp_path: Path, entry: Any) -> None:
    path = saved_cache(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["balances"]["KC0000000000000B"] = entry
    path.write_text(json.dumps(data), encoding="utf-8")

    loaded = CustomerCache.load(path)

    assert loaded.balances == {}
    assert loaded.balances_at is None
    assert loaded.fetched_at is None
    assert loaded.entries == []
    assert loaded.balance_of("KC0000000000000A") is None


@pytest.mark.parametrize("balances", [["KC0000000000000A"], "damaged", 42])
def test_damaged_balances_load_as_an_empty_cache(tmp_path: Path, balances: Any) -> None:
    path = saved_cache(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["balances"] = balances
    path.write_text(json.dumps(data), encoding="utf-8")

    loaded = CustomerCache.load(path)

    assert loaded.balances == {}
    assert loaded.balance_of("KC0000000000000A") is None
