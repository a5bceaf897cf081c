"""Import follow-ups (notes, promises, disputes, follow-up dates) from CSV into the follow-up book:
a team moving from a spreadsheet, or a book's own export. Every row is checked first and its
invoice or customer looked up on EnKash; problems are shown by row and column, and nothing is
written until every row is right. Then Import writes them all at once."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Static

from enkash_tui.api import EnkashError
from enkash_tui.domain.bulk import FileCheck, RowProblem
from enkash_tui.domain.followup_csv import TEMPLATE, ImportRow, resolve
from enkash_tui.domain.followups import Entry
from enkash_tui.domain.formatting import count
from enkash_tui.local.followup_files import check_import
from enkash_tui.local.locations import asset
from enkash_tui.local.worklog import WorklogError
from screens.bulk_upload import problems_table
from screens.dialog import Dialog
from screens.host import host
from screens.widgets.form_controls import FormInput


class FollowUpImportScreen(Dialog[bool]):
    """Dismisses True when something was written to the book."""

    BINDINGS = [Binding("escape", "close", "Close", id="followup_import.close")]

    def __init__(self) -> None:
        super().__init__()
        self.ready: list[Entry] | None = None  # every row checked and looked up
        self.written = False

    def compose(self) -> ComposeResult:
        try:
            template = str(asset(TEMPLATE))
        except FileNotFoundError:
            template = TEMPLATE
        with VerticalScroll(classes="modal form bulk"):
            yield Static("Import follow-ups (CSV)", classes="title", markup=False)
            yield Static(
                f"Columns as in the template: {template}. Dates yyyy-mm-dd; a blank by is you.",
                classes="hint",
                markup=False,
            )
            yield FormInput(
                placeholder="path to the CSV file, then Enter to check it", id="path", compact=True
            )
            yield Static("", id="path-error", classes="bulk-note error empty", markup=False)
            yield Static("", id="import-status", markup=False)
            yield Button("Import", id="import", variant="warning", compact=True, classes="hidden")
            yield Static("", id="import-details")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def _say(self, text: str, details: object = "") -> None:
        self.query_one("#import-status", Static).update(text)
        self.query_one("#import-details", Static).update(details)  # type: ignore[arg-type]

    def _problems(self, rows: int, problems: list[RowProblem], what: str) -> None:
        bad = len({p.row for p in problems})
        need = "1 row needs" if bad == 1 else f"{bad} rows need"
        table = problems_table(FileCheck(rows=rows, problems=problems))
        self._say(f"{count(rows, 'row')} read; {need} fixing {what}. Nothing was imported.", table)

    @on(Input.Submitted, "#path")
    def _check(self, event: Input.Submitted) -> None:
        self.ready = None
        self.query_one("#import", Button).add_class("hidden")
        error = self.query_one("#path-error", Static)
        session = host(self).session
        if session is None:
            return
        if not event.value.strip():
            error.update("Type the path of a CSV file.")
            return
        check = check_import(Path(event.value.strip()).expanduser(), session.username)
        if check.file_error:
            error.update(f"Not imported: {check.file_error}")
            self._say("")
            return
        error.update("")
        total = len(check.rows) + len({p.row for p in check.problems})
        if check.problems:
            self._problems(total, check.problems, "first")
            return
        self._say(f"{count(total, 'row')} read; looking their invoices and customers up…")
        self.look_up(check.rows)

    @work(exclusive=True, exit_on_error=False)
    async def look_up(self, rows: list[ImportRow]) -> None:
        session = host(self).session
        if session is None:
            return
        try:
            entries, problems = await resolve(session.client, rows)
        except EnkashError as error:
            self._say(f"Could not look them up on EnKash: {error}. Enter tries again.")
            return
        if problems:
            self._problems(len(rows), problems, "(not found on EnKash)")
            return
        self.ready = entries
        looks = f"All {len(entries)} rows look right" if len(entries) > 1 else "The row looks right"
        self._say(f"{looks}. Enter on Import writes them to the follow-up book; Esc closes.")
        button = self.query_one("#import", Button)
        button.label = f"Import {count(len(entries), 'follow-up')}"
        button.remove_class("hidden")
        button.focus()

    @on(Button.Pressed, "#import")
    def action_import(self) -> None:
        session = host(self).session
        if self.ready is None or session is None:
            return
        entries, self.ready = self.ready, None
        self.query_one("#import", Button).add_class("hidden")
        try:
            written = session.worklog().import_entries(entries)
        except WorklogError as error:
            self._say(f"Nothing imported: {error}")
            return
        self.written = self.written or written > 0
        already = len(entries) - written
        said = f"Imported {count(written, 'follow-up')}"
        if already:
            said += f" ({count(already, 'row')} already in the book, skipped)"
        self._say(said + ". Esc closes.")
        self.notify(said, title="Follow-ups", markup=False)

    def action_close(self) -> None:
        self.dismiss(self.written)
