"""Marked invoices: kept across pages and searches, mirrored in the table, settled after a batch."""

from __future__ import annotations

from collections.abc import Callable

from enkash_tui.api.models import Invoice, InvoiceActionResult
from screens.widgets.lazy_table import LazyTable


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
