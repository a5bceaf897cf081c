"""What the follow-up book adds to the Invoices list: its marker column (P promise, D dispute,
F follow-up due), read from the book once a search or refresh, not once a row; which of the
invoices about to be dispatched are disputed; and the book out to CSV (``W``) and in (``I``).
``InvoicesScreen`` builds on this (through ``MarkedInvoices``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from enkash_tui import clock
from enkash_tui.api.models import Invoice
from enkash_tui.domain.followup_marks import BookMarks
from enkash_tui.domain.invoice_filter import book_ids_again
from enkash_tui.domain.invoices import InvoiceQuery
from enkash_tui.local.followup_files import followup_export
from enkash_tui.local.worklog import Worklog, WorklogError
from screens.export import ExportScreen
from screens.followup_import import FollowUpImportScreen
from screens.invoices.quick_filter import QuickFilter
from screens.invoices.view import invoice_columns


class BookInvoices(QuickFilter):
    """The list's follow-up marks and the book's file keys; the list is the subclass's."""

    _book_marks: BookMarks = BookMarks()
    _marks_generation = -1  # the result (``rows.generation``) the marks were read for
    _book_problem_said = False

    if TYPE_CHECKING:  # given by InvoicesScreen

        def action_refresh(self) -> None: ...

    def on_mount(self) -> None:
        self.table.set_columns(invoice_columns(self._marker))

    def _book(self) -> Worklog | None:
        """The session's book; None (said once) when it cannot be opened."""
        session = self.enkash.session
        if session is None:
            return None
        try:
            return session.worklog_if_any()  # no book yet: nothing marked
        except WorklogError as error:
            if not self._book_problem_said:
                self._book_problem_said = True
                self.notify(str(error), severity="warning", timeout=10, markup=False)
            return None

    def read_book_marks(self) -> BookMarks:
        book = self._book()
        if book is None:
            return BookMarks()
        try:
            return BookMarks.of_open(book.open_followups(), clock.today())
        except sqlite3.Error as error:  # a shared book another process broke: no marks, said
            if not self._book_problem_said:
                self._book_problem_said = True
                self.notify(f"Cannot read the follow-up book: {error}", severity="warning")
            return BookMarks()

    def book_read_again(self, query: InvoiceQuery) -> InvoiceQuery:
        """A search made from the book's choices (has a promise, disputed…), with the invoices
        they keep now: what ``r`` loads."""
        if not query.book:
            return query
        ids = book_ids_again(query.book, self.read_book_marks())
        if ids is None:  # the list stays, its markers read again: nothing is so any more
            self.notify("None of these invoices is still so in the follow-up book.", timeout=6)
            return query
        return replace(query, filters=query.filters.model_copy(update={"invoice_ids": ids}))

    def _marker(self, invoice: Invoice) -> str:
        # Read when a row of a new search (or a refresh) is first drawn: once a result.
        if self._marks_generation != self.rows.generation:
            self._book_marks = self.read_book_marks()
            self._marks_generation = self.rows.generation
        return self._book_marks.marker(invoice.invoice_id)

    def book_changed(self) -> None:
        """The book was written here (a note, a promise…): the markers are read again."""
        self._marks_generation = -1
        self.table.refresh()

    def disputed_among(self, invoices: Sequence[Invoice]) -> list[Invoice]:
        """Those of ``invoices`` with an open dispute in the book, read now."""
        book = self._book()
        if book is None:
            return []
        disputes = book.open_entries("dispute")
        disputed = {e.subject.id for e in disputes if e.subject.kind == "invoice"}
        customers = {e.subject.id for e in disputes if e.subject.kind == "customer"}
        return [
            invoice
            for invoice in invoices
            if invoice.invoice_id in disputed or invoice.customer_id in customers
        ]

    def action_export_follow_ups(self) -> None:
        book = self._book()
        if book is not None:
            self.app.push_screen(ExportScreen(followup_export(book, clock.today())))

    def action_import_follow_ups(self) -> None:
        def closed(written: bool | None) -> None:
            if written:
                self.book_changed()

        session = self.enkash.session
        if session is not None and session.readonly:  # as the follow-up window: look only
            self.notify("Importing follow-ups: not in a read-only session", markup=False)
        elif self._book() is not None:
            self.app.push_screen(FollowUpImportScreen(), closed)
