"""The find field above a customer list, shared by Customers and Reminders: what is typed picks,
from the session's customer cache, the customers the list shows (by name, GSTIN/PAN, customer id,
phone or e-mail). Each screen says what happens around it (summary, detail, Esc)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from screens.widgets.in_place import TypingInput
from screens.widgets.lazy_table import LazyTable, ListSource

if TYPE_CHECKING:
    from enkash_tui.local.customer_cache import CustomerCache, CustomerEntry

# More matches than a person scrolls through: the rest are found by typing more.
MATCH_LIMIT = 5000


class CustomerLookup(TypingInput):
    def __init__(self, table_id: str, *, placeholder: str, id: str) -> None:
        super().__init__(placeholder=placeholder, id=id, compact=True)
        self.table_id = table_id
        self.cache: CustomerCache | None = None
        # Sorts the matches in place; None keeps the cache's order (by name).
        self.order: Callable[[list[CustomerEntry]], None] | None = None

    @property
    def table(self) -> LazyTable[CustomerEntry]:
        return self.screen.query_one(f"#{self.table_id}", LazyTable)

    def show_matches(self, keep: str | None = None) -> None:
        """List the customers matching what is typed. The cursor stays on ``keep`` (a customer
        id; None: the current customer, "": none) when it is still listed."""
        if self.cache is None:
            return
        found = self.cache.find(self.value, limit=MATCH_LIMIT)
        if self.order is not None:
            self.order(found)
        table = self.table
        if keep is None:
            keep = table.current.customer_id if table.current else ""
        source: ListSource[CustomerEntry] = ListSource(found)
        table.set_source(source)
        index = next((i for i, e in enumerate(found) if keep and e.customer_id == keep), None)
        if index is not None:
            table.cursor = index

    def clear(self) -> None:
        self.value = ""
        self.focus()
