"""Invoices: find the ones that need action in a result of any size, and look at them closely.

The list is a window onto the server's result: pages are fetched as the cursor moves and only
the rows on screen are drawn, so a 100k-invoice search opens as fast as a 100-invoice one.
"""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Static

from enkash_tui import clock
from enkash_tui.api import EnkashError
from enkash_tui.api.models import Invoice
from enkash_tui.domain.invoice_form import saved_note
from enkash_tui.domain.invoices import BY_KEY, InvoiceQuery, search_field
from enkash_tui.domain.paging import PagedRows, PagedSource
from enkash_tui.local.export_jobs import invoice_export
from screens.bulk_upload import BulkUploadScreen
from screens.customer_card import CustomerCard
from screens.export import ExportScreen
from screens.followup.window import FollowUpWindow
from screens.heap import settle_soon, since_last_key
from screens.invoices.filter import InvoiceFilterScreen
from screens.invoices.form import InvoiceForm
from screens.invoices.keys import INVOICE_KEYS
from screens.invoices.marks import MarkedInvoices
from screens.invoices.view import (
    INVOICE_COLUMNS,
    SummaryState,
    aging_style,
    invoice_detail,
    preset_bar,
    summary_line,
)
from screens.invoices.windows import InvoiceDetailScreen, SortPicker, copy_invoice_text
from screens.sections import InvoiceSearch, Place, Section
from screens.widgets.in_place import TypingInput
from screens.widgets.lazy_table import LazyTable

PAGE_SIZE = 100
KEY_DRAWN = 0.05  # seconds after a key by which its frame is drawn: a page ahead is read then
READ_AHEAD_WAIT = 1.0  # the longest a page fetched ahead waits for a pause in the keys
DETAIL_DELAY = 0.12  # seconds the cursor rests before the detail pane follows it
# The detail pane shows beside the list from this width (v shows or hides it at any width): below
# it, the list needs the room for customers' names.
DETAIL_FROM = 140


class InvoicesScreen(MarkedInvoices):
    BINDINGS = INVOICE_KEYS
    MUTATING_ACTIONS = frozenset({"dispatch", "delete", "new", "edit", "bulk_upload"})

    def __init__(self, section: Section) -> None:
        super().__init__(section)
        self.rows: PagedRows[Invoice] = PagedRows(PAGE_SIZE)
        self.query_spec: InvoiceQuery = BY_KEY["1"].build(clock.today())
        self.loaded_at: float | None = None
        self._haystacks: dict[str, str] = {}
        self._detail_timer: Timer | None = None
        self._problem = ""  # why the last page could not load, until the next good one
        self._restore_cursor: int | None = None  # a refresh puts the cursor back here
        self.filter_values: dict[str, str] = {}  # what the filter form last searched with
        self.result_balance: Decimal | None = None  # the whole result's, when the server says
        self.marking: tuple[int, int] | None = None  # (read, of) while "mark all" reads the result

    # -- layout ------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Static(id="presets", markup=False)
        yield Static(id="summary", markup=False)
        with Horizontal(id="invoice-body"):
            yield LazyTable(
                INVOICE_COLUMNS,
                key=lambda invoice: invoice.invoice_id,
                row_style=aging_style,
                id="invoices",
            )
            with VerticalScroll(id="invoice-detail"):
                yield Static(id="detail-text")
        yield TypingInput(
            placeholder="filter loaded rows: number, customer or amount",
            id="quick",
            classes="hidden",
            compact=True,
        )

    @property
    def table(self) -> LazyTable[Invoice]:
        return self.query_one("#invoices", LazyTable)

    def on_mount(self) -> None:
        self.table.follow_scroll = lambda _top: self._show_summary()  # rows x-y of n
        self.table.focus()
        self.load(self.query_spec)
        self.set_interval(5, self._show_summary)

    def on_resize(self) -> None:
        self._show_presets()
        # The detail pane follows the cursor beside the list when there is room for both.
        detail = self.query_one("#invoice-detail")
        if not detail.has_class("user-toggled"):
            detail.display = self.size.width >= DETAIL_FROM

    # -- loading -----------------------------------------------------------------------------

    def show(self, place: Place) -> None:
        if isinstance(place, InvoiceSearch):
            self.load(place.query)

    def load(self, query: InvoiceQuery, *, keep_cursor: bool = False) -> None:
        if query is not self.query_spec:
            self.stop_marking()
        self.query_spec = query
        self._problem = ""
        self.result_balance = None
        self._restore_cursor = self.table.cursor if keep_cursor else None
        self.rows.reset()
        self._haystacks.clear()
        sort = next((c for c in INVOICE_COLUMNS if c.sort == query.order_by), None)
        self.table.sort = (sort.key, query.descending) if sort else None
        self.table.set_source(
            PagedSource[Invoice](self.rows, self.fetch_rows), keep_cursor=keep_cursor
        )
        self.fetch_rows(0, PAGE_SIZE - 1)
        self._show_presets()
        self._show_summary()

    def fetch_rows(self, first: int, last: int) -> None:
        if self.rows.total is None:
            # Until the first page is back, ask for nothing else: it alone decides how soon
            # the list shows, and the total it brings bounds what to fetch next.
            first, last = 0, PAGE_SIZE - 1
        for page in self.rows.missing_pages(first, last):
            self.rows.requested(page)
            self.run_worker(
                self._fetch_page(page, self.rows.generation, self.query_spec),
                group="pages",
                exit_on_error=False,
            )

    async def _fetch_page(self, page: int, generation: int, query: InvoiceQuery) -> None:
        session = self.enkash.session
        if session is None:
            return
        try:
            # A page fetched ahead is asked for between keys: the server's work, the reply and
            # its reading all share this machine's cores with drawing the key.
            await self._between_keys(page)
            read = await session.client.fetch_invoice_page(
                query.filters,
                offset=page * PAGE_SIZE,
                limit=PAGE_SIZE,
                order_by=query.order_by,
                direction=query.direction,
            )
            # Read (JSON, a hundred models, their text cleaned) off the event loop.
            result = await asyncio.to_thread(read)
        except EnkashError as error:
            self.rows.failed(page, generation)
            self.enkash.report_error(error)
            self._problem = str(error)
            self._show_summary()
            return
        if not self.rows.store(page, result.items, result.total, generation):
            return  # the user has moved on to another search
        if result.total_balance is not None:
            self.result_balance = result.total_balance
        self.loaded_at = clock.timestamp()
        self._problem = ""
        for row in result.items:  # what ``/`` matches, made now: its keys only look
            self._haystack(row)
        settle_soon(self.app)  # a page of long-lived rows: tidied once keys are quiet
        if self._quick_text():
            self._apply_quick_filter()
        else:
            self.table.rows_arrived(page * PAGE_SIZE, page * PAGE_SIZE + len(result.items) - 1)
        if self._restore_cursor is not None:
            # A refresh: the first page brought the count, so the old row can come back
            # (setting the cursor scrolls to it and asks for its page).
            self.table.cursor, self._restore_cursor = self._restore_cursor, None
        self._show_summary()
        if page * PAGE_SIZE <= self.table.cursor < (page + 1) * PAGE_SIZE:
            self._show_detail(self.table.current)
        if page == 0 and result.total:  # End finds its rows waiting: one request, ahead
            self.fetch_rows(max(0, result.total - self.table.visible_rows), result.total - 1)

    async def _between_keys(self, page: int) -> None:
        """Wait for a pause in the keys (a key's frame is drawn by then), unless the page is
        on screen now or has waited long enough."""
        deadline = time.monotonic() + READ_AHEAD_WAIT
        while since_last_key(self.app) < KEY_DRAWN and time.monotonic() < deadline:
            top = int(self.table.scroll_offset.y)
            if (
                page * PAGE_SIZE < top + self.table.visible_rows + 1
                and (page + 1) * PAGE_SIZE > top
            ):
                return
            await asyncio.sleep(0.01)

    # -- what the user sees about the result --------------------------------------------------

    def _show_presets(self) -> None:
        line = preset_bar(self.query_spec.label, narrow=self.size.width < 110)
        self.query_one("#presets", Static).update(line, layout=False)

    def _show_summary(self) -> None:
        total, loaded = self.rows.total, self.rows.loaded_count
        balance = self.result_balance
        if balance is None and total is not None and loaded >= total:  # all here: add up
            amounts = (row.balance_amount or Decimal(0) for _, row in self.rows.loaded())
            balance = sum(amounts, start=Decimal(0))
        top = int(self.table.scroll_offset.y)
        shown = self.table.source.count()
        quick = self._quick_text()
        marked = self.table.marks.rows()
        state = SummaryState(
            label=self.query_spec.label, problem=self._problem, total=total, top=top,
            last=min(top + self.table.visible_rows, shown), shown=shown, loaded=loaded,
            quick=quick, balance=balance, marked=len(marked),
            marked_balance=sum((i.balance_amount or Decimal(0) for i in marked), Decimal(0)),
            whole_search="" if not quick or self._all_loaded() else search_field(quick),
            marking=self.marking,
            age=None if self.loaded_at is None else int(clock.timestamp() - self.loaded_at),
        )  # fmt: skip
        # One fixed line: no relayout on every key.
        self.query_one("#summary", Static).update(summary_line(state), layout=False)

    def _show_detail(self, invoice: Invoice | None) -> None:
        pane = self.query_one("#detail-text", Static)
        if not self.query_one("#invoice-detail").display:
            return  # hidden: nothing to draw
        pane.update(invoice_detail(invoice) if invoice else Text("No invoice selected", "dim"))

    @on(LazyTable.CursorMoved, "#invoices")
    def _cursor_moved(self, event: LazyTable.CursorMoved) -> None:
        # The detail pane waits until the cursor rests: drawing it on every key of a fast
        # PgDn run would cost more than the list itself.
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(
            DETAIL_DELAY, lambda: self._show_detail(self.table.current)
        )
        self._show_summary()

    @on(LazyTable.RowSelected, "#invoices")
    def _open(self, event: LazyTable.RowSelected) -> None:
        self.app.push_screen(InvoiceDetailScreen(event.row))

    # -- actions -----------------------------------------------------------------------------

    def action_preset(self, key: str) -> None:
        self._clear_quick()
        self.load(BY_KEY[key].build(clock.today()))

    def action_refresh(self) -> None:
        self.load(self.book_read_again(self.query_spec), keep_cursor=True)

    def action_sort(self) -> None:
        def chosen(order_by: str | None) -> None:
            if order_by:
                self.load(self.query_spec.sorted_by(order_by))

        self.app.push_screen(SortPicker(self.query_spec), chosen)

    def action_new(self) -> None:
        self._open_form(None)

    def _customer_here(self) -> tuple[str, str] | None:
        """(id, name) of the customer the list is on: the one its search is for, else the one
        under the cursor; None when neither says."""
        wanted = self.query_spec.filters.customer_ids or []
        current = self.table.current
        if len(wanted) == 1:
            name = (
                current.customer_legal_name if current and current.customer_id == wanted[0] else ""
            )
            return wanted[0], name or ""
        if current is not None and current.customer_id:
            return current.customer_id, current.customer_legal_name or ""
        return None

    def action_edit(self) -> None:
        if self.table.current is not None:
            self._open_form(self.table.current)

    def _open_form(self, invoice: Invoice | None) -> None:
        def saved(result: Invoice | None) -> None:
            if result is not None:
                self.notify(saved_note(result, created=invoice is None), timeout=4, markup=False)
                self.action_refresh()

        customer = self._customer_here() if invoice is None else None
        self.app.push_screen(InvoiceForm(invoice, customer=customer), saved)

    def action_filter(self) -> None:
        form = InvoiceFilterScreen(self.filter_values)

        def chosen(query: InvoiceQuery | None) -> None:
            if query is not None:
                self.filter_values = form.values
                self._clear_quick()
                self.load(query)

        self.app.push_screen(form, chosen)

    def action_customer(self, reminders: bool = False) -> None:
        invoice = self.table.current
        if invoice is not None and invoice.customer_id:
            self.app.push_screen(
                CustomerCard(
                    invoice.customer_id, invoice.customer_legal_name or "", to_reminders=reminders
                )
            )

    def action_follow_up(self) -> None:
        """The cursor's invoice: notes, promise, dispute, next follow-up and its timeline."""
        if self.table.current is not None:
            window = FollowUpWindow.of_invoice(self.table.current)
            self.app.push_screen(window, lambda _: self.book_changed())  # its F/U marks

    def action_bulk_upload(self) -> None:
        def closed(uploaded: bool | None) -> None:
            if uploaded:
                self.action_refresh()

        self.app.push_screen(BulkUploadScreen(), closed)

    def action_export(self) -> None:
        self.app.push_screen(ExportScreen(invoice_export(self.query_spec, clock.today())))

    def action_toggle_detail(self) -> None:
        detail = self.query_one("#invoice-detail")
        detail.add_class("user-toggled")
        detail.display = not detail.display
        self._show_detail(self.table.current)

    def action_copy(self, what: str) -> None:
        invoice = self.table.current
        if invoice is None:
            return
        copy_invoice_text(self.app, invoice, what)
