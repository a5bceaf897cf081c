"""Which invoices the follow-up book marks, as the Invoices list shows and filters them: an open
promise to pay (P), an open dispute (D), a follow-up whose date has come (F).

Only entries on an invoice mark it: a customer's own note, promise or dispute is about the
customer, not about any one of its invoices. EnKash knows nothing of the book, so a filter on it
is a list of invoice ids (``invoice_filter.book_selection``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from enkash_tui.domain.followups import Entry, follow_up_due

BookChoice = Literal["promised", "disputed", "follow_up_due"]
# The marker letter of each, in the order the list's column shows them.
MARKERS: dict[BookChoice, str] = {"promised": "P", "disputed": "D", "follow_up_due": "F"}


def _invoice_ids(entries: Iterable[Entry]) -> tuple[str, ...]:
    """The invoices ``entries`` are on, each once, in the book's order (newest first)."""
    return tuple(dict.fromkeys(e.subject.id for e in entries if e.subject.kind == "invoice"))


@dataclass(frozen=True)
class BookMarks:
    """The invoices with an open promise, an open dispute, a follow-up due; each tuple newest
    entry first (so that a list cut to what a search carries keeps the latest)."""

    promised: tuple[str, ...] = ()
    disputed: tuple[str, ...] = ()
    follow_up_due: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        promises: Iterable[Entry],
        disputes: Iterable[Entry],
        follow_ups: Iterable[Entry],
        today: dt.date,
    ) -> BookMarks:
        """From the book's open entries of each kind (``Worklog.open_entries``)."""
        return cls(
            promised=_invoice_ids(e for e in promises if e.kind == "promise" and e.is_open),
            disputed=_invoice_ids(e for e in disputes if e.kind == "dispute" and e.is_open),
            follow_up_due=_invoice_ids(e for e in follow_ups if follow_up_due(e, today)),
        )

    @classmethod
    def of_open(cls, entries: Iterable[Entry], today: dt.date) -> BookMarks:
        """From the book's open promises, disputes and follow-ups (``Worklog.open_followups``)."""
        kept = list(entries)
        return cls.of(kept, kept, kept, today)

    def ids(self, choice: BookChoice) -> tuple[str, ...]:
        return getattr(self, choice)  # type: ignore[no-any-return]

    @cached_property
    def _sets(self) -> dict[BookChoice, frozenset[str]]:
        return {choice: frozenset(self.ids(choice)) for choice in MARKERS}

    def marker(self, invoice_id: str) -> str:
        """ "PD", "F", "" …: the letters of what the book has open on the invoice."""
        sets = self._sets
        return "".join(letter for choice, letter in MARKERS.items() if invoice_id in sets[choice])

    def has(self, choice: BookChoice, invoice_id: str) -> bool:
        return invoice_id in self._sets[choice]
