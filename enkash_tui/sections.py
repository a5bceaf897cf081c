"""The app's sections: their mode names, keys and one-line purpose, in one table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    mode: str
    title: str
    key: str
    purpose: str


SECTIONS: tuple[Section, ...] = (
    Section(
        "home",
        "Home",
        "f2",
        "Your worklist: what to chase today, aging at a glance, and the log of what you did.",
    ),
    Section(
        "customers",
        "Customers",
        "f3",
        "Find any customer in a second; edit contacts, "
        "bank details and reminder rules; activate, deactivate, bulk upload.",
    ),
    Section(
        "invoices",
        "Invoices",
        "f4",
        "Search and triage invoices: filter, sort, mark "
        "many, dispatch payment links, edit, export, bulk upload.",
    ),
    Section(
        "reminders",
        "Reminders",
        "f5",
        "See and edit when each customer gets chased, and what goes out next.",
    ),
    Section(
        "bharat_connect",
        "Bharat Connect",
        "f6",
        "Work queues for invoices on Bharat "
        "Connect 2.0: confirm or reject reported payments, move invoice status.",
    ),
)

BY_MODE = {section.mode: section for section in SECTIONS}
