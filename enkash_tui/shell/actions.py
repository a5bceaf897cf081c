"""The shell's changes: ``invoices dispatch`` (payment links) and ``invoices delete-collection``,
for invoices named on the command line or in a file (one id or invoice number a line; ``-`` is
stdin), as the Invoices section's batch actions do them; ``customers activate|deactivate|delete``
for the customer ids named.

Every invoice is looked up first: one EnKash does not have stops the command before anything is
sent. On a terminal the command says what it will do and asks; elsewhere it needs ``--yes``. A
read-only session (``--readonly`` or the profile's) refuses before sending. Each invoice's outcome
is printed; a lost reply is never sent again but checked with EnKash (``domain.batches``), and
every change is in the action log. Exit: 0 all done, 3 some failed, 1 all failed or refused,
4 unknown (the reply was lost and EnKash could not be asked), 2 usage.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from enkash_tui.api import EnkashError, ReadOnlyError
from enkash_tui.api.models import Customer, Invoice, InvoiceActionResult
from enkash_tui.domain.batches import DELETE_COLLECTION, DISPATCH
from enkash_tui.domain.csv_safety import Column, text
from enkash_tui.domain.formatting import count, inr
from enkash_tui.domain.outcomes import RecheckFailed
from enkash_tui.shell import EXIT_FAILED, EXIT_UNKNOWN
from enkash_tui.shell.consent import confirmed, exit_code_of, refused_read_only
from enkash_tui.shell.invoice_names import invoices_named
from enkash_tui.shell.output import print_rows
from enkash_tui.shell.progress import Progress
from enkash_tui.shell.reads import customer

if TYPE_CHECKING:
    from enkash_tui.api.client import EnkashClient

ACTIONS = {"dispatch": DISPATCH, "delete-collection": DELETE_COLLECTION}


@dataclass(frozen=True)
class Outcome:
    """One invoice's line of the report."""

    invoice: Invoice
    outcome: str  # done | failed | unknown
    message: str = ""


REPORT: tuple[Column[Outcome], ...] = (
    text("Invoice number", lambda o: o.invoice.invoice_number),
    text("Invoice id", lambda o: o.invoice.invoice_id),
    text("Customer", lambda o: o.invoice.customer_legal_name),
    text("Outcome", lambda o: o.outcome),
    text("Message", lambda o: o.message),
)


async def invoice_action(client: EnkashClient, args: argparse.Namespace) -> int:
    action = ACTIONS[args.action]
    if refused_read_only(client, args.action):
        return EXIT_FAILED
    invoices = await invoices_named(client, args.invoices)
    if invoices is None:
        return EXIT_FAILED
    total = sum((i.balance_amount or Decimal(0) for i in invoices), Decimal(0))
    summary = f"{action.label} {count(len(invoices), 'invoice')}, {inr(total)} open."
    if not confirmed(args, f"{action.label} them? [y/N] ", summary, action.warning):
        return EXIT_FAILED
    partial = True if getattr(args, "partial_payments", False) else None
    try:
        result = await action.run(client, invoices, partial)
    except RecheckFailed as error:
        print_rows(args.format, REPORT, [Outcome(i, "unknown", str(error)) for i in invoices])
        return EXIT_UNKNOWN
    except ReadOnlyError as error:
        print(f"enkash-tui: {error}", file=sys.stderr)
        return EXIT_FAILED
    report = report_of(result, invoices)
    print_rows(args.format, REPORT, report)
    return exit_code_of(report)


def report_of(result: InvoiceActionResult, invoices: list[Invoice]) -> list[Outcome]:
    """Each invoice's line, in the order named, from EnKash's per-invoice answer (an invoice
    the answer leaves out was not refused: done)."""
    failed = {o.invoice_id: o.message or "refused" for o in result.failure_invoices}
    done = {o.invoice_id: o.message or "" for o in result.success_invoices}
    return [
        Outcome(i, "failed", failed[i.invoice_id])
        if i.invoice_id in failed
        else Outcome(i, "done", done.get(i.invoice_id, ""))
        for i in invoices
    ]


# -- customers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerOutcome:
    customer_id: str
    name: str
    outcome: str  # done | failed | unknown
    message: str = ""


CUSTOMER_REPORT: tuple[Column[CustomerOutcome], ...] = (
    text("Customer id", lambda o: o.customer_id),
    text("Customer", lambda o: o.name),
    text("Outcome", lambda o: o.outcome),
    text("Message", lambda o: o.message),
)


def _in_effect(action: str, customer: Customer | None) -> bool:
    """Whether the change ``action`` names shows on the customer as read back."""
    if action == "delete":
        return customer is None or customer.deleted
    return customer is not None and customer.is_active == (action == "activate")


async def customer_action(client: EnkashClient, args: argparse.Namespace) -> int:
    """activate / deactivate / delete each customer named, one call each. Every one is read
    first (one EnKash does not have stops the command); after an error each is read back, so
    a lost reply is answered by what EnKash shows (these changes are safe to repeat)."""
    if refused_read_only(client, args.action):
        return EXIT_FAILED
    ids = list(dict.fromkeys(args.ids))
    found: dict[str, Customer] = {}
    for customer_id in ids:
        with contextlib.suppress(LookupError):  # said below, with the others missing
            found[customer_id] = await customer(client, customer_id)
    missing = [i for i in ids if i not in found]
    if missing:
        print(f"enkash-tui: not on EnKash: {', '.join(missing)}; nothing sent", file=sys.stderr)
        return EXIT_FAILED
    names = ", ".join(c.legal_name or c.customer_id for c in found.values())
    if not confirmed(args, f"{args.action.capitalize()} {names}? [y/N] "):
        return EXIT_FAILED
    change = {"activate": client.activate_customer, "deactivate": client.deactivate_customer,
              "delete": client.delete_customer}[args.action]  # fmt: skip
    report = []
    with Progress(f"{args.action.capitalize()} customers") as progress:
        for before in found.values():
            report.append(await _changed(client, args.action, change, before))
            progress.update(len(report), len(found))
    print_rows(args.format, CUSTOMER_REPORT, report)
    return exit_code_of(report)


async def _changed(
    client: EnkashClient,
    action: str,
    change: Callable[[str], Awaitable[object]],
    before: Customer,
) -> CustomerOutcome:
    """One customer changed; after an error, read back: a lost reply may have been applied."""
    customer_id, name = before.customer_id, before.legal_name or ""
    try:
        await change(customer_id)
        return CustomerOutcome(customer_id, name, "done")
    except EnkashError as error:
        said = str(error)
    try:
        now: Customer | None = await customer(client, customer_id)
    except LookupError:
        now = None
    except EnkashError as second:
        return CustomerOutcome(customer_id, name, "unknown", f"{said}; {second}")
    if _in_effect(action, now):
        return CustomerOutcome(customer_id, name, "done", "checked after: " + said)
    return CustomerOutcome(customer_id, name, "failed", said)
