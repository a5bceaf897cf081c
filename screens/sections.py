"""The app's sections in one table (mode name, key, purpose, and the screen that shows it), and
the places one section can send the user to in another (``Host.open_section``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from enkash_tui.domain.invoices import InvoiceQuery


@dataclass(frozen=True)
class Section:
    mode: str
    title: str
    key: str
    purpose: str
    # "module:Class", imported on the section's first visit: keeps the models and big widgets
    # off the start-up path.
    screen: str
    short: str = ""  # in the section bar when the full titles do not fit

    def __post_init__(self) -> None:
        if not self.short:
            object.__setattr__(self, "short", self.title)


SECTIONS: tuple[Section, ...] = (
    Section(
        "home",
        "Home",
        "f2",
        "Your worklist: what to chase today, aging at a glance, and the log of what you did.",
        "screens.home.screen:HomeScreen",
    ),
    Section(
        "customers",
        "Customers",
        "f3",
        "Find any customer in a second; edit contacts, "
        "bank details and reminder rules; activate, deactivate, bulk upload.",
        "screens.customers.screen:CustomersScreen",
    ),
    Section(
        "invoices",
        "Invoices",
        "f4",
        "Search and triage invoices: filter, sort, mark "
        "many, dispatch payment links, edit, export, bulk upload.",
        "screens.invoices.screen:InvoicesScreen",
    ),
    Section(
        "reminders",
        "Reminders",
        "f5",
        "See and edit when each customer gets chased, and what goes out next.",
        "screens.reminders.screen:RemindersScreen",
    ),
    Section(
        "bharat_connect",
        "Bharat Connect",
        "f6",
        "Work queues for invoices on Bharat "
        "Connect 2.0: confirm or reject reported payments, move invoice status.",
        "screens.bharat_connect.screen:BharatConnectScreen",
        short="BC",
    ),
)

BY_MODE = {section.mode: section for section in SECTIONS}


# -- places: a section opened at a record -------------------------------------------------------


@dataclass(frozen=True)
class InvoiceSearch:
    """Invoices, showing this search."""

    query: InvoiceQuery
    mode: ClassVar[str] = "invoices"


@dataclass(frozen=True)
class CustomerRules:
    """Reminders, on this customer's rules."""

    customer_id: str
    mode: ClassVar[str] = "reminders"


@dataclass(frozen=True)
class NetworkQueue:
    """Bharat Connect, on this queue (a key of ``domain.bharat_connect.BY_KEY``)."""

    key: str
    mode: ClassVar[str] = "bharat_connect"


Place = InvoiceSearch | CustomerRules | NetworkQueue
