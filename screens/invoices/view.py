"""How an invoice looks: its table columns, its aging colour, and its detail panel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from enkash_tui import clock
from enkash_tui.api.models import Invoice
from enkash_tui.domain.formatting import aging_bucket, day, inr
from enkash_tui.domain.invoices import PRESETS
from screens.widgets.lazy_table import Column
from screens.widgets.network_history import history_table

AGING_STYLES = {
    "1-30": Style(color="yellow"),
    "31-60": Style(color="dark_orange"),
    "61-90": Style(color="red"),
    "90+": Style(color="red", bold=True),
}


def days_late(invoice: Invoice) -> int:
    return invoice.days_overdue(clock.today())


def aging_style(invoice: Invoice) -> Style | None:
    """Overdue rows coloured by bucket; settled rows dimmed."""
    if invoice.balance_amount is not None and invoice.balance_amount == 0:
        return Style(dim=True)
    late = days_late(invoice)
    return AGING_STYLES.get(aging_bucket(late)) if late else None


def _status(invoice: Invoice) -> str:
    return invoice.receivable_status.display if invoice.receivable_status else ""


def _approval(invoice: Invoice) -> str:
    return invoice.approval_status.display if invoice.approval_status else ""


def _late(invoice: Invoice) -> str:
    late = days_late(invoice)
    return f"{late}d" if late else ""


# The follow-up book's marker letters (domain.followup_marks.MARKERS), each in its colour.
MARKER_STYLES = {"P": "bold green", "D": "bold red", "F": "bold cyan"}


def marker_text(letters: str) -> Text:
    """ "PD" as the list's follow-up column shows it: promise, dispute, follow-up due."""
    text = Text()
    for letter in letters:
        text.append(letter, style=MARKER_STYLES.get(letter, ""))
    return text


def _no_marker(invoice: Invoice) -> str:
    return ""


def invoice_columns(
    marker: Callable[[Invoice], str] = _no_marker,
) -> list[Column[Invoice]]:
    """The list's columns; ``marker`` gives an invoice's follow-up letters (the list asks the
    book once a search, not once a row: ``screens.invoices.book``)."""
    return [
        INVOICE_COLUMNS[0],
        Column("book", "F/U", 3, lambda i: marker_text(marker(i)), priority=0),
        *INVOICE_COLUMNS[2:],
    ]


# priority 0 columns always show; the highest numbers are dropped first on a narrow terminal.
INVOICE_COLUMNS: list[Column[Invoice]] = [
    Column("number", "Invoice", 17, lambda i: i.invoice_number or i.invoice_id,
           sort="invoiceNumber", priority=0),
    Column("book", "F/U", 3, _no_marker, priority=0),
    Column("customer", "Customer", 18, lambda i: i.customer_legal_name or "",
           sort="customerLegalName", priority=0, grow=True, ideal=32),
    Column("invoice_date", "Dated", 11, lambda i: day(i.invoice_date), sort="invoiceDate",
           priority=4),
    Column("due", "Due", 11, lambda i: day(i.due_date), sort="dueDate", priority=0),
    Column("late", "Late", 5, _late, align="right", priority=1),
    Column("net", "Net", 14, lambda i: inr(i.net_amount), align="right", sort="netAmount",
           priority=3),
    Column("received", "Received", 14, lambda i: inr(i.total_received), align="right",
           sort="totalReceived", priority=6),
    Column("balance", "Balance", 14, lambda i: inr(i.balance_amount), align="right",
           sort="balanceAmount", priority=0),
    Column("status", "Status", 14, _status, priority=2),
    Column("sent", "Sent", 4, lambda i: "yes" if i.dispatched else "no", priority=5),
    Column("approval", "Approval", 18, _approval, priority=7),
    Column("created", "Created", 11, lambda i: day(i.created_on), sort="createdOn", priority=8),
]  # fmt: skip

SORTABLE = [column for column in INVOICE_COLUMNS if column.sort]


_ANY_DAY = dt.date(2000, 1, 3)  # a preset's title does not depend on the day


def preset_bar(current_label: str, *, narrow: bool) -> Text:
    """The one-line row of preset keys, the current one highlighted."""
    line = Text()
    for preset in PRESETS:
        # Exactly the preset's own search (its title, say "All invoices"): a filter's words
        # ("Filtered: Not dispatched") must not light a preset up.
        own = preset.build(_ANY_DAY).label
        style = "reverse bold" if current_label in (preset.label, own) else "dim"
        label = (preset.short or preset.label) if narrow else preset.label
        line.append(f" {preset.key} ", style="bold").append(label, style=style).append(" ")
    return line


@dataclass(frozen=True)
class SummaryState:
    """What the line above the list reports about the result."""

    label: str
    problem: str
    total: int | None
    top: int
    last: int
    shown: int
    loaded: int
    quick: str
    balance: Decimal | None
    marked: int
    age: int | None  # seconds since the last page arrived
    marked_balance: Decimal = Decimal(0)
    whole_search: str = ""  # the field Enter would search all of EnKash by, when it would
    marking: tuple[int, int] | None = None  # (read, of) while every row of the result is read


def summary_line(state: SummaryState) -> Text:
    # The marked set first, before even the search's name (a filter's can be long): it is what
    # s and x act on, so it must never be cut off the line.
    text = Text(style="bold")
    if state.marking is not None:
        read, of = state.marking
        text.append(f" marking all {of:,}: {read:,} read… ·", style="bold yellow")
    elif state.marked:
        text.append(f" {state.marked:,} marked {inr(state.marked_balance)} ·", style="bold yellow")
    text.append(f" {state.label}", style="bold")
    if state.problem:
        text.append(f" · could not load: {state.problem}", style="red")
    elif state.total is None:
        text.append(" · loading…", style="dim")
    elif state.total == 0:
        text.append(" · no invoices match")
    elif state.quick:
        text.append(f" · /{state.quick}: {state.shown:,} of {state.loaded:,} loaded")
        if state.whole_search:
            text.append(
                f" · Enter: search all {state.total:,} by {state.whole_search}", style="bold"
            )
    else:
        text.append(f" · rows {state.top + 1:,}-{state.last:,} of {state.total:,}")
        if state.balance is not None:
            text.append(f" · balance {inr(state.balance)}")
    if state.age is not None and not state.problem:
        text.append(
            f" · updated {state.age} s ago" if state.age >= 5 else " · just updated", style="dim"
        )
    return text


def search_text(invoice: Invoice) -> str:
    """What ``/`` matches against: number, id, customer and amounts (plain and in ₹)."""
    amounts = " ".join(f"{a} {inr(a)}" for a in (invoice.net_amount, invoice.balance_amount) if a)
    parts = (invoice.invoice_number or "", invoice.invoice_id, invoice.customer_legal_name or "")
    return " ".join((*parts, amounts)).lower()


def _row(table: Table, label: str, value: str | Text | None) -> None:
    if value not in (None, ""):
        table.add_row(label, value if isinstance(value, Text) else Text(str(value)))


def invoice_detail(invoice: Invoice) -> RenderableType:
    """Every field that matters, grouped; server text is Text, never markup."""
    head = Text(invoice.invoice_number or invoice.invoice_id, style="bold")
    head.append(f"  {invoice.customer_legal_name or ''}")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    late = days_late(invoice)
    _row(facts, "Invoice id", invoice.invoice_id)
    _row(facts, "Customer id", invoice.customer_id)
    _row(facts, "Dated", day(invoice.invoice_date))
    _row(facts, "Due", day(invoice.due_date) + (f"  ({late} days overdue)" if late else ""))
    _row(facts, "Status", _status(invoice))
    _row(facts, "Approval", _approval(invoice))
    _row(facts, "Payout", invoice.payout_status.display if invoice.payout_status else None)
    _row(facts, "Dispatched", day(invoice.dispatched_on) if invoice.dispatched else "not yet")
    _row(facts, "Part payments", "allowed" if invoice.partial_payment_allowed else "not allowed")
    money = Table.grid(padding=(0, 2))
    money.add_column(style="dim")
    money.add_column(justify="right")
    for label, amount in (
        ("Base", invoice.base_amount), ("CGST", invoice.cgst), ("SGST", invoice.sgst),
        ("IGST", invoice.igst), ("TDS", invoice.tds), ("Net", invoice.net_amount),
        ("Received", invoice.total_received), ("Balance", invoice.balance_amount),
    ):  # fmt: skip
        if amount:
            money.add_row(label, inr(amount))
    refs = Table.grid(padding=(0, 2))
    refs.add_column(style="dim", no_wrap=True)
    refs.add_column()
    _row(refs, "PO", invoice.po_number)
    _row(refs, "External id", invoice.external_id)
    _row(refs, "Description", invoice.description)
    _row(refs, "Payment link", invoice.payment_link)
    for attachment in invoice.invoice_attachments:
        _row(refs, "Attachment", attachment.original_filename or attachment.url)
    bc = invoice.bharat_connect
    if bc is not None:
        _row(refs, "Bharat Connect", f"{bc.status} (version {bc.object_version})")
        if bc.reported_payment:
            payment = bc.reported_payment
            _row(
                refs,
                "Buyer reported",
                f"{inr(payment.amount)} {payment.type or ''} {payment.payment_id}",
            )
    _row(
        refs,
        "Created",
        f"{day(invoice.created_on)} by {invoice.created_by_name or invoice.created_by or '?'}",
    )
    _row(
        refs,
        "Modified",
        f"{day(invoice.modified_on)} by {invoice.modified_by_name or invoice.modified_by or '?'}",
    )
    parts: list[RenderableType] = [head, Text(""), facts, Text(""), money, Text(""), refs]
    if bc is not None:
        parts += [Text("\nBharat Connect history", style="bold"), history_table(bc.history)]
    return Group(*parts)
