"""Customers: find anyone in a keystroke from the local lookup, see what they owe, manage them.

The lookup reads the on-disk customer cache at once and refreshes it in the background (its age
is shown; a first visit fills the list page by page, usable from the first). Balance and overdue
come from the session's pass over the open invoices, Home's aging's: the last while fresh, else
the one on its way (never a second), else a new one; typing never waits for the network. The
detail follows the cursor. From the list: create, edit, activate / deactivate, delete, bulk
upload, and jump to a customer's invoices or reminder rules.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from decimal import Decimal

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Static

from enkash_tui import clock
from enkash_tui.api import EnkashError
from enkash_tui.api.models import InvoiceFilter
from enkash_tui.domain.formatting import age_words, inr
from enkash_tui.domain.invoices import InvoiceQuery
from enkash_tui.domain.open_book import Balance
from enkash_tui.local.customer_cache import CustomerCache, CustomerEntry
from enkash_tui.local.export_jobs import customers_export
from screens.customer_card import CustomerCard, customer_view_parts, load_customer_view
from screens.customers.changes import CustomerChanges
from screens.export import ExportScreen
from screens.followup.window import FollowUpWindow
from screens.heap import settle_now, settle_soon
from screens.sections import CustomerRules, InvoiceSearch, Section
from screens.widgets.customer_lookup import CustomerLookup
from screens.widgets.lazy_table import Column, LazyTable

DETAIL_DELAY = 0.15
# After a key typed into the lookup the detail waits longer: a customer read from EnKash between
# two keys would hold up the second.
TYPING_PAUSE = 0.4
# A copy older than this is refreshed again in the background while the section is open.
STALE_AFTER = 15 * 60
# While the first walk fills an empty list: seconds between showing what has come so far.
GROWING_EVERY = 0.5
# The list's sort orders, in the order ``o`` cycles through them.
SORTS: dict[str, tuple[str, Callable[[Balance | None], Decimal]]] = {
    "name": ("name", lambda b: Decimal(0)),
    "balance": ("balance, largest first", lambda b: b.balance if b else Decimal(-1)),
    "overdue": ("overdue, largest first", lambda b: b.overdue if b else Decimal(-1)),
}


def customer_columns(balance_of: Callable[[str], Balance | None]) -> list[Column[CustomerEntry]]:
    def money(pick: Callable[[Balance], Decimal], alarm: bool) -> Callable[[CustomerEntry], Text]:
        def cell(entry: CustomerEntry) -> Text:
            balance = balance_of(entry.customer_id)
            if balance is None:
                return Text("…", style="dim")
            amount = pick(balance)
            if not amount:
                return Text("–", style="dim")
            return Text(inr(amount), style="red" if alarm else "")

        return cell

    def status(entry: CustomerEntry) -> Text:
        active = entry.status.upper() != "INACTIVE"
        return Text(entry.status.title(), style="" if active else "yellow")

    return [
        Column("name", "Customer", 28, lambda e: e.legal_name, priority=0, grow=True),
        Column("status", "Status", 8, status, priority=2),
        Column("balance", "Balance", 13, money(lambda b: b.balance, False), align="right",
               priority=0),
        Column("overdue", "Overdue", 13, money(lambda b: b.overdue, True), align="right",
               priority=1),
        Column("gstin", "GSTIN / PAN", 15, lambda e: e.pan_or_gstin, priority=3),
        Column("phone", "Phone", 15, lambda e: e.contact_number or (e.mobiles or ("",))[0],
               priority=4),
        Column("id", "Customer id", 16, lambda e: e.customer_id, priority=5),
    ]  # fmt: skip


class CustomersScreen(CustomerChanges):
    BINDINGS = [
        Binding("slash", "focus_lookup", "Find", id="customers.find"),
        Binding("n", "new", "New", id="customers.new"),
        Binding("e", "edit", "Edit", id="customers.edit"),
        Binding("a", "toggle_active", "(De)activate", id="customers.activate"),
        Binding("d", "delete", "Delete", id="customers.delete"),
        Binding("U", "bulk_upload", "Bulk", id="customers.bulk"),
        Binding("i", "invoices", "Invoices", id="customers.invoices"),
        Binding("m", "reminders", "Reminders", id="customers.reminders"),
        Binding("w", "follow_up", "Follow-up", show=False, id="customers.followup"),
        Binding("o", "sort", "Sort", id="customers.sort"),
        Binding("r", "refresh_cache", "Refresh", id="customers.refresh"),
        Binding("E", "export", "Export CSV", show=False, id="customers.export"),
        Binding("down", "to_list", "List", show=False, id="customers.to_list"),
        Binding("escape", "clear_lookup", "Clear", show=False, id="customers.clear"),
    ]
    MUTATING_ACTIONS = frozenset({"new", "edit", "toggle_active", "delete", "bulk_upload"})

    def __init__(self, section: Section) -> None:
        super().__init__(section)
        self.cache: CustomerCache | None = None
        self.walking = ""  # what the customers' refresh is doing, "" when idle
        self.totalling = False  # waiting for the session's pass over the open invoices
        self.sort = "name"
        self._detail_timer: Timer | None = None
        self._problem = ""
        self.detail_for: str | None = None  # the customer the detail pane shows in full

    def compose_body(self) -> ComposeResult:
        yield CustomerLookup(
            "customers",
            placeholder="find by name, GSTIN/PAN, customer id, phone or e-mail · ↓ to the list",
            id="lookup",
        )
        yield Static(id="customers-summary", markup=False)
        with Horizontal(id="customer-body"):
            yield LazyTable(customer_columns(self._balance_of), key=self._key, id="customers")
            with VerticalScroll(id="customer-detail"):
                yield Static(id="customer-detail-text")

    @staticmethod
    def _key(entry: CustomerEntry) -> Hashable:
        return entry.customer_id

    @property
    def refreshing(self) -> str:
        """What the background refreshes are doing, "" when idle."""
        doing = [self.walking, "totalling balances" if self.totalling else ""]
        return "… · ".join(part for part in doing if part)

    def _balance_of(self, customer_id: str) -> Balance | None:
        return self.cache.balance_of(customer_id) if self.cache else None

    @property
    def table(self) -> LazyTable[CustomerEntry]:
        return self.query_one("#customers", LazyTable)

    @property
    def lookup(self) -> CustomerLookup:
        return self.query_one("#lookup", CustomerLookup)

    def on_mount(self) -> None:
        session = self.enkash.session
        if session is None:
            return
        self.cache = self.lookup.cache = session.customers()
        self.lookup.order = self._order
        self.lookup.follow = lambda _typed: self._show_matches()  # in the key's own frame
        settle_now()
        self._show_matches()
        self.lookup.focus()
        self.refresh_cache()
        self.refresh_balances()
        self.set_interval(10, self._tick)

    def on_resize(self) -> None:
        self.query_one("#customer-detail").display = self.size.width >= 110

    # -- lookup ------------------------------------------------------------------------------

    def _order(self, found: list[CustomerEntry]) -> None:
        if self.sort != "name":
            weight = SORTS[self.sort][1]
            found.sort(key=lambda e: weight(self._balance_of(e.customer_id)), reverse=True)

    def _show_matches(self, keep: str | None = None) -> None:
        """The customers matching what is typed, in the chosen order; the cursor stays on
        ``keep`` (a customer id; default: the current customer) when it is still listed."""
        self.lookup.show_matches(keep)
        self._show_summary()
        self._schedule_detail(TYPING_PAUSE)

    @on(Input.Submitted, "#lookup")
    def _to_list(self) -> None:
        self.table.focus()

    def action_to_list(self) -> None:
        self.table.focus()

    def action_focus_lookup(self) -> None:
        self.lookup.focus()

    def action_clear_lookup(self) -> None:
        self.lookup.clear()

    def action_sort(self) -> None:
        names = list(SORTS)
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self._show_matches()
        self.table.cursor = 0

    def action_export(self) -> None:
        """Every customer the list holds for what is typed (read afresh, with what each owes
        now), in the list's order, to a CSV file."""
        job = customers_export(self.lookup.value, clock.today(), order=self.sort)
        self.app.push_screen(ExportScreen(job))

    def _show_summary(self) -> None:
        cache = self.cache
        text = Text(" ")
        if cache is None:
            text.append("not signed in", style="dim")
        else:
            shown, everyone = self.table.source.count(), len(cache.entries)
            typed = self.lookup.value.strip()
            text.append(
                f"{shown:,} of {everyone:,} customers" if typed else f"{everyone:,} customers",
                style="bold",
            )
            text.append(f" · {age_words(cache.age())}", style="dim")
            if self.sort != "name":
                text.append(f" · by {SORTS[self.sort][0]}", style="dim")
            if cache.balances_at is None and not self.refreshing:
                text.append(" · balances not totalled yet", style="dim")
            if self.refreshing:
                text.append(f" · {self.refreshing}…", style="dim")
            if self._problem:
                text.append(f" · refresh failed: {self._problem}", style="red")
        self.query_one("#customers-summary", Static).update(text, layout=False)

    # -- background refresh ------------------------------------------------------------------

    @work(exclusive=True, group="customer-cache", exit_on_error=False)
    async def refresh_cache(self) -> None:
        """Every customer; on a first visit, shown as the pages come."""
        session, cache = self.enkash.session, self.cache
        if session is None or cache is None:
            return
        growing = not cache.entries
        shown_at = 0.0

        def arrived(done: int, total: int | None) -> None:
            nonlocal shown_at
            if growing and time.monotonic() - shown_at >= GROWING_EVERY:
                shown_at, before = time.monotonic(), self.table.current
                self.walking = f"reading customers, {done:,} of {total or done:,}"
                self.lookup.show_matches()
                self._show_summary()
                if self.table.current != before:  # the detail pane follows a new first row only
                    self._schedule_detail()

        try:
            self.walking = "refreshing customers"
            self._show_summary()
            await cache.refresh(session.client, arrived)
            settle_soon(self.app)
            self._problem = ""
        except EnkashError as error:
            self._problem = str(error)
        finally:
            self.walking = ""
        self._show_matches()

    @work(exclusive=True, group="customer-balances", exit_on_error=False)
    async def refresh_balances(self, again: bool = False) -> None:
        """What every customer owes, from the session's pass over the open invoices: the last
        one while it is fresh (unless ``again``), else the one on its way, else a new one."""
        session, cache = self.enkash.session, self.cache
        if session is None or cache is None:
            return
        book = session.open_book()
        if again or session.book_pass is not None or not book or not book.fresh(clock.today()):
            self.totalling = True
            self._show_summary()
            try:
                book = await session.total_open_book(self.enkash.settings.aging_buckets)
                self._problem = ""
            except EnkashError as error:
                self._problem = str(error)
            finally:
                self.totalling = False
            settle_soon(self.app)
        if book is not None:
            cache.use_balances(book)
        self._show_matches()

    def action_refresh_cache(self) -> None:
        self.refresh_cache()
        self.refresh_balances(again=True)

    def _tick(self) -> None:
        """Keep the age shown current, and refresh a stale copy (the app may stay open all
        day on this screen): the customers, and the balances once their pass is too old."""
        session, cache = self.enkash.session, self.cache
        if session is None or cache is None:
            return
        age, book = cache.age(), session.open_book()
        if age is not None and age > STALE_AFTER and not self.walking:
            self.refresh_cache()
        if book is not None and not book.fresh(clock.today()) and not self.totalling:
            self.refresh_balances()
        self.table.refresh()  # balances from a pass made meanwhile (Home's)
        self._show_summary()

    # -- detail ------------------------------------------------------------------------------

    @on(LazyTable.CursorMoved, "#customers")
    def _moved(self) -> None:
        self._schedule_detail(TYPING_PAUSE if self.lookup.has_focus else DETAIL_DELAY)

    def _schedule_detail(self, delay: float = DETAIL_DELAY) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(delay, self._load_detail)

    def _load_detail(self) -> None:
        entry = self.table.current
        pane = self.query_one("#customer-detail-text", Static)
        if entry is None:
            pane.update(Text("No customer matches.", style="dim"))
        elif self.query_one("#customer-detail").display:
            self.load_detail(entry)

    @work(exclusive=True, group="customer-detail", exit_on_error=False)
    async def load_detail(self, entry: CustomerEntry) -> None:
        pane = self.query_one("#customer-detail-text", Static)
        session = self.enkash.session
        if session is None:
            return
        self.detail_for = None
        pane.update(Group(Text(entry.legal_name, style="bold"), Text("loading…", style="dim")))
        try:
            view = await load_customer_view(session.client, entry.customer_id)
        except EnkashError as error:
            pane.update(Text(f"Could not load: {error}", style="red"))
            return
        if self.cache is not None:
            # Fresh figures for this customer: the list shows them too.
            self.cache.set_balance(entry.customer_id, view.balance)
            self.table.refresh()
        parts: list[RenderableType] = [Text(entry.legal_name, style="bold")]
        for title, body in customer_view_parts(view, narrow=True):
            if title:
                parts.append(Text(f"\n{title}", style="bold"))
            parts.append(body)
        parts.append(Text("\nEnter card · i invoices · m reminder rules · e edit", style="dim"))
        pane.update(Group(*parts))
        self.detail_for = entry.customer_id

    # -- jumps -------------------------------------------------------------------------------

    @on(LazyTable.RowSelected, "#customers")
    def _open(self) -> None:
        self.action_card()

    def action_card(self, reminders: bool = False) -> None:
        entry = self.table.current
        if entry is None:
            return

        def picked(action: str | None) -> None:
            if action is not None:
                self.run_worker(self.run_action(action))

        card = CustomerCard(
            entry.customer_id, entry.legal_name, to_reminders=reminders, actions=True
        )
        self.app.push_screen(card, picked)

    def action_follow_up(self) -> None:
        """The cursor's customer: notes, promise, dispute, next follow-up and the timeline of
        the customer and their invoices."""
        entry = self.table.current
        if entry is not None:
            self.app.push_screen(FollowUpWindow.of_customer(entry.customer_id, entry.legal_name))

    async def action_invoices(self) -> None:
        """The Invoices section, searching this customer's invoices."""
        entry = self.table.current
        if entry is None:
            return
        query = InvoiceQuery(
            f"Customer: {entry.legal_name}", InvoiceFilter(customer_ids=[entry.customer_id])
        )
        await self.enkash.open_section(InvoiceSearch(query))

    async def action_reminders(self) -> None:
        """The Reminders section, on this customer's rules."""
        entry = self.table.current
        if entry is None:
            return
        await self.enkash.open_section(CustomerRules(entry.customer_id))
