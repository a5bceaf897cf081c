"""Reminders: when each customer gets chased, and changing it.

On the left, the customers (the same instant lookup as the Customers section, with how many
rules each has); on the right, the rules of the customer under the cursor, read from EnKash
(getCustomerReminders) with who would receive them. ``a`` shows every customer's rules at once.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from enkash_tui import clock
from enkash_tui.api import EnkashError
from enkash_tui.api.models import KeyContact, Reminder
from enkash_tui.domain.formatting import count
from enkash_tui.domain.reminders import nobody_reached, recipients
from enkash_tui.local.customer_cache import CustomerCache, CustomerEntry
from enkash_tui.local.export_jobs import rules_export
from screens.export import ExportScreen
from screens.reminders.bulk import BulkRules
from screens.reminders.changes import RuleChanges
from screens.reminders.rule_list import ALL_RULE_COLUMNS, RULE_COLUMNS, RuleItem, rule_key
from screens.sections import CustomerRules, Place, Section
from screens.widgets.customer_lookup import CustomerLookup
from screens.widgets.lazy_table import Column, LazyTable, ListSource

DETAIL_DELAY = 0.15
T = TypeVar("T")


class RemindersScreen(RuleChanges):
    BINDINGS = [
        Binding("slash", "focus_lookup", "Find", id="reminders.find"),
        Binding("n", "new", "New rule", id="reminders.new"),
        Binding("e", "edit", "Edit", id="reminders.edit"),
        Binding("d", "delete", "Delete", id="reminders.delete"),
        Binding("p", "preview", "Preview", id="reminders.preview"),
        Binding("a", "toggle_all", "All / one", id="reminders.all"),
        Binding("space", "mark", "Mark", id="reminders.mark"),
        Binding("asterisk", "mark_all", "Mark all", show=False, id="reminders.mark_all"),
        Binding("u", "unmark", "Unmark all", show=False, id="reminders.unmark"),
        Binding("B", "bulk", "Apply to marked", id="reminders.bulk"),
        Binding("r", "reload", "Reload", id="reminders.reload"),
        Binding("E", "export", "Export CSV", show=False, id="reminders.export"),
        Binding("down", "to_list", "List", show=False, id="reminders.to_list"),
        Binding("escape", "clear_lookup", "Clear", show=False, id="reminders.clear"),
    ]
    MUTATING_ACTIONS = frozenset({"new", "edit", "delete", "bulk"})

    def __init__(self, section: Section) -> None:
        super().__init__(section)
        self.cache: CustomerCache | None = None
        # Every customer's rules, from walking the customer search (None until walked).
        self.all_rules: dict[str, list[Reminder]] | None = None
        self.walking = ""
        self.showing_all = False
        self.shown_for: str | None = None  # the customer whose rules the right side shows
        self.contacts: list[KeyContact] = []
        self._timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        yield CustomerLookup(
            "reminder-customers",
            placeholder="find a customer: name, GSTIN/PAN, id, phone or e-mail · ↓ to the list",
            id="reminder-lookup",
        )
        yield Static(id="reminders-summary", markup=False)
        with Horizontal(id="reminders-body"):
            yield LazyTable(self._customer_columns(), key=_customer_key, id="reminder-customers")
            with Vertical(id="reminder-side"):
                yield Static(id="rules-title", markup=False)
                yield LazyTable(RULE_COLUMNS, key=rule_key, id="rules")
                yield Static(id="rules-note", markup=False)

    def _customer_columns(self) -> list[Column[CustomerEntry]]:
        def rules_of(entry: CustomerEntry) -> Text:
            if self.all_rules is None:
                return Text("…", style="dim")
            found = len(self.all_rules.get(entry.customer_id, []))
            return Text(str(found) if found else "–", style="" if found else "dim")

        return [
            Column("name", "Customer", 20, lambda e: e.legal_name, priority=0, grow=True),
            Column("rules", "Rules", 5, rules_of, align="right", priority=0),
        ]

    @property
    def customers(self) -> LazyTable[CustomerEntry]:
        return self.query_one("#reminder-customers", LazyTable)

    @property
    def lookup(self) -> CustomerLookup:
        return self.query_one("#reminder-lookup", CustomerLookup)

    @property
    def rules(self) -> LazyTable[RuleItem]:
        return self.query_one("#rules", LazyTable)

    def on_mount(self) -> None:
        session = self.enkash.session
        if session is None:
            return
        self.cache = self.lookup.cache = session.customers()
        self.lookup.follow = lambda _typed: self._show_customers()  # in the key's own frame
        self._show_customers()
        self.lookup.focus()
        if not self.cache.entries:
            self.fill_cache()
        self.walk_rules()

    # -- customers ---------------------------------------------------------------------------

    def _show_customers(self) -> None:
        if self.cache is None:
            return
        self.lookup.show_matches(keep="")
        self._show_summary()
        self._schedule_rules()

    @on(Input.Submitted, "#reminder-lookup")
    def action_to_list(self) -> None:
        (self.rules if self.showing_all else self.customers).focus()

    def action_focus_lookup(self) -> None:
        self.lookup.focus()

    def action_clear_lookup(self) -> None:
        self.lookup.clear()

    def show(self, place: Place) -> None:
        if isinstance(place, CustomerRules):
            self.select_customer(place.customer_id)

    def select_customer(self, customer_id: str) -> None:
        """Show this customer (the Customers section's ``m``)."""
        if self.showing_all:
            self.action_toggle_all()
        self.lookup.value = customer_id
        self._show_customers()
        self.customers.focus()

    def _show_summary(self) -> None:
        text = Text(" ")
        if self.cache is not None:
            shown, everyone = self.customers.source.count(), len(self.cache.entries)
            text.append(f"{shown:,} of {everyone:,} customers", style="bold")
        if self.all_rules is not None:
            rules = sum(len(r) for r in self.all_rules.values())
            text.append(f" · {count(rules, 'rule')} in all", style="dim")
        if self.customers.marks:
            text.append(f" · {len(self.customers.marks)} marked", style="bold yellow")
        if self.walking:
            text.append(f" · {self.walking}…", style="dim")
        self.query_one("#reminders-summary", Static).update(text, layout=False)

    @work(exclusive=True, group="reminder-cache", exit_on_error=False)
    async def fill_cache(self) -> None:
        """First visit on this machine: fetch the customer list for the lookup."""
        session, cache = self.enkash.session, self.cache
        if session is None or cache is None:
            return
        try:
            await cache.refresh(session.client)
        except EnkashError as error:
            self.notify(f"Customers not loaded: {error}", severity="error")
        self._show_customers()

    @work(exclusive=True, group="reminder-walk", exit_on_error=False)
    async def walk_rules(self) -> None:
        """Every customer's rules, from the customer search (50 customers a page)."""
        session = self.enkash.session
        if session is None:
            return
        found: dict[str, list[Reminder]] = {}
        self.walking = "reading every customer's rules"
        self._show_summary()
        try:
            async for customer in session.client.iter_customers():
                if customer.customer_reminders:
                    found[customer.customer_id] = list(customer.customer_reminders)
        except EnkashError as error:
            self.notify(f"Not every customer's rules could be read: {error}", severity="error")
            return
        finally:
            self.walking = ""
        self.all_rules = found
        self.customers.refresh()
        self._show_summary()
        if self.showing_all:
            self._show_all()

    # -- one customer's rules ----------------------------------------------------------------

    @on(LazyTable.CursorMoved, "#reminder-customers")
    def _moved(self) -> None:
        self._schedule_rules()

    def _schedule_rules(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DETAIL_DELAY, self._load_current)

    def _load_current(self) -> None:
        entry = self.customers.current
        if entry is None:
            self.shown_for = None
            self.rules.set_source(ListSource[RuleItem]([]))
            self.query_one("#rules-title", Static).update(Text("No customer matches", "dim"))
            self.query_one("#rules-note", Static).update("")
        elif not self.showing_all:
            self.load_rules(entry)

    @work(exclusive=True, group="reminder-rules", exit_on_error=False)
    async def load_rules(self, entry: CustomerEntry, keep_cursor: bool = False) -> None:
        session = self.enkash.session
        if session is None:
            return
        title = self.query_one("#rules-title", Static)
        title.update(Text(f"{entry.legal_name}: loading…", style="dim"))
        try:
            rules = await session.client.list_reminders(entry.customer_id)
            self.contacts = await session.client.get_customer_contacts(entry.customer_id)
        except EnkashError as error:
            title.update(Text(f"{entry.legal_name}: not loaded: {error}", style="red"))
            return
        if self.all_rules is not None:
            self.all_rules[entry.customer_id] = rules
            self.customers.refresh()
        if self.showing_all:
            return
        self.shown_for = entry.customer_id
        items = [RuleItem(entry.customer_id, entry.legal_name, rule) for rule in rules]
        self.rules.set_source(ListSource[RuleItem](items), keep_cursor=keep_cursor)
        title.update(Text(f"{entry.legal_name}: {count(len(rules), 'rule')}", style="bold"))
        self.query_one("#rules-note", Static).update(self._who_hears(rules))

    def _who_hears(self, rules: list[Reminder]) -> Text:
        if not rules:
            return Text("No rules: this customer is never reminded. n adds one.", style="yellow")
        if nobody_reached(self.contacts):
            return Text(
                "These rules reach nobody: no key contact has a channel switched on. "
                "Fix the contacts in Customers (e).",
                style="bold red",
            )
        reached = [r for r in recipients(self.contacts) if r.channels]
        names = ", ".join(f"{r.name} ({', '.join(r.channels)})" for r in reached)
        return Text(f"Reaches {names}", style="dim")

    # -- every customer's rules --------------------------------------------------------------

    def action_toggle_all(self) -> None:
        self.showing_all = not self.showing_all
        self.query_one("#reminder-customers").display = not self.showing_all
        self.rules.set_columns(ALL_RULE_COLUMNS if self.showing_all else RULE_COLUMNS)
        self.rules.focus() if self.showing_all else self.customers.focus()
        if self.showing_all:
            self._show_all()
        else:
            self._load_current()

    def _show_all(self) -> None:
        title = self.query_one("#rules-title", Static)
        self.query_one("#rules-note", Static).update("")
        if self.all_rules is None or self.cache is None:
            title.update(Text("Every customer's rules: still reading them…", style="dim"))
            self.rules.set_source(ListSource[RuleItem]([]))
            return
        names = {e.customer_id: e.legal_name for e in self.cache.entries}

        def name(customer_id: str) -> str:
            return names.get(customer_id) or customer_id

        items = [
            RuleItem(customer_id, name(customer_id), rule)
            for customer_id in sorted(self.all_rules, key=lambda c: name(c).lower())
            for rule in self.all_rules[customer_id]
        ]
        self.rules.set_source(ListSource[RuleItem](items))
        with_rules = sum(1 for rules in self.all_rules.values() if rules)
        title.update(
            Text(
                f"Every customer's rules: {count(len(items), 'rule')} for "
                f"{count(with_rules, 'customer')} · a back to one customer",
                style="bold",
            )
        )

    # -- marks and bulk ----------------------------------------------------------------------

    def action_mark(self) -> None:
        entry = self.customers.current
        if entry is None or self.showing_all:
            return
        self.customers.toggle_mark()
        self._show_summary()

    def action_mark_all(self) -> None:
        self.customers.marks.set_many(_items(self.customers), True)
        self._show_summary()

    def action_unmark(self) -> None:
        self.customers.marks.clear()
        self._show_summary()

    def action_bulk(self) -> None:
        chosen = self.customers.targets()
        if not chosen:
            self.notify("Mark customers first (space)", severity="warning")
            return

        def closed(changed: bool | None) -> None:
            if changed:
                self.action_unmark()
                self.walk_rules()
                self._load_current()

        self.app.push_screen(BulkRules(chosen, self.all_rules), closed)

    def action_export(self) -> None:
        """The rules of the customers listed, read afresh, a row a rule and one for each customer
        with none, to a CSV file; with ``a``, every rule there is."""
        typed = "" if self.showing_all else self.lookup.value
        job = rules_export(typed, clock.today(), only_with_rules=self.showing_all)
        self.app.push_screen(ExportScreen(job))

    def action_reload(self) -> None:
        self.walk_rules()
        self._load_current()


def _customer_key(entry: CustomerEntry) -> Hashable:
    return entry.customer_id


def _items(table: LazyTable[T]) -> list[T]:
    """Every row the table lists."""
    source = table.source
    return [row for row in (source.row(i) for i in range(source.count())) if row is not None]
