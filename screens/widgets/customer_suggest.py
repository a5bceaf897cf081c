"""Completing a customer as it is typed, from the server's customer search."""

from __future__ import annotations

from pydantic import ValidationError
from textual.suggester import Suggester

from enkash_tui.api import EnkashError
from enkash_tui.api.models import CustomerFilter
from enkash_tui.domain.customers import CUSTOMER_ID
from screens.host import Host


class CustomerSuggester(Suggester):
    """Suggests the first customer whose name starts with what was typed.

    ``with_id`` completes to "name — KC…" (active customers only), so a form gets the id along
    with the name; otherwise just the name, as a search filter wants it.
    """

    def __init__(self, app: Host, *, with_id: bool = False) -> None:
        super().__init__(use_cache=True, case_sensitive=False)
        self._app = app
        self._with_id = with_id

    async def get_suggestion(self, value: str) -> str | None:
        session = self._app.session
        if session is None or len(value) < 2 or (self._with_id and CUSTOMER_ID.search(value)):
            return None
        try:
            page = await session.client.search_customers(CustomerFilter(legal_name=value), limit=10)
        except (EnkashError, ValidationError):
            return None  # completion is a convenience; the save or search reports errors
        for customer in page.items:
            name = customer.legal_name or ""
            if not name.lower().startswith(value.lower()):
                continue
            if not self._with_id:
                return name
            if customer.is_active:
                return f"{name} — {customer.customer_id}"
        return None
