"""Creating and editing an invoice from the list: checked input, kept on failure, PATCH deltas."""

from __future__ import annotations

import datetime as dt
import json
import time
from decimal import Decimal
from typing import Any

from textual.widgets import Input, Static

from enkash_tui import clock
from enkash_tui.api.models import CustomerFilter, InvoiceFilter
from enkash_tui.domain.invoices import InvoiceQuery
from screens.invoices.form import InvoiceForm
from screens.invoices.screen import InvoicesScreen
from screens.modals import ConfirmModal
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_invoices, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import notes, requests_to


async def a_customer(url: str) -> tuple[str, str]:
    async with signed_in(url) as client:
        page = await client.search_customers(CustomerFilter(customer_status="ACTIVE"), limit=5)
        customer = next(c for c in page.items if c.is_active)
        return customer.customer_id, customer.legal_name or ""


def error_of(form: InvoiceForm, field: str) -> str:
    return str(form.query_one(f"#{field}-error", Static).render())


async def test_new_invoice_bad_input_is_marked_then_good_input_is_created(
    start_sandbox: Any,
) -> None:
    sandbox = start_sandbox()
    customer_id, name = await a_customer(sandbox.url)
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 36)) as pilot:
        await open_invoices(pilot)
        screen = app.screen
        assert isinstance(screen, InvoicesScreen)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InvoiceForm)

        form.query_one("#customer", Input).value = "KC-not-an-id"
        form.query_one("#due_date", Input).value = "2026-02-30"
        form.query_one("#base_amount", Input).value = "0.05"
        form.query_one("#due_date", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert "KC" in error_of(form, "customer") or "pattern" in error_of(form, "customer")
        assert error_of(form, "due_date")
        assert "0.1" in error_of(form, "base_amount")
        assert form.query_one("#base_amount", Input).value == "0.05"  # nothing lost

        due = (clock.today() + dt.timedelta(days=30)).isoformat()
        form.query_one("#customer", Input).value = f"{name} — {customer_id}"
        form.query_one("#due_date", Input).value = due
        form.query_one("#base_amount", Input).value = "1,00,000"
        form.query_one("#cgst", Input).value = "9000"
        form.query_one("#sgst", Input).value = "9000"
        form.query_one("#invoice_number", Input).value = "INV/TEST/0001"
        form.query_one("#due_date", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, what="the form to close")

    async with signed_in(sandbox.url) as client:
        from enkash_tui.api.models import InvoiceFilter

        found = (await client.search_invoices(InvoiceFilter(invoice_number="INV/TEST/0001"))).items
        assert len(found) == 1
        created = found[0]
        assert created.customer_id == customer_id
        assert created.net_amount == Decimal("118000")
        assert created.due_date == dt.date.fromisoformat(due)


async def test_a_server_refusal_lands_on_its_field_and_keeps_the_form(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    customer_id, _name = await a_customer(sandbox.url)
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 36)) as pilot:
        await open_invoices(pilot)
        screen = app.screen
        assert isinstance(screen, InvoicesScreen)
        taken = next(row for _, row in screen.rows.loaded() if row.invoice_number)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InvoiceForm)
        form.query_one("#customer", Input).value = customer_id
        form.query_one("#due_date", Input).value = "2027-01-31"
        form.query_one("#base_amount", Input).value = "5000"
        form.query_one("#invoice_number", Input).value = taken.invoice_number or ""
        form.query_one("#due_date", Input).focus()
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: bool(error_of(form, "invoice_number")), what="the server's refusal"
        )
        assert "already used" in error_of(form, "invoice_number")
        assert app.screen is form
        assert form.query_one("#base_amount", Input).value == "5000"


async def test_edit_sends_only_the_changed_fields(
    start_sandbox: Any, sent_requests: list[Any]
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 36)) as pilot:
        await open_invoices(pilot)
        screen = app.screen
        assert isinstance(screen, InvoicesScreen)
        invoice = screen.table.current
        assert invoice is not None
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InvoiceForm)
        new_due = "2027-03-31"
        form.query_one("#due_date", Input).value = new_due
        form.query_one("#po_number", Input).value = "PO-EDITED"
        form.query_one("#due_date", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, what="the form to close")
        patches = [r for r in sent_requests if r.method == "PATCH"]
        assert len(patches) == 1
        assert patches[0].url.path == f"/api/v0/invoice/{invoice.invoice_id}"
        assert json.loads(patches[0].content) == {"dueDate": new_due, "poNumber": "PO-EDITED"}


async def test_leaving_with_edits_asks_and_can_keep_editing(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 36)) as pilot:
        await open_invoices(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InvoiceForm)
        form.query_one("#description", Input).value = "half-typed"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#description", Input).value == "half-typed"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, InvoicesScreen)


def fully_shown(form: InvoiceForm, field: str) -> bool:
    """The field's problem fits in its row: none of it is cut off below the first line."""
    line = form.query_one(f"#{field}-error", Static)
    row = line.parent
    assert row is not None
    return line.size.height <= row.size.height


async def test_a_due_date_before_the_invoice_date_is_refused_beside_the_due_date(
    start_sandbox: Any, sent_requests: list[Any]
) -> None:
    sandbox = start_sandbox()
    customer_id, _ = await a_customer(sandbox.url)
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_invoices(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InvoiceForm)
        form.query_one("#customer", Input).value = customer_id
        form.query_one("#invoice_date", Input).value = "2026-12-10"
        form.query_one("#due_date", Input).value = "2026-12-01"
        form.query_one("#base_amount", Input).value = "5000"
        form.query_one("#due_date", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert error_of(form, "due_date") == "can't be before the invoice date, 10 Dec 2026"
        assert fully_shown(form, "due_date")  # at 80 columns too, the whole message
        assert form.query_one("#due_date", Input).value == "2026-12-01"  # nothing lost
        assert requests_to(sent_requests, "/api/v0/invoice") == []

        # Far from today: refused in words, nothing crashes.
        form.query_one("#invoice_date", Input).value = "0001-01-06"
        form.query_one("#due_date", Input).value = "9999-12-31"
        await pilot.press("enter")
        await pilot.pause()
        assert error_of(form, "due_date") == "a date from 2000 to 2099"
        assert error_of(form, "invoice_date") == "a date from 2000 to 2099"
        assert requests_to(sent_requests, "/api/v0/invoice") == []


async def test_an_edit_moving_the_due_date_before_the_invoice_date_is_refused(
    start_sandbox: Any, sent_requests: list[Any]
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 36)) as pilot:
        await open_invoices(pilot)
        screen = app.screen
        assert isinstance(screen, InvoicesScreen)
        invoice = screen.table.current
        assert invoice is not None and invoice.invoice_date is not None  # seeded ones are dated
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InvoiceForm)
        assert form.original is not None and form.original.invoice_date is not None
        dated = form.original.invoice_date.date()
        # Only the due date changes: the form judges it with the invoice date it has.
        form.query_one("#due_date", Input).value = (dated - dt.timedelta(days=9)).isoformat()
        form.query_one("#due_date", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert error_of(form, "due_date") == (
            f"can't be before the invoice date, {dated.day:02d} {dated:%b} {dated.year}"
        )
        assert [r for r in sent_requests if r.method == "PATCH"] == []


async def test_problems_at_80_columns_are_shown_whole(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_invoices(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InvoiceForm)
        typed = {"customer": "KC-bad", "due_date": "soon", "base_amount": "0.05", "cgst": "1.234"}
        for name, text in typed.items():
            form.query_one(f"#{name}", Input).value = text
        form.query_one("#due_date", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        shown = {name: error_of(form, name) for name in typed}
        assert shown == {
            "customer": "KC + 14 capitals or digits",
            "due_date": "a date as yyyy-mm-dd, like 2026-11-25",
            "base_amount": "₹0.10 or more",
            "cgst": "at most 2 decimal places (paise)",
        }
        for name in typed:
            assert fully_shown(form, name), (name, shown[name])


async def test_esc_leaves_the_form_while_a_customer_suggestion_is_slow(
    sandbox: RunningSandbox,
) -> None:
    """A type-ahead lookup nobody waits for never takes Esc from the form (it used to stop the
    lookup instead, and the form stayed)."""
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 36)) as pilot:
        await open_invoices(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, InvoiceForm), what="the form")
        form = app.screen
        session = app.session
        assert session is not None
        sandbox.faults.latency = 3.0
        try:
            await pilot.press(*"Acme")  # the customer field has the focus: suggestions start
            await wait_until(
                pilot,
                lambda: any(
                    call.operation == "search_customers" and call.started < time.monotonic() - 1.2
                    for call in session.client.calls_in_flight()
                ),
                what="a suggestion lookup waiting over a second",
            )
            await pilot.press("escape")
            await wait_until(
                pilot, lambda: isinstance(app.screen, ConfirmModal), what="discard the edits?"
            )
            assert not [n for n in notes(app) if n.startswith("Stopped waiting")]
            await pilot.press("y")
            await wait_until(pilot, lambda: app.screen is not form, what="the form to close")
            assert isinstance(app.screen, InvoicesScreen)
        finally:
            sandbox.faults.latency = 0.0


async def test_a_new_invoice_starts_with_the_customer_the_list_is_on(
    sandbox: RunningSandbox,
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 36)) as pilot:
        screen = await open_invoices(pilot)
        row = screen.table.current
        assert row is not None and row.customer_id
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, InvoiceForm), what="the form")
        form = app.screen
        assert isinstance(form, InvoiceForm)
        customer = form.query_one("#customer", Input).value
        assert customer == f"{row.customer_legal_name} — {row.customer_id}"
        assert not form.dirty  # nothing typed yet: leaving does not ask
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="back on the list")

        # On one customer's invoices (Customers' i), that customer even with no row chosen.
        query = InvoiceQuery("Customer: Someone", InvoiceFilter(customer_ids=["KC0000000000NONE"]))
        screen.load(query)
        await wait_until(pilot, lambda: screen.rows.total == 0, what="the empty result")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, InvoiceForm), what="the form")
        assert app.screen.query_one("#customer", Input).value == "KC0000000000NONE"
