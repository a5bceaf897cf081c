"""``/`` in Invoices: narrow the rows already loaded to those holding what is typed (number,
customer, amount…) as it is typed, without asking EnKash; when not every row is loaded, Enter asks
EnKash for the whole result instead, and Esc comes back. ``InvoicesScreen`` builds on this."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on
from textual.widgets import Input

from enkash_tui.api.models import Invoice
from enkash_tui.domain.invoices import InvoiceQuery, narrowed
from enkash_tui.domain.paging import PagedRows, PagedSource
from screens.base import SectionScreen
from screens.invoices.view import search_text
from screens.widgets.in_place import TypingInput
from screens.widgets.lazy_table import LazyTable, ListSource


class QuickFilter(SectionScreen):
    """The ``#quick`` field over the list; the list and its rows are the subclass's."""

    if TYPE_CHECKING:  # given by InvoicesScreen
        rows: PagedRows[Invoice]
        _haystacks: dict[str, str]
        query_spec: InvoiceQuery

        def load(self, query: InvoiceQuery, *, keep_cursor: bool = False) -> None: ...

        @property
        def table(self) -> LazyTable[Invoice]: ...

        def fetch_rows(self, first: int, last: int) -> None: ...

        def _show_summary(self) -> None: ...

    def action_quick_filter(self) -> None:
        quick = self.query_one("#quick", TypingInput)
        quick.follow = lambda _typed: self._apply_quick_filter()  # in the key's own frame
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

    def _all_loaded(self) -> bool:
        return self.rows.total is not None and self.rows.loaded_count >= self.rows.total

    @on(Input.Submitted, "#quick")
    def _quick_done(self) -> None:
        typed = self.query_one("#quick", Input).value.strip()  # as typed: EnKash may mind case
        if typed and not self._all_loaded():
            # The loaded rows are a sample of the result: search all of it on EnKash.
            self._clear_quick()
            self.load(narrowed(self.query_spec, typed))
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
        elif (back := self.query_spec.back) is not None:  # back from a search on EnKash
            here = self.query_spec  # in the sort chosen since
            self.load(replace(back, order_by=here.order_by, descending=here.descending))
