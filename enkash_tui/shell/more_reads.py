"""The shell's other reads: a Bharat Connect work queue, a customer's key contacts, a customer's
reminder rules. Each prints rows through ``output``."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from enkash_tui import clock
from enkash_tui.api.models import KeyContact
from enkash_tui.domain.bharat_connect import QUEUES
from enkash_tui.domain.csv_safety import Column, text
from enkash_tui.domain.exports import queue_columns, rule_columns, rule_rows
from enkash_tui.shell.output import RowWriter, print_rows
from enkash_tui.shell.reads import customer, invoice_pages

if TYPE_CHECKING:
    from enkash_tui.api.client import EnkashClient

QUEUE_BY_NAME = {queue.short.lower(): queue for queue in QUEUES}
QUEUE_TABLE = ("Invoice number", "Customer", "Network status", "Balance")
RULE_TABLE = ("Rule", "Type", "Time", "Rule id")


async def bc_queue(client: EnkashClient, args: argparse.Namespace) -> int:
    """A work queue's invoices (``--count``: how many, and their open balance)."""
    queue = QUEUE_BY_NAME[args.queue]
    if args.count:  # the number alone; as JSON with the open balance too
        page = await client.search_invoices(queue.filters, limit=1)
        if args.format in ("json", "jsonl"):
            balance = page.total_balance
            figures = {"count": page.total or 0,
                       "balance": None if balance is None else f"{balance:.2f}"}  # fmt: skip
            print(json.dumps(figures))
        else:
            print(page.total or 0)
        return 0

    writer = RowWriter(args.format, queue_columns(clock.today()), QUEUE_TABLE)
    await writer.write_all(invoice_pages(client, queue.filters, None if args.all else args.limit))
    return 0


CONTACT_COLUMNS: tuple[Column[KeyContact], ...] = (
    text("Name", lambda c: c.name),
    text("Legal name", lambda c: c.legal_name),
    text("Mobile", lambda c: c.mobile),
    text("E-mail", lambda c: c.email),
    text("Contact id", lambda c: c.key_contact_person_id),
    text("Mail", lambda c: "yes" if c.mail_enabled else "no"),
    text("SMS", lambda c: "yes" if c.sms_enabled else "no"),
    text("WhatsApp", lambda c: "yes" if c.whatsapp_enabled else "no"),
)


async def customer_contacts(client: EnkashClient, args: argparse.Namespace) -> int:
    contacts = await client.get_customer_contacts(args.id)
    live = [c for c in contacts if not c.deleted]
    print_rows(args.format, CONTACT_COLUMNS, live, ("Name", "Mobile", "E-mail", "Mail", "SMS"))
    return 0


async def reminder_rules(client: EnkashClient, args: argparse.Namespace) -> int:
    """The customer's reminder rules (one row saying so when there are none)."""
    found = await customer(client, args.customer)
    print_rows(args.format, rule_columns(), rule_rows(found), RULE_TABLE)
    return 0
