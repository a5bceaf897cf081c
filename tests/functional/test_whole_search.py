"""Acting on the whole search, not the loaded rows: ``/`` then Enter asks EnKash for every
matching invoice when the list has only some of them, and ``*`` marks every invoice of the search
(read from EnKash) with the count and rupee total of the marked set always on the summary line.

The sandbox here holds a few hundred invoices, so that a search is bigger than the one page the
list loads first (100 rows); every figure is checked against the same search made directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from textual.widgets import Input, Static

from enkash_tui import clock
from enkash_tui.api import EnkashClient
from enkash_tui.api.models import Invoice
from enkash_tui.domain.formatting import inr
from enkash_tui.domain.invoices import BY_KEY, InvoiceQuery
from screens.batch_actions import BatchConfirm, BatchReport
from screens.invoices.marks import MarkedInvoices
from screens.invoices.screen import PAGE_SIZE, InvoicesScreen
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_invoices, wait_until
from tests.support.sandboxes import RunningSandbox, start
from tests.support.screen_text import notes, text_of, texts


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    running = start(tmp_path_factory.mktemp("whole") / "sandbox.db", invoices=3000, customers=30)
    yield running
    running.stop()


async def every(client: EnkashClient, query: InvoiceQuery) -> list[Invoice]:
    return [
        invoice
        async for invoice in client.iter_invoices(
            query.filters, order_by=query.order_by, direction=query.direction
        )
    ]


def summary(screen: InvoicesScreen) -> str:
    return text_of(screen.query_one("#summary", Static))


def open_query() -> InvoiceQuery:
    return BY_KEY["1"].build(clock.today())


async def test_slash_then_enter_searches_the_whole_result_by_customer_and_esc_comes_back(
    big: RunningSandbox,
) -> None:
    async with signed_in(big.url) as client:
        everything = await every(client, open_query())
    assert len(everything) > PAGE_SIZE, "the sandbox needs more open invoices than one page"
    # A customer whose invoices are not all on the first page.
    first_page = {i.invoice_id for i in everything[:PAGE_SIZE]}
    name = next(
        i.customer_legal_name
        for i in everything[PAGE_SIZE:]
        if i.customer_legal_name and i.invoice_id not in first_page
    )
    word = max(name.split(), key=len)
    expected = [i for i in everything if word.lower() in (i.customer_legal_name or "").lower()]

    app = build_app(big.url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_invoices(pilot)
        before = summary(screen)
        await pilot.press("slash", *word)
        await pilot.pause()
        line = summary(screen)
        assert f"of {screen.rows.loaded_count} loaded" in line
        assert f"Enter: search all {len(everything):,} by customer name" in line

        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: screen.rows.total == len(expected) and "customer ~" in summary(screen),
            what="the whole search",
        )
        assert f"Open · customer ~ {word}" in summary(screen)
        assert not screen.query_one("#quick", Input).display
        assert screen.table.has_focus
        # Fewer than a page: all of them are in the list.
        ids = {row.invoice_id for _, row in screen.rows.loaded()}
        assert ids == {i.invoice_id for i in expected}

        # Esc goes back to the search it narrowed.
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.rows.total == len(everything), what="Open again")
        assert screen.query_spec.label == "Open"
        assert summary(screen).split(" · ")[:2] == before.split(" · ")[:2]


async def test_a_number_typed_finds_an_invoice_that_was_not_loaded(big: RunningSandbox) -> None:
    async with signed_in(big.url) as client:
        everything = await every(client, open_query())
    # From the middle of the result: never on the first page, nor on the last (fetched ahead
    # for End).
    far = everything[len(everything) // 2]
    assert far.invoice_number
    app = build_app(big.url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_invoices(pilot)
        assert far.invoice_id not in {row.invoice_id for _, row in screen.rows.loaded()}
        await pilot.press("slash", *far.invoice_number)
        await pilot.pause()
        assert f"0 of {screen.rows.loaded_count} loaded" in summary(screen)
        assert "by invoice number" in summary(screen)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.table.current is not None, what="the invoice")
        assert screen.table.current is not None
        assert screen.table.current.invoice_id == far.invoice_id
        assert f"number ~ {far.invoice_number}" in summary(screen)


async def test_enter_in_slash_on_a_fully_loaded_list_just_goes_back_to_the_list(
    sandbox: RunningSandbox,
) -> None:
    app = build_app(sandbox.url)  # 60 invoices: the first page is the whole result
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_invoices(pilot)
        assert screen.rows.loaded_count == screen.rows.total
        await pilot.press("slash", *"zzqx")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_spec.label == "Open"
        assert "Enter: search all" not in summary(screen)
        assert screen.table.has_focus


async def test_star_marks_every_invoice_of_the_search_with_count_and_total_in_view(
    big: RunningSandbox,
) -> None:
    async with signed_in(big.url) as client:
        everything = await every(client, open_query())
    assert len(everything) > PAGE_SIZE
    total = sum((i.balance_amount or Decimal(0) for i in everything), Decimal(0))
    app = build_app(big.url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_invoices(pilot)
        assert screen.rows.loaded_count < len(everything)
        await pilot.press("asterisk")
        await wait_until(
            pilot, lambda: len(screen.table.marks) == len(everything), what="all marked"
        )
        assert set(screen.table.marks) == {i.invoice_id for i in everything}
        marked = f"{len(everything):,} marked {inr(total)}"
        # At 80 columns the marked set is still on the visible part of the line.
        line = summary(screen)
        assert marked in line[: 80 - 2], line

        # Moving and paging keep it in view; `u` clears it.
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert marked in summary(screen)
        await pilot.press("u")
        await pilot.pause()
        assert len(screen.table.marks) == 0
        assert "marked" not in summary(screen)


async def test_a_search_bigger_than_one_batch_is_not_marked_and_says_why(
    big: RunningSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MarkedInvoices, "MARK_ALL_LIMIT", PAGE_SIZE + 1)  # a small batch
    app = build_app(big.url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_invoices(pilot)
        total = screen.rows.total
        assert total is not None and total > PAGE_SIZE + 1
        await pilot.press("asterisk")
        await wait_until(
            pilot,
            lambda: any(f"({PAGE_SIZE + 1:,}): narrow the search" in note for note in notes(app)),
            what="the refusal",
        )
        assert len(screen.table.marks) == 0
        assert "marking" not in summary(screen)


async def test_marks_gathered_over_searches_beyond_one_batch_are_not_sent(
    big: RunningSandbox,
) -> None:
    """Marks stay across searches; more than one batch carries is refused before the
    confirmation (nothing is typed in vain, nothing is sent)."""
    app = build_app(big.url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_invoices(pilot)
        loaded = [row for _, row in screen.rows.loaded()]
        many = [
            loaded[n % len(loaded)].model_copy(update={"invoice_id": f"KI{n:014d}"})
            for n in range(5001)
        ]
        screen.table.marks.set_many(many, True)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, InvoicesScreen)  # no confirmation
        assert any("5,001 marked: one batch carries at most 5,000" in n for n in notes(app))


async def test_dispatching_every_unsent_invoice_takes_one_mark_and_one_confirmation(
    start_sandbox: Any,
) -> None:
    sandbox = start_sandbox(invoices=3000, customers=30)
    unsent = BY_KEY["4"].build(clock.today())
    async with signed_in(sandbox.url) as client:
        waiting = await every(client, unsent)
    assert len(waiting) > PAGE_SIZE, "the sandbox needs more unsent invoices than one page"
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_invoices(pilot)
        await pilot.press("4")
        await wait_until(pilot, lambda: screen.rows.total == len(waiting), what="preset 4")
        await pilot.press("asterisk")
        await wait_until(pilot, lambda: len(screen.table.marks) == len(waiting), what="marks")
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchConfirm), what="confirm")
        confirm = app.screen
        assert f"Dispatch {len(waiting)} invoices?" in texts(confirm)
        assert f"Type {len(waiting)}" in texts(confirm)  # a large batch: the count is typed
        await pilot.press(*str(len(waiting)), "enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, BatchReport), timeout=30, what="the report"
        )
        assert f"{len(waiting)} done" in texts(app.screen)
    async with signed_in(sandbox.url) as client:
        left = await client.search_invoices(unsent.filters, limit=1)
    assert left.total == 0
