"""Home after signing in, against real sandboxes seeded for a pinned "today": every tile's count
and rupee total as the server gives them (the overdue ones also as a hand bucketing of every open
invoice says), opening tiles from the keyboard and the mouse, the aging chart and the most
overdue customers, the aging cached on disk, custom bucket ends, a failing server, and ``r``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from enkash_tui import clock
from enkash_tui.api import EnkashClient
from enkash_tui.api.models import Invoice, InvoiceCreate, InvoiceFilter
from enkash_tui.api.routes import DEFAULT_ROUTES
from enkash_tui.config import Settings
from enkash_tui.domain.aging import FRESH_FOR
from enkash_tui.domain.formatting import inr
from enkash_tui.domain.invoices import OPEN
from enkash_tui.local.locations import cache_dir
from enkash_tui.local.open_book_cache import load_open_book
from screens.bharat_connect.screen import BharatConnectScreen
from screens.home.screen import HomeScreen, TileView
from screens.invoices.screen import InvoicesScreen
from tests.support.clients import signed_in
from tests.support.driving import build_app, sign_in, wait_until
from tests.support.screen_text import text_of

StartSandbox = Callable[..., Any]

# Not the real date nor PINNED_TODAY: a screen that read the wall clock instead of
# ``enkash_tui.clock`` would bucket differently from the sandbox's seed and fail here.
TODAY = dt.date(2026, 6, 30)
INVOICES = 300  # enough for every bucket to hold something
CUSTOMERS = 30  # more than the ten top debtors Home shows
OVERDUE_KEYS = ["overdue-1", "overdue-31", "overdue-61", "overdue-91"]
SIZE = (120, 40)


@dataclass
class Tally:
    count: int = 0
    balance: Decimal = Decimal(0)

    def add(self, amount: Decimal) -> None:
        self.count += 1
        self.balance += amount


@dataclass
class HandAging:
    """Every open invoice bucketed by hand: bucket label -> tally, customer -> overdue tally."""

    buckets: dict[str, Tally]
    debtors: dict[str, Tally] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    total: Decimal = Decimal(0)

    def top(self, n: int = 10) -> list[tuple[str, Decimal, int]]:
        ranked = sorted(self.debtors, key=lambda c: (-self.debtors[c].balance, self.names[c]))
        return [(c, self.debtors[c].balance, self.debtors[c].count) for c in ranked[:n]]


def standard_bucket(late: int) -> str:
    if late <= 0:
        return "Current"
    if 1 <= late <= 30:
        return "1-30"
    if 31 <= late <= 60:
        return "31-60"
    if 61 <= late <= 90:
        return "61-90"
    return "90+"


def bucket_15_45(late: int) -> str:
    if late <= 0:
        return "Current"
    if 1 <= late <= 15:
        return "1-15"
    if 16 <= late <= 45:
        return "16-45"
    return "45+"


async def open_invoices_by_hand(
    client: EnkashClient, today: dt.date, bucket_of: Callable[[int], str], labels: list[str]
) -> HandAging:
    found = HandAging({label: Tally() for label in labels})
    async for invoice in client.iter_invoices(InvoiceFilter(receivable_statuses=OPEN)):
        balance = invoice.balance_amount or Decimal(0)
        late = invoice.days_overdue(today)
        found.buckets[bucket_of(late)].add(balance)
        found.total += balance
        if late > 0 and invoice.customer_id:
            found.names[invoice.customer_id] = invoice.customer_legal_name or invoice.customer_id
            found.debtors.setdefault(invoice.customer_id, Tally()).add(balance)
    return found


@pytest.fixture
def pinned_today() -> Iterator[dt.date]:
    with clock.pinned(TODAY):
        yield TODAY


def tiles_loaded(home: HomeScreen) -> bool:
    return all(view.found is not None or view.problem for view in home.tiles)


def aging_done(home: HomeScreen) -> bool:
    return home.aging is not None and home.aging.computed_at is not None and not home.computing


async def on_home(pilot: Pilot[Any]) -> HomeScreen:
    await sign_in(pilot)
    home = pilot.app.screen
    assert isinstance(home, HomeScreen)
    await wait_until(
        pilot, lambda: tiles_loaded(home) and aging_done(home), what="the tiles and the aging"
    )
    await pilot.pause()
    return home


def by_key(home: HomeScreen) -> dict[str, TileView]:
    return {view.tile.key: view for view in home.tiles}


def open_book_pages(sent: list[httpx.Request]) -> list[httpx.Request]:
    """The pages of the app's pass over the open invoices among ``sent`` (1,000 invoices a page,
    oldest due first; a test's own hand count asks in another order)."""
    path = DEFAULT_ROUTES["search_invoices"].path
    return [
        r
        for r in sent
        if r.url.path == path
        and (r.url.params.get("limit"), r.url.params.get("orderBy")) == ("1000", "dueDate")
    ]


# -- 1. tiles ------------------------------------------------------------------------------------


@pytest.mark.dates  # counted by hand for the pinned day
async def test_signing_in_lands_on_home_with_every_tile_as_the_server_and_a_hand_count_say(
    start_sandbox: StartSandbox, pinned_today: dt.date
) -> None:
    sandbox = start_sandbox(today=pinned_today, invoices=INVOICES, customers=CUSTOMERS)
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        home = await on_home(pilot)
        assert app.current_mode == "home"
        views = by_key(home)
        assert list(views) == [
            *OVERDUE_KEYS, "due-this-week", "not-dispatched", "awaiting-approval",
            "bc-payments", "bc-returned",
        ]  # fmt: skip
        assert [views[k].tile.label for k in OVERDUE_KEYS] == [
            "Overdue 1-30 days", "Overdue 31-60 days", "Overdue 61-90 days", "Overdue 90+ days",
        ]  # fmt: skip
        async with signed_in(sandbox.url) as client:
            for view in home.tiles:
                page = await client.search_invoices(view.tile.filters, limit=1)
                assert view.problem == "", view.tile.label
                assert view.found == page.total, view.tile.label
                assert view.balance == page.total_balance, view.tile.label
                shown = text_of(view)
                assert view.tile.label in shown
                assert f"{view.found} invoice" in shown
                if view.balance is not None:
                    assert inr(view.balance) in shown
            hand = await open_invoices_by_hand(
                client, pinned_today, standard_bucket, ["Current", "1-30", "31-60", "61-90", "90+"]
            )
        for key, label in zip(OVERDUE_KEYS, ["1-30", "31-60", "61-90", "90+"], strict=True):
            assert hand.buckets[label].count > 0, f"the seed has invoices {label} days late"
            assert views[key].found == hand.buckets[label].count, label
            assert (views[key].balance or Decimal(0)) == hand.buckets[label].balance, label


# -- 2. drill-down -------------------------------------------------------------------------------


def focused_key(home: HomeScreen) -> str | None:
    views = [*home.tiles, *home.followup_tiles]
    return next((view.tile.key for view in views if view.has_focus), None)


async def test_arrows_move_between_tiles_and_enter_or_a_click_opens_each(
    start_sandbox: StartSandbox, pinned_today: dt.date
) -> None:
    sandbox = start_sandbox(today=pinned_today, invoices=INVOICES, customers=CUSTOMERS)
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        home = await on_home(pilot)
        keys = [view.tile.key for view in home.tiles]
        assert focused_key(home) == keys[0]

        # Three to a row, the four follow-up tiles in one row below the worklist's; moves stop at
        # the first and last tile, right and left run on from the end of one row to the next, up
        # and down keep the column where the other row has it (else its last).
        keys += [view.tile.key for view in home.followup_tiles]
        assert keys[9:] == ["promises-today", "promises-broken", "follow-ups-due", "disputes-open"]
        moves = [
            ("left", 0), ("up", 0), ("right", 1), ("right", 2), ("right", 3), ("left", 2),
            ("down", 5), ("down", 8), ("down", 11), ("down", 12), ("down", 12), ("right", 12),
            ("up", 8), ("left", 7), ("right", 8), ("up", 5), ("up", 2), ("right", 3), ("up", 0),
            ("up", 0),
        ]  # fmt: skip
        for key, where in moves:
            await pilot.press(key)
            assert focused_key(home) == keys[where], f"after {key}"

        for view in home.tiles:
            tile = view.tile
            await pilot.press("f2")
            await wait_until(pilot, lambda: app.screen is home, what="Home again")
            view.focus()
            await pilot.pause()
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen is not home, what=f"{tile.label} opened")
            screen = app.screen
            if tile.section == "invoices":
                assert isinstance(screen, InvoicesScreen), tile.label
                assert screen.query_spec.filters == tile.filters, tile.label
                assert screen.query_spec.label == tile.label
                await wait_until(
                    pilot, lambda s=screen: s.rows.total is not None, what=f"{tile.label} rows"
                )
            else:
                assert tile.bc_queue is not None
                assert isinstance(screen, BharatConnectScreen), tile.label
                assert screen.queue.key == tile.bc_queue, tile.label

        # The mouse: a click on a tile opens it just the same.
        for key in ("overdue-31", "bc-returned"):
            await pilot.press("f2")
            await wait_until(pilot, lambda: app.screen is home, what="Home again")
            tile = by_key(home)[key].tile
            await pilot.click(f"#tile-{key}")
            await wait_until(pilot, lambda: app.screen is not home, what=f"{key} clicked")
            screen = app.screen
            if key == "overdue-31":
                assert isinstance(screen, InvoicesScreen)
                assert screen.query_spec.filters == tile.filters
                assert screen.query_spec.label == "Overdue 31-60 days"
            else:
                assert isinstance(screen, BharatConnectScreen)
                assert screen.queue.key == "2"


# -- 3. aging ------------------------------------------------------------------------------------


def chart_lines(home: HomeScreen) -> dict[str, str]:
    """Aging chart row label -> the rendered row."""
    lines = text_of(home.query_one("#aging-chart", Static)).splitlines()
    return {line.split()[0]: line for line in lines if line.strip()}


@pytest.mark.dates  # counted by hand for the pinned day
async def test_the_aging_and_top_debtors_match_every_open_invoice_and_are_cached_on_disk(
    start_sandbox: StartSandbox, pinned_today: dt.date, sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox(today=pinned_today, invoices=INVOICES, customers=CUSTOMERS)
    labels = ["Current", "1-30", "31-60", "61-90", "90+"]
    assert not list(cache_dir().glob("open-book-*"))  # nothing saved yet
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        home = await on_home(pilot)
        async with signed_in(sandbox.url) as client:
            hand = await open_invoices_by_hand(client, pinned_today, standard_bucket, labels)
        aging = home.aging
        assert aging is not None and aging.today == pinned_today
        assert [b.label for b in aging.buckets] == labels
        for bucket in aging.buckets:
            assert (bucket.count, bucket.balance) == (
                hand.buckets[bucket.label].count,
                hand.buckets[bucket.label].balance,
            ), bucket.label
        assert aging.total == hand.total
        assert aging.count == sum(t.count for t in hand.buckets.values())

        rows = chart_lines(home)
        for label in labels:
            assert str(hand.buckets[label].count) in rows[label].split(), label
            assert rows[label].rstrip().endswith(inr(hand.buckets[label].balance)), label
        assert rows["Total"].rstrip().endswith(inr(hand.total))

        expected_top = hand.top()
        assert len(hand.debtors) > 10, "more customers owe overdue than Home lists"
        assert [(d.customer_id, d.overdue, d.count) for d in aging.top()] == expected_top
        debtors = text_of(home.query_one("#debtors", Static))
        positions = [debtors.index(hand.names[c]) for c, _, _ in expected_top]
        assert positions == sorted(positions)
        assert all(inr(overdue) in debtors for _, overdue, _ in expected_top)
        beyond = hand.top(len(hand.debtors))[10:]
        assert all(hand.names[c] not in debtors for c, _, _ in beyond)

        assert "computed" in text_of(home.query_one("#aging-age", Static))
        assert app.session is not None
        saved_path = app.session.book_file()
        assert saved_path.exists()
        saved = load_open_book(saved_path)
        assert saved is not None and saved.computed_at == aging.computed_at
        assert [(b.count, b.balance) for b in saved.aging.buckets] == [
            (b.count, b.balance) for b in aging.buckets
        ]
    assert len(open_book_pages(sent_requests)) == 1  # 1,000 a page: one walk, one page

    # A second sign-in while that copy is fresh: the saved figures show at once, and they are
    # not computed again: not one page of open invoices is asked for.
    sent_requests.clear()
    again = build_app(sandbox.url)
    async with again.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        home = again.screen
        assert isinstance(home, HomeScreen)
        assert home.aging is not None and home.aging.computed_at == saved.computed_at
        assert not home.computing
        assert chart_lines(home)["Total"].rstrip().endswith(inr(hand.total))
        await wait_until(pilot, lambda: tiles_loaded(home), what="the tiles")
        await pilot.pause(0.5)
        assert not home.computing and again.session is not None
        assert again.session.book_pass is None
        assert "computing" not in text_of(home.query_one("#aging-age", Static))
    assert sent_requests, "the tiles were asked for"
    assert open_book_pages(sent_requests) == []

    # The next, once the copy is older than FRESH_FOR, on a slow server: the saved figures
    # show at once, with their age, while they are computed again in the background (slow
    # enough to outlast a loaded machine).
    data = json.loads(saved_path.read_text(encoding="utf-8"))
    data["computed_at"] -= FRESH_FOR + 60
    saved_path.write_text(json.dumps(data), encoding="utf-8")
    stale = load_open_book(saved_path)
    assert stale is not None and stale.computed_at is not None
    sent_requests.clear()
    slow = start_sandbox(today=pinned_today, invoices=INVOICES, customers=CUSTOMERS,
                         latency_ms=1500)  # fmt: skip
    third = build_app(slow.url)
    async with third.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        home = third.screen
        assert isinstance(home, HomeScreen)
        assert home.aging is not None
        assert home.aging.computed_at == stale.computed_at
        assert home.computing
        age_line = text_of(home.query_one("#aging-age", Static))
        assert "computed" in age_line and "ago" in age_line and "computing" in age_line
        assert chart_lines(home)["Total"].rstrip().endswith(inr(hand.total))
        await wait_until(pilot, lambda: aging_done(home), timeout=20, what="the recomputed aging")
        assert home.aging.computed_at > saved.computed_at
        recomputed = load_open_book(saved_path)
        assert recomputed is not None and recomputed.computed_at == home.aging.computed_at
        assert "computing" not in text_of(home.query_one("#aging-age", Static))
    assert len(open_book_pages(sent_requests)) == 1


# -- 4. custom buckets ---------------------------------------------------------------------------


@pytest.mark.dates  # counted by hand for the pinned day
async def test_custom_bucket_ends_shape_the_overdue_tiles_and_the_aging(
    start_sandbox: StartSandbox, pinned_today: dt.date
) -> None:
    sandbox = start_sandbox(today=pinned_today, invoices=INVOICES, customers=CUSTOMERS)
    app = build_app(sandbox.url, settings=Settings(aging_buckets=(15, 45)))
    labels = ["Current", "1-15", "16-45", "45+"]
    async with app.run_test(size=SIZE) as pilot:
        home = await on_home(pilot)
        overdue = [view for view in home.tiles if view.tile.key.startswith("overdue-")]
        assert [view.tile.label for view in overdue] == [
            "Overdue 1-15 days", "Overdue 16-45 days", "Overdue 45+ days",
        ]  # fmt: skip
        assert home.aging is not None
        assert [b.label for b in home.aging.buckets] == labels
        assert list(chart_lines(home)) == [*labels, "Total"]
        async with signed_in(sandbox.url) as client:
            hand = await open_invoices_by_hand(client, pinned_today, bucket_15_45, labels)
        for view, label in zip(overdue, labels[1:], strict=True):
            assert view.found == hand.buckets[label].count, label
            assert (view.balance or Decimal(0)) == hand.buckets[label].balance, label
        for bucket in home.aging.buckets:
            assert bucket.count == hand.buckets[bucket.label].count, bucket.label
            assert bucket.balance == hand.buckets[bucket.label].balance, bucket.label


# -- 5. a failing server -------------------------------------------------------------------------


async def test_a_failing_server_leaves_tiles_not_loaded_and_the_aging_not_computed(
    start_sandbox: StartSandbox, pinned_today: dt.date
) -> None:
    sandbox = start_sandbox(today=pinned_today, failure_rate=1.0)
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        age = home.query_one("#aging-age", Static)
        await wait_until(
            pilot,
            lambda: all(view.problem for view in home.tiles) and not home.computing,
            timeout=20,
            what="every tile and the aging to give up",
        )
        await pilot.pause()
        for view in home.tiles:
            assert view.found is None
            assert "not loaded" in text_of(view), view.tile.label
        assert "Not computed" in text_of(age)
        assert "Injected failure" in text_of(age)
        assert home.aging is not None and home.aging.computed_at is None
        assert not list(cache_dir().glob("open-book-*"))
        # Still running, still on Home, and its keys still work.
        await pilot.press("right")
        assert app.is_running and app.screen is home
        assert home.tiles[1].has_focus


# -- 6. r ----------------------------------------------------------------------------------------


async def test_r_refreshes_the_tiles_after_a_new_overdue_invoice(
    start_sandbox: StartSandbox, pinned_today: dt.date
) -> None:
    sandbox = start_sandbox(today=pinned_today)
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        home = await on_home(pilot)
        tile = by_key(home)["overdue-1"]
        assert tile.found is not None
        count_before, balance_before = tile.found, tile.balance or Decimal(0)
        computed_before = home.aging.computed_at if home.aging else None
        current_before = next(b for b in home.aging.buckets if b.label == "1-30")  # type: ignore[union-attr]
        bucket_before = (current_before.count, current_before.balance)
        async with signed_in(sandbox.url) as client:
            customers = [c async for c in client.iter_customers()]
            customer = next(c for c in customers if c.is_active)
            created: Invoice = await client.create_invoice(
                InvoiceCreate(
                    customer_id=customer.customer_id,
                    due_date=pinned_today - dt.timedelta(days=5),
                    base_amount=Decimal("12345.67"),
                )
            )
        assert created.net_amount == Decimal("12345.67")
        assert created.days_overdue(pinned_today) == 5
        # Nothing changes on its own (the next automatic refresh is a minute away).
        await pilot.pause()
        assert tile.found == count_before

        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: tile.found != count_before and aging_done(home)
            and home.aging is not None and home.aging.computed_at != computed_before,
            what="the refreshed tile and aging",
        )  # fmt: skip
        assert tile.found == count_before + 1
        assert tile.balance == balance_before + created.net_amount
        assert inr(tile.balance) in text_of(tile)
        bucket = next(b for b in home.aging.buckets if b.label == "1-30")
        assert (bucket.count, bucket.balance) == (
            bucket_before[0] + 1,
            bucket_before[1] + created.net_amount,
        )


async def test_the_most_overdue_customers_can_be_entered_and_opened(
    start_sandbox: StartSandbox, pinned_today: dt.date
) -> None:
    from screens.customer_card import CustomerCard
    from screens.home.debtors import DebtorList

    sandbox = start_sandbox(today=pinned_today, invoices=INVOICES, customers=CUSTOMERS)
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        home = await on_home(pilot)
        assert home.aging is not None
        top = home.aging.top()
        assert len(top) >= 2
        debtors = home.query_one("#debtors", DebtorList)
        # Tab past the tiles (the follow-ups' too) reaches the list.
        for _ in range(len(home.tiles) + len(home.followup_tiles) + 1):
            if debtors.has_focus:
                break
            await pilot.press("tab")
        assert debtors.has_focus
        await pilot.press("down")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerCard), what="the card")
        card = app.screen
        assert isinstance(card, CustomerCard)
        assert (card.customer_id, card.name_hint) == (top[1].customer_id, top[1].name)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is home, what="back on Home")
        assert debtors.has_focus
