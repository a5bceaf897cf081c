"""The repeating parts of the customer form: one key contact, one reminder rule.

Each row holds its own inputs (ids repeat from row to row, so always query inside a row), shows a
problem next to the input it concerns, and gives back its values as a plain dict.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Static

from enkash_tui.domain.customers import (
    CONTACT_FIELDS,
    CONTACT_FLAGS,
    RULE_FIELDS,
    FormField,
    live_problem,
)
from screens.widgets.form_controls import FormCheckbox, FormInput


def check_as_typed(event: Input.Changed) -> None:
    """Put what is wrong with the value so far on the line beside its input."""
    field = event.input.id or ""
    line = event.input.parent.query(f"#{field}-error") if event.input.parent else None
    if line:
        say(line.first(Static), live_problem(field, event.value))


def say(line: Static, message: str) -> None:
    """A problem line that takes no room while it has nothing to say."""
    line.update(message)
    if line.has_class("row-error"):
        line.display = bool(message)


def field_row(name: str, spec: FormField, value: str) -> ComposeResult:
    """Label, input and the line where its problem shows."""
    with Horizontal(classes="filter-row"):
        yield Label(spec.label, classes="label")
        yield FormInput(value, id=name, compact=True, placeholder=spec.placeholder)
        yield Static("", id=f"{name}-error", classes="filter-error", markup=False)


class EntryRow(Vertical):
    """A contact or a rule: a titled box of inputs with a Remove button."""

    FIELDS: dict[str, FormField] = {}
    NOUN = ""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__(classes="entry-row")
        self.start = values
        self.record_id: str | None = None

    def show_problem(self, field: str, message: str) -> None:
        """Put ``message`` next to ``field``, or on the row's own line."""
        target = self.query(f"#{field}-error") if field else None
        if target:
            say(target.first(Static), message)
        else:
            say(self.query_one(".row-error", Static), message)

    def on_mount(self) -> None:
        for line in self.query(".row-error"):
            line.display = False

    @on(Input.Changed)
    def _check(self, event: Input.Changed) -> None:
        check_as_typed(event)
        event.stop()  # checked here; the form around need not look again

    def first_input(self) -> Input:
        return self.query(Input).first(Input)

    def renumber(self, position: int) -> None:
        self.border_title = f"{self.NOUN} {position + 1}"


class ContactRow(EntryRow):
    NOUN = "Contact"

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.record_id = values.get("key_contact_person_id")

    def compose(self) -> ComposeResult:
        for name, spec in CONTACT_FIELDS.items():
            yield from field_row(name, spec, str(self.start.get(name) or ""))
        with Horizontal(classes="flags-row"):
            yield Label("Reminders by", classes="label")
            for flag, label in CONTACT_FLAGS.items():
                yield FormCheckbox(label, bool(self.start.get(flag)), id=flag, compact=True)
            yield Button("Remove", classes="remove-row", compact=True)
        yield Static("", classes="row-error", markup=False)

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {i.id: i.value for i in self.query(Input) if i.id}
        values.update({c.id: c.value for c in self.query(Checkbox) if c.id})
        values["key_contact_person_id"] = self.record_id
        return values


class RuleRow(EntryRow):
    NOUN = "Reminder rule"

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.record_id = values.get("customer_reminder_id")

    def compose(self) -> ComposeResult:
        for name, spec in RULE_FIELDS.items():
            yield from field_row(name, spec, str(self.start.get(name) or ""))
        with Horizontal(classes="flags-row"):
            yield Label("", classes="label")
            recurring = self.start.get("reminder_type") == "RECURRING"
            yield FormCheckbox("Repeats (RECURRING)", recurring, id="reminder_type", compact=True)
            yield Button("Remove", classes="remove-row", compact=True)
        yield Static("", id="reminder_type-error", classes="row-error", markup=False)

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {i.id: i.value for i in self.query(Input) if i.id}
        repeats = self.query_one("#reminder_type", Checkbox).value
        values["reminder_type"] = "RECURRING" if repeats else "ONCE"
        values["customer_reminder_id"] = self.record_id
        return values
