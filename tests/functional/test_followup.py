"""The follow-up window (``w``) from Invoices, Customers and Bharat Connect, against a real sandbox
and a real SQLite book: a note, a promise to pay (a bad date shown beside it, what was typed
kept), a dispute opened and resolved, the next follow-up set and done; the timeline with this
app's changes from the action log and the Bharat Connect history; a read-only session looks only;
at 80x24 the window and its forms fit."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from decimal import Decimal
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from enkash_tui import clock
from enkash_tui.api.models import CustomerFilter, Invoice
from enkash_tui.domain.formatting import amount_as_typed, day, inr
from enkash_tui.local.locations import log_dir
from enkash_tui.sandbox_demo import DEMO_USERNAME
from screens.batch_actions import BatchConfirm, BatchReport
from screens.bharat_connect.screen import BharatConnectScreen
from screens.followup.forms import (
    CloseForm,
    DisputeForm,
    EntryForm,
    FollowUpDateForm,
    NoteForm,
    PromiseForm,
)
from screens.followup.window import FollowUpWindow
from screens.help import HelpScreen
from screens.invoices.screen import InvoicesScreen
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_customers, open_invoices, sign_in, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import notes, text_of, texts

SIZE = (120, 40)


def book_rows(sql: str) -> list[tuple[Any, ...]]:
    """Rows of the one follow-up book the app wrote, read with sqlite3 directly."""
    books = list((log_dir() / "worklogs").glob("*.sqlite3"))
    assert len(books) == 1, books
    with sqlite3.connect(books[0]) as conn:
        return conn.execute(sql).fetchall()


def timeline_text(window: FollowUpWindow) -> str:
    return text_of(window.query_one("#fu-lines", Static), width=160)


def standing_text(window: FollowUpWindow) -> str:
    return text_of(window.query_one("#fu-standing", Static), width=160)


async def open_window(pilot: Pilot[Any]) -> FollowUpWindow:
    await pilot.press("w")
    window = pilot.app.screen
    assert isinstance(window, FollowUpWindow), window
    await wait_until(
        pilot,
        lambda: window.entries is not None and window.facts.loaded,
        what="the book and EnKash read",
    )
    await pilot.pause()
    return window


async def open_form(pilot: Pilot[Any], key: str, kind: type[EntryForm]) -> Any:
    await pilot.press(key)
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, kind), form
    return form


async def type_into(pilot: Pilot[Any], form: EntryForm, name: str, text: str) -> None:
    field = form.query_one(f"#{name}", Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    await pilot.press(*text)
    assert field.value == text


def error_beside(form: EntryForm, name: str) -> str:
    return text_of(form.query_one(f"#{name}-error", Static)).strip()


async def saved(pilot: Pilot[Any], window: FollowUpWindow, then: str) -> None:
    """Enter saves the form; the window shows ``then`` on its timeline."""
    await pilot.press("enter")
    await wait_until(pilot, lambda: pilot.app.screen is window, what="the form to close")
    await wait_until(pilot, lambda: then in timeline_text(window), what=f"{then!r} shown")


async def note_promise_dispute_follow_up(pilot: Pilot[Any], window: FollowUpWindow) -> None:
    """Every entry through the window's keys and forms, checked on screen and in the file."""
    today = clock.today()
    # A note, signed with the username.
    form = await open_form(pilot, "n", NoteForm)
    await type_into(pilot, form, "text", "Called Mr Rao, pays Friday")
    await saved(pilot, window, "Note: Called Mr Rao, pays Friday")
    assert DEMO_USERNAME in timeline_text(window)
    assert book_rows(f"SELECT by, text FROM entries WHERE subject_id = '{window.subject.id}'") == [
        (DEMO_USERNAME, "Called Mr Rao, pays Friday")
    ]

    # A promise: the amount starts as the balance, the date empty; a bad date is shown beside
    # it and the amount stays as it was.
    form = await open_form(pilot, "p", PromiseForm)
    balance = window.facts.balance
    amount = form.query_one("#amount", Input)
    assert amount.value == (amount_as_typed(balance) if balance and balance > 0 else "")
    assert form.query_one("#due", Input).value == ""
    await type_into(pilot, form, "amount", "1,500.50")
    await type_into(pilot, form, "due", "2026-13-40")
    await pilot.press("enter")
    await pilot.pause()
    assert pilot.app.screen is form
    assert "yyyy-mm-dd" in error_beside(form, "due")
    assert amount.value == "1,500.50"
    assert form.query_one("#due", Input).has_focus
    due = today + dt.timedelta(days=7)
    await type_into(pilot, form, "due", due.isoformat())
    await saved(pilot, window, f"Promise to pay {inr(Decimal('1500.50'))} by {day(due)}")
    assert f"{inr(Decimal('1500.50'))} by {day(due)} · pending" in standing_text(window)
    assert book_rows("SELECT amount_paise, due FROM entries WHERE kind = 'promise'") == [
        (150050, due.isoformat())
    ]

    # A dispute: a reason is required; then it is open, and d again resolves it.
    form = await open_form(pilot, "d", DisputeForm)
    await type_into(pilot, form, "text", "Short shipment")
    await pilot.press("enter")
    await pilot.pause()
    assert error_beside(form, "reason") == "choose one"
    form.query_one("#reason", Select).value = "goods"
    form.query_one("#text", Input).focus()
    await saved(pilot, window, "Dispute opened: Goods or service not received: Short shipment")
    assert "Goods or service not received" in standing_text(window)
    form = await open_form(pilot, "d", CloseForm)
    await type_into(pilot, form, "text", "Credit note sent")
    await saved(pilot, window, "Dispute resolved: Credit note sent")
    assert "Dispute        none" in standing_text(window)

    # The next follow-up, then done.
    form = await open_form(pilot, "f", FollowUpDateForm)
    await type_into(pilot, form, "due", (today - dt.timedelta(days=1)).isoformat())
    await pilot.press("enter")
    await pilot.pause()
    assert error_beside(form, "due") == "is in the past"
    next_day = today + dt.timedelta(days=3)
    await type_into(pilot, form, "due", next_day.isoformat())
    await type_into(pilot, form, "text", "Ask for the UTR")
    await saved(pilot, window, f"Follow up on {day(next_day)}: Ask for the UTR")
    assert f"Next follow-up {day(next_day)}: Ask for the UTR" in standing_text(window)
    form = await open_form(pilot, "F", CloseForm)
    await saved(pilot, window, "Follow-up done")
    assert "Next follow-up none" in standing_text(window)
    assert book_rows("SELECT COUNT(*) FROM entries WHERE closed_at IS NULL") == [
        (2,)
    ]  # note, promise

    # The promise withdrawn (the customer cannot pay it): off the standing, said why.
    form = await open_form(pilot, "P", CloseForm)
    assert form.title_text.startswith("Withdraw the promise of")
    await type_into(pilot, form, "text", "Cash-flow problem, will call in Jan")
    await saved(pilot, window, "Promise withdrawn: Cash-flow problem, will call in Jan")
    assert "Promise        none" in standing_text(window)
    assert book_rows("SELECT COUNT(*) FROM entries WHERE closed_at IS NULL") == [(1,)]  # note


async def test_from_invoices_every_entry_and_the_timeline(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_invoices(pilot)
        invoice = screen.table.current
        assert invoice is not None
        window = await open_window(pilot)
        assert window.subject.kind == "invoice" and window.subject.id == invoice.invoice_id
        title = text_of(window.query_one("#fu-title", Static))
        assert invoice.invoice_number in title
        facts = text_of(window.query_one("#fu-facts", Static))
        assert f"Balance {inr(invoice.balance_amount or Decimal(0))}" in facts
        async with signed_in(sandbox.url) as client:
            page = await client.search_customers(
                CustomerFilter(customer_ids=[invoice.customer_id or ""]), limit=1
            )
        owner = page.items[0].assigned_agent
        assert window.facts.owner == owner
        assert f"owner {owner or 'not set'}" in facts
        await note_promise_dispute_follow_up(pilot, window)
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("f1")  # the help lists w among the list's keys
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert re.search(r"\bw\s+Follow-up", texts(app.screen))


async def test_from_customers_every_entry_and_the_invoices_entries(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customers(pilot)
        await pilot.press("down")  # into the list
        entry = screen.table.current
        assert entry is not None
        window = await open_window(pilot)
        assert window.subject.kind == "customer" and window.subject.id == entry.customer_id
        assert entry.legal_name in text_of(window.query_one("#fu-title", Static))
        facts = text_of(window.query_one("#fu-facts", Static))
        assert "owner" in facts and "invoices" in facts
        await note_promise_dispute_follow_up(pilot, window)
        # A customer's timeline shows what was written on its invoices, named.
        invoice_id, label = next((i, n) for i, n in window.facts.ids.items() if n)
        session = app.session
        assert session is not None
        from enkash_tui.domain.followups import Subject

        session.worklog().add_note(
            Subject.invoice(invoice_id, entry.customer_id, label), "On the invoice"
        )
        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: f"{label}: Note: On the invoice" in timeline_text(window),
            what="the invoice's note on the customer's timeline",
        )


async def test_from_bharat_connect_the_network_history_and_a_note(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("f6")
        screen = app.screen
        assert isinstance(screen, BharatConnectScreen)
        await wait_until(pilot, lambda: screen.table.current is not None, what="a queue's row")
        invoice = screen.table.current
        assert invoice is not None and invoice.bharat_connect is not None
        window = await open_window(pilot)
        fresh = window.facts
        history = [e for e in invoice.bharat_connect.history if e.at is not None]
        assert history, "the seeded network invoice has a history"
        lines = [line for line in window.lines if line.source == "network"]
        assert len(lines) == len(fresh.network) >= len(history)
        shown = timeline_text(window)
        assert "network · " in shown
        assert all(f"→ {e.status}" in shown for e in history)
        form = await open_form(pilot, "n", NoteForm)
        await type_into(pilot, form, "text", "Buyer says paid by NEFT")
        await saved(pilot, window, "Note: Buyer says paid by NEFT")
        # Newest first: the note tops the network history.
        assert window.lines[0].what == "Note: Buyer says paid by NEFT"


async def test_an_invoice_dispatched_from_the_app_shows_it(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_invoices(pilot)
        await pilot.press("4")  # not dispatched
        await wait_until(pilot, lambda: screen.rows.total is not None, what="the preset")
        await pilot.pause()
        invoice = screen.table.current
        assert isinstance(invoice, Invoice)
        await pilot.press("s")  # dispatch the cursor's invoice, as an operator does
        await pilot.pause()
        assert isinstance(app.screen, BatchConfirm)
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchReport), what="the report")
        await pilot.press("escape")
        await app.push_screen(FollowUpWindow.of_invoice(invoice))
        window = app.screen
        assert isinstance(window, FollowUpWindow)
        await wait_until(pilot, lambda: window.entries is not None, what="the book")
        shown = timeline_text(window)
        assert "Payment link sent (dispatched)" in shown
        assert "this app · Payment link sent" in shown and DEMO_USERNAME in shown


async def test_a_read_only_session_reads_the_timeline_and_writes_nothing(
    sandbox: RunningSandbox,
) -> None:
    app = build_app(sandbox.url, force_readonly=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_invoices(pilot)
        window = await open_window(pilot)
        assert window.lines == [] or {line.source for line in window.lines} == {"network"}
        for key in ("n", "p", "d", "f", "F"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is window, f"{key} opened {app.screen!r}"
        said = notes(app)
        assert "Note: not in a read-only session" in said
        assert "Promise to pay: not in a read-only session" in said
        assert "Read-only session" in text_of(window.query_one("#fu-hint", Static))
        assert not (log_dir() / "worklogs").exists() or book_rows(
            "SELECT COUNT(*) FROM entries"
        ) == [(0,)]


async def test_the_window_and_its_forms_fit_at_80x24(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_invoices(pilot)
        assert isinstance(screen, InvoicesScreen)
        window = await open_window(pilot)
        inside = app.screen.region

        def fits(widget: Any) -> bool:
            region = widget.region
            return region.height > 0 and inside.contains_region(region)

        assert fits(window.query_one(".fu-window"))
        assert fits(window.query_one("#fu-hint"))
        assert window.query_one("#fu-timeline").region.height >= 8
        for key, kind in (("n", NoteForm), ("p", PromiseForm), ("d", DisputeForm),
                          ("f", FollowUpDateForm)):  # fmt: skip
            form = await open_form(pilot, key, kind)
            form.query(Input).last().focus()  # (Enter on the reason list opens it)
            await pilot.press("enter")  # every one of them is refused empty: errors shown
            await pilot.pause()
            assert app.screen is form
            for part in (".fu-modal", "#save", "#close", *(f"#{n}" for n in form.start)):
                assert fits(form.query_one(part)), f"{kind.__name__} {part}"
            await pilot.press("escape")  # asks when something was typed
            await pilot.pause()
            if app.screen is not window:
                await pilot.press("y")
            await wait_until(pilot, lambda: app.screen is window, what="back to the window")


async def test_a_book_that_cannot_be_opened_is_said_and_keeps_what_was_typed(
    sandbox: RunningSandbox,
) -> None:
    blocker = log_dir() / "worklogs"  # a file where the book's folder should be
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        await open_invoices(pilot)
        await pilot.press("w")
        window = app.screen
        assert isinstance(window, FollowUpWindow)
        await wait_until(pilot, lambda: bool(window.book_problem), what="the book's problem")
        assert "cannot open the follow-up book" in standing_text(window)
        assert any("cannot open the follow-up book" in n for n in notes(app, "error"))
        form = await open_form(pilot, "n", NoteForm)
        await type_into(pilot, form, "text", "Will call back")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: "Not saved" in text_of(form.query_one("#form-status", Static)),
            what="the failed save said",
        )
        assert app.screen is form
        assert form.query_one("#text", Input).value == "Will call back"
        assert len(notes(app, "error")) >= 2
