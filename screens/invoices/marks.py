"""Marked invoices, and the batch actions on them: dispatch and delete collection."""

from __future__ import annotations

from collections.abc import Callable

from enkash_tui.api import EnkashClient
from enkash_tui.api.models import Invoice, InvoiceActionResult
from enkash_tui.domain.outcomes import deleted, dispatched, recheck
from screens.batch_actions import BatchConfirm, BatchDecision
from screens.widgets.lazy_table import LazyTable

DISPATCH = "Dispatch"
DELETE = "Delete collection for"


class MarkedInvoices:
    """The marked rows, kept as invoices (across pages and searches), mirrored in the table."""

    def __init__(self, table: Callable[[], LazyTable[Invoice]]) -> None:
        self._table = table
        self.picked: dict[str, Invoice] = {}

    def __len__(self) -> int:
        return len(self.picked)

    def set(self, invoice: Invoice, marked: bool) -> None:
        table = self._table()
        if marked:
            self.picked[invoice.invoice_id] = invoice
            table.marked.add(invoice.invoice_id)
        else:
            self.picked.pop(invoice.invoice_id, None)
            table.marked.discard(invoice.invoice_id)
        table.refresh()

    def toggle(self, invoice: Invoice) -> None:
        self.set(invoice, invoice.invoice_id not in self.picked)

    def clear(self) -> None:
        self.picked.clear()
        self._table().marked.clear()
        self._table().refresh()

    def targets(self) -> list[Invoice]:
        """The marked invoices, or else the one under the cursor."""
        if self.picked:
            return list(self.picked.values())
        current = self._table().current
        return [current] if current is not None else []

    def settle(self, invoices: list[Invoice], result: InvoiceActionResult) -> None:
        """Unmark what succeeded; failed rows stay marked for another try."""
        done = {outcome.invoice_id for outcome in result.success_invoices}
        for invoice in invoices:
            if invoice.invoice_id in done:
                self.set(invoice, False)


def confirmation(verb: str, invoices: list[Invoice]) -> BatchConfirm:
    if verb == DISPATCH:
        return BatchConfirm(
            verb,
            invoices,
            dispatch=True,
            warning=(
                "EnKash sends each invoice with its payment link to the customer's key contacts."
            ),
        )
    return BatchConfirm(verb, invoices, warning=(
        "Deleted invoices leave every search and cannot be collected; invoices with payments "
        "recorded are refused."))  # fmt: skip


async def perform(
    client: EnkashClient, verb: str, invoices: list[Invoice], decision: BatchDecision
) -> InvoiceActionResult:
    ids = [invoice.invoice_id for invoice in invoices]
    if verb == DISPATCH:
        return await client.dispatch_invoices(
            ids, partial_payment_allowed=decision.partial_payment_allowed
        )
    return await client.delete_invoices(ids)


async def recheck_batch(
    client: EnkashClient, verb: str, invoices: list[Invoice]
) -> InvoiceActionResult:
    """After a lost reply: which invoices EnKash now has dispatched (or deleted)."""
    if verb == DISPATCH:
        return await recheck(
            client, invoices, dispatched, "dispatched (checked after the reply was lost)",
            "not dispatched: the request did not take effect; it can be sent again",
        )  # fmt: skip
    return await recheck(
        client, invoices, deleted, "deleted (checked after the reply was lost)",
        "still there: the request did not take effect; it can be sent again",
    )  # fmt: skip
