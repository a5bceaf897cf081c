"""The follow-up window's small forms: a note, a promise to pay, a dispute opened or resolved, the
next follow-up date, a follow-up done. Each is checked with the domain's words (``EntryProblem``
beside its field), written to the follow-up book on Enter, and keeps what was typed when the
save fails; Esc leaves, asking first when something was typed."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from enkash_tui import clock
from enkash_tui.domain.followups import (
    DISPUTE_REASONS,
    LONGEST_PROMISE,
    Entry,
    EntryProblem,
    Subject,
    clean_text,
    typed_day,
    typed_rupees,
)
from enkash_tui.domain.formatting import amount_as_typed, day, inr
from enkash_tui.domain.timeline import reason_words
from enkash_tui.local.worklog import Worklog, WorklogError
from screens.dialog import Dialog
from screens.host import host
from screens.modals import leave_asking
from screens.widgets.form_controls import FormInput

# What a checked form writes: one call on the book, returning the entry written.
Write = Callable[[Worklog], Entry]
NO_REASON = "__none__"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (words, value): a choice list instead of text


class EntryForm(Dialog[Entry | None]):
    """Dismisses with the entry written, or None when the user leaves."""

    DEFAULT_CSS = """
    EntryForm .fu-modal { width: 76; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 1; border: thick $primary; background: $surface; }
    EntryForm .fu-row { height: auto; }
    EntryForm .fu-row:focus-within > .fu-label { text-style: reverse; }
    EntryForm .fu-label { width: 14; color: $text-muted; }
    EntryForm .fu-row Input, EntryForm .fu-row Select { width: 30; margin: 0; }
    EntryForm .fu-error { width: 1fr; height: auto; color: $error; padding: 0 0 0 1; }
    EntryForm .fu-buttons { height: auto; padding: 1 0 0 0; }
    EntryForm .fu-buttons Button { margin: 0 2 0 0; }
    EntryForm .title { padding: 0; }
    """
    BINDINGS = [
        Binding("escape", "leave", "Close", id="followup_form.close"),
        Binding("enter", "save", "Save", show=False, id="followup_form.save"),
    ]
    FORM_TITLE = ""

    def __init__(self, subject: Subject, heading: str) -> None:
        super().__init__()
        self.subject = subject
        self.heading = heading  # the invoice number or customer name, as the window shows it
        self.start: dict[str, str] = {}
        self.title_text = self.FORM_TITLE
        self.saving = False  # a save is being written: Enter again does nothing

    def fields(self) -> list[Field]:
        raise NotImplementedError

    def check(self, values: dict[str, str], today: dt.date) -> Write:
        """The write to make, or ``EntryProblem`` naming the field that is wrong."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="fu-modal"):
            yield Static(self.title_text, classes="title", markup=False)
            yield Static(self.heading, classes="hint-inline", markup=False)
            for field in self.fields():
                self.start[field.name] = field.value
                with Horizontal(classes="fu-row"):
                    yield Label(field.label, classes="fu-label")
                    if field.choices:
                        yield Select(
                            field.choices,
                            value=field.value,
                            allow_blank=False,
                            id=field.name,
                            compact=True,
                        )
                    else:
                        yield FormInput(
                            field.value, id=field.name, compact=True, placeholder=field.placeholder
                        )
                    yield Static("", id=f"{field.name}-error", classes="fu-error", markup=False)
            yield Static("", id="form-status", markup=False)
            with Horizontal(classes="fu-buttons"):
                yield Button("Save (Enter)", id="save", variant="primary", compact=True)
                yield Button("Close (Esc)", id="close", compact=True)

    def on_mount(self) -> None:
        first = next(iter(self.query("Input, Select")), None)
        if isinstance(first, Widget):
            first.focus()

    def values(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for name in self.start:
            widget = self.query_one(f"#{name}")
            if isinstance(widget, Input):
                found[name] = widget.value
            elif isinstance(widget, Select):
                found[name] = str(widget.value) if isinstance(widget.value, str) else ""
        return found

    @property
    def dirty(self) -> bool:
        return self.values() != self.start

    def _status(self, text: str) -> None:
        self.query_one("#form-status", Static).update(text)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        if self.saving:  # a second Enter while the first is being written: written once
            return
        for shown in self.query(".fu-error").results(Static):
            shown.update("")
        self._status("")
        try:
            write = self.check(self.values(), clock.today())
        except EntryProblem as problem:
            line = next(iter(self.query(f"#{problem.field}-error")), None)
            if isinstance(line, Static):
                line.update(str(problem))
                self.query_one(f"#{problem.field}").focus()
            else:
                self._status(f"Not saved: {problem}")
            return
        self._status("Saving…")
        self.saving = True
        self.save(write)

    @work(exclusive=True, exit_on_error=False)
    async def save(self, write: Write) -> None:
        session = host(self).session
        if session is None:
            return
        try:
            entry = await asyncio.to_thread(lambda: write(session.worklog()))
        except WorklogError as error:
            self.saving = False
            self._status(f"Not saved: {error}")
            self.notify(str(error), title="Follow-up book", severity="error", markup=False)
            return
        self.dismiss(entry)

    @on(Button.Pressed, "#close")
    def action_leave(self) -> None:
        leave_asking(self, self.dirty, "Discard what you typed?", "It is not saved yet.")


class NoteForm(EntryForm):
    FORM_TITLE = "Add a note"

    def fields(self) -> list[Field]:
        return [Field("text", "Note", placeholder="what was said, what happens next")]

    def check(self, values: dict[str, str], today: dt.date) -> Write:
        text = clean_text(values["text"], "text", required=True)
        return lambda book: book.add_note(self.subject, text)


class PromiseForm(EntryForm):
    """A promise to pay: the amount starts as the balance, the date empty. ``received`` is what
    EnKash has received on the subject now: what the promise is later checked against."""

    FORM_TITLE = "Record a promise to pay"

    def __init__(
        self, subject: Subject, heading: str, balance: Decimal | None, received: Decimal
    ) -> None:
        super().__init__(subject, heading)
        self.balance = balance
        self.received = received

    def fields(self) -> list[Field]:
        amount = amount_as_typed(self.balance) if self.balance and self.balance > 0 else ""
        return [
            Field("due", "Pay by", placeholder="yyyy-mm-dd"),
            Field("amount", "Amount ₹", amount, placeholder="e.g. 25000 or 1,50,000.50"),
            Field("text", "Note", placeholder="optional"),
        ]

    def check(self, values: dict[str, str], today: dt.date) -> Write:
        due = typed_day(values["due"], "due", today, latest=LONGEST_PROMISE)
        amount = typed_rupees(values["amount"], "amount")
        text = clean_text(values["text"], "text")
        return lambda book: book.add_promise(self.subject, due, amount, self.received, text)


class DisputeForm(EntryForm):
    FORM_TITLE = "Open a dispute"

    def fields(self) -> list[Field]:
        choices = ((words, code) for code, words in DISPUTE_REASONS.items())
        return [
            Field(
                "reason", "Reason", NO_REASON, choices=(("Choose a reason", NO_REASON), *choices)
            ),
            Field("text", "Details", placeholder="what the customer says"),
        ]

    def check(self, values: dict[str, str], today: dt.date) -> Write:
        reason = values["reason"]
        if reason not in DISPUTE_REASONS:
            raise EntryProblem("reason", "choose one")
        text = clean_text(values["text"], "text")
        return lambda book: book.open_dispute(self.subject, reason, text)


class CloseForm(EntryForm):
    """Resolve the open dispute, mark the follow-up done or withdraw the promise (one broken,
    and not to be chased any more): an optional word on how or why."""

    def __init__(self, subject: Subject, heading: str, entry: Entry) -> None:
        super().__init__(subject, heading)
        self.entry = entry
        if entry.kind == "dispute":
            self.title_text = f"Resolve the dispute: {reason_words(entry.reason)}"
        elif entry.kind == "promise":
            self.title_text = (
                f"Withdraw the promise of {inr(entry.amount or 0)} by {day(entry.due)}"
            )
        else:
            self.title_text = f"Mark the follow-up of {day(entry.due)} done"

    def fields(self) -> list[Field]:
        label = {"dispute": "Resolution", "promise": "Why"}.get(self.entry.kind, "Outcome")
        return [Field("text", label, placeholder="optional")]

    def check(self, values: dict[str, str], today: dt.date) -> Write:
        text = clean_text(values["text"], "text")
        return lambda book: book.close_entry(self.entry.id, text)


class FollowUpDateForm(EntryForm):
    FORM_TITLE = "Set the next follow-up"

    def fields(self) -> list[Field]:
        return [
            Field("due", "On", placeholder="yyyy-mm-dd"),
            Field("text", "To do", placeholder="optional: call the accounts team…"),
        ]

    def check(self, values: dict[str, str], today: dt.date) -> Write:
        due = typed_day(values["due"], "due", today, latest=LONGEST_PROMISE)
        text = clean_text(values["text"], "text")
        return lambda book: book.set_follow_up(self.subject, due, text)
