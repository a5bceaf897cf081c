"""What the create / edit forms share: save on Enter, server field errors back on their fields,
"Nothing changed", and asking before unsaved edits are thrown away.

A subclass says how to build its payload (checked locally, or None after showing problems), how
to send it, where errors go, and whether it holds unsaved edits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from textual import events, on, work
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from enkash_tui.api import ApiError, EnkashError
from enkash_tui.api.models.base import PatchModel, WriteModel
from enkash_tui.domain.outcomes import RecheckFailed, send_or_recheck
from screens.dialog import Dialog
from screens.host import host
from screens.modals import leave_asking

if TYPE_CHECKING:
    from enkash_tui.api import EnkashClient

Saved = TypeVar("Saved")


class RecordForm(Dialog[Saved | None], Generic[Saved]):
    """Dismisses with the saved record, or None when the user leaves. Expects a
    ``#form-status`` Static and ``#save`` / ``#close`` buttons."""

    # Enter saves from anywhere in the form: a field submits itself, and check boxes toggle on
    # space only (form_controls), leaving Enter to this binding. Ctrl+S is a terminal's.
    BINDINGS = [
        Binding("escape", "leave", "Close", id="form.close"),
        Binding("enter", "save", "Save", show=False, id="form.save"),
    ]

    @property
    def dirty(self) -> bool:
        raise NotImplementedError

    def _payload(self) -> WriteModel | None:
        """The checked request body, or None after showing what is wrong."""
        raise NotImplementedError

    async def _send(self, client: EnkashClient, payload: WriteModel) -> Saved:
        raise NotImplementedError

    def _clear_errors(self) -> None:
        raise NotImplementedError

    def _show_errors(self, problems: list[tuple[str, str]], summary: str) -> None:
        """(wire field, message) pairs next to their fields; the rest after ``summary``."""
        raise NotImplementedError

    def _focus_first_problem(self) -> None:
        """The cursor goes to the first field with a problem, so what is typed next fixes it
        (it stayed on the Save button, where typing went nowhere)."""
        for line in self.query(".filter-error, .row-error").results(Static):
            if not str(line.render()).strip() or line.parent is None:
                continue
            field = next(iter(line.parent.query("Input, Checkbox")), None)
            if field is not None and field.focusable:
                field.focus()
            else:
                line.scroll_visible(animate=False)
            return

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The focused field is brought out from under the docked Save / Close: Textual counts a
        row beneath them as in view, so tabbing to a form's last row at 80x24 left it hidden."""
        field = event.widget

        def uncover() -> None:  # once Textual has scrolled the field into view as it sees it
            save = next(iter(self.query("#save")), None)
            bar = save.parent if save is not None else None
            if not isinstance(bar, Widget) or self.focused is not field or bar in field.ancestors:
                return
            if field.region.overlaps(bar.region):
                field.scroll_visible(animate=False)

        self.call_after_refresh(uncover)

    def _status(self, text: str) -> None:
        self.query_one("#form-status", Static).update(text)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        self._clear_errors()
        payload = self._payload()
        if payload is None:
            self._focus_first_problem()
            return
        if isinstance(payload, PatchModel) and not payload.changed_fields:
            self._status("Nothing changed")
            return
        self._status("Saving…")
        self.save(payload)

    @work(exclusive=True, exit_on_error=False)
    async def save(self, payload: WriteModel) -> None:
        session = host(self).session
        if session is None:
            return
        client = session.client
        try:
            sent = await send_or_recheck(
                lambda: self._send(client, payload),
                lambda: self._find_saved(client, payload),
                on_lost=lambda: self._status(
                    "The reply was lost: asking EnKash whether it was saved…"
                ),
            )
        except ApiError as error:
            problems = [(e.field, e.message) for e in error.field_errors]
            self._show_errors(problems, f"Not saved: {error}")
            self._focus_first_problem()
            return
        except RecheckFailed as failed:
            self._status(
                f"Outcome unknown: the reply was lost and checking failed ({failed.second}). It "
                "may have been saved: look for it before saving again."
            )
            return
        except EnkashError as error:
            self._status(f"Not saved: {error}")
            return
        if sent.rechecked and sent.value is None:  # lost, and EnKash does not have it
            self._status(
                "Not saved: the reply was lost, and EnKash does not have it. Enter saves again."
                if self._can_tell(payload)
                else "Outcome unknown: the reply was lost and this cannot be checked from here. "
                "Look for it before saving again."
            )
            return
        if sent.rechecked:
            self.app.notify("Saved (confirmed with EnKash after the reply was lost)", timeout=5)
        self.dismiss(sent.value)

    async def _find_saved(self, client: EnkashClient, payload: WriteModel) -> Saved | None:
        """The record as EnKash has it if this payload took effect, else None."""
        return None

    def _can_tell(self, payload: WriteModel) -> bool:
        """Whether ``_find_saved`` returning None means "not saved" rather than "unknown"."""
        return False

    @on(Button.Pressed, "#close")
    def action_leave(self) -> None:
        leave_asking(
            self, self.dirty, "Discard your edits?", "What you typed in this form will be lost."
        )


def same_scalars(changes: WriteModel, record: object) -> bool:
    """Whether every plain field a PATCH set now has that value on the record read back
    (lists of contacts or rules are not compared)."""
    for name in changes.model_fields_set:
        value = getattr(changes, name)
        if isinstance(value, list):
            continue
        if getattr(record, name, None) != value:
            return False
    return True
