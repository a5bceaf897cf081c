"""The Invoices section (F4): presets, sorting, deep paging, quick filter, marks, copy, detail.

Every number the screen shows is checked against the same search made directly with a separate
``EnkashClient`` signed in to the same sandbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from rich.style import Style
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from enkash_tui import clock
from enkash_tui.api import EnkashClient
from enkash_tui.api.models import Invoice, InvoiceFilter
from enkash_tui.domain.formatting import inr
from enkash_tui.domain.invoices import BY_KEY, PRESETS, InvoiceQuery
from screens.app import EnkashApp
from screens.invoices.screen import InvoicesScreen
from screens.invoices.view import AGING_STYLES, SORTABLE, aging_style
from screens.invoices.windows import InvoiceDetailScreen, SortPicker
from screens.widgets.lazy_table import LazyTable, ListSource
from tests.functional.conftest import SMALL_INVOICES
from tests.support.clients import signed_in
from tests.support.driving import build_app, sign_in, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import header_text, notes, requests_to, text_of, texts

OPEN = ["UNPAID", "PARTIALLY_PAID"]
SEARCH_PATH = "/api/v0/invoice/search"


# -- helpers ----------------------------------------------------------------------------------


async def search(client: EnkashClient, query: InvoiceQuery, **window: Any) -> Any:
    return await client.search_invoices(
        query.filters, order_by=query.order_by, direction=query.direction, **window
    )


def invoices_screen(app: EnkashApp) -> InvoicesScreen:
    screen = next(s for s in reversed(app.screen_stack) if isinstance(s, InvoicesScreen))
    return screen


def table(app: EnkashApp) -> LazyTable[Invoice]:
    return invoices_screen(app).table


def summary(app: EnkashApp) -> str:
    return text_of(invoices_screen(app).query_one("#summary", Static))


def column_header(app: EnkashApp) -> str:
    return table(app).render_line(0).text


def detail_text(app: EnkashApp) -> str:
    """The detail pane as plain text (it holds a rich Group of tables)."""
    screen = invoices_screen(app)
    pane = screen.query_one("#detail-text", Static)
    return text_of(pane, width=44)


def visible(app: EnkashApp) -> list[Invoice | None]:
    """The rows on screen, top to bottom (None for a row still loading)."""
    lazy = table(app)
    top = int(lazy.scroll_offset.y)
    count = lazy.source.count()
    return [lazy.source.row(i) for i in range(top, min(top + lazy.visible_rows, count))]


def numbers(rows: list[Invoice | None]) -> list[str | None]:
    return [row.invoice_number if row else None for row in rows]


def first_page_loaded(app: EnkashApp) -> bool:
    screen = invoices_screen(app)
    total = screen.rows.total
    if total is None:
        return False
    if total == 0:
        return "no invoices match" in summary(app)
    return screen.rows.row(0) is not None and "rows " in summary(app)


async def open_invoices(pilot: Pilot[Any]) -> None:
    """Sign in, F4, and wait until the first page is on screen."""
    app = pilot.app
    assert isinstance(app, EnkashApp)
    await sign_in(pilot)
    await pilot.press("f4")
    await wait_until(
        pilot, lambda: isinstance(app.screen, InvoicesScreen), what="the Invoices screen"
    )
    await wait_until(pilot, lambda: first_page_loaded(app), what="the first page of invoices")
    await pilot.pause()


def key_for(binding_id: str) -> str:
    """The key bound to one of the screen's actions (keys move; their ids stay)."""
    for binding in InvoicesScreen.BINDINGS:
        if isinstance(binding, Binding) and binding.id == binding_id:
            return binding.key.split(",")[0]
    raise AssertionError(f"no binding {binding_id}")


# -- opening ----------------------------------------------------------------------------------


async def test_f4_opens_the_open_invoices_sorted_by_due_date(sandbox: Any) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoices(pilot)
        screen = invoices_screen(app)
        assert screen.query_spec.label == "Open"
        async with signed_in(sandbox.url) as client:
            total = (
                await client.search_invoices(InvoiceFilter(receivable_statuses=OPEN), limit=1)
            ).total
            first = await client.search_invoices(
                InvoiceFilter(receivable_statuses=OPEN), order_by="dueDate", direction="ASC"
            )
        assert total is not None and total > 0
        shown = visible(app)
        assert len(shown) == min(total, table(app).visible_rows)
        assert f"Open · rows 1-{len(shown)} of {total:,}" in summary(app)
        assert numbers(shown) == [i.invoice_number for i in first.items[: len(shown)]]
        assert "Due ▲" in column_header(app)
        assert table(app).has_focus


# -- presets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [p.key for p in PRESETS])
async def test_each_preset_shows_the_same_result_as_a_direct_search(sandbox: Any, key: str) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_invoices(pilot)
        screen = invoices_screen(app)
        before = screen.rows.generation
        await pilot.press(key)
        await wait_until(
            pilot,
            lambda: screen.rows.generation > before and first_page_loaded(app),
            what=f"preset {key}",
        )
        query = BY_KEY[key].build(clock.today())
        assert screen.query_spec == query
        async with signed_in(sandbox.url) as client:
            expected = await search(client, query, limit=50)
        text = summary(app)
        assert text.startswith(f" {query.label} · "), text
        if expected.total:
            assert f" of {expected.total:,}" in text, text
            shown = visible(app)
            assert numbers(shown) == [i.invoice_number for i in expected.items[: len(shown)]]
        else:
            assert "no invoices match" in text, text
        presets = str(screen.query_one("#presets", Static).render())
        assert BY_KEY[key].label in presets


# -- sorting ----------------------------------------------------------------------------------


async def choose_sort(pilot: Pilot[Any], order_by: str) -> None:
    app = pilot.app
    await pilot.press("o")
    await pilot.pause()
    picker = app.screen
    assert isinstance(picker, SortPicker)
    options = picker.query_one(OptionList)
    wanted = [c.sort for c in SORTABLE].index(order_by)
    assert options.highlighted is not None
    step = "down" if wanted > options.highlighted else "up"
    for _ in range(abs(wanted - options.highlighted)):
        await pilot.press(step)
    assert options.highlighted == wanted
    await pilot.press("enter")
    await pilot.pause()
    assert not isinstance(app.screen, SortPicker)


async def test_sort_by_balance_then_flip_it(sandbox: Any) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_invoices(pilot)
        screen = invoices_screen(app)
        open_query = screen.query_spec
        async with signed_in(sandbox.url) as client:
            ascending = await search(client, open_query.sorted_by("balanceAmount"))
            descending = await search(
                client, open_query.sorted_by("balanceAmount").sorted_by("balanceAmount")
            )

        generation = screen.rows.generation
        await choose_sort(pilot, "balanceAmount")
        await wait_until(
            pilot,
            lambda: screen.rows.generation > generation and first_page_loaded(app),
            what="the rows by balance",
        )
        assert (screen.query_spec.order_by, screen.query_spec.descending) == (
            "balanceAmount",
            False,
        )
        shown = visible(app)
        assert numbers(shown) == [i.invoice_number for i in ascending.items[: len(shown)]]
        balances = [row.balance_amount for row in shown if row]
        assert balances == sorted(balances)
        assert "Balance ▲" in column_header(app)
        assert screen.query_spec.label == "Open"  # the preset stays

        # The picker says which sort is on and starts on it; picking it again flips it.
        await pilot.press("o")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SortPicker)
        options = picker.query_one(OptionList)
        assert options.highlighted == [c.sort for c in SORTABLE].index("balanceAmount")
        label = str(options.get_option_at_index(options.highlighted).prompt)
        assert "now ascending" in label
        generation = screen.rows.generation
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: screen.rows.generation > generation and first_page_loaded(app),
            what="the rows by balance, descending",
        )
        assert screen.query_spec.descending
        shown = visible(app)
        assert numbers(shown) == [i.invoice_number for i in descending.items[: len(shown)]]
        assert "Balance ▼" in column_header(app)
        assert "▲" not in column_header(app)


async def test_escape_in_the_sort_picker_changes_nothing(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_invoices(pilot)
        screen = invoices_screen(app)
        query, generation = screen.query_spec, screen.rows.generation
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, SortPicker)
        await pilot.press("down", "escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_spec == query
        assert screen.rows.generation == generation


# -- paging deep ------------------------------------------------------------------------------


async def test_end_jumps_to_the_last_of_1500_without_fetching_every_page(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    big = start_sandbox(invoices=1500, customers=40)
    app = build_app(big.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoices(pilot)
        screen = invoices_screen(app)
        generation = screen.rows.generation
        first_total = screen.rows.total or 0
        await wait_until(  # the first search's pages are in, its last page (ahead) too
            pilot, lambda: screen.rows.row(first_total - 1) is not None, what="the first search"
        )
        searched_before = len(requests_to(sent_requests, SEARCH_PATH))
        await pilot.press("7")
        await wait_until(
            pilot,
            lambda: screen.rows.generation > generation and first_page_loaded(app),
            what="all invoices",
        )
        total = screen.rows.total
        async with signed_in(big.url) as client:
            assert total == (await search(client, screen.query_spec, limit=1)).total
        assert total is not None and total > 1400  # 1,500 seeded, a few deleted
        lazy = table(app)
        # The last page is fetched as soon as the first says how many there are: End finds
        # its rows waiting.
        await wait_until(
            pilot, lambda: screen.rows.row(total - 1) is not None, what="the last page, ahead"
        )
        before = len(requests_to(sent_requests, SEARCH_PATH))

        await pilot.press("end")
        assert lazy.cursor == total - 1 and lazy.current is not None  # at once: no wait
        await pilot.pause()
        searched = requests_to(sent_requests, SEARCH_PATH)
        assert searched[before:] == []  # nothing more to fetch for End
        offsets = sorted(int(r.url.params["offset"]) for r in searched[searched_before:])
        # The pages at the top and the end of the search, never the pages in between.
        assert total // 100 * 100 in offsets
        assert [o for o in offsets if 200 <= o < total - 300] == [], offsets
        assert f"rows {total - lazy.visible_rows + 1:,}-{total:,} of {total:,}" in summary(app)

        async with signed_in(big.url) as client:
            last = await search(client, screen.query_spec, offset=total - 1, limit=1)
        assert lazy.current is not None
        assert lazy.current.invoice_id == last.items[0].invoice_id
        assert visible(app)[-1] == lazy.current  # the cursor row is on screen, at the bottom
        assert (
            last.items[0].invoice_number in detail_text(app)
            or not invoices_screen(app).query_one("#invoice-detail").display
        )

        # Back to the top and to the end again (g and G too): those pages are still held, so
        # nothing is fetched.
        await pilot.pause(0.2)
        before = len(requests_to(sent_requests, SEARCH_PATH))
        for key, row in (("home", 0), ("G", total - 1), ("g", 0), ("end", total - 1)):
            await pilot.press(key)
            await pilot.pause()
            assert lazy.cursor == row, key
            assert lazy.current is not None, key
        assert len(requests_to(sent_requests, SEARCH_PATH)) == before


async def test_refresh_deep_in_the_list_keeps_the_cursor_row_on_screen(
    start_sandbox: Callable[..., Any],
) -> None:
    big = start_sandbox(invoices=1500, customers=40)
    app = build_app(big.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoices(pilot)
        screen = invoices_screen(app)
        generation = screen.rows.generation
        await pilot.press("7")
        await wait_until(
            pilot,
            lambda: screen.rows.generation > generation and first_page_loaded(app),
            what="all invoices",
        )
        lazy = table(app)
        await pilot.press("end")
        await wait_until(pilot, lambda: lazy.current is not None, what="the last row")
        cursor, row = lazy.cursor, lazy.current
        assert row is not None and cursor > 1000

        generation = screen.rows.generation
        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: screen.rows.generation > generation and screen.rows.total is not None,
            what="the refreshed result",
        )
        await wait_until(
            pilot,
            lambda: lazy.current is not None,
            timeout=3,
            what="the cursor row to load again after r",
        )
        assert lazy.cursor == cursor
        assert lazy.current is not None
        assert lazy.current.invoice_id == row.invoice_id
        top = int(lazy.scroll_offset.y)
        assert top <= lazy.cursor < top + lazy.visible_rows, (top, lazy.cursor)
        assert f"rows {top + 1:,}-" in summary(app)


# -- quick filter -----------------------------------------------------------------------------


def pick_needle(rows: list[Invoice]) -> str:
    """A word from a customer's name that is in no invoice number or id."""
    for row in rows:
        for word in (row.customer_legal_name or "").split():
            needle = word[:5].lower()
            if len(needle) >= 4 and needle.isalpha():
                clash = any(
                    needle in (r.invoice_number or "").lower() or needle in r.invoice_id.lower()
                    for r in rows
                )
                matching = [r for r in rows if needle in (r.customer_legal_name or "").lower()]
                if not clash and len(matching) < len(rows):
                    return needle
    raise AssertionError("no usable customer name in the loaded rows")


async def test_quick_filter_keeps_only_matching_loaded_rows(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_invoices(pilot)
        screen = invoices_screen(app)
        loaded = [row for _, row in screen.rows.loaded()]
        needle = pick_needle(loaded)
        expected = [r for r in loaded if needle in (r.customer_legal_name or "").lower()]
        full = summary(app)
        assert "rows 1-" in full

        await pilot.press("slash")
        await pilot.pause()
        quick = screen.query_one("#quick", Input)
        assert quick.display and quick.has_focus
        await pilot.press(*needle.upper())  # case does not matter
        await wait_until(
            pilot, lambda: table(app).source.count() == len(expected), what="the filtered rows"
        )
        shown = visible(app)
        assert shown and all(row is not None for row in shown)
        for row in shown:
            assert row is not None
            assert needle in (row.customer_legal_name or "").lower(), row.customer_legal_name
        assert [r.invoice_id for r in shown] == [r.invoice_id for r in expected][: len(shown)]
        assert f"/{needle}: {len(expected)} of {len(loaded)} loaded" in summary(app)

        # Enter goes back to the list with the filter on; Escape clears it.
        await pilot.press("enter")
        await pilot.pause()
        assert table(app).has_focus
        assert table(app).source.count() == len(expected)
        await pilot.press("escape")
        await pilot.pause()
        assert quick.value == ""
        assert not quick.display
        assert table(app).source.count() == len(loaded)
        assert "rows 1-" in summary(app)
        assert "loaded" not in summary(app)
        assert table(app).has_focus


async def test_escape_straight_from_the_filter_box_clears_it(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoices(pilot)
        screen = invoices_screen(app)
        total = screen.rows.total
        await pilot.press("slash", *"zzqx")
        await pilot.pause()
        assert table(app).source.count() == 0
        assert "/zzqx: 0 of" in summary(app)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one("#quick", Input).value == ""
        assert table(app).source.count() == total
        assert "rows 1-" in summary(app)
        assert table(app).has_focus


async def test_quick_filter_matches_amounts_as_shown(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoices(pilot)
        screen = invoices_screen(app)
        target = next(row for _, row in screen.rows.loaded() if (row.balance_amount or 0) >= 1000)
        shown_amount = inr(target.balance_amount)  # e.g. ₹1,23,456.00
        await pilot.press("slash")
        screen.query_one("#quick", Input).value = shown_amount
        await pilot.pause()
        ids = [r.invoice_id for r in visible(app) if r]
        assert target.invoice_id in ids


# -- marks ------------------------------------------------------------------------------------


async def test_space_marks_and_moves_down_star_marks_the_whole_search_u_clears(
    sandbox: RunningSandbox,
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoices(pilot)
        lazy = table(app)
        first = lazy.current
        assert first is not None
        await pilot.press("space")
        await pilot.pause()
        assert set(lazy.marks) == {first.invoice_id}
        assert lazy.cursor == 1
        assert f"1 marked {inr(first.balance_amount or 0)}" in summary(app)
        assert lazy.render_line(1).text.startswith("● ")
        assert not lazy.render_line(2).text.startswith("● ")

        # Space on a marked row unmarks it.
        await pilot.press("up", "space")
        await pilot.pause()
        assert set(lazy.marks) == set()
        assert "marked" not in summary(app)

        # The whole search (All: more than a screenful, and all loaded).
        screen = invoices_screen(app)
        await pilot.press("7")
        await wait_until(pilot, lambda: screen.rows.total == SMALL_INVOICES, what="All")
        await pilot.press("asterisk")
        await pilot.pause()
        everything = [row for _, row in screen.rows.loaded()]
        assert len(everything) == screen.rows.total > lazy.visible_rows
        assert set(lazy.marks) == {row.invoice_id for row in everything}
        total = sum((row.balance_amount or Decimal(0) for row in everything), Decimal(0))
        assert f"{len(everything)} marked {inr(total)}" in summary(app)

        await pilot.press("u")
        await pilot.pause()
        assert set(lazy.marks) == set()
        assert "marked" not in summary(app)


# -- copy -------------------------------------------------------------------------------------


async def test_y_copies_the_invoice_number_and_Y_the_payment_link(
    monkeypatch: pytest.MonkeyPatch, sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoices(pilot)
        await pilot.press("down")
        await pilot.pause()
        current = table(app).current
        assert current is not None and current.invoice_number
        await pilot.press("y")
        await pilot.pause()
        assert copied == [current.invoice_number]
        assert any(current.invoice_number in n for n in notes(app))

        # Y on a dispatched invoice copies its link.
        screen = invoices_screen(app)
        dispatched = next(
            (i for i, row in screen.rows.loaded() if row.dispatched and row.payment_link), None
        )
        assert dispatched is not None
        table(app).cursor = dispatched
        await pilot.pause()
        await pilot.press("Y")
        await pilot.pause()
        row = table(app).current
        assert row is not None
        assert copied[-1] == row.payment_link


async def test_Y_on_an_undispatched_invoice_warns_instead(
    monkeypatch: pytest.MonkeyPatch, sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoices(pilot)
        screen = invoices_screen(app)
        generation = screen.rows.generation
        await pilot.press("4")  # Not dispatched
        await wait_until(
            pilot,
            lambda: screen.rows.generation > generation and first_page_loaded(app),
            what="the undispatched invoices",
        )
        current = table(app).current
        assert current is not None
        assert not current.dispatched and not current.payment_link
        app._notifications.clear()
        await pilot.press("Y")
        await pilot.pause()
        assert copied == []
        (note,) = list(app._notifications)
        assert note.severity == "warning"
        assert "no payment link" in note.message


async def test_y_on_an_invoice_without_a_number_does_not_talk_about_payment_links(
    monkeypatch: pytest.MonkeyPatch, sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoices(pilot)
        bare = Invoice(invoice_id="KI00000000009999", payment_link="https://pay.example/x")
        table(app).set_source(ListSource([bare]))
        await pilot.pause()
        app._notifications.clear()
        await pilot.press("y")
        await pilot.pause()
        # The row shows the invoice id where the number would be: copy that, or say that the
        # invoice has no number; a payment link has nothing to do with it.
        messages = notes(app)
        assert not any("payment link" in m for m in messages), messages
        assert copied == [bare.invoice_id] or any("number" in m for m in messages), messages


# -- detail -----------------------------------------------------------------------------------


async def test_detail_pane_follows_the_cursor_on_a_wide_terminal(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(150, 40)) as pilot:
        await open_invoices(pilot)
        screen = invoices_screen(app)
        pane = screen.query_one("#invoice-detail")
        assert pane.display
        await wait_until(
            pilot,
            lambda: (
                table(app).current is not None
                and (table(app).current.invoice_number or "") in detail_text(app)
            ),
            what="the detail of the first row",
        )
        first = table(app).current
        assert first is not None and first.invoice_number
        text = detail_text(app)
        assert first.invoice_number in text
        assert inr(first.balance_amount) in text

        await pilot.press("down", "down", "down")
        fourth = table(app).current
        assert fourth is not None and fourth.invoice_number
        assert fourth.invoice_number != first.invoice_number
        await wait_until(
            pilot,
            lambda: (fourth.invoice_number or "") in detail_text(app),
            what="the detail pane to follow the cursor",
        )
        text = detail_text(app)
        assert fourth.invoice_number in text
        assert inr(fourth.balance_amount) in text
        assert first.invoice_number not in text

        await pilot.press(key_for("invoices.detail"))
        await pilot.pause()
        assert not pane.display
        await pilot.press(key_for("invoices.detail"))
        await pilot.pause()
        assert pane.display


async def test_detail_pane_is_hidden_on_80x24_until_d(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_invoices(pilot)
        screen = invoices_screen(app)
        pane = screen.query_one("#invoice-detail")
        assert not pane.display
        shown = [c.key for c in table(app).shown_columns]
        assert {"number", "customer", "due", "balance"} <= set(shown)
        await pilot.press(key_for("invoices.detail"))
        await pilot.pause()
        assert pane.display
        current = table(app).current
        assert current is not None and current.invoice_number
        assert current.invoice_number in detail_text(app)
        # The user's choice sticks through a resize.
        await pilot.resize_terminal(130, 40)
        await pilot.pause()
        assert pane.display


async def test_at_120_columns_the_list_has_the_width_and_names_are_read_whole(
    sandbox: RunningSandbox,
) -> None:
    """The detail pane waits for 140 columns, and optional columns give way to the customer's
    name: at 120 a name of up to 32 characters is not cut."""
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoices(pilot)
        screen = invoices_screen(app)
        assert not screen.query_one("#invoice-detail").display
        widths = {column.key: width for column, width in table(app)._layout_for(118)}
        assert widths["customer"] >= 32
        assert {"number", "due", "late", "balance", "status"} <= set(widths)
        await pilot.press("7")
        await wait_until(pilot, lambda: screen.query_spec.label == "All invoices")
        await wait_until(pilot, lambda: screen.rows.total == SMALL_INVOICES)
        rows = [row for _, row in screen.rows.loaded()]
        longest = max(rows, key=lambda r: len(r.customer_legal_name or ""))
        name = longest.customer_legal_name or ""
        assert 20 < len(name) <= 32, "the sandbox should have a name longer than 20 characters"
        index = rows.index(longest)
        table(app).cursor = index
        await pilot.pause()
        drawn = table(app).render_line(index - int(table(app).scroll_offset.y) + 1).text
        assert name in drawn, drawn


async def test_enter_opens_the_whole_invoice_and_escape_closes_it(
    monkeypatch: pytest.MonkeyPatch, sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoices(pilot)
        screen = invoices_screen(app)
        await pilot.press("down", "down")
        await pilot.pause()
        invoice = table(app).current
        assert invoice is not None
        await pilot.press("enter")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, InvoiceDetailScreen)
        assert modal.invoice == invoice
        body = texts(modal, width=88)
        assert invoice.invoice_number and invoice.invoice_number in body
        assert invoice.invoice_id in body
        assert (invoice.customer_legal_name or "") in body
        for amount in (invoice.net_amount, invoice.balance_amount):
            if amount:
                assert inr(amount) in body
        if invoice.receivable_status:
            assert invoice.receivable_status.display in body

        await pilot.press("y")
        await pilot.pause()
        assert copied == [invoice.invoice_number]

        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert table(app).current == invoice
        assert app.is_running


# -- aging colours ----------------------------------------------------------------------------


def invoice(due_in_days: int, balance: str = "1000", **fields: Any) -> Invoice:
    return Invoice(
        invoice_id="KI00000000000001",
        due_date=clock.today() + dt.timedelta(days=due_in_days),
        balance_amount=Decimal(balance),
        **fields,
    )


def test_aging_style_colours_overdue_rows_by_bucket() -> None:
    assert aging_style(invoice(10)) is None  # not yet due
    assert aging_style(invoice(0)) is None  # due today
    assert aging_style(invoice(-10)) == AGING_STYLES["1-30"]
    assert aging_style(invoice(-40)) == AGING_STYLES["31-60"]
    assert aging_style(invoice(-70)) == AGING_STYLES["61-90"]
    assert aging_style(invoice(-120)) == AGING_STYLES["90+"]
    assert len(set(AGING_STYLES.values())) == 4  # each bucket looks different


@pytest.mark.parametrize(("days", "bucket"), [(1, "1-30"), (30, "1-30"), (31, "31-60"),
                                               (60, "31-60"), (61, "61-90"), (90, "61-90"),
                                               (91, "90+")])  # fmt: skip
def test_aging_style_bucket_edges(days: int, bucket: str) -> None:
    assert aging_style(invoice(-days)) == AGING_STYLES[bucket]


def test_aging_style_dims_a_settled_invoice_however_late() -> None:
    assert aging_style(invoice(-120, balance="0")) == Style(dim=True)
    assert aging_style(invoice(5, balance="0")) == Style(dim=True)


def test_aging_style_of_an_invoice_without_a_due_date_or_balance() -> None:
    assert aging_style(Invoice(invoice_id="KI00000000000001")) is None
    assert aging_style(Invoice(invoice_id="KI00000000000001", balance_amount=Decimal(5))) is None


# -- errors -----------------------------------------------------------------------------------


async def refresh_with_the_server_gone(pilot: Pilot[Any], own: Any) -> None:
    """Stop the app's sandbox under the Invoices screen, then press r."""
    app = pilot.app
    assert isinstance(app, EnkashApp)
    assert "online" in header_text(app)
    own.stop()
    await pilot.press("r")
    await wait_until(
        pilot, lambda: "could not load" in summary(app), timeout=15, what="the failure"
    )


async def test_refresh_with_the_server_gone_says_so_and_keeps_running(
    start_sandbox: Callable[..., Any],
) -> None:
    own = start_sandbox()
    app = build_app(own.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoices(pilot)
        await refresh_with_the_server_gone(pilot, own)
        assert "unreachable" in header_text(app)
        assert app.is_running
        assert isinstance(app.screen, InvoicesScreen)
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and errors[-1].title == "Connection problem"
        # Still usable: keys answer without crashing.
        await pilot.press(key_for("invoices.detail"), "down", "o")
        await pilot.pause()
        assert isinstance(app.screen, SortPicker)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        assert app.screen is invoices_screen(app)


async def test_a_load_failure_stays_on_the_summary_until_the_next_load(
    start_sandbox: Callable[..., Any],
) -> None:
    own = start_sandbox()
    app = build_app(own.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoices(pilot)
        await refresh_with_the_server_gone(pilot, own)
        # What the screen's 5-second "updated … ago" timer does: it must not turn the failure
        # back into "loading…" (nothing is loading any more, and the user would wait forever).
        invoices_screen(app)._show_summary()
        assert "could not load" in summary(app), summary(app)
        assert "loading" not in summary(app)
