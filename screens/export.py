"""Export what a section lists (all of it, every page) to a CSV file, with progress: the one
dialog for every export (invoices, customers, reminder rules, a Bharat Connect queue), given an
``ExportJob`` that says what is exported.

The dialog shows the folder (the last one chosen, else the user's downloads folder) and the file
name; both can be changed. A folder that cannot take the file is said next to it and nothing
typed is lost; an existing file is never replaced (a number is added to the name).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, ProgressBar, Static
from textual.worker import Worker, WorkerState

from enkash_tui.api import EnkashError
from enkash_tui.domain.exports import ExportJob, check_file_name
from enkash_tui.local.exports import Exported, FolderError, ready_folder, write_export
from enkash_tui.local.locations import default_export_folder
from screens.dialog import Dialog
from screens.host import Host, host
from screens.widgets.form_controls import FormInput


class ExportScreen(Dialog[None]):
    """Enter starts; Escape cancels a running export (nothing half-written stays) or closes."""

    BINDINGS = [Binding("escape", "cancel", "Cancel / close", id="export.cancel")]

    def __init__(self, job: ExportJob[Any]) -> None:
        super().__init__()
        self.job = job
        self.worker: Worker[Exported] | None = None

    @property
    def enkash_app(self) -> Host:
        return host(self)

    def compose(self) -> ComposeResult:
        folder = default_export_folder(self.enkash_app.state.export_folder)
        with Vertical(classes="modal export"):
            yield Static(self.job.title, classes="title", markup=False)
            yield Static("Folder", classes="export-label")
            yield FormInput(str(folder), id="folder", compact=True)
            yield Static("", id="folder-error", classes="export-error empty", markup=False)
            yield Static("File name", classes="export-label")
            yield FormInput(self.job.file_name, id="name", compact=True)
            yield Static("", id="name-error", classes="export-error empty", markup=False)
            yield Static(
                "An existing file is never replaced: a number is added (…-2.csv).", classes="hint"
            )
            yield ProgressBar(id="progress", show_eta=False)
            yield Static("Enter starts · Esc cancels", id="export-status", markup=False)

    def on_mount(self) -> None:
        self.query_one("#folder", Input).focus()

    def _status(self, text: str) -> None:
        self.query_one("#export-status", Static).update(text)

    def _field_error(self, field: str, text: str) -> None:
        note = self.query_one(f"#{field}-error", Static)
        note.update(text)
        note.set_class(not text, "empty")

    @on(Input.Submitted, "#folder, #name")
    def _start(self) -> None:
        if self.worker is not None and self.worker.is_running:
            return
        folder_field = self.query_one("#folder", Input)
        name_field = self.query_one("#name", Input)
        try:
            folder = ready_folder(folder_field.value)
        except FolderError as error:
            self._field_error("folder", str(error))
            folder_field.focus()
            return
        self._field_error("folder", "")
        try:
            name = check_file_name(name_field.value)
        except ValueError as error:
            self._field_error("name", str(error))
            name_field.focus()
            return
        self._field_error("name", "")
        self._remember(folder)
        self._status(f"Writing to {folder} …")
        self.worker = self.export(folder / name)

    def _remember(self, folder: Path) -> None:
        """The dialog offers this folder next time (and, when the app remembers, next run)."""
        app = self.enkash_app
        if app.state.export_folder == str(folder):
            return
        app.state.export_folder = str(folder)
        if app.remember:
            try:
                app.state.save()
            except OSError as error:
                self.notify(
                    f"Could not remember the folder: {error}", severity="warning", markup=False
                )

    @work(exclusive=True, exit_on_error=False)
    async def export(self, path: Path) -> Exported:
        session = self.enkash_app.session
        if session is None:
            raise EnkashError("signed out: sign in again to export")
        bar = self.query_one("#progress", ProgressBar)

        def progress(done: int, total: int | None, counting: str) -> None:
            bar.update(total=total, progress=done)
            self._status(f"{done:,} of {total:,} {counting}" if total else f"{done:,} {counting}")

        return await write_export(session.client, self.job, path, progress)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.SUCCESS:
            done = cast(Exported, event.worker.result)
            said = f"Wrote {done.rows:,} {self.job.noun} to {done.path}"
            self._status(f"{said}. Esc closes.")
            self.app.notify(said, title="Export", markup=False)
        elif event.state is WorkerState.CANCELLED:
            self._status("Cancelled: no file written. Enter starts again, Esc closes.")
        elif event.state is WorkerState.ERROR:
            error = event.worker.error
            reason = str(error) if isinstance(error, EnkashError | OSError) else repr(error)
            self._status(f"Export failed, no file written: {reason}")

    def action_cancel(self) -> None:
        if self.worker is not None and self.worker.is_running:
            self.worker.cancel()
        else:
            self.dismiss(None)
