"""Bharat Connect: network invoices as work queues named by the action they need.

The queue bar counts every queue; the list holds the open queue's invoices. Both are polled
(the buyer acts on the network at any time) unless paused, and the cursor stays on its invoice
across refreshes. The supplier's two actions, payment confirmation and status change, work on the
marked invoices (or the cursor's).
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from decimal import Decimal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Static

from enkash_tui import clock
from enkash_tui.api import EnkashError
from enkash_tui.api.models import Invoice, InvoiceFilter, SortDirection, next_statuses
from enkash_tui.domain.bharat_connect import BY_KEY, QUEUE_SORTS, QUEUES, Queue, sort_queue
from enkash_tui.domain.formatting import count, inr
from enkash_tui.local.export_jobs import queue_export
from screens.base import SectionScreen
from screens.bharat_connect.actions import ActionDone, PaymentConfirm, StatusChange
from screens.bharat_connect.view import BC_COLUMNS, network_detail, queue_bar
from screens.export import ExportScreen
from screens.followup.window import FollowUpWindow
from screens.invoices.windows import InvoiceDetailScreen
from screens.sections import NetworkQueue, Place, Section
from screens.widgets.lazy_table import LazyTable, ListSource

POLL_SECONDS = 15
PAGE = 1000
MAX_ROWS = 5000  # a queue is a work list; beyond this the summary says how many are not shown
DETAIL_DELAY = 0.12


class BharatConnectScreen(SectionScreen):
    BINDINGS = [
        *(
            Binding(q.key, f"queue('{q.key}')", q.short, show=False, id=f"bc.queue{q.key}")
            for q in QUEUES
        ),
        Binding("c", "confirm", "Confirm payment", id="bc.confirm"),
        Binding("s", "status", "Change status", id="bc.status"),
        Binding("w", "follow_up", "Follow-up", show=False, id="bc.followup"),
        Binding("space", "mark", "Mark", id="bc.mark"),
        Binding("u", "unmark", "Unmark all", show=False, id="bc.unmark"),
        Binding("o", "sort", "Sort", id="bc.sort"),
        Binding("p", "pause", "Pause", id="bc.pause"),
        Binding("r", "refresh", "Refresh", id="bc.refresh"),
        Binding("U", "bulk_upload", "Bulk create", id="bc.bulk"),
        Binding("E", "export", "Export CSV", show=False, id="bc.export"),
    ]
    MUTATING_ACTIONS = frozenset({"confirm", "status", "bulk_upload"})

    def __init__(self, section: Section) -> None:
        super().__init__(section)
        self.queue: Queue = QUEUES[0]
        self.counts: dict[str, int | None] = {q.key: None for q in QUEUES}
        self.rows: list[Invoice] = []
        self.total: int | None = None  # the open queue's size, as the server counts it
        self.loaded_at: float | None = None
        self.paused = False
        self.sort = "due"  # a key of QUEUE_SORTS
        self._problem = ""
        self._detail_timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="bc-queues", markup=False)
        yield Static(id="bc-summary", markup=False)
        with Horizontal(id="bc-body"):
            yield LazyTable(BC_COLUMNS, key=_invoice_key, id="bc-invoices")
            with VerticalScroll(id="bc-detail"):
                yield Static(id="bc-detail-text")

    @property
    def table(self) -> LazyTable[Invoice]:
        return self.query_one("#bc-invoices", LazyTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.refresh_queue()
        self.set_interval(POLL_SECONDS, self._poll)
        self.set_interval(5, self._show_summary)

    def on_resize(self) -> None:
        self.query_one("#bc-detail").display = self.size.width >= 110
        self._show_queues()

    # -- loading -----------------------------------------------------------------------------

    def _poll(self) -> None:
        # Not while paused, nor while a modal is open on top: its invoices must not shift.
        if not self.paused and self.app.screen is self:
            self.refresh_queue()

    @work(exclusive=True, group="bc-load", exit_on_error=False)
    async def refresh_queue(self) -> None:
        """Every queue's count and the open queue's invoices; the cursor keeps its invoice."""
        session = self.enkash.session
        if session is None:
            return
        client, queue = session.client, self.queue
        keep = self.table.current.invoice_id if self.table.current else None
        try:
            heads, (rows, total) = await asyncio.gather(
                asyncio.gather(*(client.search_invoices(q.filters, limit=1) for q in QUEUES)),
                self._fetch_rows(queue),
            )
        except EnkashError as error:
            self._problem = str(error)
            self._show_summary()
            return
        self.counts = {q.key: head.total for q, head in zip(QUEUES, heads, strict=True)}
        if queue is not self.queue:
            return  # the user opened another queue meanwhile; its own load is on the way
        self._problem = ""
        self.rows, self.total = sort_queue(rows, self.sort), total
        rows = self.rows
        self.loaded_at = clock.timestamp()
        # Marks follow the fresh copies; marked invoices that left the queue are unmarked.
        self.table.marks.follow({i.invoice_id: i for i in rows})
        index = next((n for n, i in enumerate(rows) if i.invoice_id == keep), None)
        self.table.set_source(ListSource[Invoice](rows), keep_cursor=index is not None)
        if index is not None:
            self.table.cursor = index
        self._show_queues()
        self._show_summary()
        self._show_detail()

    async def _fetch_rows(self, queue: Queue) -> tuple[list[Invoice], int | None]:
        session = self.enkash.session
        assert session is not None
        rows: list[Invoice] = []
        total: int | None = None
        while len(rows) < MAX_ROWS:
            page = await session.client.search_invoices(
                queue.filters,
                offset=len(rows),
                limit=PAGE,
                order_by="dueDate",
                direction=SortDirection.ASC,
            )
            rows += page.items
            total = page.total if page.total is not None else total
            if not page.has_more or not page.items:
                break
        return rows, total

    # -- what is shown -----------------------------------------------------------------------

    def _show_queues(self) -> None:
        bar = queue_bar(self.counts, self.queue.key, width=self.size.width)
        self.query_one("#bc-queues", Static).update(bar)

    def action_sort(self) -> None:
        """The next order: due date, age of the reported payment, balance."""
        names = list(QUEUE_SORTS)
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        keep = self.table.current.invoice_id if self.table.current else None
        self.rows = sort_queue(self.rows, self.sort)
        index = next((n for n, i in enumerate(self.rows) if i.invoice_id == keep), None)
        self.table.set_source(ListSource[Invoice](self.rows), keep_cursor=index is not None)
        if index is not None:
            self.table.cursor = index
        self._show_summary()

    def _show_summary(self) -> None:
        text = Text(" ")
        if self.paused:  # first: the list no longer follows the buyer
            text.append("PAUSED (p resumes) · ", style="bold yellow")
        text.append(self.queue.label, style="bold")
        shown = len(self.rows)
        if self.loaded_at is None:
            text.append(" · loading…", style="dim")
        else:
            text.append(f" · {count(shown, 'invoice')}")
            if self.total is not None and self.total > shown:
                text.append(f" (first {shown:,} of {self.total:,})", style="yellow")
            balance = sum((i.balance_amount or Decimal(0) for i in self.rows), Decimal(0))
            text.append(f" · balance {inr(balance)}")
            if self.table.marks:
                text.append(f" · {len(self.table.marks)} marked", style="bold yellow")
            if self.sort != "due":
                text.append(f" · by {QUEUE_SORTS[self.sort][0]}", style="dim")
            age = int(clock.timestamp() - self.loaded_at)
            text.append(f" · updated {age} s ago", style="dim")
        if not self.paused:
            text.append(f" · every {POLL_SECONDS} s", style="dim")
        if self._problem:
            text.append(f" · refresh failed: {self._problem}", style="red")
        self.query_one("#bc-summary", Static).update(text)

    @on(LazyTable.CursorMoved, "#bc-invoices")
    def _moved(self) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, self._show_detail)

    def _show_detail(self) -> None:
        if self.query_one("#bc-detail").display:
            pane = self.query_one("#bc-detail-text", Static)
            pane.update(network_detail(self.table.current, self.queue))

    @on(LazyTable.RowSelected, "#bc-invoices")
    def _open(self, event: LazyTable.RowSelected) -> None:
        self.app.push_screen(InvoiceDetailScreen(event.row))

    # -- keys --------------------------------------------------------------------------------

    def show(self, place: Place) -> None:
        if isinstance(place, NetworkQueue):
            self.action_queue(place.key)

    def action_queue(self, key: str) -> None:
        if key == self.queue.key:
            return
        self.queue = BY_KEY[key]
        self.rows, self.total, self.loaded_at = [], None, None
        self.table.marks.clear()
        self.table.set_source(ListSource[Invoice]([]))
        self._show_queues()
        self._show_summary()
        self.refresh_queue()

    def action_refresh(self) -> None:
        self.refresh_queue()

    def action_pause(self) -> None:
        self.paused = not self.paused
        self.notify("Polling paused" if self.paused else "Polling resumed", timeout=2)
        if not self.paused:
            self.refresh_queue()
        self._show_summary()

    def action_mark(self) -> None:
        self.table.toggle_mark()
        self._show_summary()

    def action_unmark(self) -> None:
        self.table.marks.clear()
        self._show_summary()

    def action_confirm(self) -> None:
        chosen = self.table.targets()
        payments = {
            i.bharat_connect.reported_payment.payment_id
            for i in chosen
            if i.bharat_connect and i.bharat_connect.reported_payment
        }
        if not chosen:
            return
        if len(payments) != 1 or any(
            not (i.bharat_connect and i.bharat_connect.reported_payment) for i in chosen
        ):
            self.notify(
                "Confirm one reported payment at a time: mark only invoices of the same payment "
                "(queue 1 lists them)."
                if payments
                else "No payment reported for this invoice: nothing to confirm.",
                severity="warning",
            )
            return
        self.app.push_screen(PaymentConfirm(chosen), self._acted)

    def action_status(self) -> None:
        chosen = self.table.targets()
        if not chosen:
            return
        statuses = {i.bharat_connect.status for i in chosen if i.bharat_connect}
        if len(statuses) != 1 or any(i.bharat_connect is None for i in chosen):
            self.notify("Mark invoices that share one network status.", severity="warning")
            return
        current = statuses.pop()
        if not next_statuses(current):
            self.notify(f"{current} is final on the network: it cannot move.", severity="warning")
            return
        self.app.push_screen(StatusChange(chosen), self._acted)

    def _acted(self, done: ActionDone | None) -> None:
        if done is None:
            return
        self.action_unmark()
        self.after_action(done)

    @work(exclusive=True, group="bc-after", exit_on_error=False)
    async def after_action(self, done: ActionDone) -> None:
        """Refresh, then explain failures that came from the buyer acting first."""
        before = {i.invoice_id: i for i in done.invoices}
        failed = [o.invoice_id for o in done.result.failure_invoices]
        self.refresh_queue()
        session = self.enkash.session
        if not failed or session is None:
            return
        try:
            page = await session.client.search_invoices(
                InvoiceFilter(invoice_ids=failed), limit=len(failed)
            )
        except EnkashError:
            return
        for fresh in page.items:
            old, new = before[fresh.invoice_id].bharat_connect, fresh.bharat_connect
            if old and new and new.object_version != old.object_version:
                self.notify(
                    f"The buyer changed {fresh.invoice_number or fresh.invoice_id} meanwhile "
                    f"(now {new.status}, version {new.object_version}); the list is refreshed: "
                    "check it and try again.",
                    severity="warning",
                    timeout=10,
                )

    def action_follow_up(self) -> None:
        """The cursor's invoice: notes, promise, dispute, next follow-up, and its timeline with
        the network history."""
        if self.table.current is not None:
            self.app.push_screen(FollowUpWindow.of_invoice(self.table.current))

    def action_export(self) -> None:
        """Every invoice of the open queue (not only the first 5,000), read afresh, in the
        list's order, to a CSV file."""
        self.app.push_screen(ExportScreen(queue_export(self.queue, clock.today(), sort=self.sort)))

    def action_bulk_upload(self) -> None:
        from screens.bulk_upload import BulkUploadScreen

        def closed(uploaded: bool | None) -> None:
            if uploaded:
                self.refresh_queue()

        self.app.push_screen(BulkUploadScreen(), closed)


def _invoice_key(invoice: Invoice) -> Hashable:
    return invoice.invoice_id
