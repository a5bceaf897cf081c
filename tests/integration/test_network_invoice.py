"""A new invoice created on Bharat Connect through a one-row Bulk Create (§4.25), against a real
sandbox: it lands on the network as CREATED, version 1, in the Awaiting buyer queue; a refused row
comes back as a refusal by field; a lost reply is rechecked by the invoice's number."""

from __future__ import annotations

from typing import Any

import pytest

from enkash_tui.api import EnkashClient
from enkash_tui.api.models import InvoiceFilter
from enkash_tui.domain.bharat_connect import BY_KEY
from enkash_tui.domain.network_invoice import (
    BharatConnectInvoice,
    RowRefused,
    create_on_network,
    find_on_network,
)
from tests.support.records import Records


@pytest.fixture
async def fresh_client(start_sandbox: Any, make_client: Any) -> EnkashClient:
    client: EnkashClient = await make_client(start_sandbox().url)
    return client


def on_network(customer_id: str, **overrides: Any) -> BharatConnectInvoice:
    return BharatConnectInvoice.model_validate(
        Records.invoice(customer_id, **overrides).model_dump()
    )


async def test_it_lands_on_the_network_awaiting_the_buyer(fresh_client: EnkashClient) -> None:
    client = fresh_client
    sent = on_network(await Records.active_customer_id(client), dispatch_now=True)
    created = await create_on_network(client, sent)

    assert created.invoice_number == sent.invoice_number
    assert created.customer_id == sent.customer_id
    assert created.base_amount == sent.base_amount
    assert created.dispatched  # the row's other flags are kept
    assert created.bharat_connect is not None
    assert (created.bharat_connect.status, created.bharat_connect.object_version) == ("CREATED", 1)
    awaiting = BY_KEY["4"].filters.model_copy(update={"invoice_number": sent.invoice_number})
    listed = (await client.search_invoices(awaiting)).items
    assert [i.invoice_id for i in listed] == [created.invoice_id]

    found = await find_on_network(client, sent)  # what a lost reply's recheck finds
    assert found is not None and found.invoice_id == created.invoice_id


async def test_a_refused_row_is_refused_by_field_and_creates_nothing(
    fresh_client: EnkashClient,
) -> None:
    client = fresh_client
    customer_id = await Records.active_customer_id(client)
    other_customer = await Records.active_customer_id(client, offset=1)
    first = await client.create_invoice(Records.invoice(other_customer))  # off the network
    sent = on_network(customer_id, invoice_number=first.invoice_number)

    with pytest.raises(RowRefused) as refused:
        await create_on_network(client, sent)
    assert refused.value.errors_for("invoiceNumber") == ["is already used"]
    same_number = InvoiceFilter(invoice_number=first.invoice_number)
    assert [i.invoice_id for i in (await client.search_invoices(same_number)).items] == [
        first.invoice_id
    ]
    # After a lost reply, the one that was there already is not taken for this one.
    assert await find_on_network(client, sent) is None


async def test_a_recheck_without_a_number_cannot_tell(fresh_client: EnkashClient) -> None:
    sent = on_network(await Records.active_customer_id(fresh_client), invoice_number=None)
    assert await find_on_network(fresh_client, sent) is None
