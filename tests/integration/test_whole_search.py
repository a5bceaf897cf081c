"""Reading every invoice of a search to act on at once (``domain.batches.every_invoice``), the
way ``*`` marks a whole search, against a real sandbox."""

from __future__ import annotations

import datetime as dt

import pytest

from enkash_tui.api import EnkashClient
from enkash_tui.domain.batches import TooManyForOneBatch, every_invoice
from enkash_tui.domain.invoices import BY_KEY

ALL = BY_KEY["7"].build(dt.date(2026, 11, 25))


async def test_every_invoice_reads_all_pages_in_the_searchs_order(client: EnkashClient) -> None:
    expected = [
        i.invoice_id
        async for i in client.iter_invoices(
            ALL.filters, order_by=ALL.order_by, direction=ALL.direction
        )
    ]
    seen: list[tuple[int, int]] = []
    found = await every_invoice(
        client, ALL, lambda read, total: seen.append((read, total)), page_size=7
    )
    assert [i.invoice_id for i in found] == expected
    total = len(expected)
    assert len(seen) == -(-total // 7)  # one report a page
    assert seen[-1] == (total, total)
    assert [read for read, _ in seen] == sorted(read for read, _ in seen)


async def test_more_than_a_batch_is_refused_after_the_first_page(client: EnkashClient) -> None:
    seen: list[tuple[int, int]] = []
    first = await client.search_invoices(ALL.filters, limit=1)
    assert first.total is not None and first.total > 10
    with pytest.raises(TooManyForOneBatch) as refused:
        await every_invoice(client, ALL, lambda *progress: seen.append(progress), limit=10)
    assert refused.value.total == first.total
    assert f"{first.total:,} invoices are more than one batch may carry" in str(refused.value)
    assert seen == []  # nothing was taken as read
