"""Ctrl+P (or ``:``) finds invoices and customers on EnKash beside the app's commands.

A command-palette provider (``EnkashApp.COMMANDS``): each text of three characters or more asks
EnKash once it has settled (a key typed meanwhile cancels the search before anything is sent).
What to ask is the domain's (``domain/find.py``). Choosing an invoice opens the full invoice;
choosing a customer opens their card; either over the screen the palette was opened on.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

from rich.text import Text
from textual.command import CommandInput, CommandPalette, Hit, Hits, Provider

from enkash_tui.api.models import Customer, Invoice
from enkash_tui.domain.find import (
    Found,
    customer_line,
    exact,
    find,
    find_plan,
    invoice_line,
    nothing_line,
)
from screens.customer_card import CustomerCard
from screens.host import host
from screens.invoices.windows import InvoiceDetailScreen

PLACEHOLDER = "Find an invoice no., a customer (name, GSTIN, phone) or a command…"
SETTLE_SECONDS = 0.3  # typing pauses this long before EnKash is asked
MATCH_STYLE = "bold underline"

# The app's commands score by fuzzy match, 1 or more when they match at all: a command the text
# spells ("inv": Go to Invoices) comes before what EnKash found, except what the text names
# whole (an invoice number, a customer's name or GSTIN/PAN), which comes first. Within a kind,
# EnKash's order is kept.
EXACT_SCORE = 1000.0
FOUND_SCORE = 0.9
NOTHING_SCORE = 0.0


def _shown(line: str, typed: str) -> Text:
    """A hit as plain text (EnKash's text is never markup), the typed text underlined."""
    text = Text(line)
    text.highlight_regex(re.compile(re.escape(typed), re.IGNORECASE), MATCH_STYLE)
    return text


class FindProvider(Provider):
    """Invoices by number, customers by name, GSTIN/PAN or phone: nothing before signing in."""

    async def startup(self) -> None:
        # The palette is up when its providers start: say what it finds now.
        palette = self.app.screen
        if isinstance(palette, CommandPalette) and host(palette).session is not None:
            palette.query_one(CommandInput).placeholder = PLACEHOLDER

    async def search(self, query: str) -> Hits:
        session = host(self.screen).session
        plan = find_plan(query)
        if session is None or plan is None:
            return
        # Cancelled here when the next key arrives: a superseded text never reaches EnKash.
        await asyncio.sleep(SETTLE_SECONDS)
        found = await find(session.client, plan)
        if found.expired is not None:  # as anywhere else: the sign-in is asked for again
            self.app.call_later(host(self.screen).report_error, found.expired)
        for hit in self.hits(found):
            yield hit

    def hits(self, found: Found) -> list[Hit]:
        typed = found.plan.text
        hits: list[Hit] = []
        for rank, customer in enumerate(found.customers):
            line = customer_line(customer, found.plan)
            score = EXACT_SCORE if exact(found.plan, customer) else FOUND_SCORE - rank / 100
            hits.append(Hit(score, _shown(line, typed), self._card(customer), line))
        for rank, invoice in enumerate(found.invoices):
            line = invoice_line(invoice)
            score = EXACT_SCORE if exact(found.plan, invoice) else FOUND_SCORE - 0.05 - rank / 100
            hits.append(Hit(score, _shown(line, typed), self._invoice(invoice), line))
        if found.problem:
            hits.append(Hit(NOTHING_SCORE, Text(found.problem), _nothing, found.problem))
        elif not hits:
            line = nothing_line(found.plan)
            hits.append(Hit(NOTHING_SCORE, Text(line), _nothing, line, None))
        return hits

    def _invoice(self, invoice: Invoice) -> Callable[[], None]:
        def open_invoice() -> None:
            self.app.push_screen(InvoiceDetailScreen(invoice))

        return open_invoice

    def _card(self, customer: Customer) -> Callable[[], None]:
        def open_card() -> None:
            name = customer.legal_name or customer.customer_id
            self.app.push_screen(CustomerCard(customer.customer_id, name))

        return open_card


def _nothing() -> None:
    """Choosing the "nothing found" line only closes the palette."""
