"""Bulk invoice upload: check every row locally, then upload, then show the server's result."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, ProgressBar, Static

from enkash_tui.api import EnkashError
from enkash_tui.api.models import BulkResult
from enkash_tui.bulk_check import FileCheck, check_invoice_file
from enkash_tui.paths import asset

if TYPE_CHECKING:
    from enkash_tui.app import EnkashApp

SHOWN_PROBLEMS = 40


def problems_table(check: FileCheck) -> Table:
    table = Table("Row", "Column", "Problem", box=None, padding=(0, 2), header_style="bold")
    for problem in check.problems[:SHOWN_PROBLEMS]:
        table.add_row(str(problem.row), Text(problem.column), Text(problem.message))
    if len(check.problems) > SHOWN_PROBLEMS:
        table.add_row("…", "", f"and {len(check.problems) - SHOWN_PROBLEMS} more")
    return table


def result_table(result: BulkResult) -> Table:
    table = Table(
        "Row", "Reference", "Why it was refused", box=None, padding=(0, 2), header_style="bold"
    )
    for failure in result.row_failures[:SHOWN_PROBLEMS]:
        reasons = "; ".join(f"{k}: {v}" for k, v in failure.errors.items()) or failure.message
        table.add_row(str(failure.row or "?"), Text(failure.reference or ""), Text(reasons))
    return table


class BulkUploadScreen(ModalScreen[bool]):
    """Dismisses True when something was uploaded (so the list refreshes)."""

    BINDINGS = [Binding("escape", "close", "Close", id="bulk.close")]

    def __init__(self) -> None:
        super().__init__()
        self.checked: tuple[Path, FileCheck] | None = None
        self.uploaded = False

    def compose(self) -> ComposeResult:
        template = asset("templates/invoices-create.csv")
        with VerticalScroll(classes="modal form"):
            yield Static("Bulk upload invoices (CSV)", classes="title", markup=False)
            yield Static(f"Columns as in the template: {template}", classes="hint", markup=False)
            yield Input(
                placeholder="path to the CSV file, then Enter to check it", id="path", compact=True
            )
            yield Static("", id="bulk-status", markup=False)
            yield Button("Upload", id="upload", variant="warning", compact=True, classes="hidden")
            yield ProgressBar(id="bulk-progress", show_eta=False, classes="hidden")
            yield Static("", id="bulk-details")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def _say(self, text: str, details: object = "") -> None:
        self.query_one("#bulk-status", Static).update(text)
        self.query_one("#bulk-details", Static).update(details or "")  # type: ignore[arg-type]

    @on(Input.Submitted, "#path")
    def _check(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        check = check_invoice_file(path)
        self.checked = None
        button = self.query_one("#upload", Button)
        button.add_class("hidden")
        if check.file_error:
            self._say(f"Not uploaded: {check.file_error}")
        elif check.problems:
            rows = len({p.row for p in check.problems})
            self._say(
                f"{check.rows} rows read; {rows} need fixing before anything is uploaded.",
                problems_table(check),
            )
        else:
            self.checked = (path, check)
            self._say(f"All {check.rows} rows look right. Enter on Upload sends them; Esc closes.")
            button.label = f"Upload {check.rows} invoices"
            button.remove_class("hidden")
            button.focus()

    @on(Button.Pressed, "#upload")
    def action_upload(self) -> None:
        if self.checked is None:
            self._say("Check a file first: type its path and press Enter.")
            return
        self.upload(self.checked[0], self.checked[1].rows)

    @work(exclusive=True, exit_on_error=False)
    async def upload(self, path: Path, rows: int) -> None:
        session = cast("EnkashApp", self.app).session
        if session is None:
            return
        bar = self.query_one("#bulk-progress", ProgressBar)
        bar.remove_class("hidden")
        bar.update(total=None)  # one request: EnKash answers for the whole file at once
        self._say(f"Uploading {rows} invoices…")
        try:
            result = await session.client.bulk_create_invoices(path)
        except EnkashError as error:
            bar.add_class("hidden")
            self._say(f"Upload failed: {error}")
            return
        bar.update(total=1, progress=1)
        self.checked = None
        self.query_one("#upload", Button).add_class("hidden")
        self.uploaded = result.success_count > 0
        summary = f"Uploaded: {result.success_count} created, {result.failure_count} refused"
        if result.total_amount is not None:
            summary += f" · net ₹{result.total_amount:,}"
        self._say(summary + ". Esc closes.", result_table(result) if result.failure_count else "")

    def action_close(self) -> None:
        self.dismiss(self.uploaded)
