"""The customer behind an invoice: who they are, who to call, and when they get reminded.

Opened from the invoice list (``c``, or ``m`` straight to the reminder rules) and from the
Customers section (Enter). The card itself changes nothing; from Customers it can hand an edit or
a jump back to the section.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from enkash_tui import clock
from enkash_tui.api import EnkashClient, EnkashError
from enkash_tui.api.models import Customer, CustomerFilter, KeyContact, Reminder
from enkash_tui.domain.formatting import day, inr
from enkash_tui.domain.open_book import Balance
from enkash_tui.domain.reminders import describe
from enkash_tui.local.customer_cache import customer_balance
from screens.dialog import Dialog
from screens.host import host


def _yes(flag: bool | None) -> str:
    return "yes" if flag else "no"


def contacts_table(contacts: list[KeyContact]) -> RenderableType:
    if not contacts:
        return Text("No key contacts: dispatches and reminders reach nobody.", style="yellow")
    table = Table(
        "Name",
        "Mobile",
        "E-mail",
        "Mail",
        "SMS",
        "WhatsApp",
        box=None,
        padding=(0, 1),
        header_style="bold",
    )
    for contact in contacts:
        table.add_row(
            Text(contact.name or ""),
            Text(contact.mobile or ""),
            Text(contact.email or ""),
            _yes(contact.mail_enabled),
            _yes(contact.sms_enabled),
            _yes(contact.whatsapp_enabled),
        )
    return table


def contacts_lines(contacts: list[KeyContact]) -> RenderableType:
    """Key contacts for a narrow pane: one person a line or two, channels as words."""
    if not contacts:
        return Text("No key contacts: dispatches and reminders reach nobody.", style="yellow")
    lines = Text()
    for contact in contacts:
        channels = [
            name
            for name, on in (
                ("mail", contact.mail_enabled),
                ("SMS", contact.sms_enabled),
                ("WhatsApp", contact.whatsapp_enabled),
            )
            if on
        ]
        lines.append(f"{contact.name or '?'}", style="bold")
        lines.append(f"  {', '.join(channels) or 'no channel on'}\n", style="dim")
        lines.append("  " + "  ".join(x for x in (contact.mobile, contact.email) if x) + "\n")
    lines.rstrip()
    return lines


def reminders_table(rules: list[Reminder]) -> RenderableType:
    if not rules:
        return Text("No reminder rules: nobody is chased automatically.", style="yellow")
    table = Table("When", "At", "Stage", box=None, padding=(0, 1), header_style="bold")
    for rule in rules:
        table.add_row(describe(rule), rule.reminder_time or "", Text(rule.stage or ""))
    return table


def customer_facts(customer: Customer) -> RenderableType:
    """Every field EnKash returned for the customer, labelled; empty ones left out."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    address = ", ".join(x for x in (customer.address, customer.state, customer.pin_code) if x)
    for label, value in (
        ("Customer id", customer.customer_id), ("Status", (customer.status or "").title()),
        ("GSTIN / PAN", customer.pan_or_gstin), ("Phone", customer.contact_number),
        ("Address", address), ("Bank account", customer.account_number),
        ("IFSC", customer.ifsc), ("Reference", customer.unique_ref_no),
        ("Agent", customer.assigned_agent), ("Branches", ", ".join(customer.branch_codes)),
        ("Their EnKash id", customer.customer_company_id),
        ("Company", customer.company_id),
        ("External source", "yes" if customer.external_source else ""),
        ("Created", _stamp(customer.created_on)), ("Modified", _stamp(customer.modified_on)),
    ):  # fmt: skip
        if value:
            facts.add_row(label, Text(str(value)))
    return facts


def _stamp(moment: dt.datetime | None) -> str:
    return moment.strftime("%d %b %Y %H:%M") if moment else ""


def money_summary(balance: Balance, today: dt.date) -> RenderableType:
    """Open invoices: how many, the balance, what is overdue and since when."""
    if not balance.open_count:
        return Text("No open invoices: nothing owed.", style="green")
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(justify="right")
    table.add_row("Open invoices", f"{balance.open_count:,}")
    table.add_row("Balance", inr(balance.balance))
    table.add_row("Overdue", Text(inr(balance.overdue), style="red" if balance.overdue else ""))
    if balance.oldest_due is not None:
        late = (today - balance.oldest_due).days
        table.add_row(
            "Oldest due", day(balance.oldest_due) + (f" ({late} d late)" if late > 0 else "")
        )
    return table


@dataclass(frozen=True)
class CustomerView:
    """Everything the detail and the card show about one customer."""

    customer: Customer | None  # None: no longer listed (deleted elsewhere)
    contacts: list[KeyContact]
    rules: list[Reminder]
    balance: Balance


async def load_customer_view(client: EnkashClient, customer_id: str) -> CustomerView:
    """The customer, their contacts (getCustomerContactDetails), reminder rules and what they
    owe, fetched side by side."""
    page, contacts, rules, balance = await asyncio.gather(
        client.search_customers(CustomerFilter(customer_ids=[customer_id]), limit=1),
        client.get_customer_contacts(customer_id),
        client.list_reminders(customer_id),
        customer_balance(client, customer_id, clock.today()),
    )
    return CustomerView(page.items[0] if page.items else None, contacts, rules, balance)


def customer_view_parts(
    view: CustomerView, *, narrow: bool = False
) -> list[tuple[str, RenderableType]]:
    """(section title, body) in reading order; the first title is empty (the facts)."""
    facts: RenderableType = (
        customer_facts(view.customer)
        if view.customer is not None
        else Text("This customer is no longer listed (deleted?)", style="yellow")
    )
    return [
        ("", facts),
        ("Invoices", money_summary(view.balance, clock.today())),
        (
            "Key contacts",
            contacts_lines(view.contacts) if narrow else contacts_table(view.contacts),
        ),
        ("Reminder rules", reminders_table(view.rules)),
    ]


class CustomerCard(Dialog[str | None]):
    """The whole customer. From the Customers section it also offers the section's jumps and
    edits: it dismisses with the action to run there (``invoices``, ``reminders``, ``edit``),
    else None."""

    BINDINGS = [
        Binding("escape,q,enter", "dismiss", "Close", id="customer_card.close"),
        Binding("i", "pick('invoices')", "Invoices", id="customer_card.invoices"),
        Binding("e", "pick('edit')", "Edit", id="customer_card.edit"),
        Binding("m", "pick('reminders')", "Reminder rules", id="customer_card.reminders"),
    ]

    def __init__(
        self, customer_id: str, name: str, *, to_reminders: bool = False, actions: bool = False
    ) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.name_hint = name
        self.to_reminders = to_reminders
        self.actions = actions
        self.view: CustomerView | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal form", id="card"):
            yield Static(self.name_hint or self.customer_id, classes="title", markup=False)
            yield Static(Text("Loading…", style="dim"), id="card-facts")
            for title, key in (
                ("Invoices", "money"),
                ("Key contacts", "contacts"),
                ("Reminder rules", "reminders"),
            ):
                yield Static(title, classes="group", markup=False, id=f"card-{key}-title")
                yield Static(Text("…", style="dim"), id=f"card-{key}")
            hint = "i invoices · m reminder rules · e edit · Esc close"
            yield Static(hint if self.actions else "Esc closes", classes="hint", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.actions or action != "pick"

    def action_pick(self, action: str) -> None:
        self.dismiss(action)

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        session = host(self).session
        if session is None:
            return
        try:
            self.view = await load_customer_view(session.client, self.customer_id)
        except EnkashError as error:
            self.query_one("#card-facts", Static).update(Text(f"Could not load: {error}", "red"))
            return
        targets = ("#card-facts", "#card-money", "#card-contacts", "#card-reminders")
        for target, (_, body) in zip(targets, customer_view_parts(self.view), strict=True):
            self.query_one(target, Static).update(body)
        if self.to_reminders:
            self.call_after_refresh(
                lambda: self.query_one("#card", VerticalScroll).scroll_to_widget(
                    self.query_one("#card-reminders-title"), top=True, animate=False
                )
            )
