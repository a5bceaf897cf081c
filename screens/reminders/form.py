"""New reminder rule (``n``) and edit rule (``e``) for one customer.

The whole rule is checked as ``ReminderCreate`` (offset -365..365 days, a RECURRING rule needs an
interval of at least a day, the time as HH:mm) before anything is sent; an edit then sends only
what changed (updateCustomerReminder). The rule is read back in words as it is typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Static

from enkash_tui.api import field_errors_from_validation
from enkash_tui.api.models import Reminder, ReminderCreate, ReminderUpdate
from enkash_tui.domain.customers import (
    RULE_FIELDS,
    new_rule,
    rule_payloads,
    rule_values,
    rule_wire,
)
from enkash_tui.domain.reminders import describe
from screens.record_form import RecordForm
from screens.widgets.form_controls import ButtonBar, FormCheckbox
from screens.widgets.form_rows import check_as_typed, field_row, say

if TYPE_CHECKING:
    from enkash_tui.api import EnkashClient
    from enkash_tui.api.models.base import WriteModel

BY_WIRE = {spec.wire: name for name, spec in RULE_FIELDS.items()} | {
    "reminderType": "reminder_type"
}


class RuleForm(RecordForm[Reminder]):
    """Dismisses with the saved rule, or None."""

    def __init__(self, customer_id: str, customer_name: str, rule: Reminder | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer_name = customer_name
        self.original = rule
        self.start = rule_values(rule) if rule else new_rule()

    def compose(self) -> ComposeResult:
        verb = "New reminder rule" if self.original is None else "Edit reminder rule"
        self.title = f"{verb} for {self.customer_name}"
        with Vertical(classes="modal form", id="rule-form"):
            yield Static(self.title, classes="title", markup=False)
            with Horizontal(classes="filter-row"):
                yield Label("", classes="label")
                repeats = self.start.get("reminder_type") == "RECURRING"
                yield FormCheckbox("Repeats (RECURRING)", repeats, id="reminder_type", compact=True)
                yield Static("", id="reminder_type-error", classes="filter-error", markup=False)
            for name, spec in RULE_FIELDS.items():
                yield from field_row(name, spec, str(self.start.get(name) or ""))
            yield Static("", id="rule-words", markup=False)
            yield Static("", id="form-status", markup=False)
            with ButtonBar(classes="buttons"):
                yield Button("Save (Enter)", id="save", variant="primary", compact=True)
                yield Button("Close (Esc)", id="close", compact=True)

    def on_mount(self) -> None:
        self._read_back()
        self.query_one("#due_date_difference", Input).focus()

    def current(self) -> dict[str, Any]:
        values: dict[str, Any] = {i.id: i.value for i in self.query(Input) if i.id}
        repeats = self.query_one("#reminder_type", Checkbox).value
        values["reminder_type"] = "RECURRING" if repeats else "ONCE"
        values["customer_reminder_id"] = self.start.get("customer_reminder_id")
        return values

    @property
    def dirty(self) -> bool:
        return rule_wire(self.current()) != rule_wire(self.start)

    # -- checks ------------------------------------------------------------------------------

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _typed(self, event: Input.Changed | Checkbox.Changed) -> None:
        if isinstance(event, Input.Changed):
            check_as_typed(event)
        self._read_back()

    def _read_back(self) -> None:
        """The rule as typed, in words, so "-3" reads "3 days before due"."""
        words = self.query_one("#rule-words", Static)
        try:
            rule = Reminder.model_validate(rule_wire(self.current()))
        except ValidationError:
            words.update("")
            return
        words.update(Text(f"Reminds {describe(rule)}", style="bold"))

    def _clear_errors(self) -> None:
        for line in self.query(".filter-error"):
            say(cast(Static, line), "")
        self._status("")

    def _show_errors(self, problems: list[tuple[str, str]], summary: str) -> None:
        unplaced = []
        for wire, message in problems:
            name = BY_WIRE.get(wire.split(".")[-1])
            if name:
                say(self.query_one(f"#{name}-error", Static), message)
            else:
                unplaced.append(f"{wire}: {message}")
        self._status(" · ".join([summary, *unplaced]))

    def _payload(self) -> WriteModel | None:
        start = None if self.original is None else self.start
        try:
            whole, change = rule_payloads(start, self.current())
        except ValidationError as error:
            problems = field_errors_from_validation(error, ReminderCreate)
            self._show_errors([(p.field, p.message) for p in problems], "Please correct this")
            return None
        return whole if change is None else change

    async def _send(self, client: EnkashClient, payload: WriteModel) -> Reminder:
        if isinstance(payload, ReminderCreate):
            return await client.create_reminder(self.customer_id, payload)
        assert self.original is not None and self.original.customer_reminder_id
        assert isinstance(payload, ReminderUpdate)
        return await client.update_reminder(self.original.customer_reminder_id, payload)
