"""Export the current invoice search (all its pages) to a CSV file, with progress."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Static
from textual.worker import Worker, WorkerState

from enkash_tui import clock
from enkash_tui.api import EnkashError
from enkash_tui.exports import default_export_path, export_invoices
from enkash_tui.invoice_queries import InvoiceQuery

if TYPE_CHECKING:
    from enkash_tui.app import EnkashApp


class ExportScreen(ModalScreen[None]):
    """Enter starts; Escape cancels a running export (nothing half-written stays) or closes."""

    BINDINGS = [Binding("escape", "cancel", "Cancel / close", id="export.cancel")]

    def __init__(self, query: InvoiceQuery) -> None:
        super().__init__()
        self.query_spec = query
        self.worker: Worker[int] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal"):
            yield Static(f"Export “{self.query_spec.label}” to CSV", classes="title", markup=False)
            yield Input(
                str(default_export_path(self.query_spec, clock.today())), id="path", compact=True
            )
            yield ProgressBar(id="progress", show_eta=False)
            yield Static("Enter starts · Esc cancels", id="export-status", markup=False)

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def _status(self, text: str) -> None:
        self.query_one("#export-status", Static).update(text)

    @on(Input.Submitted, "#path")
    def _start(self, event: Input.Submitted) -> None:
        if self.worker is not None and self.worker.is_running:
            return
        path = Path(event.value).expanduser()
        if not path.parent.is_dir():
            self._status(f"No folder {path.parent}: choose another path")
            return
        self._status(f"Writing {path} …")
        self.worker = self.export(path)

    @work(exclusive=True, exit_on_error=False)
    async def export(self, path: Path) -> int:
        session = cast("EnkashApp", self.app).session
        if session is None:
            return 0
        bar = self.query_one("#progress", ProgressBar)

        def progress(done: int, total: int | None) -> None:
            bar.update(total=total, progress=done)
            self._status(f"{done:,} of {total:,} rows" if total else f"{done:,} rows")

        return await export_invoices(
            session.client, self.query_spec, path, progress, today=clock.today()
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        path = self.query_one("#path", Input).value
        if event.state is WorkerState.SUCCESS:
            self._status(f"Wrote {event.worker.result:,} invoices to {path}. Esc closes.")
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
