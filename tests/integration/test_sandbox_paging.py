"""Pages in the back half of a result are read from its end (OFFSET walks every row it skips):
they hold exactly the rows the same page read from the front holds, for every sort the sandbox
knows, both ways, NULLs included (``dispatchedOn`` is empty on undispatched invoices), however
the pages fall against the end."""

from __future__ import annotations

import pytest

from enkash_tui.api import EnkashClient
from enkash_tui.api.models import InvoiceFilter, SortDirection
from enkash_tui.sandbox.routes.invoice_search import INVOICE_SORTS


async def ids(
    client: EnkashClient, order_by: str, direction: SortDirection, offset: int, limit: int
) -> list[str]:
    page = await client.search_invoices(
        InvoiceFilter(), offset=offset, limit=limit, order_by=order_by, direction=direction
    )
    return [invoice.invoice_id for invoice in page.items]


@pytest.mark.parametrize("order_by", sorted(INVOICE_SORTS))
@pytest.mark.parametrize("direction", [SortDirection.ASC, SortDirection.DESC])
async def test_pages_from_the_back_hold_the_rows_read_from_the_front(
    client: EnkashClient, order_by: str, direction: SortDirection
) -> None:
    total = (await client.search_invoices(InvoiceFilter(), limit=1)).total
    assert total is not None and total > 100
    everything = await ids(client, order_by, direction, 0, 5000)  # one page: read from the front
    assert len(everything) == total
    for offset, limit in ((total // 2 + 1, 37), (total - 100, 100), (total - 30, 100), (total, 10)):
        assert (
            await ids(client, order_by, direction, offset, limit)
            == everything[offset : offset + limit]
        ), (offset, limit)
