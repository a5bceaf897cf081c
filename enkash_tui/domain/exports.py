"""What an export holds: what is exported (``ExportJob``: its title, its file name, its columns,
where its rows come from), the columns of each export in the order a spreadsheet shows them, and
the names an export file may have. Walking EnKash for the rows and writing the file is
``local.export_jobs`` and ``local.exports``.

Amounts are plain decimals (no ₹ or grouping) so a spreadsheet reads them as numbers; text cells
follow the one safety rule in ``csv_safety``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncGenerator, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic

from enkash_tui.api.client import EnkashClient
from enkash_tui.api.models import (
    BharatConnectInfo,
    Customer,
    Invoice,
    KeyContact,
    Reminder,
    ReportedPayment,
    StatusRef,
    next_statuses,
)
from enkash_tui.domain.csv_safety import Column, Row, number, text
from enkash_tui.domain.invoices import InvoiceQuery
from enkash_tui.domain.reminders import describe, is_recurring, nobody_reached, recipients

# --- what is exported ----------------------------------------------------------------------


# How far an export has got: ``done`` of ``total`` (None: not known yet) ``counting``, the
# words for what is counted ("invoices", "customers read", "open invoices totalled").
Progress = Callable[[int, int | None, str], None]


@dataclass(frozen=True)
class ExportJob(Generic[Row]):
    """One export as the dialog offers it and the writer writes it."""

    title: str  # what the dialog says: Export “Open” to CSV
    noun: str  # what a row is, in "Wrote 12 invoices to …"
    file_name: str  # the name offered (the folder is the user's)
    columns: tuple[Column[Row], ...]
    # Every row, in order, in batches, as EnKash is read (a fresh walk each call), saying how
    # far it has got as it goes.
    rows: Callable[[EnkashClient, Progress], AsyncGenerator[Sequence[Row], None]]


# --- cells ---------------------------------------------------------------------------------


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _day(value: dt.datetime | None) -> str:
    return value.date().isoformat() if value else ""


def _moment(value: dt.datetime | None) -> str:
    """A date and time as a spreadsheet reads it: 2026-11-25 14:05."""
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def _name(status: StatusRef | None) -> str:
    return status.name if status else ""


def _joined(values: Sequence[str | None]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))  # each once, in order


# --- invoices ------------------------------------------------------------------------------


def invoice_columns(today: dt.date) -> tuple[Column[Invoice], ...]:
    """The export's columns; ``today`` is what days overdue are counted to."""
    return (
        text("Invoice number", lambda i: i.invoice_number),
        text("Invoice id", lambda i: i.invoice_id),
        text("Customer id", lambda i: i.customer_id),
        text("Customer", lambda i: i.customer_legal_name),
        text("Invoice date", lambda i: _day(i.invoice_date)),
        text("Due date", lambda i: _iso(i.due_date)),
        number("Days overdue", lambda i: i.days_overdue(today)),
        number("Base", lambda i: i.base_amount),
        number("CGST", lambda i: i.cgst),
        number("SGST", lambda i: i.sgst),
        number("IGST", lambda i: i.igst),
        number("TDS", lambda i: i.tds),
        number("Net", lambda i: i.net_amount),
        number("Received", lambda i: i.total_received),
        number("Balance", lambda i: i.balance_amount),
        text("Receivable status", lambda i: _name(i.receivable_status)),
        text("Approval status", lambda i: _name(i.approval_status)),
        text("Dispatched", lambda i: "yes" if i.dispatched else "no"),
        text("Dispatched on", lambda i: _iso(i.dispatched_on)),
        text("Payment link", lambda i: i.payment_link),
        text("PO number", lambda i: i.po_number),
        text("External id", lambda i: i.external_id),
    )


HEADER = tuple(column.name for column in invoice_columns(dt.date.min))


# --- customers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerRow:
    """A customer with what they owe, totalled from their open invoices when the export ran
    (None: not totalled)."""

    customer: Customer
    open_invoices: int | None = None
    balance: Decimal | None = None
    overdue: Decimal | None = None
    oldest_due: dt.date | None = None


def _live_contacts(customer: Customer) -> list[KeyContact]:
    return [c for c in customer.customer_key_contacts if not c.deleted]


def _status(customer: Customer) -> str:
    return "Active" if customer.is_active else (customer.status or "INACTIVE").title()


def customer_columns() -> tuple[Column[CustomerRow], ...]:
    def contact(row: CustomerRow) -> str | None:
        first = row.customer.primary_contact
        return (first.name or first.legal_name) if first else None

    return (
        text("Customer", lambda r: r.customer.legal_name),
        text("Customer id", lambda r: r.customer.customer_id),
        text("Status", lambda r: _status(r.customer)),
        text("GSTIN / PAN", lambda r: r.customer.pan_or_gstin),
        text("Phone", lambda r: r.customer.contact_number),
        text("Contact", contact),
        text("Contact e-mails", lambda r: _joined([c.email for c in _live_contacts(r.customer)])),
        text("Contact mobiles", lambda r: _joined([c.mobile for c in _live_contacts(r.customer)])),
        number("Open invoices", lambda r: r.open_invoices),
        number("Balance", lambda r: r.balance),
        number("Overdue", lambda r: r.overdue),
        text("Oldest due", lambda r: _iso(r.oldest_due)),
        number("Reminder rules", lambda r: len(r.customer.customer_reminders)),
        text("Address", lambda r: r.customer.address),
        text("State", lambda r: r.customer.state),
        text("PIN code", lambda r: r.customer.pin_code),
        text("Unique ref no", lambda r: r.customer.unique_ref_no),
        text("Assigned agent", lambda r: r.customer.assigned_agent),
        text("Branch codes", lambda r: _joined(r.customer.branch_codes)),
        text("Account number", lambda r: r.customer.account_number),
        text("IFSC", lambda r: r.customer.ifsc),
        text("Created on", lambda r: _day(r.customer.created_on)),
    )


# --- reminder rules ------------------------------------------------------------------------

NO_RULES = "No rules: never reminded"


@dataclass(frozen=True)
class RuleRow:
    """One reminder rule with whose it is; ``rule`` None is a customer without any rule (one
    row saying so: the customers nobody chases are what a review of the rules looks for)."""

    customer: Customer
    rule: Reminder | None


def rule_rows(customer: Customer) -> list[RuleRow]:
    """The customer's rules as rows: one a rule, or one saying there are none."""
    rules = customer.customer_reminders
    return [RuleRow(customer, rule) for rule in rules] or [RuleRow(customer, None)]


def reaches(customer: Customer) -> str:
    """Who the customer's reminders go to, and on what: "Asha (e-mail, SMS); Ravi (SMS)"."""
    contacts = customer.customer_key_contacts
    if nobody_reached(contacts):
        return "nobody: no key contact has a channel switched on"
    return "; ".join(f"{r.name} ({', '.join(r.channels)})" for r in recipients(contacts)
                     if r.channels)  # fmt: skip


def _rule(pick: Callable[[Reminder], Any]) -> Callable[[RuleRow], Any]:
    return lambda row: pick(row.rule) if row.rule is not None else None


def rule_columns() -> tuple[Column[RuleRow], ...]:
    return (
        text("Customer", lambda r: r.customer.legal_name),
        text("Customer id", lambda r: r.customer.customer_id),
        text("Customer status", lambda r: _status(r.customer)),
        number("Rules", lambda r: len(r.customer.customer_reminders)),
        text("Rule", lambda r: describe(r.rule) if r.rule is not None else NO_RULES),
        text("Type", _rule(lambda rule: "repeats" if is_recurring(rule) else "once")),
        number("Days from due", _rule(lambda rule: rule.due_date_difference)),
        number("Repeat every (days)",
               _rule(lambda rule: rule.reminder_interval if is_recurring(rule) else None)),
        text("Time", _rule(lambda rule: rule.reminder_time)),
        text("Stage", _rule(lambda rule: rule.stage)),
        text("Reaches", lambda r: reaches(r.customer)),
        text("Rule id", _rule(lambda rule: rule.customer_reminder_id)),
    )  # fmt: skip


# --- Bharat Connect ------------------------------------------------------------------------


def queue_columns(today: dt.date) -> tuple[Column[Invoice], ...]:
    """A work queue's invoices as the network sees them, with the payment the buyer reported."""

    def network(pick: Callable[[BharatConnectInfo], Any]) -> Callable[[Invoice], Any]:
        return lambda i: pick(i.bharat_connect) if i.bharat_connect is not None else None

    def payment(pick: Callable[[ReportedPayment], Any]) -> Callable[[Invoice], Any]:
        def cell(invoice: Invoice) -> Any:
            bc = invoice.bharat_connect
            reported = bc.reported_payment if bc is not None else None
            return pick(reported) if reported is not None else None

        return cell

    return (
        text("Invoice number", lambda i: i.invoice_number),
        text("Invoice id", lambda i: i.invoice_id),
        text("Customer id", lambda i: i.customer_id),
        text("Customer", lambda i: i.customer_legal_name),
        text("Due date", lambda i: _iso(i.due_date)),
        number("Days overdue", lambda i: i.days_overdue(today)),
        number("Net", lambda i: i.net_amount),
        number("Balance", lambda i: i.balance_amount),
        text("Network status", network(lambda bc: bc.status)),
        number("Version", network(lambda bc: bc.object_version)),
        text("Can move to", network(lambda bc: ", ".join(sorted(next_statuses(bc.status))))),
        text("Object id", network(lambda bc: bc.object_id)),
        text("Buyer B2B id", network(lambda bc: bc.buyer_b2b_id)),
        text("Supplier B2B id", network(lambda bc: bc.supplier_b2b_id)),
        text("Payment id", payment(lambda p: p.payment_id)),
        text("Payment type", payment(lambda p: p.type)),
        number("Reported amount", payment(lambda p: p.amount)),
        text("Reported on", payment(lambda p: _moment(p.reported_on))),
        text("Buyer's remarks", payment(lambda p: p.remarks)),
    )


# --- where ---------------------------------------------------------------------------------


def slug(words: str) -> str:
    """Words as a file name's part: "Returned by buyer" -> "returned-by-buyer"."""
    cut = "".join(ch if ch.isalnum() else "-" for ch in words.lower()).strip("-")
    return "-".join(part for part in cut.split("-") if part)[:60].strip("-")


def file_name(kind: str, words: str, today: dt.date) -> str:
    """``kind-words-date.csv``; ``kind-date.csv`` when there are no words."""
    return "-".join(part for part in (kind, slug(words), today.isoformat()) if part) + ".csv"


def export_file_name(query: InvoiceQuery, today: dt.date) -> str:
    return file_name("invoices", query.label, today)  # a filter's words too


def check_file_name(typed: str) -> str:
    """The file name as typed, or ValueError saying why it cannot be one."""
    name = typed.strip()
    if not name:
        raise ValueError("Type a file name.")
    if name in (".", "..") or any(sep and sep in name for sep in (os.sep, os.altsep)):
        raise ValueError("Just a file name here: the folder goes in the field above.")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise ValueError("A file name cannot hold control characters.")
    return name
