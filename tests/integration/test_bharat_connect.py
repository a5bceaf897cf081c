"""Bharat Connect 2.0: payment confirmation and invoice status changes.

Only seeded invoices are on Bharat Connect, so the tests that change them run on a fresh
sandbox each; the ones on the shared sandbox use invoices they raised themselves.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from enkash_tui.api import EnkashClient
from enkash_tui.api.models import (
    BharatConnectEvent,
    BharatConnectStatus,
    Invoice,
    InvoiceFilter,
    InvoiceStatusChange,
    PaymentConfirmation,
    PaymentType,
    ReceivableStatus,
    SupplierResponse,
)
from tests.support.records import Records
from tests.support.wire import RawApi


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
def bc_sandbox(start_sandbox):
    return start_sandbox()


@pytest.fixture
async def bc_client(bc_sandbox, make_client) -> EnkashClient:
    return await make_client(bc_sandbox.url)


def _buyer(sandbox, invoice_id: str, **body: Any) -> httpx.Response:
    """Act as the invoice's buyer through the sandbox's own route."""
    return RawApi(sandbox.url).call("POST", f"/sandbox/buyer/{invoice_id}", json=body)


def _history(invoice: Invoice) -> list[BharatConnectEvent]:
    assert invoice.bharat_connect is not None
    return invoice.bharat_connect.history


def _assert_consistent(invoice: Invoice) -> None:
    """A history starts with the supplier raising it (version 1), counts every version up by
    one, keeps time, and ends where the invoice stands."""
    network = invoice.bharat_connect
    assert network is not None
    history = network.history
    assert history, invoice.invoice_id
    first, last = history[0], history[-1]
    assert (first.status, first.by, first.action) == ("CREATED", "SUPPLIER", "CREATED")
    assert [e.object_version for e in history] == list(range(1, len(history) + 1))
    assert (last.status, last.object_version) == (network.status, network.object_version)
    moments = [e.at for e in history]
    assert all(m is not None for m in moments)
    assert moments == sorted(moments), invoice.invoice_id  # type: ignore[type-var]
    assert invoice.created_on is None or moments[0] >= invoice.created_on  # type: ignore[operator]
    for event in history:
        assert event.by in ("BUYER", "SUPPLIER", "NETWORK")
        assert event.status in set(BharatConnectStatus)
        assert event.remarks is None or 1 <= len(event.remarks) <= 100
    if network.reported_payment is not None:
        assert (last.by, last.action) == ("BUYER", "PAYMENT_REPORTED")
        assert last.remarks == network.reported_payment.remarks


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


async def test_accepting_a_payment_for_own_invoice(client: EnkashClient) -> None:
    customer_id = await Records.active_customer_id(client)
    invoice = await client.create_invoice(
        Records.invoice(customer_id, base_amount=Decimal("750"), total_received=Decimal("50"))
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


async def test_reject_onplatform_is_refused(client: EnkashClient, shared_sandbox):
    customer_id = await Records.active_customer_id(client)
    invoice = await client.create_invoice(Records.invoice(customer_id))
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
    response = RawApi(shared_sandbox.url).call(
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
        if i.bharat_connect
        and i.bharat_connect.reported_payment
        and i.bharat_connect.reported_payment.type == PaymentType.OFFPLATFORM
        and i.balance_amount
    ]
    assert reported, "the seed has an OFFPLATFORM payment awaiting the supplier"
    invoice = reported[0]
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


# -- history ---------------------------------------------------------------------------------


async def test_seeded_histories_are_consistent(client: EnkashClient) -> None:
    network = await client.search_invoices(InvoiceFilter(on_bharat_connect=True), limit=5000)
    assert network.items
    for invoice in network.items:
        _assert_consistent(invoice)
    actions = Counter(e.action for i in network.items for e in _history(i))
    for action in ("CREATED", "ACCEPTED", "RETURNED", "REJECTED", "PAYMENT_REPORTED"):
        assert actions[action], (action, actions)


async def test_history_grows_with_each_change(bc_sandbox, bc_client: EnkashClient) -> None:
    (invoice, *_) = [
        i
        for i in await _on_network(bc_client, BharatConnectStatus.CREATED)
        if i.bharat_connect and not i.bharat_connect.reported_payment
    ]
    invoice_id = invoice.invoice_id
    before = _history(invoice)
    seen = [(e.by, e.action, e.status) for e in before]

    async def step(expected: tuple[str, str, str]) -> None:
        now = await bc_client.get_invoice(invoice_id)
        _assert_consistent(now)
        seen.append(expected)
        assert [(e.by, e.action, e.status) for e in _history(now)] == seen
        assert _history(now)[: len(before)] == before  # earlier steps never change

    assert _buyer(bc_sandbox, invoice_id, action="ACCEPT").status_code == 200
    await step(("BUYER", "ACCEPTED", "ACCEPTED"))
    reply = _buyer(bc_sandbox, invoice_id, action="REPORT_PAYMENT", type="OFFPLATFORM")
    assert reply.status_code == 200, reply.text
    await step(("BUYER", "PAYMENT_REPORTED", "ACCEPTED"))
    payment_id = reply.json()["payload"][0]["bharatConnect"]["reportedPayment"]["paymentId"]
    confirmation = PaymentConfirmation(
        invoice_ids=[invoice_id],
        payment_id=payment_id,
        remarks="UTR not in statement",
        response=SupplierResponse.REJECT,
        type=PaymentType.OFFPLATFORM,
    )
    assert (await bc_client.confirm_payment(confirmation)).all_succeeded
    await step(("SUPPLIER", "PAYMENT_REJECTED", "ACCEPTED"))
    assert _history(await bc_client.get_invoice(invoice_id))[-1].remarks == "UTR not in statement"
    change = InvoiceStatusChange(
        invoice_ids=[invoice_id], status=BharatConnectStatus.PAID, remarks="Cash at the counter"
    )
    assert (await bc_client.change_invoice_status(change)).all_succeeded
    await step(("SUPPLIER", "MARKED_PAID", "PAID"))


# -- the payment-pending filter and the work queues -----------------------------------------


async def test_payment_pending_filter(client: EnkashClient) -> None:
    everything = await client.search_invoices(InvoiceFilter(), limit=5000)
    pending = await client.search_invoices(
        InvoiceFilter(bharat_connect_payment_pending=True), limit=5000
    )
    not_pending = await client.search_invoices(
        InvoiceFilter(bharat_connect_payment_pending=False), limit=5000
    )

    assert pending.items and pending.total == len(pending.items)
    for invoice in pending.items:
        assert invoice.bharat_connect is not None
        assert invoice.bharat_connect.reported_payment is not None
        assert invoice.bharat_connect.status in ("CREATED", "ACCEPTED")
    assert all(
        i.bharat_connect is None or i.bharat_connect.reported_payment is None
        for i in not_pending.items
    )
    assert pending.total + not_pending.total == everything.total
    # ... and it combines with the other filters (the app's "awaiting buyer" queue).
    awaiting = await client.search_invoices(
        InvoiceFilter(
            bharat_connect_statuses=[BharatConnectStatus.CREATED],
            bharat_connect_payment_pending=False,
        ),
        limit=5000,
    )
    created = await _on_network(client, BharatConnectStatus.CREATED)
    assert {i.invoice_id for i in awaiting.items} == {
        i.invoice_id
        for i in created
        if i.bharat_connect is not None and i.bharat_connect.reported_payment is None
    }


OPEN = [ReceivableStatus.UNPAID, ReceivableStatus.PARTIALLY_PAID]
# The app's Bharat Connect work queues, as searches (a pending payment comes first).
QUEUES: dict[str, InvoiceFilter] = {
    "payment pending": InvoiceFilter(on_bharat_connect=True, bharat_connect_payment_pending=True),
    "returned": InvoiceFilter(
        bharat_connect_statuses=[BharatConnectStatus.RETURNED],
        bharat_connect_payment_pending=False,
    ),
    "rejected": InvoiceFilter(
        bharat_connect_statuses=[BharatConnectStatus.REJECTED],
        bharat_connect_payment_pending=False,
    ),
    "awaiting buyer": InvoiceFilter(
        bharat_connect_statuses=[BharatConnectStatus.CREATED],
        bharat_connect_payment_pending=False,
    ),
    "accepted unpaid": InvoiceFilter(
        bharat_connect_statuses=[BharatConnectStatus.ACCEPTED],
        receivable_statuses=OPEN,
        bharat_connect_payment_pending=False,
    ),
    "paid": InvoiceFilter(bharat_connect_statuses=[BharatConnectStatus.PAID]),
}


@pytest.mark.parametrize(("invoices", "customers"), [(60, 8), (80, 12), (300, 30), (5000, 200)])
async def test_every_queue_has_an_invoice(
    start_sandbox, make_client, invoices: int, customers: int
) -> None:
    client = await make_client(start_sandbox(invoices=invoices, customers=customers).url)
    found: dict[str, list[Invoice]] = {}
    for name, filters in QUEUES.items():
        found[name] = (await client.search_invoices(filters, limit=5000)).items
        assert found[name], f"queue {name!r} is empty in the {invoices}/{customers} seed"
    payments = [i.bharat_connect.reported_payment for i in found["payment pending"]]
    assert {p.type for p in payments if p} == {"ONPLATFORM", "OFFPLATFORM"}
    for invoice in found["accepted unpaid"]:
        assert invoice.balance_amount and invoice.balance_amount > 0
    # One payment covers two invoices of the same customer.
    by_payment: dict[str, set[str]] = defaultdict(set)
    invoices_by_payment: Counter[str] = Counter()
    for invoice in found["payment pending"]:
        assert invoice.bharat_connect and invoice.bharat_connect.reported_payment
        payment_id = invoice.bharat_connect.reported_payment.payment_id
        by_payment[payment_id].add(invoice.customer_id or "")
        invoices_by_payment[payment_id] += 1
    shared = [p for p, n in invoices_by_payment.items() if n >= 2]
    assert shared, "no payment covers two invoices"
    assert all(len(by_payment[p]) == 1 for p in shared)


async def test_seed_is_deterministic(start_sandbox, make_client) -> None:
    day = dt.date(2026, 3, 15)
    seen = []
    for _ in range(2):
        client = await make_client(start_sandbox(invoices=60, customers=8, today=day).url)
        page = await client.search_invoices(
            InvoiceFilter(on_bharat_connect=True), limit=5000, order_by="invoiceId"
        )
        seen.append([i.bharat_connect for i in page.items])
    assert seen[0] == seen[1]


# -- versions, confirmations ----------------------------------------------------------------


async def test_stale_version_after_a_buyer_action_is_refused(
    bc_sandbox, bc_client: EnkashClient
) -> None:
    (invoice, *_) = [
        i
        for i in await _on_network(bc_client, BharatConnectStatus.CREATED)
        if i.bharat_connect and not i.bharat_connect.reported_payment
    ]
    assert invoice.bharat_connect is not None
    seen = invoice.bharat_connect.object_version

    # Meanwhile the buyer accepts it on the network.
    reply = _buyer(bc_sandbox, invoice.invoice_id, action="ACCEPT", remarks="All good")
    assert reply.status_code == 200, reply.text

    result = await bc_client.change_invoice_status(
        InvoiceStatusChange(
            invoice_ids=[invoice.invoice_id],
            status=BharatConnectStatus.CANCELLED,
            remarks="Withdrawn",
            object_versions={invoice.invoice_id: seen},
        )
    )

    assert result.success_invoices == []
    (failure,) = result.failure_invoices
    assert failure.message == (
        f"Changed elsewhere: now version {seen + 1} (ACCEPTED), you had version {seen}; "
        "refresh and retry"
    )
    after = await bc_client.get_invoice(invoice.invoice_id)
    assert after.bharat_connect is not None
    assert after.bharat_connect.status == BharatConnectStatus.ACCEPTED
    assert after.bharat_connect.object_version == seen + 1
    assert _history(after)[-1].remarks == "All good"
    assert len(_history(after)) == len(_history(invoice)) + 1


async def test_confirm_one_payment_for_two_invoices(bc_client: EnkashClient) -> None:
    pending = (
        await bc_client.search_invoices(
            InvoiceFilter(bharat_connect_payment_pending=True), limit=5000
        )
    ).items
    by_payment: dict[str, list[Invoice]] = defaultdict(list)
    for invoice in pending:
        assert invoice.bharat_connect and invoice.bharat_connect.reported_payment
        by_payment[invoice.bharat_connect.reported_payment.payment_id].append(invoice)
    (payment_id, invoices) = next((p, i) for p, i in by_payment.items() if len(i) == 2)
    first, second = invoices
    assert first.customer_id == second.customer_id
    payment = first.bharat_connect.reported_payment  # type: ignore[union-attr]
    assert payment is not None and payment.type is not None

    result = await bc_client.confirm_payment(
        PaymentConfirmation(
            invoice_ids=[first.invoice_id, second.invoice_id],
            payment_id=payment_id,
            remarks="Received in bank",
            response=SupplierResponse.ACCEPT,
            type=PaymentType(payment.type),
        )
    )

    assert [o.invoice_id for o in result.success_invoices] == [
        first.invoice_id,
        second.invoice_id,
    ]
    for before in invoices:
        after = await bc_client.get_invoice(before.invoice_id)
        assert after.balance_amount == 0
        assert after.receivable_status is not None
        assert after.receivable_status.name == ReceivableStatus.PAID
        assert after.bharat_connect is not None and before.bharat_connect is not None
        assert after.bharat_connect.status == BharatConnectStatus.PAID
        assert after.bharat_connect.reported_payment is None
        assert after.bharat_connect.object_version == before.bharat_connect.object_version + 1
        last = _history(after)[-1]
        assert (last.by, last.action, last.remarks) == (
            "SUPPLIER",
            "PAYMENT_ACCEPTED",
            "Received in bank",
        )
    still_pending = await bc_client.search_invoices(
        InvoiceFilter(bharat_connect_payment_pending=True), limit=5000
    )
    assert still_pending.total == len(pending) - 2


async def test_rejecting_an_onplatform_payment_is_refused(bc_client: EnkashClient) -> None:
    onplatform = [
        i
        for i in (
            await bc_client.search_invoices(
                InvoiceFilter(bharat_connect_payment_pending=True), limit=5000
            )
        ).items
        if i.bharat_connect
        and i.bharat_connect.reported_payment
        and i.bharat_connect.reported_payment.type == PaymentType.ONPLATFORM
    ]
    assert onplatform, "the seed has an ONPLATFORM payment awaiting the supplier"
    invoice = onplatform[0]
    payment = invoice.bharat_connect.reported_payment  # type: ignore[union-attr]
    assert payment is not None

    # Claiming it was OFFPLATFORM does not help: the network knows how it was paid.
    result = await bc_client.confirm_payment(
        PaymentConfirmation(
            invoice_ids=[invoice.invoice_id],
            payment_id=payment.payment_id,
            remarks="Not received",
            response=SupplierResponse.REJECT,
            type=PaymentType.OFFPLATFORM,
        )
    )

    assert result.success_invoices == []
    (failure,) = result.failure_invoices
    assert failure.message == (
        f"Payment {payment.payment_id} was made ONPLATFORM: only OFFPLATFORM payments can be "
        "rejected"
    )
    assert await bc_client.get_invoice(invoice.invoice_id) == invoice
