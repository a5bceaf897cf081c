"""``p``: when a customer's reminder rules would fire for one of their open invoices (or a due
date typed in), and who would hear about it on which channel. The rules, invoices and contacts
are read when it opens, so it never shows another customer's rules."""

from __future__ import annotations

import asyncio
import datetime as dt

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from enkash_tui import clock
from enkash_tui.api import EnkashError
from enkash_tui.api.models import Invoice, InvoiceFilter, KeyContact, Reminder, SortDirection
from enkash_tui.domain.formatting import day, inr
from enkash_tui.domain.invoices import OPEN
from enkash_tui.domain.reminders import (
    HORIZON_DAYS,
    PAST_PER_RULE,
    PER_RULE,
    describe,
    firings,
    nobody_reached,
    recipients,
    time_of,
)
from screens.dialog import Dialog
from screens.host import host
from screens.widgets.form_controls import FormInput

SHOWN_INVOICES = 50
PAST_MARK = "would have fired"


def stamp(at: dt.datetime) -> str:
    """``Wed 25 Nov 2026 10:00`` (the year in four digits, even in year 1)."""
    return f"{at:%a %d %b} {at.year:04d} {at:%H:%M}"


def timeline(rules: list[Reminder], due: dt.date, today: dt.date) -> RenderableType:
    """The firing dates as a table, the next one marked; a note for rules that cannot fire."""
    if not rules:
        return Text("No reminder rules: this customer is never reminded.", style="yellow")
    table = Table("When", "Rule", "Stage", "", box=None, padding=(0, 2), header_style="bold")
    upcoming = False
    shown = firings(rules, due, today=today)
    for firing in shown:
        # EnKash does not report what it sent: a date before today is only when it would have.
        marker = Text(PAST_MARK if firing.past else "", style="dim")
        if not firing.past and not upcoming:
            marker, upcoming = Text("next", style="bold green"), True
        repeat = f" (#{firing.occurrence})" if firing.occurrence > 1 else ""
        table.add_row(
            Text(stamp(firing.at), style="dim" if firing.past else ""),
            describe(firing.rule) + repeat,
            Text(firing.rule.stage or ""),
            marker,
        )
    parts: list[RenderableType] = [table]
    if any(firing.past for firing in shown):
        parts.append(
            Text(
                "Dates before today: when the rule would have fired. EnKash does not say which "
                "reminders went out.",
                style="dim",
            )
        )
    unusable = [rule for rule in rules if time_of(rule) is None]
    if unusable:
        parts.append(Text(f"{len(unusable)} rule(s) have no usable time and never fire.", "yellow"))
    if any((rule.reminder_type or "").upper() == "RECURRING" for rule in rules):
        parts.append(
            Text(
                f"Repeating rules: the last {PAST_PER_RULE} dates before today and the next "
                f"{PER_RULE} within {HORIZON_DAYS} days. EnKash does not say when they stop "
                "(presumably once the invoice is paid).",
                style="dim",
            )
        )
    return Group(*parts)


def who_hears(contacts: list[KeyContact]) -> RenderableType:
    people = recipients(contacts)
    if nobody_reached(contacts):
        return Text(
            "Nobody would receive these reminders: no key contact has e-mail, SMS or WhatsApp "
            "switched on with an address for it. Edit the customer's contacts (Customers, e).",
            style="bold red",
        )
    table = Table("Contact", "Reaches", "By", box=None, padding=(0, 2), header_style="bold")
    for person in people:
        by = ", ".join(person.channels) if person.channels else Text("nothing on", style="dim")
        table.add_row(Text(person.name), Text(person.address), by)
    return table


class ReminderPreview(Dialog[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close", id="reminder_preview.close")]

    def __init__(self, customer_id: str, customer_name: str) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer_name = customer_name
        self.rules: list[Reminder] = []  # read fresh when the preview opens
        self.contacts: list[KeyContact] = []
        self.invoices: list[Invoice] = []
        self.due: dt.date | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal form", id="preview"):
            yield Static(f"When {self.customer_name} is reminded", classes="title", markup=False)
            with Horizontal(classes="filter-row"):
                yield Label("Due date", classes="label")
                yield FormInput(
                    placeholder="yyyy-mm-dd, or pick an invoice", id="due", compact=True
                )
                yield Static("", id="due-error", classes="filter-error", markup=False)
            yield Static("Their open invoices, oldest due first", classes="group", markup=False)
            yield OptionList(id="preview-invoices", compact=True)
            yield Static(Text("Loading…", style="dim"), id="preview-timeline")
            yield Static("Who hears", classes="group", markup=False)
            yield Static("", id="preview-contacts")
            yield Static("↑↓ Enter pick an invoice · type a due date · Esc close", classes="hint")

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        session = host(self).session
        if session is None:
            return
        client = session.client
        try:
            page, self.contacts, self.rules = await asyncio.gather(
                client.search_invoices(
                    InvoiceFilter(customer_ids=[self.customer_id], receivable_statuses=OPEN),
                    limit=SHOWN_INVOICES,
                    order_by="dueDate",
                    direction=SortDirection.ASC,
                ),
                client.get_customer_contacts(self.customer_id),
                client.list_reminders(self.customer_id),
            )
        except EnkashError as error:
            self.query_one("#preview-timeline", Static).update(Text(f"Not loaded: {error}", "red"))
            return
        self.invoices = [i for i in page.items if i.due_date is not None]
        options = self.query_one("#preview-invoices", OptionList)
        options.add_options(
            Option(
                f"{i.invoice_number or i.invoice_id}  due {day(i.due_date)}  "
                f"{inr(i.balance_amount)}",
                id=i.invoice_id,
            )
            for i in self.invoices
        )
        self.query_one("#preview-contacts", Static).update(who_hears(self.contacts))
        if self.invoices:
            options.highlighted = 0
            options.focus()
            self.show(self.invoices[0].due_date)
        else:
            self.query_one("#preview-timeline", Static).update(
                Text("No open invoices: type a due date above to see the dates.", style="dim")
            )
            self.query_one("#due", Input).focus()

    def show(self, due: dt.date | None) -> None:
        self.due = due
        if due is None:
            return
        body = timeline(self.rules, due, clock.today())
        self.query_one("#preview-timeline", Static).update(
            Group(Text(f"\nFor an invoice due {day(due)}:", style="bold"), body)
        )

    @on(OptionList.OptionHighlighted, "#preview-invoices")
    def _picked(self, event: OptionList.OptionHighlighted) -> None:
        invoice = next((i for i in self.invoices if i.invoice_id == event.option.id), None)
        if invoice is not None:
            self.show(invoice.due_date)

    @on(Input.Changed, "#due")
    def _typed(self, event: Input.Changed) -> None:
        error = self.query_one("#due-error", Static)
        text = event.value.strip()
        if not text:
            error.update("")
            return
        try:
            due = dt.date.fromisoformat(text)
        except ValueError:
            error.update("a date as yyyy-mm-dd")
            return
        error.update("")
        self.show(due)
