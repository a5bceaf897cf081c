"""How Bharat Connect invoices are drawn: the queue bar, the list's columns, the network detail
and its status history. No state here: the screen passes in what to show."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from enkash_tui.api.models import Invoice, next_statuses
from enkash_tui.domain.bharat_connect import QUEUES, Queue
from enkash_tui.domain.formatting import day, inr
from screens.widgets.lazy_table import Column
from screens.widgets.network_history import history_lines


def _status(invoice: Invoice) -> str:
    return invoice.bharat_connect.status if invoice.bharat_connect else ""


def _payment(invoice: Invoice) -> Text:
    bc = invoice.bharat_connect
    payment = bc.reported_payment if bc else None
    if payment is None:
        return Text("")
    kind = "off" if (payment.type or "").upper() == "OFFPLATFORM" else "on"
    return Text(f"{inr(payment.amount)} {kind:<3}", style="bold yellow")


def _payment_id(invoice: Invoice) -> str:
    bc = invoice.bharat_connect
    payment = bc.reported_payment if bc else None
    return payment.payment_id if payment else ""


BC_COLUMNS: list[Column[Invoice]] = [
    Column("number", "Invoice", 17, lambda i: i.invoice_number or i.invoice_id, priority=0),
    Column("customer", "Customer", 14, lambda i: i.customer_legal_name or "", priority=0,
           grow=True),
    Column("balance", "Balance", 13, lambda i: inr(i.balance_amount), align="right", priority=0),
    Column("payment", "Reported", 17, _payment, align="right", priority=1),
    Column("status", "Network", 9, _status, priority=2),
    Column("due", "Due", 11, lambda i: day(i.due_date), priority=3),
    Column("payment_id", "Payment id", 20, _payment_id, priority=5),
    Column("version", "Ver", 3, lambda i: str(i.bharat_connect.object_version)
           if i.bharat_connect else "", align="right", priority=4),
]  # fmt: skip


def queue_bar(counts: Mapping[str, int | None], current: str, *, width: int) -> Text:
    """ "1 Payment confirmation pending 4 │ 2 Returned by buyer 3 │ …", the open one lit; on a
    narrower terminal short labels, then tighter gaps, then only the open queue named: the bar
    stays one line at any width from 80 columns."""
    forms = ((False, " │ ", True), (True, "  ", True), (True, "│", True), (True, "│", False))
    line = Text()
    for short, gap, every_label in forms:
        line = _queue_line(counts, current, short=short, gap=gap, every_label=every_label)
        if line.cell_len <= width:
            break
    return line


def _queue_line(
    counts: Mapping[str, int | None], current: str, *, short: bool, gap: str, every_label: bool
) -> Text:
    line = Text(" ")
    for position, queue in enumerate(QUEUES):
        if position:
            line.append(gap, style="dim")
        found = counts.get(queue.key)
        label = queue.short if short else queue.label
        style = "reverse bold" if queue.key == current else ""
        named = every_label or queue.key == current
        line.append(f"{queue.key} {label}" if named else queue.key, style=style)
        busy = found and queue.key in ("1", "2")  # the two queues that need the supplier
        line.append(
            f" {'…' if found is None else found}",
            style="bold yellow" if busy else "dim",
        )
    return line


def network_detail(invoice: Invoice | None, queue: Queue | None = None) -> RenderableType:
    """The invoice as the network sees it: status, version, parties, the reported payment,
    what can be done now, and the history."""
    if invoice is None:
        return Text("No invoice selected", style="dim")
    bc = invoice.bharat_connect
    head = Text(invoice.invoice_number or invoice.invoice_id, style="bold")
    head.append(f"  {invoice.customer_legal_name or ''}")
    if bc is None:
        return Group(head, Text("Not on Bharat Connect.", style="dim"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    facts.add_row("Network status", Text(f"{bc.status}  (version {bc.object_version})", "bold"))
    facts.add_row("Balance", inr(invoice.balance_amount))
    facts.add_row("Due", day(invoice.due_date))
    facts.add_row("Object id", Text(bc.object_id or ""))
    parties = f"{bc.buyer_b2b_id or '?'} / {bc.supplier_b2b_id or '?'}"
    facts.add_row("Buyer / supplier", Text(parties))
    payment = bc.reported_payment
    if payment is not None:
        facts.add_row("Buyer reported", Text(f"{inr(payment.amount)} {payment.type or ''}",
                                             style="bold yellow"))  # fmt: skip
        facts.add_row("Payment id", Text(payment.payment_id, overflow="fold"))
        if payment.reported_on:
            facts.add_row("Reported on", payment.reported_on.strftime("%d %b %Y %H:%M"))
        if payment.remarks:
            facts.add_row("Buyer's remarks", Text(payment.remarks))
    moves = sorted(next_statuses(bc.status))
    facts.add_row("Can move to", ", ".join(moves) if moves else "nothing: final status")
    parts: list[RenderableType] = [head, Text(""), facts]
    if queue is not None:
        parts += [Text(""), Text(queue.needs, style="italic")]
    parts += [Text("\nHistory, newest first", style="bold"), history_lines(bc.history)]
    return Group(*parts)
