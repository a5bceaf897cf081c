"""Bharat Connect 2.0: payment confirmation and invoice status changes.

Only seeded invoices are on Bharat Connect, so the tests that change them run on a fresh
sandbox each; the ones on the shared sandbox use invoices they raised themselves.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from pydantic import ValidationError

from enkash_tui.api import EnkashClient
from enkash_tui.api.models import (
    BharatConnectStatus,
    Invoice,
    InvoiceFilter,
    InvoiceStatusChange,
    PaymentConfirmation,
    PaymentType,
    ReceivableStatus,
    SupplierResponse,
)


def _payment_id() -> str:
    return "PMT" + uuid.uuid4().hex  # PMT + 32 alphanumerics, as on the network


async def _on_network(client: EnkashClient, *statuses: BharatConnectStatus) -> list[Invoice]:
    page = await client.search_invoices(
        InvoiceFilter(bharat_connect_statuses=list(statuses)), limit=5000
    )
    return page.items


async def _open_on_network(client: EnkashClient) -> Invoice:
    for invoice in await _on_network(
        client, BharatConnectStatus.CREATED, BharatConnectStatus.ACCEPTED
    ):
        if invoice.balance_amount:
            return invoice
    raise AssertionError("no open invoice on Bharat Connect in the seeded data")


@pytest.fixture
async def bc_client(start_sandbox, make_client) -> EnkashClient:
    return await make_client(start_sandbox().url)


async def test_accepting_a_payment_marks_the_invoice_paid(bc_client: EnkashClient) -> None:
    invoice = await _open_on_network(bc_client)
    assert invoice.bharat_connect is not None
    reported = invoice.bharat_connect.reported_payment
    payment_id = reported.payment_id if reported else _payment_id()

    result = await bc_client.confirm_payment(
        PaymentConfirmation(
            invoice_ids=[invoice.invoice_id],
            payment_id=payment_id,
            remarks="Received in bank",
            response=SupplierResponse.ACCEPT,
            type=PaymentType.OFFPLATFORM,
        )
    )

    assert [o.invoice_id for o in result.success_invoices] == [invoice.invoice_id]
    assert result.all_succeeded
    paid = await bc_client.get_invoice(invoice.invoice_id)
    assert paid.balance_amount == 0
    assert paid.total_received == invoice.net_amount
    assert paid.receivable_status is not None
    assert paid.receivable_status.name == ReceivableStatus.PAID
    assert paid.bharat_connect is not None
    assert paid.bharat_connect.status == BharatConnectStatus.PAID
    assert paid.bharat_connect.reported_payment is None
    assert paid.bharat_connect.object_version > invoice.bharat_connect.object_version


async def test_accepting_a_payment_for_own_invoice(client: EnkashClient, records) -> None:
    customer_id = await records.active_customer_id(client)
    invoice = await client.create_invoice(
        records.invoice(customer_id, base_amount=Decimal("750"), total_received=Decimal("50"))
    )
    confirmation = PaymentConfirmation(
        invoice_ids=[invoice.invoice_id],
        payment_id=_payment_id(),
        remarks="UPI ref 1234",
        response=SupplierResponse.ACCEPT,
        type=PaymentType.ONPLATFORM,
    )

    result = await client.confirm_payment(confirmation)

    assert [o.invoice_id for o in result.success_invoices] == [invoice.invoice_id]
    paid = await client.get_invoice(invoice.invoice_id)
    assert (paid.total_received, paid.balance_amount) == (Decimal("750"), 0)
    assert paid.receivable_status is not None
    assert paid.receivable_status.name == ReceivableStatus.PAID
    assert paid.bharat_connect is None

    # Confirming again: nothing left to pay, a per-invoice failure.
    again = await client.confirm_payment(confirmation)
    assert [o.invoice_id for o in again.failure_invoices] == [invoice.invoice_id]
    assert "paid" in (again.failure_invoices[0].message or "").lower()


async def test_reject_onplatform_is_refused(client: EnkashClient, records, raw, shared_sandbox):
    customer_id = await records.active_customer_id(client)
    invoice = await client.create_invoice(records.invoice(customer_id))
    body = {
        "invoiceIds": [invoice.invoice_id],
        "paymentId": _payment_id(),
        "remarks": "Not received",
        "response": "REJECT",
        "type": "ONPLATFORM",
    }

    # The client's model refuses it before sending...
    with pytest.raises(ValidationError, match="OFFPLATFORM"):
        PaymentConfirmation.model_validate(body)

    # ...and the server refuses it when sent anyway.
    response = raw(shared_sandbox.url).call(
        "POST", "/api/v0/invoice/payment-confirmation", json=body
    )
    assert response.status_code == 422
    error = response.json()["errorResponse"]
    assert error["errorType"] == "UNPROCESSABLE_REQUEST"
    assert "OFFPLATFORM" in error["errorMessage"]
    assert error["requestId"]
    assert await client.get_invoice(invoice.invoice_id) == invoice


async def test_reject_offplatform_leaves_invoice_open(bc_client: EnkashClient) -> None:
    reported = [
        i
        for i in await _on_network(
            bc_client, BharatConnectStatus.CREATED, BharatConnectStatus.ACCEPTED
        )
        if i.bharat_connect and i.bharat_connect.reported_payment and i.balance_amount
    ]
    invoice = reported[0] if reported else await _open_on_network(bc_client)
    assert invoice.bharat_connect is not None
    payment = invoice.bharat_connect.reported_payment
    payment_id = payment.payment_id if payment else _payment_id()

    result = await bc_client.confirm_payment(
        PaymentConfirmation(
            invoice_ids=[invoice.invoice_id],
            payment_id=payment_id,
            remarks="Not in our bank statement",
            response=SupplierResponse.REJECT,
            type=PaymentType.OFFPLATFORM,
        )
    )

    assert [o.invoice_id for o in result.success_invoices] == [invoice.invoice_id]
    after = await bc_client.get_invoice(invoice.invoice_id)
    assert after.balance_amount == invoice.balance_amount
    assert after.receivable_status == invoice.receivable_status
    assert after.bharat_connect is not None
    assert after.bharat_connect.status == invoice.bharat_connect.status
    assert after.bharat_connect.reported_payment is None


async def test_change_invoice_status(bc_client: EnkashClient) -> None:
    (created, *_) = await _on_network(bc_client, BharatConnectStatus.CREATED)
    assert created.bharat_connect is not None
    version = created.bharat_connect.object_version

    result = await bc_client.change_invoice_status(
        InvoiceStatusChange(
            invoice_ids=[created.invoice_id],
            status=BharatConnectStatus.ACCEPTED,
            remarks="Goods received",
            object_versions={created.invoice_id: version},
        )
    )

    assert [o.invoice_id for o in result.success_invoices] == [created.invoice_id]
    accepted = await bc_client.get_invoice(created.invoice_id)
    assert accepted.bharat_connect is not None
    assert accepted.bharat_connect.status == BharatConnectStatus.ACCEPTED
    assert accepted.bharat_connect.object_version == version + 1

    # The version the user saw is now stale: a per-invoice failure, nothing changes.
    stale = await bc_client.change_invoice_status(
        InvoiceStatusChange(
            invoice_ids=[created.invoice_id],
            status=BharatConnectStatus.CANCELLED,
            remarks="Cancel",
            object_versions={created.invoice_id: version},
        )
    )
    assert stale.success_invoices == []
    assert [o.invoice_id for o in stale.failure_invoices] == [created.invoice_id]
    assert "version" in (stale.failure_invoices[0].message or "").lower()
    unchanged = await bc_client.get_invoice(created.invoice_id)
    assert unchanged.bharat_connect == accepted.bharat_connect


async def test_change_invoice_status_per_invoice_failures(bc_client: EnkashClient) -> None:
    (created, *_) = await _on_network(bc_client, BharatConnectStatus.CREATED)
    (rejected, *_) = await _on_network(bc_client, BharatConnectStatus.REJECTED)
    off_network = (
        await bc_client.search_invoices(InvoiceFilter(on_bharat_connect=False), limit=1)
    ).items[0]
    unknown = "KI00000000000000"

    result = await bc_client.change_invoice_status(
        InvoiceStatusChange(
            invoice_ids=[created.invoice_id, rejected.invoice_id, off_network.invoice_id, unknown],
            status=BharatConnectStatus.ACCEPTED,
            remarks="Accepting the lot",
        )
    )

    assert [o.invoice_id for o in result.success_invoices] == [created.invoice_id]
    failures = {o.invoice_id: (o.message or "").lower() for o in result.failure_invoices}
    assert set(failures) == {rejected.invoice_id, off_network.invoice_id, unknown}
    assert "rejected" in failures[rejected.invoice_id]  # a final status: no way out
    assert "not on bharat connect" in failures[off_network.invoice_id]
    assert "not found" in failures[unknown]

    assert (await bc_client.get_invoice(rejected.invoice_id)).bharat_connect == (
        rejected.bharat_connect
    )
    still_off = await bc_client.get_invoice(off_network.invoice_id)
    assert still_off.bharat_connect is None


async def test_status_paid_settles_the_invoice(bc_client: EnkashClient) -> None:
    open_accepted = [
        i for i in await _on_network(bc_client, BharatConnectStatus.ACCEPTED) if i.balance_amount
    ]
    assert open_accepted, "the seed has an open ACCEPTED invoice on Bharat Connect"
    invoice = open_accepted[0]

    result = await bc_client.change_invoice_status(
        InvoiceStatusChange(
            invoice_ids=[invoice.invoice_id], status=BharatConnectStatus.PAID, remarks="Settled"
        )
    )

    assert [o.invoice_id for o in result.success_invoices] == [invoice.invoice_id]
    paid = await bc_client.get_invoice(invoice.invoice_id)
    assert paid.bharat_connect is not None
    assert paid.bharat_connect.status == BharatConnectStatus.PAID
    assert paid.balance_amount == 0
    assert paid.receivable_status is not None
    assert paid.receivable_status.name == ReceivableStatus.PAID
    # PAID is final.
    final = await bc_client.change_invoice_status(
        InvoiceStatusChange(
            invoice_ids=[invoice.invoice_id], status=BharatConnectStatus.CANCELLED, remarks="x"
        )
    )
    assert [o.invoice_id for o in final.failure_invoices] == [invoice.invoice_id]
