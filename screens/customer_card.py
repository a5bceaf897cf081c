"""The customer behind an invoice: who they are, who to call, and when they get reminded.

Opened from the invoice list (``c``, or ``m`` straight to the reminder rules). Read-only: the
Customers and Reminders sections are where these are changed.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, cast

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from enkash_tui.api import EnkashError
from enkash_tui.api.models import Customer, CustomerFilter, KeyContact, Reminder

if TYPE_CHECKING:
    from enkash_tui.app import EnkashApp


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


def _when(rule: Reminder) -> str:
    days = rule.due_date_difference or 0
    relative = (
        "on the due date"
        if days == 0
        else (f"{-days} days before due" if days < 0 else f"{days} days after due")
    )
    if (rule.reminder_type or "").upper() == "RECURRING":
        return f"from {relative}, every {rule.reminder_interval or '?'} days"
    return relative


def reminders_table(rules: list[Reminder]) -> RenderableType:
    if not rules:
        return Text("No reminder rules: nobody is chased automatically.", style="yellow")
    table = Table("When", "At", "Stage", box=None, padding=(0, 1), header_style="bold")
    for rule in rules:
        table.add_row(_when(rule), rule.reminder_time or "", Text(rule.stage or ""))
    return table


def customer_facts(customer: Customer) -> RenderableType:
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    for label, value in (
        ("Customer id", customer.customer_id), ("Status", customer.status),
        ("PAN / GSTIN", customer.pan_or_gstin), ("Phone", customer.contact_number),
        ("Address", ", ".join(x for x in (customer.address, customer.state, customer.pin_code)
                              if x)),
        ("Bank", " ".join(x for x in (customer.account_number, customer.ifsc) if x)),
        ("Agent", customer.assigned_agent), ("Reference", customer.unique_ref_no),
    ):  # fmt: skip
        if value:
            facts.add_row(label, Text(str(value)))
    return facts


class CustomerCard(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,enter", "dismiss", "Close", id="customer_card.close")]

    def __init__(self, customer_id: str, name: str, *, to_reminders: bool = False) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.name_hint = name
        self.to_reminders = to_reminders

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal form", id="card"):
            yield Static(self.name_hint or self.customer_id, classes="title", markup=False)
            yield Static(Text("Loading…", style="dim"), id="card-facts")
            yield Static("Key contacts", classes="group", markup=False)
            yield Static(Text("…", style="dim"), id="card-contacts")
            yield Static("Reminder rules", classes="group", markup=False, id="card-reminders-title")
            yield Static(Text("…", style="dim"), id="card-reminders")
            yield Static("Esc closes", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        session = cast("EnkashApp", self.app).session
        if session is None:
            return
        client = session.client
        try:
            page, contacts, rules = await asyncio.gather(
                client.search_customers(CustomerFilter(customer_ids=[self.customer_id]), limit=1),
                client.get_customer_contacts(self.customer_id),
                client.list_reminders(self.customer_id),
            )
        except EnkashError as error:
            self.query_one("#card-facts", Static).update(Text(f"Could not load: {error}", "red"))
            return
        facts: RenderableType = (
            customer_facts(page.items[0])
            if page.items
            else Text("This customer is no longer listed (deleted?)", style="yellow")
        )
        self.query_one("#card-facts", Static).update(Group(facts))
        self.query_one("#card-contacts", Static).update(contacts_table(contacts))
        self.query_one("#card-reminders", Static).update(reminders_table(rules))
        if self.to_reminders:
            self.call_after_refresh(
                lambda: self.query_one("#card", VerticalScroll).scroll_to_widget(
                    self.query_one("#card-reminders-title"), top=True, animate=False
                )
            )
