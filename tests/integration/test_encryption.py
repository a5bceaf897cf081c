"""AES payload encryption (§2): an encrypting sandbox and an encrypting client agree."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from enkash_tui.api import ApiError, ErrorType
from enkash_tui.api.crypto import decrypt
from enkash_tui.api.models import CustomerFilter, CustomerUpdate, InvoiceFilter, InvoiceUpdate
from enkash_tui.sandbox.server import DEMO
from tests.support.records import Records


def _ciphertext(raw: bytes) -> str:
    body = json.loads(raw)
    assert isinstance(body, dict) and list(body) == ["request"], body
    assert isinstance(body["request"], str)
    return body["request"]


async def test_encrypted_round_trip(start_sandbox, make_client, wire) -> None:
    sandbox = start_sandbox(encrypt=True)
    client = await make_client(sandbox.url, encrypt_payloads=True, transport=wire)
    customer_id = await Records.active_customer_id(client)
    new = Records.invoice(customer_id, base_amount=Decimal("4321.10"), po_number="PO-SECRET")

    created = await client.create_invoice(new)
    found = await client.search_invoices(InvoiceFilter(invoice_ids=[created.invoice_id]))
    updated = await client.update_invoice(
        created.invoice_id, InvoiceUpdate(po_number=None, total_received=Decimal("21.10"))
    )
    fetched = await client.get_invoice(created.invoice_id)
    customer = await client.update_customer(customer_id, CustomerUpdate(assigned_agent="Agent X"))
    (listed,) = (await client.search_customers(CustomerFilter(customer_ids=[customer_id]))).items

    assert created.invoice_number == new.invoice_number
    assert created.net_amount == Decimal("4321.10")
    assert [i.invoice_id for i in found.items] == [created.invoice_id]
    assert found.total == 1
    assert updated.po_number is None
    assert updated.balance_amount == Decimal("4300.00")
    assert fetched == updated
    assert customer.assigned_agent == listed.assigned_agent == "Agent X"

    # On the wire: every JSON body, both ways, is the {"request": <base64>} wrapper.
    api = wire.api
    assert len(api) == 7
    for exchange in api:
        assert exchange.status == 200
        reply = json.loads(decrypt(_ciphertext(exchange.response_body), DEMO.client_secret))
        assert reply["response_code"] == 0
        assert b"response_code" not in exchange.response_body
        if exchange.request_body:
            sent = json.loads(decrypt(_ciphertext(exchange.request_body), DEMO.client_secret))
            assert isinstance(sent, dict)
    assert new.invoice_number.encode() not in b"".join(e.request_body for e in api)
    assert b"PO-SECRET" not in b"".join(e.response_body for e in api)
    # The token call is never encrypted.
    token = next(e for e in wire.log if e.path == "/oauth/token")
    assert "access_token" in json.loads(token.response_body)


async def test_encrypted_errors_are_readable(start_sandbox, make_client) -> None:
    sandbox = start_sandbox(encrypt=True)
    client = await make_client(sandbox.url, encrypt_payloads=True)

    with pytest.raises(ApiError) as missing:
        await client.get_invoice("KI00000000000000")
    assert missing.value.error_type == ErrorType.RECORD_NOT_FOUND
    assert missing.value.request_id

    with pytest.raises(ApiError) as invalid:
        await client.search_invoices(order_by="nope")
    assert invalid.value.error_type == ErrorType.VALIDATION_ERROR
    assert invalid.value.errors_for("orderBy")


async def test_plain_client_against_encrypting_sandbox(start_sandbox, make_client) -> None:
    sandbox = start_sandbox(encrypt=True)
    client = await make_client(sandbox.url)  # encryption off

    with pytest.raises(ApiError) as refused:
        await client.search_invoices(InvoiceFilter(dispatched=True))

    assert refused.value.status_code == 422
    assert refused.value.error_type == ErrorType.UNPROCESSABLE_REQUEST
    assert "Invalid encrypted request" in refused.value.message
    assert refused.value.request_id


async def test_encrypting_client_against_plain_sandbox_still_signs_in(
    start_sandbox, make_client
) -> None:
    """The token call is never encrypted, whatever the client's setting."""
    sandbox = start_sandbox(encrypt=False)
    plain = await make_client(sandbox.url)
    customer_id = (await plain.search_customers(limit=1)).items[0].customer_id

    client = await make_client(sandbox.url, encrypt_payloads=True)

    assert client.signed_in
    # A body-less GET needs no encryption either way; the plain envelope is read as is.
    assert await client.get_customer_contacts(customer_id) == await plain.get_customer_contacts(
        customer_id
    )


async def test_bulk_upload_in_encrypted_mode(start_sandbox, make_client, wire) -> None:
    """Multipart uploads travel as they are; the reply is encrypted and read back."""
    sandbox = start_sandbox(encrypt=True)
    client = await make_client(sandbox.url, encrypt_payloads=True, transport=wire)
    customer_id = await Records.active_customer_id(client)
    number = Records.invoice(customer_id).invoice_number
    due = Records.invoice(customer_id).due_date.isoformat()
    file = f"customerId,invoiceNumber,dueDate,baseAmount\n{customer_id},{number},{due},99.5\n"

    result = await client.bulk_create_invoices(file.encode(), filename="invoices.csv")

    assert (result.success_count, result.failure_count) == (1, 0)
    upload = wire.api[-1]
    assert number.encode() in upload.request_body  # the file itself is not encrypted
    assert list(json.loads(upload.response_body)) == ["request"]
    (created,) = (await client.search_invoices(InvoiceFilter(invoice_number=number))).items
    assert created.net_amount == Decimal("99.5")
