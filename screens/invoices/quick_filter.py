"""``/`` in Invoices: narrow the rows already loaded to those holding what is typed (number,
customer, PO, amount…), without asking EnKash. ``InvoicesScreen`` builds on this."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.widgets import Input

from enkash_tui.api.models import Invoice
from enkash_tui.domain.paging import PagedRows, PagedSource
from screens.base import SectionScreen
from screens.invoices.view import search_text
from screens.widgets.lazy_table import LazyTable, ListSource


class QuickFilter(SectionScreen):
    """The ``#quick`` field over the list; the list and its rows are the subclass's."""

    if TYPE_CHECKING:  # given by InvoicesScreen
        rows: PagedRows[Invoice]
        _haystacks: dict[str, str]

        @property
        def table(self) -> LazyTable[Invoice]: ...

        def fetch_rows(self, first: int, last: int) -> None: ...

        def _show_summary(self) -> None: ...

    def action_quick_filter(self) -> None:
        quick = self.query_one("#quick", Input)
        quick.remove_class("hidden")
        quick.focus()

    def _quick_text(self) -> str:
        return self.query_one("#quick", Input).value.strip().lower()

    def _haystack(self, invoice: Invoice) -> str:
        found = self._haystacks.get(invoice.invoice_id)
        if found is None:
            found = self._haystacks[invoice.invoice_id] = search_text(invoice)
        return found

    def _apply_quick_filter(self) -> None:
        needle = self._quick_text()
        if not needle:
            self.table.set_source(PagedSource[Invoice](self.rows, self.fetch_rows))
        else:
            matches = [row for _, row in self.rows.loaded() if needle in self._haystack(row)]
            self.table.set_source(ListSource[Invoice](matches))
        self._show_summary()

    @on(Input.Changed, "#quick")
    def _quick_changed(self) -> None:
        self._apply_quick_filter()

    @on(Input.Submitted, "#quick")
    def _quick_done(self) -> None:
        self.table.focus()

    def _clear_quick(self) -> None:
        quick = self.query_one("#quick", Input)
        quick.value = ""
        quick.add_class("hidden")

    def action_clear_filter(self) -> None:
        if self._quick_text() or not self.query_one("#quick").has_class("hidden"):
            self._clear_quick()
            self._apply_quick_filter()
            self.table.focus()
