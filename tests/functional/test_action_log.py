"""Ctrl+L, the action log: changes made through the app show up newest first, the filter
narrows them (an outcome word to that outcome only), an entry opens in full, a safe failure is
retried after a confirmation, the file on disk is 0600 with no password or client secret in it,
and an upload killed (``kill -9``) while EnKash works on it is on record, read at the next start
as unknown with the check to make first."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from enkash_tui import clock
from enkash_tui.api.call_record import CallRecord, Counts
from enkash_tui.api.models import CustomerFilter
from enkash_tui.local.action_log import ActionLog
from enkash_tui.sandbox_demo import DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME
from screens.action_log import ActionLogScreen, EntryModal
from screens.customers.screen import CustomersScreen
from screens.modals import ConfirmModal
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_customers, wait_until
from tests.support.lossy_proxy import LossyProxy
from tests.support.screen_text import drawn, notes, text_of, texts

REPO = Path(__file__).resolve().parents[2]


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
    # Two changes, each a line before it was sent and one once it ended.
    assert [json.loads(line)["outcome"] for line in text.splitlines()] == ["pending", "ok"] * 2
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


def logged(entries: list[tuple[str, str, str]], log: ActionLog) -> None:
    """(operation, outcome, message) lines, one minute apart, oldest first."""
    start = clock.now() - dt.timedelta(hours=1)
    for minute, (operation, outcome, message) in enumerate(entries):
        counts = None
        if operation == "dispatch_invoices":
            done, failed = {"ok": (2, 0), "partial": (1, 1), "failed": (0, 1)}[outcome]
            counts = Counts(done, failed, "invoices")
        rec = CallRecord(
            operation=operation,
            method="POST",
            path="/api/v0/invoice/bulk/dispatch",
            outcome=outcome,  # type: ignore[arg-type]
            retry_safe=False,
            target_ids=("INV1", "INV2"),
            http_status=200,
            message=message,
            counts=counts,
        )
        log.append(rec, "Sandbox", DEMO_USERNAME, at=start + dt.timedelta(minutes=minute))


async def test_slash_then_an_outcome_lists_that_outcome_only(isolated_dirs: Path) -> None:
    logged(
        [
            ("dispatch_invoices", "ok", "2 done, 0 failed"),
            ("dispatch_invoices", "partial", "1 done, 1 failed (INV2: deleted)"),
            ("dispatch_invoices", "failed", "0 done, 1 failed (INV2: deleted)"),
            ("delete_customer", "unknown", "The connection broke"),
        ],
        ActionLog(),
    )
    app = build_app("http://127.0.0.1:9")  # nothing is sent: the log is local
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionLogScreen), what="the log")
        screen = app.screen
        assert isinstance(screen, ActionLogScreen)
        summary = text_of(screen.query_one("#log-summary", Static))
        assert "4 actions · 1 partial · 1 failed · 1 unknown" in summary
        shown = texts(screen)
        assert "failed or partial" in shown  # the help line says outcomes can be filtered
        row = "  ".join(drawn(screen.table))
        assert "1/2" in row and "0/1" in row and "2/2" in row  # done of all, per entry

        async def outcomes_for(text: str) -> list[str]:
            screen.filter_input.value = ""
            screen.table.focus()
            await pilot.press("slash", *text)
            await pilot.pause()
            return [e.outcome for e in screen.shown]

        # "failed" is the failed entry, not the partial one whose message says "1 failed".
        assert await outcomes_for("failed") == ["failed"]
        assert await outcomes_for("partial") == ["partial"]
        assert await outcomes_for("ok") == ["ok"]
        assert await outcomes_for("failed partial") == ["failed", "partial"]
        assert await outcomes_for("unknown") == ["unknown"]
        assert "1 of 4 actions match" in text_of(screen.query_one("#log-summary", Static))

        await pilot.press("escape", "escape")  # clears the filter, then closes the log
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionLogScreen), what="again")
        await pilot.press("down", "down", "enter")  # the partial one (newest first), in full
        await wait_until(pilot, lambda: isinstance(app.screen, EntryModal), what="the entry")
        details = text_of(app.screen.query_one("#log-entry-details", Static))
        assert "partial" in details and "1 done, 1 failed" in details
        assert "Part of it was done" in details  # and why it is not retried from here


async def until(condition: Callable[[], object], what: str, timeout: float = 180.0) -> None:
    """Let the test's event loop (the proxy) run until ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.05)


KILL_ROWS = 3000


async def test_an_upload_killed_in_flight_is_on_record_as_unknown_with_the_check(
    start_sandbox: Callable[..., Any], isolated_dirs: Path, tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    # EnKash does the upload, but its answer is kept back: the app waits, in flight.
    proxy = await LossyProxy(sandbox.url).start()
    proxy.lose("POST", "/api/v0/customer/bulk", "hold")
    tag = uuid.uuid4().hex[:8].upper()
    sheet = tmp_path / "big.csv"
    sheet.write_text(
        "legalName,state,pinCode,contactName,contactMobile,contactEmail\n"
        + "".join(
            f"Kill {tag} {row:04d} Pvt Ltd,Maharashtra,411001,Ravi Kumar,9812345678,"
            f"ravi{row}@kill.in\n"
            for row in range(KILL_ROWS)
        ),
        encoding="utf-8",
    )
    output = tmp_path / "child.txt"
    with output.open("w") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.support.upload_and_wait", proxy.url, str(sheet)],
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        await until(lambda: proxy.held or child.poll() is not None, "the upload in flight")
        assert proxy.held == [("POST", "/api/v0/customer/bulk")], output.read_text()[-3000:]
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
        await proxy.stop()
    assert child.returncode == -signal.SIGKILL

    # On disk: the line written before sending, and no outcome (nothing came back).
    path = isolated_dirs / "action-log.jsonl"
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    uploads = [line for line in lines if line["operation"] == "bulk_create_customers"]
    assert [(u["outcome"], u["upload"]) for u in uploads] == [("pending", "big.csv")]

    # A fresh app says so once at start, and the log shows it as unknown with the check.
    check = "search for the customers in big.csv before uploading it again"
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(
            pilot,
            lambda: any("unknown outcome" in note for note in notes(app, "warning")),
            what="the start-up notice",
        )
        [notice] = [note for note in notes(app, "warning") if "unknown outcome" in note]
        assert check in notice and "Ctrl+L" in notice
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionLogScreen), what="the log")
        screen = app.screen
        assert isinstance(screen, ActionLogScreen)
        await pilot.press("slash", *"unknown", "enter")
        [entry] = screen.shown
        assert (entry.operation, entry.outcome, entry.upload) == (
            "bulk_create_customers",
            "unknown",
            "big.csv",
        )
        assert entry.message == f"The app stopped before EnKash answered: {check}."
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, EntryModal), what="the entry")
        details = text_of(app.screen.query_one("#log-entry-details", Static))
        assert "unknown" in details and check in details

    # Written down once: the next start has nothing more to say.
    assert ActionLog().settle() == []
    # And the check was the right advice: EnKash created every row.
    async with signed_in(sandbox.url) as client:
        page = await client.search_customers(CustomerFilter(legal_name=f"Kill {tag}"), limit=1)
    assert page.total == KILL_ROWS
