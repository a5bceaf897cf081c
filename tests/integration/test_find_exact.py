"""Ctrl+P's search (``domain.find``) against a real sandbox: the record the text names whole comes
first even when EnKash lists longer matches before it."""

from __future__ import annotations

from enkash_tui.api import EnkashClient
from enkash_tui.domain.find import FIND_LIMIT, find, find_plan
from tests.support.records import Records, unique


async def test_a_whole_short_number_is_found_first_among_longer_ones(
    client: EnkashClient,
) -> None:
    customer_id = await Records.active_customer_id(client)
    stem = unique("FX")
    # The short number, then ten longer ones holding it, which EnKash lists before it.
    await client.create_invoice(Records.invoice(customer_id, invoice_number=stem))
    for n in range(10):
        await client.create_invoice(Records.invoice(customer_id, invoice_number=f"{stem}{n}"))
    plan = find_plan(stem)
    assert plan is not None
    first = await client.search_invoices(plan.invoices, limit=FIND_LIMIT)
    assert stem not in [i.invoice_number for i in first.items]  # not in EnKash's first five
    found = await find(client, plan)
    assert len(found.invoices) == FIND_LIMIT
    assert found.invoices[0].invoice_number == stem
