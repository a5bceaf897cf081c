"""Files in and out of the invoice list: bulk upload (checked row by row first) and CSV export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.widgets import Input

from enkash_tui import clock
from enkash_tui.api.models import CustomerFilter
from enkash_tui.bulk_check import check_invoice_file
from screens.bulk_upload import BulkUploadScreen
from screens.invoices import InvoicesScreen
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_invoices, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import requests_to, texts

HEADER = "customerId,invoiceNumber,dueDate,baseAmount,cgst,sgst,gstExclusive\n"


async def active_customer(url: str) -> str:
    async with signed_in(url) as client:
        page = await client.search_customers(CustomerFilter(customer_status="ACTIVE"), limit=5)
        return next(c.customer_id for c in page.items if c.is_active)


def test_the_local_check_names_rows_and_columns(tmp_path: Path) -> None:
    due = (clock.today() + dt.timedelta(days=30)).isoformat()
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + f"KC1A2B3C4D5E6F7G,B-1,{due},1000,90,90,true\n"
        + "\n"  # a blank line still counts as a row
        + f"not-an-id,B-2,{due},1000,,,true\n"
        + "KC1A2B3C4D5E6F7G,B-1,31-12-2026,0.01,,,maybe\n",
        encoding="utf-8",
    )
    check = check_invoice_file(path)
    assert check.rows == 3
    found = {(p.row, p.column) for p in check.problems}
    assert (4, "customerId") in found
    assert (5, "gstExclusive") in found
    assert (5, "invoiceNumber") in found  # repeats row 2
    assert not any(p.row == 2 for p in check.problems)


def test_a_file_with_unknown_columns_is_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("customerId,dueDate,baseAmount,colour\n", encoding="utf-8")
    check = check_invoice_file(path)
    assert check.file_error and "colour" in check.file_error
    assert not check.ok


async def test_bad_rows_stop_the_upload_and_good_files_upload_with_a_report(
    start_sandbox: Any, tmp_path: Path, sent_requests: list[Any]
) -> None:
    sandbox = start_sandbox()
    customer = await active_customer(sandbox.url)
    due = (clock.today() + dt.timedelta(days=30)).isoformat()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"{customer},BULK-1,{due},abc,,,true\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text(
        HEADER + f"{customer},BULK-1,{due},1000,90,90,true\n{customer},BULK-2,{due},500,,,false\n",
        encoding="utf-8",
    )
    app = build_app(sandbox.url)
    async with app.run_test(size=(110, 36)) as pilot:
        await open_invoices(pilot)
        screen = app.screen
        assert isinstance(screen, InvoicesScreen)
        await pilot.press("U")
        await pilot.pause()
        upload = app.screen
        assert isinstance(upload, BulkUploadScreen)

        upload.query_one("#path", Input).value = str(bad)
        await pilot.press("enter")
        await pilot.pause()
        shown = texts(upload)
        assert "fixing before anything is uploaded" in shown and "baseAmount" in shown
        assert upload.query_one("#upload").has_class("hidden")  # nothing to upload
        assert requests_to(sent_requests, "/api/v0/invoice/bulk/create") == []

        upload.query_one("#path", Input).value = str(good)
        upload.query_one("#path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "All 2 rows look right" in texts(upload)
        await pilot.press("enter")  # focus moved to the Upload button
        await wait_until(pilot, lambda: "2 created, 0 refused" in texts(upload), what="upload")
        # The net of what was created, as the app writes rupees (not "₹1,680.0").
        assert "net ₹1,680.00." in texts(upload)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="the list")


async def test_export_writes_every_row_of_the_search(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    from screens.export import ExportScreen

    app = build_app(sandbox.url)
    async with app.run_test(size=(110, 36)) as pilot:
        await open_invoices(pilot)
        screen = app.screen
        assert isinstance(screen, InvoicesScreen)
        await wait_until(pilot, lambda: screen.rows.total is not None, what="the first page")
        total = screen.rows.total
        await pilot.press("E")
        await pilot.pause()
        export = app.screen
        assert isinstance(export, ExportScreen)
        target = tmp_path / "open.csv"
        export.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Wrote" in texts(export), what="the export")
        assert f"Wrote {total:,} invoices" in texts(export)
        assert len(target.read_text(encoding="utf-8").splitlines()) == (total or 0) + 1
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
