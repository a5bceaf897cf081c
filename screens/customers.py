"""Customers: find anyone in a keystroke from the local lookup, and see what they owe.

The lookup reads the on-disk customer cache at once and refreshes it in the background (its age
is shown), so typing never waits for the network. The detail follows the cursor: the customer's
fields and contacts from the cache's server, and a summary of their open invoices.
"""

from __future__ import annotations

from collections.abc import Hashable

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Static

from enkash_tui.api import EnkashError
from enkash_tui.api.models import InvoiceFilter, SortDirection
from enkash_tui.formatting import day, inr
from enkash_tui.invoice_queries import OPEN, InvoiceQuery
from enkash_tui.local.customer_cache import CustomerCache, CustomerEntry, cache_path
from enkash_tui.sections import Section
from enkash_tui.widgets.lazy_table import Column, LazyTable, ListSource

from .base import SectionScreen
from .customer_card import CustomerCard
from .invoice_view import today

DETAIL_DELAY = 0.15

CUSTOMER_COLUMNS: list[Column[CustomerEntry]] = [
    Column("name", "Customer", 30, lambda e: e.legal_name, priority=0, grow=True),
    Column("status", "Status", 8, lambda e: e.status.title(), priority=2),
    Column("gstin", "GSTIN / PAN", 15, lambda e: e.pan_or_gstin, priority=1),
    Column("phone", "Phone", 16, lambda e: e.contact_number or (e.mobiles or ("",))[0],
           priority=3),
    Column("id", "Customer id", 16, lambda e: e.customer_id, priority=4),
]  # fmt: skip


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "never fetched"
    if seconds < 90:
        return f"updated {int(seconds)} s ago"
    if seconds < 5400:
        return f"updated {int(seconds // 60)} min ago"
    return f"updated {seconds / 3600:.0f} h ago"


class CustomersScreen(SectionScreen):
    BINDINGS = [
        Binding("slash", "focus_lookup", "Find", id="customers.find"),
        Binding("r", "refresh_cache", "Refresh list", id="customers.refresh"),
        Binding("i", "invoices", "Invoices", id="customers.invoices"),
        Binding("m", "card(True)", "Reminders", show=False, id="customers.reminders"),
        Binding("escape", "clear_lookup", "Clear", show=False, id="customers.clear"),
    ]

    def __init__(self, section: Section) -> None:
        super().__init__(section)
        self.cache: CustomerCache | None = None
        self.refreshing = False
        self._detail_timer: Timer | None = None
        self._problem = ""

    def compose_body(self) -> ComposeResult:
        yield Input(
            placeholder="name, GSTIN/PAN, customer id, phone or e-mail", id="lookup", compact=True
        )
        yield Static(id="customers-summary", markup=False)
        with Horizontal(id="customer-body"):
            yield LazyTable(CUSTOMER_COLUMNS, key=self._key, id="customers")
            with VerticalScroll(id="customer-detail"):
                yield Static(id="customer-detail-text")

    @staticmethod
    def _key(entry: CustomerEntry) -> Hashable:
        return entry.customer_id

    @property
    def table(self) -> LazyTable[CustomerEntry]:
        return self.query_one("#customers", LazyTable)

    def on_mount(self) -> None:
        session = self.enkash.session
        if session is None:
            return
        # The local sandbox gets a new port every run: one cache for it, not one per port.
        server = "sandbox" if session.profile.kind == "sandbox" else session.client.base_url
        path = cache_path(session.profile.name, server)
        self.cache = CustomerCache.load(path)
        self._show_matches()
        self.query_one("#lookup", Input).focus()
        self.refresh_cache()
        self.set_interval(10, self._show_summary)

    def on_resize(self) -> None:
        self.query_one("#customer-detail").display = self.size.width >= 110

    # -- lookup ------------------------------------------------------------------------------

    def _show_matches(self) -> None:
        if self.cache is None:
            return
        query = self.query_one("#lookup", Input).value
        self.table.set_source(ListSource[CustomerEntry](self.cache.find(query, limit=5000)))
        self._show_summary()
        self._schedule_detail()

    @on(Input.Changed, "#lookup")
    def _typed(self) -> None:
        self._show_matches()

    @on(Input.Submitted, "#lookup")
    def _to_list(self) -> None:
        self.table.focus()

    def action_focus_lookup(self) -> None:
        self.query_one("#lookup", Input).focus()

    def action_clear_lookup(self) -> None:
        lookup = self.query_one("#lookup", Input)
        lookup.value = ""
        lookup.focus()

    def _show_summary(self) -> None:
        cache = self.cache
        text = Text(" ")
        if cache is None:
            text.append("not signed in", style="dim")
        else:
            shown, everyone = self.table.source.count(), len(cache.entries)
            typed = self.query_one("#lookup", Input).value.strip()
            text.append(
                f"{shown:,} of {everyone:,} customers" if typed else f"{everyone:,} customers",
                style="bold",
            )
            text.append(f" · {_age(cache.age())}", style="dim")
            if self.refreshing:
                text.append(" · refreshing…", style="dim")
            if self._problem:
                text.append(f" · refresh failed: {self._problem}", style="red")
        self.query_one("#customers-summary", Static).update(text, layout=False)

    # -- background refresh ------------------------------------------------------------------

    @work(exclusive=True, group="customer-cache", exit_on_error=False)
    async def refresh_cache(self) -> None:
        session, cache = self.enkash.session, self.cache
        if session is None or cache is None:
            return
        self.refreshing = True
        self._show_summary()
        try:
            await cache.refresh(session.client)
            self._problem = ""
        except EnkashError as error:
            self._problem = str(error)
        finally:
            self.refreshing = False
        self._show_matches()

    def action_refresh_cache(self) -> None:
        self.refresh_cache()

    # -- detail ------------------------------------------------------------------------------

    @on(LazyTable.CursorMoved, "#customers")
    def _moved(self) -> None:
        self._schedule_detail()

    def _schedule_detail(self) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, self._load_detail)

    def _load_detail(self) -> None:
        entry = self.table.current
        if entry is not None and self.query_one("#customer-detail").display:
            self.load_detail(entry)

    @work(exclusive=True, group="customer-detail", exit_on_error=False)
    async def load_detail(self, entry: CustomerEntry) -> None:
        pane = self.query_one("#customer-detail-text", Static)
        session = self.enkash.session
        if session is None:
            return
        pane.update(Group(Text(entry.legal_name, style="bold"), Text("loading…", style="dim")))
        try:
            open_invoices = await session.client.search_invoices(
                InvoiceFilter(customer_ids=[entry.customer_id], receivable_statuses=OPEN),
                limit=1,
                order_by="dueDate",
                direction=SortDirection.ASC,
            )
        except EnkashError as error:
            pane.update(Text(f"Could not load: {error}", style="red"))
            return
        lines = Text()
        lines.append(f"{entry.legal_name}\n", style="bold")
        lines.append(f"{entry.customer_id} · {entry.status.title()}\n", style="dim")
        if entry.pan_or_gstin:
            lines.append(f"GSTIN/PAN  {entry.pan_or_gstin}\n")
        for mobile, email in zip(
            entry.mobiles, entry.emails + ("",) * len(entry.mobiles), strict=False
        ):
            lines.append(f"Contact    {mobile}  {email}\n")
        lines.append("\n")
        count = open_invoices.total or 0
        lines.append(f"Open invoices  {count:,}\n", style="bold")
        if open_invoices.total_balance is not None:
            lines.append(f"Balance        {inr(open_invoices.total_balance)}\n")
        oldest = open_invoices.items[0] if open_invoices.items else None
        if oldest is not None and oldest.due_date is not None:
            late = oldest.days_overdue(today())
            lines.append(
                f"Oldest due     {day(oldest.due_date)}"
                + (f"  ({late} days overdue)" if late else "")
                + "\n"
            )
        lines.append("\ni their invoices · Enter the full card · m reminder rules", style="dim")
        pane.update(lines)

    # -- jumps -------------------------------------------------------------------------------

    @on(LazyTable.RowSelected, "#customers")
    def _open(self) -> None:
        self.action_card()

    def action_card(self, reminders: bool = False) -> None:
        entry = self.table.current
        if entry is not None:
            self.app.push_screen(
                CustomerCard(entry.customer_id, entry.legal_name, to_reminders=reminders)
            )

    async def action_invoices(self) -> None:
        """The Invoices section, searching this customer's invoices."""
        entry = self.table.current
        if entry is None:
            return
        await self.app.run_action("section('invoices')")
        from .invoices import InvoicesScreen

        screen = self.app.screen
        if isinstance(screen, InvoicesScreen):
            screen.load(
                InvoiceQuery(
                    f"Customer: {entry.legal_name}", InvoiceFilter(customer_ids=[entry.customer_id])
                )
            )
