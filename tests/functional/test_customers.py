"""The Customers section: lookup as you type from the local cache, detail, and jumps."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Static

from screens.customer_card import CustomerCard
from screens.customers.screen import CustomersScreen
from screens.invoices.screen import InvoicesScreen
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_customers, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import text_of


async def all_customers(url: str) -> list[Any]:
    async with signed_in(url) as client:
        return [customer async for customer in client.iter_customers()]


def summary(screen: CustomersScreen) -> str:
    return text_of(screen.query_one("#customers-summary", Static))


async def test_the_lookup_finds_customers_as_you_type(sandbox: Any) -> None:
    everyone = await all_customers(sandbox.url)
    target = everyone[len(everyone) // 2]
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_customers(pilot)
        assert f"{len(everyone):,} customers" in summary(screen)
        assert screen.table.source.count() == len(everyone)

        word = (target.legal_name or "").split()[0]
        await pilot.press(*word)
        await pilot.pause()
        shown = [screen.table.source.row(i) for i in range(screen.table.source.count())]
        assert target.customer_id in {entry.customer_id for entry in shown if entry}
        assert all(word.lower() in entry.text for entry in shown if entry)
        assert f"{len(shown):,} of {len(everyone):,} customers" in summary(screen)

        screen.query_one("#lookup", Input).value = target.customer_id
        await pilot.pause()
        assert screen.table.source.count() == 1


async def test_enter_opens_the_card_and_i_jumps_to_their_invoices(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_customers(pilot)
        entry = screen.table.current
        assert entry is not None
        screen.table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CustomerCard)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, InvoicesScreen), what="Invoices")
        invoices = app.screen
        assert isinstance(invoices, InvoicesScreen)
        await wait_until(pilot, lambda: invoices.rows.total is not None, what="their invoices")
        assert entry.legal_name in invoices.query_spec.label
        assert all(row.customer_id == entry.customer_id for _, row in invoices.rows.loaded())


async def test_the_cache_is_on_disk_for_the_next_visit(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_customers(pilot)
        path = screen.cache.path
        count = len(screen.cache.entries)
    from enkash_tui.local.customer_cache import CustomerCache

    assert len(CustomerCache.load(path).entries) == count


async def test_a_stale_copy_is_refreshed_while_the_section_stays_open(
    sandbox: RunningSandbox,
) -> None:
    from screens.customers.screen import STALE_AFTER

    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_customers(pilot)
        fresh = screen.cache.fetched_at
        screen._tick()  # what the 10-second timer does
        await pilot.pause(0.3)
        assert screen.cache.fetched_at == fresh, "a fresh copy is left alone"

        stale = fresh - STALE_AFTER - 1
        screen.cache.fetched_at = stale
        screen._tick()
        await wait_until(
            pilot,
            lambda: screen.cache.fetched_at >= fresh and not screen.refreshing,
            what="the stale copy to be refreshed",
        )
