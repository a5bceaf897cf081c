"""Home's follow-up tiles against a real sandbox and a real follow-up book (the profile's SQLite
file): each tile's count and rupees equal to what the book and EnKash say when asked directly;
Enter on a tile opens its list, and Enter there the invoice or the customer's card; a promise kept
by a payment the buyer made through the sandbox, and one broken by its date (clock pinned)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from enkash_tui import clock
from enkash_tui.api import EnkashClient
from enkash_tui.api.models import (
    BharatConnectStatus,
    Invoice,
    InvoiceFilter,
    PaymentConfirmation,
    PaymentType,
    SupplierResponse,
)
from enkash_tui.config import SANDBOX_PROFILE
from enkash_tui.domain.followups import Subject
from enkash_tui.domain.formatting import inr
from enkash_tui.domain.invoices import OPEN
from enkash_tui.domain.promise_check import check_book
from enkash_tui.local.worklog import Worklog, worklog_path
from enkash_tui.sandbox_demo import DEMO_USERNAME
from screens.customer_card import CustomerCard
from screens.followup.window import FollowUpWindow
from screens.home.followup_list import FollowUpListScreen, FollowUpTileView
from screens.home.screen import HomeScreen
from screens.invoices.windows import InvoiceDetailScreen
from tests.support.clients import signed_in
from tests.support.driving import build_app, sign_in, wait_until
from tests.support.screen_text import drawn, text_of, texts
from tests.support.wire import RawApi

pytestmark = pytest.mark.dates  # promises fall due by the pinned day

StartSandbox = Callable[..., Any]
TODAY = dt.date(2026, 6, 30)
SIZE = (120, 40)
NOUNS = {
    "promises-today": "promise",
    "promises-broken": "promise",
    "follow-ups-due": "follow-up",
    "disputes-open": "dispute",
}


@pytest.fixture
def pinned_today() -> Iterator[dt.date]:
    with clock.pinned(TODAY):
        yield TODAY


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def book() -> Worklog:
    """The signed-in profile's own book, as the app opens it."""
    return Worklog(worklog_path(SANDBOX_PROFILE, "sandbox"), DEMO_USERNAME)


def rows(sql: str, *params: object) -> list[sqlite3.Row]:
    """Straight from the book's file, not through the app's code."""
    with sqlite3.connect(worklog_path(SANDBOX_PROFILE, "sandbox")) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()


async def invoices_of(client: EnkashClient, kind: str, subject_id: str) -> list[Invoice]:
    if kind == "invoice":
        return [await client.get_invoice(subject_id)]
    return [i async for i in client.iter_invoices(InvoiceFilter(customer_ids=[subject_id]))]


async def expected(client: EnkashClient, today: dt.date) -> dict[str, tuple[set[int], Decimal]]:
    """Each tile's entry ids and rupees, from the book's rows and EnKash asked one by one."""
    promises = rows("SELECT * FROM entries WHERE kind = 'promise' AND closed_at IS NULL")
    due_today: set[int] = set()
    broken: set[int] = set()
    promised: dict[int, Decimal] = {}
    for row in promises:
        found = await invoices_of(client, row["subject_kind"], row["subject_id"])
        grown = sum(int(i.total_received * 100) for i in found) - row["baseline_paise"]  # type: ignore[operator]
        # Paid (on time or late), it is the app's to close as it sees it: on neither tile.
        paid = grown >= row["amount_paise"] or row["paid_seen_on"] is not None
        due = dt.date.fromisoformat(row["due"])
        promised[row["id"]] = Decimal(row["amount_paise"]) / 100
        if not paid and today > due:
            broken.add(row["id"])
        elif not paid and due == today:
            due_today.add(row["id"])

    async def balance_of(picked: list[sqlite3.Row]) -> Decimal:
        balances: dict[str, Decimal] = {}
        for row in picked:
            for invoice in await invoices_of(client, row["subject_kind"], row["subject_id"]):
                balances[invoice.invoice_id] = invoice.balance_amount or Decimal(0)
        return sum(balances.values(), Decimal(0))

    follow_ups = rows(
        "SELECT * FROM entries WHERE kind = 'follow_up' AND closed_at IS NULL AND due <= ?",
        today.isoformat(),
    )
    disputes = rows("SELECT * FROM entries WHERE kind = 'dispute' AND closed_at IS NULL")
    return {
        "promises-today": (due_today, sum((promised[i] for i in due_today), Decimal(0))),
        "promises-broken": (broken, sum((promised[i] for i in broken), Decimal(0))),
        "follow-ups-due": ({r["id"] for r in follow_ups}, await balance_of(follow_ups)),
        "disputes-open": ({r["id"] for r in disputes}, await balance_of(disputes)),
    }


def followups_loaded(home: HomeScreen) -> bool:
    views = home.followup_tiles
    return len(views) == 4 and all(v.figure is not None or v.problem for v in views)


async def on_home(pilot: Pilot[Any]) -> HomeScreen:
    await sign_in(pilot)
    home = pilot.app.screen
    assert isinstance(home, HomeScreen)
    await wait_until(pilot, lambda: followups_loaded(home), what="the follow-up tiles")
    await pilot.pause()
    return home


def tiles_of(home: HomeScreen) -> dict[str, FollowUpTileView]:
    return {view.tile.key: view for view in home.followup_tiles}


def assert_tiles(home: HomeScreen, wanted: dict[str, tuple[set[int], Decimal]]) -> None:
    for key, view in tiles_of(home).items():
        assert view.problem == "", key
        assert view.figure is not None
        ids, total = wanted[key]
        assert {c.entry.id for c in view.figure.entries} == ids, key
        assert (view.figure.count, view.figure.total) == (len(ids), total), key
        shown = text_of(view)
        noun = NOUNS[key] if len(ids) == 1 else NOUNS[key] + "s"
        assert view.tile.label in shown and f"{len(ids)} {noun}" in shown, shown
        assert inr(total) in shown, shown


async def refreshed(pilot: Pilot[Any], home: HomeScreen) -> None:
    """r, then wait for the follow-up tiles to be worked out again."""
    before = {key: view.figure for key, view in tiles_of(home).items()}
    await pilot.press("r")
    await wait_until(
        pilot,
        lambda: all(v.figure is not before[k] for k, v in tiles_of(home).items()),
        what="the follow-up tiles again",
    )
    await wait_until(
        pilot, lambda: not any(w.group == "home-promises" and not w.is_finished
                               for w in pilot.app.workers), what="the promises checked",
    )  # fmt: skip
    await pilot.pause()


async def test_the_tiles_equal_the_book_and_enkash_and_open_their_lists(
    start_sandbox: StartSandbox, pinned_today: dt.date
) -> None:
    sandbox = start_sandbox(today=pinned_today, invoices=300, customers=30)
    async with signed_in(sandbox.url) as client:
        page = await client.search_invoices(
            InvoiceFilter(receivable_statuses=OPEN), limit=200, order_by="invoiceId"
        )
        open_ones = [i for i in page.items if (i.balance_amount or 0) > 0 and i.customer_id]
        by_customer: dict[str, list[Invoice]] = {}
        for invoice in open_ones:
            by_customer.setdefault(invoice.customer_id or "", []).append(invoice)
        # Two customers with several open invoices: one gets customer-wide entries.
        c1, c2 = sorted(by_customer, key=lambda c: -len(by_customer[c]))[:2]
        whole = [i async for i in client.iter_invoices(InvoiceFilter(customer_ids=[c1]))]
        c1_received = sum((i.total_received or Decimal(0) for i in whole), Decimal(0))
    singles = [i for i in open_ones if i.customer_id not in (c1, c2)][:9]
    a, b, c, d, e, f, g, h, k = singles
    c2_invoice = by_customer[c2][0]

    def on(invoice: Invoice) -> Subject:
        return Subject.invoice(
            invoice.invoice_id, invoice.customer_id or "", invoice.invoice_number or ""
        )

    ledger = book()
    ledger.add_promise(on(a), TODAY, Decimal("1000.50"), a.total_received or Decimal(0))
    ledger.add_promise(Subject.customer(c1, "C1"), TODAY, Decimal(2500), c1_received)
    ledger.add_promise(on(b), days(-1), Decimal(700), b.total_received or Decimal(0))  # broken
    ledger.add_promise(on(c), days(5), Decimal(900), c.total_received or Decimal(0))  # to come
    ledger.add_promise(on(d), days(-3), Decimal(100), Decimal(0))
    ledger.add_promise(on(d), days(2), Decimal(100), Decimal(0))  # replaces the broken one
    ledger.set_follow_up(on(e), TODAY, "call the accounts desk")
    ledger.set_follow_up(Subject.customer(c2, "C2"), days(-3))
    ledger.set_follow_up(on(f), days(1))  # not due yet
    done = ledger.set_follow_up(on(g), days(-1))
    ledger.close_entry(done.id, "called")
    ledger.open_dispute(on(a), "amount", "rate is 5% off")
    ledger.open_dispute(Subject.customer(c2, "C2"), "goods")
    ledger.open_dispute(on(c2_invoice), "quality")  # also in the customer's: counted once
    resolved = ledger.open_dispute(on(h), "tax")
    ledger.close_entry(resolved.id, "credit note sent")
    ledger.add_note(on(k), "only a note: on no tile")
    ledger.close()

    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        home = await on_home(pilot)
        async with signed_in(sandbox.url) as client:
            wanted = await expected(client, TODAY)
        assert [len(wanted[k][0]) for k in NOUNS] == [2, 1, 2, 3]
        assert wanted["promises-today"][1] == Decimal("3500.50")
        assert_tiles(home, wanted)

        # Enter on each tile: its list, the same entries, read from EnKash.
        for key, view in tiles_of(home).items():
            view.focus()
            await pilot.pause()
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, FollowUpListScreen), what=key)
            listing = app.screen
            assert isinstance(listing, FollowUpListScreen)
            await wait_until(
                pilot, lambda s=listing: s.rows and all(r.read for r in s.rows), what="read rows"
            )
            assert {r.entry.id for r in listing.rows} == wanted[key][0], key
            assert view.tile.label in texts(listing)
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is home, what="Home again")

        # From the disputes' list, Enter opens the invoice in full, or the customer's card.
        tiles_of(home)["disputes-open"].focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FollowUpListScreen), what="list")
        listing = app.screen
        assert isinstance(listing, FollowUpListScreen)
        await wait_until(pilot, lambda: all(r.read for r in listing.rows), what="read rows")
        for index, row in enumerate(listing.rows):
            listing.table.cursor = index
            await pilot.pause()
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen is not listing, what="opened")
            opened = app.screen
            if row.entry.subject.kind == "invoice":
                assert isinstance(opened, InvoiceDetailScreen)
                assert opened.invoice.invoice_id == row.entry.subject.id
            else:
                assert isinstance(opened, CustomerCard)
                assert opened.customer_id == c2
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is listing, what="the list again")


async def _network_invoices(client: EnkashClient, n: int) -> list[Invoice]:
    """Open invoices on Bharat Connect a buyer may pay (none of their payments pending)."""
    page = await client.search_invoices(
        InvoiceFilter(
            bharat_connect_statuses=[BharatConnectStatus.CREATED, BharatConnectStatus.ACCEPTED],
            bharat_connect_payment_pending=False,
            receivable_statuses=OPEN,
        ),
        limit=100,
        order_by="invoiceId",
    )
    payable = [i for i in page.items if (i.balance_amount or 0) > 0]
    assert len(payable) >= n, "the seed has open network invoices"
    return payable[:n]


async def test_a_promise_kept_by_the_buyers_payment_and_one_broken_by_its_date(
    start_sandbox: StartSandbox, pinned_today: dt.date
) -> None:
    sandbox = start_sandbox(today=pinned_today, invoices=300, customers=30)
    async with signed_in(sandbox.url) as client:
        kept, late = await _network_invoices(client, 2)
    ledger = book()
    subject = Subject.invoice(kept.invoice_id, kept.customer_id or "", kept.invoice_number or "")
    keeping = ledger.add_promise(
        subject, days(2), kept.balance_amount or Decimal(0), kept.total_received or Decimal(0)
    )
    subject = Subject.invoice(late.invoice_id, late.customer_id or "", late.invoice_number or "")
    breaking = ledger.add_promise(subject, days(1), Decimal(500), late.total_received or Decimal(0))
    ledger.close()

    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        home = await on_home(pilot)
        async with signed_in(sandbox.url) as client:
            assert_tiles(home, await expected(client, TODAY))
        assert [tiles_of(home)[k].figure.count for k in ("promises-today", "promises-broken")] == [
            0,
            0,
        ]  # type: ignore[union-attr]

        # The buyer pays the first invoice through the sandbox; the supplier confirms it.
        paid = await paid_by_the_buyer(sandbox.url, kept)
        assert paid.total_received == (kept.total_received or 0) + (kept.balance_amount or 0)

        # Home sees the payment and closes that promise in the book as kept, that day.
        await refreshed(pilot, home)
        await wait_until(
            pilot,
            lambda: rows("SELECT closed_at FROM entries WHERE id = ?", keeping.id)[0][0],
            what="the paid promise closed",
        )
        [seen] = rows("SELECT * FROM entries WHERE id = ?", keeping.id)
        assert (seen["paid_seen_on"], seen["closed_by"]) == (TODAY.isoformat(), DEMO_USERNAME)
        assert seen["closing_text"] == f"kept: paid, seen {TODAY.isoformat()}"
        [other] = rows("SELECT * FROM entries WHERE id = ?", breaking.id)
        assert (other["paid_seen_on"], other["closed_at"]) == (None, None)

        # The next day the other promise is due today...
        clock.pin(days(1))
        await refreshed(pilot, home)
        async with signed_in(sandbox.url) as client:
            assert_tiles(home, await expected(client, days(1)))
        figure = tiles_of(home)["promises-today"].figure
        assert figure is not None
        assert [c.entry.id for c in figure.entries] == [breaking.id]
        assert figure.total == Decimal(500)

        # ...and the day after, broken; the paid one was kept (paid before its date).
        clock.pin(days(3))
        await refreshed(pilot, home)
        async with signed_in(sandbox.url) as client:
            assert_tiles(home, await expected(client, days(3)))
            check = await check_book(client, book().open_entries("promise"), days(3))
        figure = tiles_of(home)["promises-broken"].figure
        assert figure is not None and [c.entry.id for c in figure.entries] == [breaking.id]
        assert tiles_of(home)["promises-today"].figure.count == 0  # type: ignore[union-attr]
        assert {c.entry.id: c.state for c in check.checked} == {breaking.id: "broken"}

        # Its list says so, and Enter opens the invoice.
        tiles_of(home)["promises-broken"].focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FollowUpListScreen), what="list")
        listing = app.screen
        assert isinstance(listing, FollowUpListScreen)
        await wait_until(pilot, lambda: all(r.read for r in listing.rows), what="read rows")
        shown = "\n".join(drawn(listing.table))
        assert (
            "broken" in shown
            and (late.invoice_number or "") in shown
            and inr(Decimal(500)) in shown
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, InvoiceDetailScreen), what="invoice")
        assert app.screen.invoice.invoice_id == late.invoice_id  # type: ignore[attr-defined]

        # Paid late: the follow-up window sees it, closes it as paid late, and it leaves the tile.
        await paid_by_the_buyer(sandbox.url, late)
        window = FollowUpWindow.of_invoice(late)
        await app.push_screen(window)
        closing = f"paid late: seen {days(3).isoformat()}, promised by {days(1).isoformat()}"
        await wait_until(
            pilot,
            lambda: closing in text_of(window.query_one("#fu-standing", Static), width=160),
            what="the late payment on the window",
        )
        [row] = rows("SELECT * FROM entries WHERE id = ?", breaking.id)
        assert (row["closing_text"], row["paid_seen_on"]) == (closing, days(3).isoformat())
        await pilot.press("escape", "escape", "escape")
        await refreshed(pilot, home)
        assert tiles_of(home)["promises-broken"].figure.count == 0  # type: ignore[union-attr]


async def paid_by_the_buyer(url: str, invoice: Invoice) -> Invoice:
    """The buyer pays ``invoice`` in full through the sandbox's buyer route; the supplier confirms
    the payment. The invoice as EnKash then has it."""
    buyer = RawApi(url)
    reply = buyer.call("POST", f"/sandbox/buyer/{invoice.invoice_id}",
                       json={"action": "REPORT_PAYMENT"}, token=buyer.token())  # fmt: skip
    assert reply.status_code == 200, reply.text
    async with signed_in(url) as client:
        pending = await client.get_invoice(invoice.invoice_id)
        network = pending.bharat_connect
        assert network is not None and network.reported_payment is not None
        await client.confirm_payment(
            PaymentConfirmation(
                invoice_ids=[invoice.invoice_id],
                payment_id=network.reported_payment.payment_id,
                remarks="Received in full",
                response=SupplierResponse.ACCEPT,
                type=PaymentType.OFFPLATFORM,
            )
        )
        return await client.get_invoice(invoice.invoice_id)
