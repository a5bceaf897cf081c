"""Marks and the actions on marked invoices in Invoices: space, ``*`` (every invoice of the
search, read from EnKash when not all are loaded), ``u``, then ``s`` dispatch or ``x`` delete with
a confirmation and a per-invoice report; a dispatch's confirmation names the invoices the
follow-up book has an open dispute on. ``InvoicesScreen`` builds on this."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from enkash_tui.api import EnkashError
from enkash_tui.api.models import Invoice
from enkash_tui.api.models.invoice import MAX_BATCH
from enkash_tui.domain.batches import (
    DELETE_COLLECTION,
    DISPATCH,
    BatchAction,
    TooManyForOneBatch,
    every_invoice,
)
from enkash_tui.domain.invoices import InvoiceQuery
from enkash_tui.domain.outcomes import RecheckFailed
from screens.batch_actions import BatchConfirm, BatchDecision, BatchReport
from screens.invoices.book import BookInvoices


class MarkedInvoices(BookInvoices):
    """The marks live on the list (``LazyTable.marks``); the list is the subclass's."""

    MARK_ALL_LIMIT = MAX_BATCH  # ``*`` marks a whole search of at most this many

    if TYPE_CHECKING:  # given by InvoicesScreen
        marking: tuple[int, int] | None

        def action_refresh(self) -> None: ...

    def action_mark(self) -> None:
        self.table.toggle_mark()
        self._show_summary()

    def action_mark_all(self) -> None:
        """Every row of the search: those a ``/`` filter kept, the loaded rows when they are the
        whole result, or else the whole result read from EnKash."""
        if self._quick_text() or self._all_loaded():
            source = self.table.source
            self.table.marks.set_many(filter(None, map(source.row, range(source.count()))), True)
            self._show_summary()
        elif self.rows.total is not None and self.rows.total > self.MARK_ALL_LIMIT:
            refused = TooManyForOneBatch(self.rows.total, self.MARK_ALL_LIMIT)  # nothing to read
            self.notify(str(refused), severity="warning", timeout=8, markup=False)
        elif self.rows.total is not None:
            self.mark_whole_search(self.query_spec)

    @work(exclusive=True, group="mark-all", exit_on_error=False)
    async def mark_whole_search(self, query: InvoiceQuery) -> None:
        session = self.enkash.session
        if session is None:
            return

        def progress(read: int, total: int) -> None:
            self.marking = (read, total)
            self._show_summary()

        progress(0, self.rows.total or 0)
        try:
            invoices = await every_invoice(
                session.client, query, progress, limit=self.MARK_ALL_LIMIT
            )
        except TooManyForOneBatch as too_many:
            self.notify(str(too_many), severity="warning", timeout=8, markup=False)
            return
        except EnkashError as error:
            self.enkash.report_error(error)
            return
        finally:
            self.marking = None
            self._show_summary()
        self.table.marks.set_many(invoices, True)
        self._show_summary()

    def stop_marking(self) -> None:
        """Another search replaces the one being marked: its marking stops, and says so."""
        if self.marking is not None:
            self.workers.cancel_group(self, "mark-all")
            self.notify("Marking all stopped: the search changed", timeout=4, markup=False)

    def action_unmark(self) -> None:
        self.workers.cancel_group(self, "mark-all")
        self.table.marks.clear()
        self._show_summary()

    def action_dispatch(self) -> None:
        self._confirm_batch(DISPATCH)

    def action_delete(self) -> None:
        self._confirm_batch(DELETE_COLLECTION)

    def _confirm_batch(self, action: BatchAction) -> None:
        invoices = self.table.targets()
        if len(invoices) > MAX_BATCH:  # marks gathered over several searches
            self.notify(
                f"{len(invoices):,} marked: one batch carries at most {MAX_BATCH:,}. "
                "Unmark some (u clears the marks) and send the rest after.",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return

        def decided(decision: BatchDecision | None) -> None:
            if decision is not None:
                self.run_batch(action, invoices, decision)

        if invoices:
            disputed = self.disputed_among(invoices) if action is DISPATCH else []
            self.app.push_screen(BatchConfirm.of(action, invoices, disputed=disputed), decided)

    @work(exclusive=True, group="batch", exit_on_error=False)
    async def run_batch(
        self, action: BatchAction, invoices: list[Invoice], decision: BatchDecision
    ) -> None:
        session = self.enkash.session
        if session is None:
            return
        self.notify(f"{action.label} {len(invoices)} invoice(s)…", timeout=3, markup=False)
        try:
            result = await action.run(session.client, invoices, decision.partial_payment_allowed)
        except RecheckFailed as failed:
            self.enkash.report_error(failed.lost)
            self.notify(f"Could not check what happened either: {failed.second}", severity="error")
            return
        except EnkashError as error:
            self.enkash.report_error(error)  # refused, or never sent: nothing changed
            return
        done = {outcome.invoice_id for outcome in result.success_invoices}
        # Failed ones stay marked for another try.
        self.table.marks.set_many((i for i in invoices if i.invoice_id in done), False)
        names = {i.invoice_id: i.invoice_number or i.invoice_id for i in invoices}
        self.app.push_screen(BatchReport(action.label, result, names))
        self.action_refresh()
