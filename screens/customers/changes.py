"""Changing customers from the Customers list: new, edit, (de)activate, delete and bulk upload,
each confirmed where it matters and followed by the cached list. ``CustomersScreen`` builds on
this; the list, its lookup and the detail stay there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from enkash_tui.api import EnkashError
from enkash_tui.api.models import Customer, CustomerFilter
from enkash_tui.domain.formatting import count, inr
from enkash_tui.domain.open_book import Balance
from enkash_tui.local.customer_cache import CustomerCache, CustomerEntry
from screens.base import SectionScreen
from screens.customer_card import load_customer_view
from screens.customers.form import CustomerForm
from screens.modals import ConfirmModal
from screens.widgets.lazy_table import LazyTable


class CustomerChanges(SectionScreen):
    """What changes a customer; the list it acts on is the subclass's."""

    cache: CustomerCache | None = None

    if TYPE_CHECKING:  # given by CustomersScreen

        @property
        def table(self) -> LazyTable[CustomerEntry]: ...

        def _show_matches(self, keep: str | None = None) -> None: ...

        def _balance_of(self, customer_id: str) -> Balance | None: ...

        def refresh_cache(self) -> object: ...

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
        owed = owed_words(balance)
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
        owed = owed_words(view.balance)
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
        self._show_matches()
        self.table.cursor = min(index, max(0, self.table.source.count() - 1))
        self.notify(f"{entry.legal_name} deleted", timeout=4)

    def action_bulk_upload(self) -> None:
        from enkash_tui.domain.bulk import CUSTOMERS_CREATE, CUSTOMERS_UPDATE
        from screens.bulk_upload import BulkUploadScreen

        def closed(uploaded: bool | None) -> None:
            if uploaded:
                self.refresh_cache()

        self.app.push_screen(BulkUploadScreen((CUSTOMERS_CREATE, CUSTOMERS_UPDATE)), closed)


def owed_words(balance: Balance | None) -> str:
    """ "3 open invoices (balance ₹1,20,000)", or "" when nothing is open."""
    if balance is None or not balance.open_count:
        return ""
    return f"{count(balance.open_count, 'open invoice')} (balance {inr(balance.balance)})"
