"""What the follow-up window reads: from EnKash, the subject's balance, what has been received on
it (what a promise is checked against), its owner (the customer's ``assignedAgent``) and Bharat
Connect history; from this machine, the follow-up book and the action log."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from enkash_tui.api.models import Customer, CustomerFilter, Invoice, InvoiceFilter
from enkash_tui.domain.followups import Entry, Subject
from enkash_tui.domain.timeline import LoggedAction, TimelineLine, network_lines
from enkash_tui.local.action_log import ActionLog

if TYPE_CHECKING:
    from enkash_tui.api import EnkashClient
    from enkash_tui.session import Session


@dataclass
class Facts:
    """What EnKash says about the subject; ``loaded`` once read (an invoice row from a list is
    enough to start with)."""

    name: str = ""  # the customer's name
    balance: Decimal | None = None
    received: Decimal | None = None
    owner: str | None = None
    ids: dict[str, str] = field(default_factory=dict)  # id -> what a line about it says
    network: list[TimelineLine] = field(default_factory=list)
    invoices: int | None = None  # a customer's invoices, when counted
    loaded: bool = False


def invoice_row_facts(invoice: Invoice) -> Facts:
    """What an invoice row from a list already says, until it is read afresh."""
    history = invoice.bharat_connect.history if invoice.bharat_connect else []
    return Facts(
        name=invoice.customer_legal_name or "",
        balance=invoice.balance_amount,
        received=invoice.total_received or Decimal(0),
        ids={invoice.invoice_id: ""},
        network=network_lines(history),
    )


async def _customer(client: EnkashClient, customer_id: str) -> Customer | None:
    if not customer_id:
        return None
    page = await client.search_customers(CustomerFilter(customer_ids=[customer_id]), limit=1)
    return page.items[0] if page.items else None


async def invoice_facts(client: EnkashClient, invoice_id: str, customer_id: str) -> Facts:
    invoice, customer = await asyncio.gather(
        client.get_invoice(invoice_id), _customer(client, customer_id)
    )
    facts = invoice_row_facts(invoice)
    facts.owner = customer.assigned_agent if customer else None
    facts.name = facts.name or (customer.legal_name if customer else "") or ""
    facts.loaded = True
    return facts


async def customer_facts(client: EnkashClient, customer_id: str) -> Facts:
    """The customer, and every invoice of theirs: what they owe and what EnKash has received
    across them, and each one's network history."""

    async def invoices() -> list[Invoice]:
        found = client.iter_invoices(InvoiceFilter(customer_ids=[customer_id]))
        return [invoice async for invoice in found]

    customer, rows = await asyncio.gather(_customer(client, customer_id), invoices())
    facts = Facts(
        name=(customer.legal_name if customer else "") or "",
        owner=customer.assigned_agent if customer else None,
        balance=sum((i.balance_amount or Decimal(0) for i in rows), Decimal(0)),
        received=sum((i.total_received or Decimal(0) for i in rows), Decimal(0)),
        ids={customer_id: ""},
        invoices=len(rows),
        loaded=True,
    )
    for invoice in rows:
        label = invoice.invoice_number or invoice.invoice_id
        facts.ids[invoice.invoice_id] = label
        if invoice.bharat_connect:
            facts.network += network_lines(invoice.bharat_connect.history, label)
    return facts


def read_local(session: Session, subject: Subject) -> tuple[list[Entry], list[LoggedAction]]:
    """The subject's book entries (a customer's with its invoices') and the action log (its
    lines are picked by profile and target later, once a customer's invoice ids are known).
    Blocking: run it in a thread. ``WorklogError`` when the book cannot be opened, ``OSError``
    when the log cannot be read."""
    entries = session.worklog().about(subject)
    return entries, list(ActionLog().read(limit=None))
