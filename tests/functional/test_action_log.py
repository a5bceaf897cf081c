"""Ctrl+L, the action log: changes made through the app show up newest first, the filter
narrows them, an entry opens in full, a safe failure is retried after a confirmation, and the
file on disk is 0600 with no password or client secret in it."""

from __future__ import annotations

import datetime as dt
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from enkash_tui import clock
from enkash_tui.api.call_record import CallRecord
from enkash_tui.api.models import CustomerFilter
from enkash_tui.local.action_log import ActionLog
from enkash_tui.sandbox_demo import DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME
from screens.action_log import ActionLogScreen, EntryModal
from screens.customers import CustomersScreen
from screens.modals import ConfirmModal
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_customers, wait_until
from tests.support.screen_text import notes, text_of


async def toggle_active(pilot: Pilot[Any], screen: CustomersScreen) -> None:
    """``a`` on the cursor's customer, confirmed: deactivate or activate it."""
    app = pilot.app
    before = screen.table.current.status
    await pilot.press("a")
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="confirm")
    await pilot.press("y")
    await wait_until(
        pilot, lambda: screen.table.current.status != before, what="the status to change"
    )


async def customer_status(url: str, customer_id: str) -> str | None:
    async with signed_in(url) as client:
        page = await client.search_customers(CustomerFilter(customer_ids=[customer_id]))
        return page.items[0].status


async def test_changes_show_newest_first_filter_and_no_secret_on_disk(
    start_sandbox: Callable[..., Any], isolated_dirs: Path
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_customers(pilot)
        entry = next(e for e in screen.cache.entries if e.status == "ACTIVE")
        screen.query_one("#lookup", Input).value = entry.customer_id
        await pilot.pause()
        await pilot.press("down")
        assert screen.table.current.customer_id == entry.customer_id

        await toggle_active(pilot, screen)  # deactivate
        await toggle_active(pilot, screen)  # and activate again

        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionLogScreen), what="the log")
        log_screen = app.screen
        assert isinstance(log_screen, ActionLogScreen)
        shown = [(e.operation, e.target_ids, e.outcome) for e in log_screen.shown]
        assert shown == [
            ("activate_customer", (entry.customer_id,), "ok"),
            ("deactivate_customer", (entry.customer_id,), "ok"),
        ]
        assert all(e.profile == "Sandbox" and e.user == DEMO_USERNAME for e in log_screen.shown)
        assert log_screen.table.current is log_screen.shown[0]

        # The filter narrows as you type ("activate" alone would match both).
        await pilot.press("slash", *"deactivate")
        assert [e.operation for e in log_screen.shown] == ["deactivate_customer"]
        assert "1 of 2" in text_of(log_screen.query_one("#log-summary", Static))
        await pilot.press("enter")  # into the list
        await pilot.press("enter")  # the entry in full
        await wait_until(pilot, lambda: isinstance(app.screen, EntryModal), what="the entry")
        details = text_of(app.screen.query_one("#log-entry-details", Static))
        assert "deactivate_customer" in details
        assert f"/api/v0/customer/deactivate/{entry.customer_id}" in details
        assert "nothing to retry" in details
        await pilot.press("escape")
        await pilot.press("escape")  # closes the log
        await wait_until(pilot, lambda: app.screen is screen, what="back on Customers")

    path = isolated_dirs / "action-log.jsonl"  # the test's own folder, never the real one
    text = path.read_text()
    assert len(text.splitlines()) == 2
    for secret in (DEMO_PASSWORD, DEMO_CLIENT_SECRET, "Bearer"):
        assert secret not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def failed_record(operation: str, customer_id: str, **changes: Any) -> CallRecord:
    values: dict[str, Any] = {
        "operation": operation,
        "method": "PUT",
        "path": f"/api/v0/customer/activate/{customer_id}",
        "outcome": "failed",
        "retry_safe": True,
        "target_ids": (customer_id,),
        "message": "Could not connect: nothing was sent",
        "path_params": {"customerId": customer_id},
    }
    values.update(changes)
    return CallRecord(**values)


async def test_a_safe_failure_is_retried_after_a_confirmation_and_the_others_say_why_not(
    start_sandbox: Callable[..., Any], sent_requests: list[Any]
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_customers(pilot)
        entry = next(e for e in screen.cache.entries if e.status == "ACTIVE")
        screen.query_one("#lookup", Input).value = entry.customer_id
        await pilot.pause()
        await pilot.press("down")
        await toggle_active(pilot, screen)  # deactivated, through the app
        assert await customer_status(sandbox.url, entry.customer_id) == "INACTIVE"

        # As if activating it had failed earlier without reaching EnKash, and an older refusal.
        log = ActionLog()
        five_ago = clock.now() - dt.timedelta(minutes=5)
        log.append(failed_record("activate_customer", entry.customer_id), "Sandbox", "x", five_ago)
        log.append(
            failed_record(
                "delete_customer",
                entry.customer_id,
                retry_safe=False,
                http_status=422,
                message="Customer has open invoices",
            ),
            "Sandbox",
            "x",
            at=clock.now() - dt.timedelta(minutes=10),
        )

        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionLogScreen), what="the log")
        log_screen = app.screen
        assert [e.operation for e in log_screen.shown] == [
            "deactivate_customer",
            "activate_customer",
            "delete_customer",
        ]

        # The refusal cannot be retried from here, and says why; nothing is sent.
        await pilot.press("end")
        assert log_screen.table.current.operation == "delete_customer"
        sent = len(sent_requests)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ActionLogScreen)
        assert any("Refused by EnKash" in n for n in notes(app))
        assert len(sent_requests) == sent

        # The safe one: asks first, then sends it again; the retry is the newest entry.
        await pilot.press("up")
        assert log_screen.table.current.operation == "activate_customer"
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="confirm")
        assert "Retry activate_customer" in app.screen.title_text
        await pilot.press("y")
        await wait_until(pilot, lambda: len(log_screen.shown) == 4, what="the retry logged")
        newest = log_screen.shown[0]
        assert (newest.operation, newest.outcome) == ("activate_customer", "ok")
        assert log_screen.table.cursor == 0
    assert await customer_status(sandbox.url, entry.customer_id) == "ACTIVE"
