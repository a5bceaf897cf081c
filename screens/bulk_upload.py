"""Bulk upload (invoices, or customers to create or update): check every row locally, upload,
show the server's result row by row, and save that result as CSV."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, ProgressBar, RadioSet, Static

from enkash_tui.api import ApiError, EnkashError
from enkash_tui.api.models import BulkResult
from enkash_tui.domain.bulk import (
    INVOICES,
    BulkKind,
    FileCheck,
    ResultLine,
    check_file,
    result_lines,
)
from enkash_tui.domain.formatting import count, inr
from enkash_tui.local.bulk_results import default_result_path, write_result_csv
from enkash_tui.local.locations import asset
from screens.dialog import Dialog
from screens.host import host
from screens.widgets.form_controls import FormInput, FormRadioButton

SHOWN_PROBLEMS = 40


def problems_table(check: FileCheck) -> Table:
    table = Table("Row", "Column", "Problem", box=None, padding=(0, 2), header_style="bold")
    for problem in check.problems[:SHOWN_PROBLEMS]:
        table.add_row(str(problem.row), Text(problem.column), Text(problem.message))
    if len(check.problems) > SHOWN_PROBLEMS:
        table.add_row("…", "", f"and {len(check.problems) - SHOWN_PROBLEMS} more")
    return table


def result_table(lines: list[ResultLine]) -> Table:
    """The refused rows and why; the rows that went through are counted in the summary."""
    refused = [line for line in lines if line.outcome == "refused"]
    table = Table(
        "Row", "Reference", "Why it was refused", box=None, padding=(0, 2), header_style="bold"
    )
    for line in refused[:SHOWN_PROBLEMS]:
        table.add_row(str(line.row or "?"), Text(line.reference), Text(line.reason))
    if len(refused) > SHOWN_PROBLEMS:
        more = len(refused) - SHOWN_PROBLEMS
        table.add_row("…", "", f"and {more} more: save the result (w) to see every row")
    return table


class KindChoice(RadioSet):
    """The kinds of file on offer; Enter or space picks one and moves on to the path."""

    def action_toggle_button(self) -> None:
        super().action_toggle_button()
        self.screen.focus_next()


class BulkUploadScreen(Dialog[bool]):
    """Dismisses True when something was uploaded (so the list refreshes)."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="bulk.close"),
        Binding("w", "save_result", "Save result as CSV", id="bulk.save_result"),
    ]

    def __init__(self, kinds: Sequence[BulkKind] = (INVOICES,)) -> None:
        super().__init__()
        if not kinds:
            raise ValueError("BulkUploadScreen needs at least one kind of file")
        self.kinds = tuple(kinds)
        self.kind = self.kinds[0]
        self.checked: tuple[Path, FileCheck, BulkKind] | None = None
        self.result: tuple[Path, list[ResultLine]] | None = None
        self.uploading = False
        self.uploaded = False
        self.tried_path = False  # a check was asked for: a new kind checks the file again
        self._close_asked = False

    # --- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal form bulk"):
            yield Static(f"{self.kind.title} (CSV)", id="bulk-title", classes="title", markup=False)
            if len(self.kinds) > 1:
                yield Static("The file will (↑ ↓ choose, Enter picks):", classes="hint")
                with KindChoice(id="bulk-kind", compact=True):
                    for index, kind in enumerate(self.kinds):
                        yield FormRadioButton(kind.choice, value=index == 0, name=kind.name)
            yield Static(self._template_hint(), id="bulk-template", classes="hint", markup=False)
            yield FormInput(
                placeholder="path to the CSV file, then Enter to check it", id="path", compact=True
            )
            yield Static("", id="path-error", classes="bulk-note error empty", markup=False)
            yield Static("", id="bulk-status", classes="empty", markup=False)
            yield Button("Upload", id="upload", variant="warning", compact=True, classes="hidden")
            yield ProgressBar(id="bulk-progress", show_eta=False, classes="hidden")
            yield Button("Save result as CSV (w)", id="save", compact=True, classes="hidden")
            yield FormInput(id="result-path", compact=True, classes="hidden")
            yield Static("", id="result-error", classes="bulk-note empty", markup=False)
            yield Static("", id="bulk-details", classes="empty")

    def on_mount(self) -> None:
        first = "#bulk-kind" if len(self.kinds) > 1 else "#path"
        self.query_one(first).focus()

    def _template_hint(self) -> str:
        try:
            template = str(asset(self.kind.template))
        except FileNotFoundError:
            template = self.kind.template
        return f"Columns as in the template: {template}"

    def _show(self, selector: str, content: object) -> Static:
        """Fill a line (or hide it while it has nothing to say)."""
        widget = self.query_one(selector, Static)
        empty = content is None or content == ""
        widget.update("" if empty else content)  # type: ignore[arg-type]
        widget.set_class(empty, "empty")
        return widget

    def _say(self, text: str, details: object = "") -> None:
        self._show("#bulk-status", text)
        self._show("#bulk-details", details)

    def _path_error(self, text: str) -> None:
        self._show("#path-error", text)

    def _forget_result(self) -> None:
        self.result = None
        self.refresh_bindings()
        self.query_one("#save", Button).add_class("hidden")
        self.query_one("#result-path", Input).add_class("hidden")
        self._result_note("")

    # --- choosing and checking --------------------------------------------------------------

    @on(RadioSet.Changed, "#bulk-kind")
    def _kind_changed(self, event: RadioSet.Changed) -> None:
        if self.uploading:
            return
        self.kind = self.kinds[event.index]
        self.query_one("#bulk-title", Static).update(f"{self.kind.title} (CSV)")
        self.query_one("#bulk-template", Static).update(self._template_hint())
        path = self.query_one("#path", Input)
        if self.tried_path and path.value.strip():
            self._check_path(path.value)  # judge the same file as the new kind
        path.focus()

    @on(Input.Submitted, "#path")
    def _check(self, event: Input.Submitted) -> None:
        self._check_path(event.value)

    def _check_path(self, value: str) -> None:
        if self.uploading:
            self._say("Uploading: the result comes next.")
            return
        self._close_asked = False
        self.tried_path = True
        self.checked = None
        self._forget_result()
        button = self.query_one("#upload", Button)
        button.add_class("hidden")
        if not value.strip():
            self._path_error("Type the path of a CSV file.")
            self._say("")
            return
        path = Path(value.strip()).expanduser()
        kind = self.kind
        check = check_file(path, kind)
        if check.file_error:
            self._path_error(f"Not uploaded: {check.file_error}")
            self._say("")
            return
        self._path_error("")
        if check.problems:
            rows = len({p.row for p in check.problems})
            need = "1 row needs" if rows == 1 else f"{rows} rows need"
            self._say(
                f"{count(check.rows, 'row')} read; {need} fixing before anything is uploaded.",
                problems_table(check),
            )
            return
        self.checked = (path, check, kind)
        looks = f"All {check.rows} rows look right" if check.rows > 1 else "The one row looks right"
        self._say(f"{looks}. Enter on Upload sends it all; Esc closes.")
        button.label = f"Upload {count(check.rows, 'row')}: {kind.choice}"
        button.remove_class("hidden")
        button.focus()

    # --- uploading ----------------------------------------------------------------------------

    @on(Button.Pressed, "#upload")
    def action_upload(self) -> None:
        if self.uploading:
            return
        if self.checked is None:
            self._say("Check a file first: type its path and press Enter.")
            return
        path, check, kind = self.checked
        self.upload(path, check, kind)

    @work(exclusive=True, exit_on_error=False)
    async def upload(self, path: Path, check: FileCheck, kind: BulkKind) -> None:
        session = host(self).session
        if session is None:
            return
        self._set_uploading(True)
        button = self.query_one("#upload", Button)
        bar = self.query_one("#bulk-progress", ProgressBar)
        bar.remove_class("hidden")
        bar.update(total=None)  # one request: EnKash answers for the whole file at once
        self._say(f"Uploading {count(check.rows, 'row')} ({kind.choice})…")
        try:
            result = await kind.upload(session.client, path)
        except (EnkashError, ValueError, OSError) as error:
            self._say(f"Upload failed: {_reason(error)}. Enter on Upload tries again.")
            return
        finally:
            self._set_uploading(False)
            bar.add_class("hidden")
        self.checked = None
        button.add_class("hidden")
        self.uploaded = self.uploaded or result.success_count > 0
        lines = result_lines(result, kind, check.references)
        self.result = (path, lines)
        self.refresh_bindings()
        self._show_result(result, kind, lines)

    def _set_uploading(self, uploading: bool) -> None:
        """While the file is on its way, neither the kind nor the upload can change."""
        self.uploading = uploading
        self.query_one("#upload", Button).disabled = uploading
        for choice in self.query("#bulk-kind"):
            choice.disabled = uploading

    def _show_result(self, result: BulkResult, kind: BulkKind, lines: list[ResultLine]) -> None:
        summary = f"Uploaded: {result.success_count} {kind.done}, {result.failure_count} refused"
        if result.total_amount:
            summary += f" · net {inr(result.total_amount)}"
        details = result_table(lines) if result.failure_count else ""
        self._say(summary + ". w saves the result as CSV; Esc closes.", details)
        save = self.query_one("#save", Button)
        save.remove_class("hidden")
        save.focus()

    # --- saving the result ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_result":
            return self.result is not None  # w is offered only once there is a result
        return True

    @on(Button.Pressed, "#save")
    def action_save_result(self) -> None:
        if self.result is None:
            return
        target = self.query_one("#result-path", Input)
        if target.has_class("hidden"):
            target.value = str(default_result_path(self.result[0]))
            target.remove_class("hidden")
            self._result_note("Enter writes the file; an existing file is never replaced.")
        target.focus()

    @on(Input.Submitted, "#result-path")
    def _write_result(self, event: Input.Submitted) -> None:
        if self.result is None:
            return
        if not event.value.strip():
            self._result_note("Type where to save the result.", error=True)
            return
        path = Path(event.value.strip()).expanduser()
        if path.is_dir():
            self._result_note(f"{path} is a folder: add a file name.", error=True)
            return
        if not path.parent.is_dir():
            self._result_note(f"No folder {path.parent}: choose another path.", error=True)
            return
        try:
            written = write_result_csv(path, self.result[1])
        except FileExistsError:
            self._result_note(
                f"{path.name} already exists: choose another name (nothing was replaced).",
                error=True,
            )
            return
        except OSError as failure:
            self._result_note(f"Not saved: {failure.strerror or failure}", error=True)
            return
        self._result_note(f"Wrote {count(written, 'row')} to {path}.")

    def _result_note(self, text: str, *, error: bool = False) -> None:
        self._show("#result-error", text).set_class(error, "error")

    # --- closing ------------------------------------------------------------------------------

    def action_close(self) -> None:
        if self.uploading and not self._close_asked:
            self._close_asked = True
            self._say(
                "Still uploading. Esc again closes without waiting: the file may still be "
                "processed, and its result will not be shown."
            )
            return
        # Closing during an upload: the outcome is unknown, so the caller refreshes.
        self.dismiss(self.uploaded or self.uploading)


def _reason(error: Exception) -> str:
    if isinstance(error, ApiError) and error.field_errors:
        details = "; ".join(e.message for e in error.field_errors)
        return f"{error} ({details})"
    if isinstance(error, OSError):
        return str(error.strerror or error)
    return str(error)
