"""Customers: find anyone in a keystroke from the local lookup, see what they owe, manage them.

The lookup reads the on-disk customer cache at once and refreshes it in the background (its age
is shown), then totals every customer's open invoices so the list can show balance and overdue;
typing never waits for the network. The detail follows the cursor. From the list: create, edit,
activate / deactivate, delete, bulk upload, and jump to a customer's invoices or reminder rules.
"""

from __future__ import annotations

import gc
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
from enkash_tui.api.models import Customer, CustomerFilter, InvoiceFilter
from enkash_tui.domain.formatting import age_words, count, inr
from enkash_tui.domain.invoices import InvoiceQuery
from enkash_tui.local.customer_cache import Balance, CustomerCache, CustomerEntry
from screens.base import SectionScreen
from screens.customer_card import CustomerCard, customer_view_parts, load_customer_view
from screens.customers.form import CustomerForm
from screens.modals import ConfirmModal
from screens.sections import CustomerRules, InvoiceSearch, Section
from screens.widgets.lazy_table import Column, LazyTable, ListSource

DETAIL_DELAY = 0.15
# A copy older than this is refreshed again in the background while the section is open.
STALE_AFTER = 15 * 60
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


class CustomersScreen(SectionScreen):
    BINDINGS = [
        Binding("slash", "focus_lookup", "Find", id="customers.find"),
        Binding("n", "new", "New", id="customers.new"),
        Binding("e", "edit", "Edit", id="customers.edit"),
        Binding("a", "toggle_active", "(De)activate", id="customers.activate"),
        Binding("d", "delete", "Delete", id="customers.delete"),
        Binding("U", "bulk_upload", "Bulk", id="customers.bulk"),
        Binding("i", "invoices", "Invoices", id="customers.invoices"),
        Binding("m", "reminders", "Reminders", id="customers.reminders"),
        Binding("o", "sort", "Sort", id="customers.sort"),
        Binding("r", "refresh_cache", "Refresh", id="customers.refresh"),
        Binding("down", "to_list", "List", show=False, id="customers.to_list"),
        Binding("escape", "clear_lookup", "Clear", show=False, id="customers.clear"),
    ]
    MUTATING_ACTIONS = frozenset({"new", "edit", "toggle_active", "delete", "bulk_upload"})

    def __init__(self, section: Section) -> None:
        super().__init__(section)
        self.cache: CustomerCache | None = None
        self.refreshing = ""  # what the background refresh is doing, "" when idle
        self.sort = "name"
        self._detail_timer: Timer | None = None
        self._problem = ""
        self.detail_for: str | None = None  # the customer the detail pane shows in full

    def compose_body(self) -> ComposeResult:
        yield Input(
            placeholder="find by name, GSTIN/PAN, customer id, phone or e-mail · ↓ to the list",
            id="lookup",
            compact=True,
        )
        yield Static(id="customers-summary", markup=False)
        with Horizontal(id="customer-body"):
            yield LazyTable(customer_columns(self._balance_of), key=self._key, id="customers")
            with VerticalScroll(id="customer-detail"):
                yield Static(id="customer-detail-text")

    @staticmethod
    def _key(entry: CustomerEntry) -> Hashable:
        return entry.customer_id

    def _balance_of(self, customer_id: str) -> Balance | None:
        return self.cache.balance_of(customer_id) if self.cache else None

    @property
    def table(self) -> LazyTable[CustomerEntry]:
        return self.query_one("#customers", LazyTable)

    def on_mount(self) -> None:
        session = self.enkash.session
        if session is None:
            return
        self.cache = session.customers()
        _settle_long_lived_objects()
        self._show_matches()
        self.query_one("#lookup", Input).focus()
        self.refresh_cache()
        self.set_interval(10, self._tick)

    def on_resize(self) -> None:
        self.query_one("#customer-detail").display = self.size.width >= 110

    # -- lookup ------------------------------------------------------------------------------

    def _show_matches(self, keep: str | None = None) -> None:
        """The customers matching what is typed, in the chosen order; the cursor stays on
        ``keep`` (a customer id) when it is still listed."""
        if self.cache is None:
            return
        query = self.query_one("#lookup", Input).value
        found = self.cache.find(query, limit=5000)
        if self.sort != "name":
            weight = SORTS[self.sort][1]
            found.sort(key=lambda e: weight(self._balance_of(e.customer_id)), reverse=True)
        table = self.table
        keep = keep or (table.current.customer_id if table.current else None)
        table.set_source(ListSource[CustomerEntry](found))
        if keep is not None:
            index = next((i for i, e in enumerate(found) if e.customer_id == keep), None)
            if index is not None:
                table.cursor = index
        self._show_summary()
        self._schedule_detail()

    @on(Input.Changed, "#lookup")
    def _typed(self) -> None:
        self._show_matches(keep="")

    @on(Input.Submitted, "#lookup")
    def _to_list(self) -> None:
        self.table.focus()

    def action_to_list(self) -> None:
        self.table.focus()

    def action_focus_lookup(self) -> None:
        self.query_one("#lookup", Input).focus()

    def action_clear_lookup(self) -> None:
        lookup = self.query_one("#lookup", Input)
        lookup.value = ""
        lookup.focus()

    def action_sort(self) -> None:
        names = list(SORTS)
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self._show_matches()
        self.table.cursor = 0

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
        """Every customer, then every open invoice totalled per customer."""
        session, cache = self.enkash.session, self.cache
        if session is None or cache is None:
            return
        try:
            self.refreshing = "refreshing customers"
            self._show_summary()
            await cache.refresh(session.client)
            self._show_matches()
            self.refreshing = "totalling balances"
            self._show_summary()
            await cache.refresh_balances(session.client, clock.today())
            _settle_long_lived_objects()
            self._problem = ""
        except EnkashError as error:
            self._problem = str(error)
        finally:
            self.refreshing = ""
        self._show_matches()

    def action_refresh_cache(self) -> None:
        self.refresh_cache()

    def _tick(self) -> None:
        """Keep the age shown current, and refresh a stale copy (the app may stay open all
        day on this screen)."""
        age = self.cache.age() if self.cache else None
        if age is not None and age > STALE_AFTER and not self.refreshing:
            self.refresh_cache()
        self._show_summary()

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

    # -- managing ----------------------------------------------------------------------------

    def _saved(self, customer: Customer | None, verb: str) -> None:
        if customer is None or self.cache is None:
            return
        self.cache.put(customer)
        self.cache.save()
        self._show_matches(keep=customer.customer_id)
        self.notify(f"{customer.legal_name} {verb}", timeout=4)

    def action_new(self) -> None:
        self.app.push_screen(CustomerForm(), lambda saved: self._saved(saved, "created"))

    def action_edit(self) -> None:
        entry = self.table.current
        if entry is not None:
            self.open_editor(entry.customer_id)

    @work(exclusive=True, group="customer-action", exit_on_error=False)
    async def open_editor(self, customer_id: str) -> None:
        """The edit form, once the whole customer is fetched (the cache keeps only a summary)."""
        customer = await self._fetch(customer_id)
        if customer is not None:
            self.app.push_screen(CustomerForm(customer), lambda saved: self._saved(saved, "saved"))

    async def _fetch(self, customer_id: str) -> Customer | None:
        session = self.enkash.session
        if session is None:
            return None
        try:
            page = await session.client.search_customers(
                CustomerFilter(customer_ids=[customer_id]), limit=1
            )
        except EnkashError as error:
            self.notify(f"Could not load the customer: {error}", severity="error")
            return None
        if not page.items:
            self.notify("This customer is no longer listed (deleted?)", severity="warning")
            if self.cache is not None:
                self.cache.drop(customer_id)
                self._show_matches()
            return None
        return page.items[0]

    def action_toggle_active(self) -> None:
        entry = self.table.current
        if entry is None:
            return
        activating = entry.status.upper() == "INACTIVE"
        balance = self._balance_of(entry.customer_id)
        owed = _owed(balance)
        if activating:
            title = f"Activate {entry.legal_name}?"
            body = "They can be invoiced and reminded again."
        else:
            title = f"Deactivate {entry.legal_name}?"
            body = "No new invoices can be raised for them until they are activated again. " + (
                f"Their {owed} stay open and can still be collected." if owed else ""
            )
        verb = "Activate" if activating else "Deactivate"

        def decided(yes: bool | None) -> None:
            if yes:
                self.set_active(entry, activating)

        self.app.push_screen(ConfirmModal(title, body, yes=verb, no="Cancel"), decided)

    @work(exclusive=True, group="customer-action", exit_on_error=False)
    async def set_active(self, entry: CustomerEntry, active: bool) -> None:
        session = self.enkash.session
        if session is None:
            return
        client = session.client
        change = client.activate_customer if active else client.deactivate_customer
        try:
            await change(entry.customer_id)
        except EnkashError as error:
            self.notify(f"{entry.legal_name} not changed: {error}", severity="error")
            return
        # The payload type is undocumented: read the customer back rather than trust it.
        customer = await self._fetch(entry.customer_id)
        self._saved(customer, "activated" if active else "deactivated")

    def action_delete(self) -> None:
        entry = self.table.current
        if entry is None:
            return
        self.confirm_delete(entry)

    @work(exclusive=True, group="customer-action", exit_on_error=False)
    async def confirm_delete(self, entry: CustomerEntry) -> None:
        """Says what happens to their open invoices (fresh figures) before asking."""
        session = self.enkash.session
        if session is None:
            return
        try:
            view = await load_customer_view(session.client, entry.customer_id)
        except EnkashError as error:
            self.notify(f"Could not check their invoices: {error}", severity="error")
            return
        owed = _owed(view.balance)
        body = (
            f"{entry.legal_name} has {owed}. Deleting the customer does not delete them: "
            "they stay in Invoices and can still be collected, but no new invoices or "
            "reminders can be made for this customer."
            if owed
            else f"{entry.legal_name} has no open invoices."
        ) + " This cannot be undone from here."

        def decided(yes: bool | None) -> None:
            if yes:
                self.delete(entry)

        self.app.push_screen(
            ConfirmModal(f"Delete {entry.legal_name}?", body, yes="Delete", no="Cancel"), decided
        )

    @work(exclusive=True, group="customer-action", exit_on_error=False)
    async def delete(self, entry: CustomerEntry) -> None:
        session = self.enkash.session
        if session is None or self.cache is None:
            return
        try:
            await session.client.delete_customer(entry.customer_id)
        except EnkashError as error:
            self.notify(f"{entry.legal_name} not deleted: {error}", severity="error")
            return
        index = self.table.cursor
        self.cache.drop(entry.customer_id)
        self.cache.save()
        self._show_matches(keep="")
        self.table.cursor = min(index, max(0, self.table.source.count() - 1))
        self.notify(f"{entry.legal_name} deleted", timeout=4)

    def action_bulk_upload(self) -> None:
        from enkash_tui.domain.bulk import CUSTOMERS_CREATE, CUSTOMERS_UPDATE
        from screens.bulk_upload import BulkUploadScreen

        def closed(uploaded: bool | None) -> None:
            if uploaded:
                self.refresh_cache()

        self.app.push_screen(BulkUploadScreen((CUSTOMERS_CREATE, CUSTOMERS_UPDATE)), closed)


def _settle_long_lived_objects() -> None:
    """Move what exists now (the cache's thousands of entries) out of the garbage collector's
    sight: its full passes over them took 50-100 ms with 5,000 customers, and a key typed during
    one was that late. They are still freed as usual when no longer referenced."""
    gc.collect()
    gc.freeze()


def _owed(balance: Balance | None) -> str:
    """ "3 open invoices (balance ₹1,20,000)", or "" when nothing is open."""
    if balance is None or not balance.open_count:
        return ""
    return f"{count(balance.open_count, 'open invoice')} (balance {inr(balance.balance)})"
