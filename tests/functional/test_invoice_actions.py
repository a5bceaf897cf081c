"""Acting on invoices from the list: dispatch and delete collection, confirmed and reported."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from enkash_tui.api.models import InvoiceFilter
from screens.batch_actions import TYPE_THE_COUNT_FROM, BatchConfirm, BatchReport
from screens.invoices.screen import InvoicesScreen
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_invoices, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import notes, texts


async def open_preset(pilot: Pilot[Any], key: str) -> InvoicesScreen:
    app = pilot.app
    assert isinstance(app.screen, InvoicesScreen)
    screen = app.screen
    await pilot.press(key)
    await wait_until(pilot, lambda: screen.rows.total is not None, what="the first page")
    await pilot.pause()
    return screen


async def test_dispatching_marked_invoices_reports_each_and_refreshes(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoices(pilot)
        screen = await open_preset(pilot, "4")  # not dispatched, open
        before = screen.rows.total
        assert before and before >= 2
        first, second = screen.table.source.row(0), screen.table.source.row(1)
        assert first is not None and second is not None

        await pilot.press("space", "space", "s")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, BatchConfirm)
        body = texts(confirm)
        assert "Dispatch 2 invoices?" in body
        assert first.invoice_number in body and second.invoice_number in body
        await pilot.press("p")  # part payments: allow
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchReport), what="the report")
        report = texts(app.screen)
        assert "Dispatch: 2 done" in report
        assert first.invoice_number in report and second.invoice_number in report

        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.rows.total == before - 2, what="the refresh")
        assert not screen.table.marks
        async with signed_in(sandbox.url) as client:
            for invoice in (first, second):
                fresh = await client.get_invoice(invoice.invoice_id)
                assert fresh.dispatched and fresh.payment_link
                assert fresh.partial_payment_allowed is True


async def test_a_failed_invoice_is_reported_with_its_reason_and_stays_marked(
    start_sandbox: Any,
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoices(pilot)
        screen = await open_preset(pilot, "7")  # all, newest first
        async with signed_in(sandbox.url) as client:
            paid = (
                await client.search_invoices(InvoiceFilter(receivable_statuses=["PAID"]), limit=1)
            ).items[0]
        screen.table.marks.set(paid, True)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchReport), what="the report")
        report = texts(app.screen)
        assert "0 done, 1 failed" in report
        assert "fully paid" in report
        await pilot.press("escape")
        assert paid.invoice_id in screen.table.marks


async def test_a_large_batch_asks_for_the_count_to_be_typed(start_sandbox: Any) -> None:
    sandbox = start_sandbox(invoices=500, customers=20)
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoices(pilot)
        screen = await open_preset(pilot, "4")
        count = min(TYPE_THE_COUNT_FROM, screen.rows.loaded_count)
        assert count == TYPE_THE_COUNT_FROM, "the sandbox needs enough undispatched invoices"
        for index in range(count):
            row = screen.table.source.row(index)
            assert row is not None
            screen.table.marks.set(row, True)
        await pilot.press("x")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, BatchConfirm)
        assert f"Type {count}" in texts(confirm)
        await pilot.press("y")  # not enough on its own: it types into the count field
        await pilot.pause()
        assert isinstance(app.screen, BatchConfirm)
        typed = confirm.query_one("#typed-count", Input)
        typed.value = ""
        await pilot.press(*str(count - 1), "enter")
        await pilot.pause()
        assert isinstance(app.screen, BatchConfirm)  # the wrong count confirms nothing
        typed.value = ""
        await pilot.press(*str(count), "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchReport), what="the report")
        assert f"{count} done" in texts(app.screen)


async def test_escape_cancels_and_nothing_is_sent(
    sent_requests: list[Any], sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoices(pilot)
        await open_preset(pilot, "1")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, BatchConfirm)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InvoicesScreen)
        paths = {request.url.path for request in sent_requests}
        assert "/api/v0/invoice/bulk/delete" not in paths
        assert "/api/v0/invoice/bulk/dispatch" not in paths


async def test_read_only_hides_dispatch_and_delete(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url, force_readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoices(pilot)
        screen = await open_preset(pilot, "1")
        actions = {active.binding.action for active in screen.active_bindings.values()}
        assert "dispatch" not in actions and "delete" not in actions
        await pilot.press("s", "x")
        await pilot.pause()
        assert app.screen is screen
        said = [n for n in notes(app) if "read-only" in n]
        assert said == [
            "Send: not in a read-only session",
            "Delete: not in a read-only session",
        ]


async def test_c_shows_the_invoices_customer_with_contacts_and_reminders(
    sandbox: RunningSandbox,
) -> None:
    from screens.customer_card import CustomerCard

    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoices(pilot)
        screen = await open_preset(pilot, "1")
        invoice = screen.table.current
        assert invoice is not None and invoice.customer_id
        await pilot.press("c")
        await pilot.pause()
        card = app.screen
        assert isinstance(card, CustomerCard)
        await wait_until(pilot, lambda: "Loading" not in texts(card), what="the customer")
        shown = texts(card)
        assert invoice.customer_id in shown
        assert "Key contacts" in shown and "Reminder rules" in shown
        async with signed_in(app.session.client.base_url if app.session else "") as client:
            contacts = await client.get_customer_contacts(invoice.customer_id)
            rules = await client.list_reminders(invoice.customer_id)
        for contact in contacts:
            assert (contact.mobile or "") in shown
        if not rules:
            assert "No reminder rules" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
