"""Files in and out of the invoice list: bulk upload (checked row by row first) and CSV export
(to the downloads folder or one the user picks, never over an existing file)."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path
from typing import Any

import platformdirs
import pytest
from textual.widgets import Input, Static

from enkash_tui import clock
from enkash_tui.api.models import CustomerFilter
from enkash_tui.domain.bulk import check_invoice_file
from screens.bulk_upload import BulkUploadScreen
from screens.export import ExportScreen
from screens.invoices.screen import InvoicesScreen
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_invoices, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import requests_to, text_of, texts, titled_notes

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


async def open_export(pilot: Any) -> tuple[InvoicesScreen, ExportScreen, int]:
    """The invoice list, its first page loaded, and the export dialog opened on it with E."""
    screen = await open_invoices(pilot)
    assert isinstance(screen, InvoicesScreen)
    await wait_until(pilot, lambda: screen.rows.total is not None, what="the first page")
    await pilot.press("E")
    await pilot.pause()
    export = pilot.app.screen
    assert isinstance(export, ExportScreen)
    return screen, export, screen.rows.total or 0


async def run_export(pilot: Any, export: ExportScreen, folder: str | None = None) -> None:
    field = export.query_one("#folder", Input)
    if folder is not None:
        field.value = folder
    field.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: "Wrote" in texts(export), what="the export")


@pytest.mark.dates  # the file name carries today's date
async def test_export_goes_to_downloads_and_a_second_export_never_replaces_the_first(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    downloads = Path(platformdirs.user_downloads_dir())
    assert downloads.is_relative_to(tmp_path) and not downloads.exists()
    app = build_app(sandbox.url)
    async with app.run_test(size=(110, 36)) as pilot:
        screen, export, total = await open_export(pilot)
        # The dialog says where: the user's downloads folder, not where the app was started.
        assert export.query_one("#folder", Input).value == str(downloads)
        name = export.query_one("#name", Input).value
        assert name == f"invoices-open-{clock.today().isoformat()}.csv"
        await run_export(pilot, export)
        first = downloads / name
        assert f"Wrote {total:,} invoices to {first}" in texts(export)
        assert f"Export: Wrote {total:,} invoices to {first}" in titled_notes(app)
        assert len(first.read_text(encoding="utf-8").splitlines()) == total + 1
        assert stat.S_IMODE(first.stat().st_mode) == 0o600
        kept = first.read_bytes()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen

        # The same search again on the same day: a second file; the first is untouched.
        _, export, _ = await open_export(pilot)
        await run_export(pilot, export)
        second = downloads / name.replace(".csv", "-2.csv")
        assert f"Export: Wrote {total:,} invoices to {second}" in titled_notes(app)
        assert first.read_bytes() == kept
        assert second.read_bytes() == kept
        assert stat.S_IMODE(second.stat().st_mode) == 0o600
        assert sorted(p.name for p in downloads.iterdir()) == sorted([first.name, second.name])


async def test_a_folder_chosen_in_the_dialog_is_written_to_and_offered_next_time(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(110, 36)) as pilot:
        _, export, total = await open_export(pilot)
        export.query_one("#name", Input).value = "open.csv"

        # A folder that cannot be made: said next to the field, the dialog stays with the text.
        a_file = tmp_path / "notes.txt"
        a_file.write_text("x", encoding="utf-8")
        bad = str(a_file / "exports")
        field = export.query_one("#folder", Input)
        field.value = bad
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        error = export.query_one("#folder-error", Static)
        assert "cannot be created" in text_of(error) and not error.has_class("empty")
        assert app.screen is export and field.value == bad
        assert export.query_one("#name", Input).value == "open.csv"
        assert not (tmp_path / "home").exists()  # nothing written anywhere

        chosen = tmp_path / "reports" / "ar"  # made when missing
        await run_export(pilot, export, str(chosen))
        assert error.has_class("empty")
        written = chosen / "open.csv"
        assert f"Export: Wrote {total:,} invoices to {written}" in titled_notes(app)
        assert len(written.read_text(encoding="utf-8").splitlines()) == total + 1
        await pilot.press("escape")
        await pilot.pause()

        _, export, _ = await open_export(pilot)
        assert export.query_one("#folder", Input).value == str(chosen)


async def test_tabbing_to_the_file_name_keeps_it_and_the_first_key_adds(
    sandbox: RunningSandbox,
) -> None:
    """As in every form: the name is not selected on arrival, so a key typed extends it."""
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        _, export, _ = await open_export(pilot)
        export.query_one("#folder", Input).focus()
        await pilot.press("tab")
        name = export.query_one("#name", Input)
        assert app.focused is name
        before = name.value
        assert before.endswith(".csv") and name.selection.is_empty
        await pilot.press("backspace", "backspace", "backspace", "backspace", "x")
        assert name.value == before.removesuffix(".csv") + "x"
