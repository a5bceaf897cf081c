"""The Customers section: lookup as you type from the local cache, detail, and jumps; a first
visit listing customers as they come; balances from the pass over the open invoices it shares
with Home."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from textual.widgets import Input, Static

from screens.customer_card import CustomerCard
from screens.customers.screen import CustomersScreen
from screens.home.screen import HomeScreen
from screens.invoices.screen import InvoicesScreen
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_customers, open_section, sign_in, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import open_book_pages, text_of

StartSandbox = Callable[..., RunningSandbox]


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


# -- a first visit, and the pass shared with Home --------------------------------------------


async def test_a_first_visit_lists_customers_from_the_first_page(
    start_sandbox: StartSandbox,
) -> None:
    sandbox = start_sandbox(customers=140, latency_ms=400)  # three pages, each 0.4 s away
    everyone = await all_customers(sandbox.url)
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_section(pilot, "f3", CustomersScreen)
        assert screen.cache is not None and screen.cache.entries == []
        await wait_until(pilot, lambda: screen.table.source.count() > 0, what="the first page")

        # Usable while the walk goes on: rows shown, and typing looks them up.
        assert screen.cache.fetched_at is None and screen.walking
        assert 0 < screen.table.source.count() < len(everyone)
        assert "reading customers" in summary(screen)
        first = screen.table.source.row(0)
        assert first is not None
        screen.query_one("#lookup", Input).value = first.customer_id
        await pilot.pause()
        assert [screen.table.source.row(0)] == [first] and screen.table.source.count() == 1
        screen.query_one("#lookup", Input).value = ""

        await wait_until(
            pilot,
            lambda: screen.cache.fetched_at is not None and not screen.walking,
            timeout=20,
            what="every customer",
        )
        await pilot.pause()
        assert screen.table.source.count() == len(everyone)
        assert f"{len(everyone):,} customers" in summary(screen)


@pytest.mark.parametrize("first", ["home", "customers"])
async def test_customers_and_home_share_one_pass_over_the_open_invoices(
    start_sandbox: StartSandbox, sent_requests: list[httpx.Request], first: str
) -> None:
    sandbox = start_sandbox(latency_ms=600)  # each page slow enough to be shared
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot)
        home, session = app.screen, app.session
        assert isinstance(home, HomeScreen) and session is not None
        if first == "home":  # Home's pass is on its way when Customers opens
            await wait_until(pilot, lambda: session.book_pass is not None, what="Home's pass")
        screen = await open_section(pilot, "f3", CustomersScreen)
        cache = screen.cache
        await wait_until(
            pilot,
            lambda: cache.balances_at is not None and not screen.refreshing,
            timeout=20,
            what="the balances",
        )
        await wait_until(
            pilot,
            lambda: home.aging is not None and home.aging.computed_at is not None,
            timeout=20,
            what="Home's aging",
        )
        book = session.open_book()
        assert book is not None
        assert cache.balances_at == home.aging.computed_at == book.computed_at
        assert cache.balances == book.balances and book.balances
        screen._tick()  # what the 10-second timer does: a fresh pass is left as it is
        await pilot.pause(0.3)
        assert session.book_pass is None and cache.balances_at == book.computed_at
    assert len(open_book_pages(sent_requests)) == 1  # the sandbox's open invoices: one page

    # The next sign-in, while that pass is fresh: Customers lists its balances from the copy on
    # disk at once, and nothing walks the open invoices again.
    sent_requests.clear()
    again = build_app(sandbox.url)
    async with again.run_test(size=(120, 36)) as pilot:
        screen = await open_section(pilot, "f3", CustomersScreen)
        assert screen.cache.balances_at == book.computed_at
        assert screen.cache.balances == book.balances
        await wait_until(pilot, lambda: not screen.refreshing, timeout=20, what="the refresh")
        assert not screen.totalling and again.session is not None
        assert again.session.book_pass is None
    assert open_book_pages(sent_requests) == []
