"""``B``: one set of reminder rules applied to many marked customers, added to their rules or
replacing them, with a result per customer.

Applied through updateCustomer's ``customerReminders`` list (a confirmed operation), one customer
at a time: their current rules are read first (getCustomerReminders) so "add" keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from pydantic import ValidationError
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, ProgressBar, Static

from enkash_tui.api import EnkashError, field_errors_from_validation
from enkash_tui.api.models import CustomerUpdate, Reminder, ReminderCreate
from enkash_tui.domain.customers import new_rule, rule_wire
from enkash_tui.domain.formatting import count
from enkash_tui.local.customer_cache import CustomerEntry
from screens.dialog import Dialog
from screens.host import host
from screens.modals import ConfirmModal
from screens.reminders.form import BY_WIRE
from screens.widgets.form_controls import ButtonBar, FormCheckbox
from screens.widgets.form_rows import RuleRow, say

if TYPE_CHECKING:
    from enkash_tui.api import EnkashClient


@dataclass(frozen=True)
class Outcome:
    customer: CustomerEntry
    ok: bool
    detail: str


def as_create(rule: Reminder) -> ReminderCreate:
    """A rule read from EnKash, to be sent back as it is (with its id)."""
    return ReminderCreate.model_validate(
        {
            "customerReminderId": rule.customer_reminder_id,
            "dueDateDifference": rule.due_date_difference or 0,
            "reminderType": (rule.reminder_type or "ONCE").upper(),
            "reminderInterval": rule.reminder_interval,
            "reminderTime": rule.reminder_time,
            "stage": rule.stage,
        }
    )


async def apply_rules(
    client: EnkashClient, customer: CustomerEntry, rules: list[ReminderCreate], replace: bool
) -> Outcome:
    try:
        kept = [] if replace else [as_create(r) for r in await client.list_reminders(
            customer.customer_id)]  # fmt: skip
    except ValidationError:
        return Outcome(customer, False, "one of their current rules is not valid: fix it first")
    except EnkashError as error:
        return Outcome(customer, False, f"their rules could not be read: {error}")
    try:
        await client.update_customer(
            customer.customer_id, CustomerUpdate(customer_reminders=kept + rules)
        )
    except EnkashError as error:
        return Outcome(customer, False, str(error))
    verb = "now has" if replace else f"kept {len(kept)}, now has"
    return Outcome(customer, True, f"{verb} {count(len(kept) + len(rules), 'rule')}")


class BulkRules(Dialog[bool]):
    """Dismisses True when at least one customer's rules changed."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="reminder_bulk.close"),
        Binding("enter", "apply", "Apply", show=False, id="reminder_bulk.apply"),
    ]

    def __init__(
        self, customers: list[CustomerEntry], held: dict[str, list[Reminder]] | None = None
    ) -> None:
        super().__init__()
        self.customers = customers
        # Every customer's rules as the Reminders list last read them (None: not read yet),
        # so that replacing them can say how many go.
        self.held = held
        self.outcomes: list[Outcome] = []
        self.running = False
        self.applied = False  # these rules, as they stand, went out already

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal form", id="bulk-rules"):
            yield Static(
                f"Reminder rules for {count(len(self.customers), 'customer')}",
                classes="title",
                markup=False,
            )
            names = ", ".join(c.legal_name for c in self.customers[:5])
            more = len(self.customers) - 5
            yield Static(names + (f" and {more} more" if more > 0 else ""), classes="hint-inline")
            with Vertical(id="rule-rows"):
                yield RuleRow(new_rule())
            yield Button("Add reminder rule", id="add-rule", compact=True)
            yield FormCheckbox(
                "Replace their current rules (otherwise add to them)", id="replace", compact=True
            )
            with ButtonBar(classes="buttons"):
                yield Button("Apply", id="apply", variant="warning", compact=True)
                yield Button("Close (Esc)", id="close", compact=True)
            yield ProgressBar(id="bulk-rules-progress", show_eta=False)
            yield Static("", id="bulk-rules-status", markup=False)
            yield Static("", id="bulk-rules-results")

    def on_mount(self) -> None:
        self.query_one("#bulk-rules-progress").display = False
        for position, row in enumerate(self.query(RuleRow)):
            row.renumber(position)
        self.query(RuleRow).first().first_input().focus()

    @on(Button.Pressed, "#add-rule")
    async def add_rule(self) -> None:
        row = RuleRow(new_rule())
        await self.query_one("#rule-rows").mount(row)
        for position, each in enumerate(self.query(RuleRow)):
            each.renumber(position)
        row.first_input().focus()

    @on(Button.Pressed, ".remove-row")
    async def _remove(self, event: Button.Pressed) -> None:
        row = next((n for n in event.button.ancestors if isinstance(n, RuleRow)), None)
        if row is not None:
            await row.remove()
            for position, each in enumerate(self.query(RuleRow)):
                each.renumber(position)

    def _rules(self) -> list[ReminderCreate] | None:
        """The rules typed, each checked; None after marking what is wrong on its row."""
        rules: list[ReminderCreate] = []
        ok = True
        for row in self.query(RuleRow):
            for line in row.query(".filter-error, .row-error"):
                say(cast(Static, line), "")
            try:
                rules.append(ReminderCreate.model_validate(rule_wire(row.values())))
            except ValidationError as error:
                ok = False
                for problem in field_errors_from_validation(error, ReminderCreate):
                    name = BY_WIRE.get(problem.field.split(".")[-1], "")
                    row.show_problem(name, problem.message)
        return rules if ok else None

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _changed_since_applied(self) -> None:
        self.applied = False

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def action_apply(self) -> None:
        if self.running:
            return
        status = self.query_one("#bulk-rules-status", Static)
        if self.applied:  # a second Enter must not add the same rules again
            status.update("Applied already: change the rules to apply them again, or Esc.")
            return
        rules = self._rules()
        if rules is None:
            status.update("Please correct the marked rules: nothing was applied.")
            return
        replace = self.query_one("#replace", Checkbox).value
        if not rules and not replace:
            status.update("Add a rule first (or tick Replace to remove everyone's rules).")
            return
        if not replace:
            self.apply(rules, replace)
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.apply(rules, replace)
            else:
                status.update("Nothing was applied.")

        self.app.push_screen(self._replace_question(rules), decided)

    def _replace_question(self, rules: list[ReminderCreate]) -> ConfirmModal:
        """Replacing throws their rules away: say whose and how many before it happens."""
        held = (
            None
            if self.held is None
            else sum(len(self.held.get(c.customer_id, [])) for c in self.customers)
        )
        going = "the rules they have now" if held is None else count(held, "rule") + " they have"
        coming = count(len(rules), "rule") + " each" if rules else "no rules at all"
        return ConfirmModal(
            f"Replace the rules of {count(len(self.customers), 'customer')}?",
            f"{going[:1].upper()}{going[1:]} will be deleted and replaced by {coming}. "
            "This cannot be undone from here.",
            yes="Replace",
            no="Back",
        )

    @work(exclusive=True, exit_on_error=False)
    async def apply(self, rules: list[ReminderCreate], replace: bool) -> None:
        session = host(self).session
        if session is None:
            return
        self.running = True
        self.query_one("#apply", Button).disabled = True
        bar = self.query_one("#bulk-rules-progress", ProgressBar)
        bar.display = True
        bar.update(total=len(self.customers), progress=0)
        status = self.query_one("#bulk-rules-status", Static)
        self.outcomes = []
        try:
            for customer in self.customers:
                status.update(f"Applying to {customer.legal_name}…")
                self.outcomes.append(await apply_rules(session.client, customer, rules, replace))
                bar.advance(1)
        finally:
            self.running = False
            self.query_one("#apply", Button).disabled = False
        self.applied = True
        done = sum(o.ok for o in self.outcomes)
        status.update(
            f"Applied to {count(done, 'customer')}; {count(len(self.outcomes) - done, 'failure')}."
        )
        self.query_one("#bulk-rules-results", Static).update(self._results())

    def _results(self) -> Table:
        table = Table("Customer", "", "Detail", box=None, padding=(0, 2), header_style="bold")
        for outcome in sorted(self.outcomes, key=lambda o: o.ok):  # failures first
            table.add_row(
                Text(outcome.customer.legal_name),
                Text("done", style="green") if outcome.ok else Text("FAILED", style="bold red"),
                Text(outcome.detail),
            )
        return table

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        if self.running:
            self.query_one("#bulk-rules-status", Static).update(
                "Still applying: wait for the results (nothing is half-applied per customer)."
            )
            return
        self.dismiss(any(o.ok for o in self.outcomes))
