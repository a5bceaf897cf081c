"""Invoice operations through the real client, on the shared sandbox.

Every invoice here is raised by the test itself (for a seeded active customer, which is only
referenced, never changed), so the seeded invoices the search tests read stay as seeded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from enkash_tui import clock
from enkash_tui.api import ApiError, EnkashClient, ErrorType
from enkash_tui.api.models import (
    ApprovalStatus,
    CustomerFilter,
    InvoiceFilter,
    InvoiceUpdate,
    ReceivableStatus,
)
from enkash_tui.sandbox.server import DEMO
from tests.support.records import Records


@pytest.fixture
async def customer_id(client: EnkashClient) -> str:
    return await Records.active_customer_id(client)


def _recent(moment: dt.datetime | None) -> bool:
    now = clock.now()
    return moment is not None and now - dt.timedelta(minutes=5) <= moment <= now + dt.timedelta(
        minutes=1
    )


async def test_create_invoice_gst_exclusive(client: EnkashClient, customer_id) -> None:
    (customer,) = (await client.search_customers(CustomerFilter(customer_ids=[customer_id]))).items
    new = Records.invoice(
        customer_id,
        base_amount=Decimal("1000.00"),
        cgst=Decimal("90.00"),
        sgst=Decimal("90.00"),
        tds=Decimal("20.00"),
        gst_exclusive=True,
        po_number="PO-991",
        external_id="erp-it-1",
        approval_status=ApprovalStatus.MAKER_APPROVED,
        partial_payment_allowed=True,
    )

    invoice = await client.create_invoice(new)

    assert invoice.invoice_id
    assert invoice.invoice_number == new.invoice_number
    assert invoice.customer_id == customer_id
    assert invoice.customer_legal_name == customer.legal_name
    assert invoice.seller_id == DEMO.client_id
    assert invoice.base_amount == Decimal("1000")
    assert invoice.net_amount == Decimal("1160")  # base + cgst + sgst - tds
    assert invoice.total_received == 0
    assert invoice.balance_amount == Decimal("1160")
    assert invoice.receivable_status is not None
    assert invoice.receivable_status.name == ReceivableStatus.UNPAID
    assert invoice.approval_status is not None
    assert invoice.approval_status.name == ApprovalStatus.MAKER_APPROVED
    assert invoice.due_date == new.due_date
    assert (invoice.po_number, invoice.external_id) == ("PO-991", "erp-it-1")
    assert invoice.partial_payment_allowed is True
    assert invoice.dispatched is False
    assert invoice.dispatched_on is None
    assert invoice.payment_link is None
    assert invoice.has_key_contacts is True
    assert _recent(invoice.created_on)


async def test_create_invoice_gst_inclusive_net_is_base(client, customer_id) -> None:
    invoice = await client.create_invoice(
        Records.invoice(
            customer_id,
            base_amount=Decimal("2500.50"),
            cgst=Decimal("100"),
            sgst=Decimal("100"),
            gst_exclusive=False,
        )
    )
    assert invoice.net_amount == Decimal("2500.50")
    assert invoice.balance_amount == Decimal("2500.50")


async def test_create_invoice_with_partial_payment(client, customer_id) -> None:
    invoice = await client.create_invoice(
        Records.invoice(customer_id, base_amount=Decimal("500"), total_received=Decimal("125.25"))
    )
    assert invoice.balance_amount == Decimal("374.75")
    assert invoice.receivable_status is not None
    assert invoice.receivable_status.name == ReceivableStatus.PARTIALLY_PAID


async def test_create_invoice_dispatch_now(client, customer_id) -> None:
    invoice = await client.create_invoice(Records.invoice(customer_id, dispatch_now=True))

    assert invoice.dispatched is True
    assert _recent(invoice.dispatched_on)
    assert invoice.payment_link and invoice.invoice_id in invoice.payment_link
    found = await client.search_invoices(
        InvoiceFilter(invoice_ids=[invoice.invoice_id], dispatched=True)
    )
    assert [i.invoice_id for i in found.items] == [invoice.invoice_id]


async def test_duplicate_invoice_number_is_refused(client, customer_id) -> None:
    first = await client.create_invoice(Records.invoice(customer_id))

    with pytest.raises(ApiError) as duplicate:
        await client.create_invoice(
            Records.invoice(customer_id, invoice_number=first.invoice_number)
        )

    assert duplicate.value.status_code == 422
    assert duplicate.value.error_type == ErrorType.UNPROCESSABLE_REQUEST
    assert duplicate.value.errors_for("invoiceNumber")
    assert duplicate.value.request_id
    same_number = await client.search_invoices(InvoiceFilter(invoice_number=first.invoice_number))
    assert [i.invoice_id for i in same_number.items] == [first.invoice_id]


async def test_create_invoice_for_unknown_customer(client) -> None:
    with pytest.raises(ApiError) as missing:
        await client.create_invoice(Records.invoice("KC00000000000000"))
    assert missing.value.status_code == 404
    assert missing.value.error_type == ErrorType.RECORD_NOT_FOUND


async def test_create_invoice_is_checked_before_sending(customer_id) -> None:
    with pytest.raises(ValidationError):
        Records.invoice(customer_id, base_amount=Decimal("0.01"))
    with pytest.raises(ValidationError):
        Records.invoice("not-a-customer-id")


async def test_get_invoice_matches_create(client, customer_id) -> None:
    created = await client.create_invoice(Records.invoice(customer_id, description="Get me"))

    fetched = await client.get_invoice(created.invoice_id)

    assert fetched == created


async def test_update_invoice_patch(client, customer_id) -> None:
    created = await client.create_invoice(
        Records.invoice(
            customer_id,
            base_amount=Decimal("1000"),
            po_number="PO-1234",
            description="Keep this",
            partial_payment_allowed=True,
        )
    )
    new_due = created.due_date + dt.timedelta(days=15)

    updated = await client.update_invoice(
        created.invoice_id,
        InvoiceUpdate(due_date=new_due, po_number=None, total_received=Decimal("400")),
    )

    assert updated.due_date == new_due
    assert updated.po_number is None  # null clears
    assert updated.description == "Keep this"  # absent stays
    assert updated.invoice_number == created.invoice_number
    assert updated.base_amount == created.base_amount
    assert updated.net_amount == Decimal("1000")
    assert updated.total_received == Decimal("400")
    assert updated.balance_amount == Decimal("600")
    assert updated.receivable_status is not None
    assert updated.receivable_status.name == ReceivableStatus.PARTIALLY_PAID
    assert updated.modified_on is not None and updated.modified_on >= created.modified_on

    stored = await client.get_invoice(created.invoice_id)
    assert stored == updated

    paid = await client.update_invoice(
        created.invoice_id, InvoiceUpdate(total_received=Decimal("1000"))
    )
    assert paid.balance_amount == 0
    assert paid.receivable_status is not None
    assert paid.receivable_status.name == ReceivableStatus.PAID


async def test_update_invoice_refuses_overpayment(client, customer_id) -> None:
    created = await client.create_invoice(Records.invoice(customer_id, base_amount=Decimal("100")))
    with pytest.raises(ApiError) as refused:
        await client.update_invoice(
            created.invoice_id, InvoiceUpdate(total_received=Decimal("100.01"))
        )
    assert refused.value.error_type == ErrorType.VALIDATION_ERROR
    assert refused.value.errors_for("totalReceived")
    assert await client.get_invoice(created.invoice_id) == created


async def test_dispatch_invoices_per_invoice_outcome(client, customer_id) -> None:
    unpaid = await client.create_invoice(Records.invoice(customer_id))
    paid = await client.create_invoice(
        Records.invoice(customer_id, base_amount=Decimal("300"), total_received=Decimal("300"))
    )
    unknown = "KI00000000000000"

    result = await client.dispatch_invoices(
        [unpaid.invoice_id, unknown, paid.invoice_id], partial_payment_allowed=True
    )

    assert [o.invoice_id for o in result.success_invoices] == [unpaid.invoice_id]
    failures = {o.invoice_id: o.message or "" for o in result.failure_invoices}
    assert set(failures) == {unknown, paid.invoice_id}
    assert "not found" in failures[unknown].lower()
    assert "paid" in failures[paid.invoice_id].lower()
    assert not result.all_succeeded

    dispatched = await client.get_invoice(unpaid.invoice_id)
    assert dispatched.dispatched is True
    assert _recent(dispatched.dispatched_on)
    assert dispatched.payment_link and unpaid.invoice_id in dispatched.payment_link
    assert dispatched.partial_payment_allowed is True
    assert (await client.get_invoice(paid.invoice_id)).dispatched is False


async def test_delete_invoices(client, customer_id) -> None:
    fresh = await client.create_invoice(Records.invoice(customer_id))
    part_paid = await client.create_invoice(
        Records.invoice(customer_id, base_amount=Decimal("800"), total_received=Decimal("1"))
    )

    result = await client.delete_invoices([fresh.invoice_id, part_paid.invoice_id])

    assert [o.invoice_id for o in result.success_invoices] == [fresh.invoice_id]
    assert [o.invoice_id for o in result.failure_invoices] == [part_paid.invoice_id]
    assert "payment" in (result.failure_invoices[0].message or "").lower()

    with pytest.raises(ApiError) as gone:
        await client.get_invoice(fresh.invoice_id)
    assert gone.value.status_code == 404
    assert gone.value.error_type == ErrorType.RECORD_NOT_FOUND
    left = await client.search_invoices(
        InvoiceFilter(invoice_ids=[fresh.invoice_id, part_paid.invoice_id])
    )
    assert [i.invoice_id for i in left.items] == [part_paid.invoice_id]
    assert await client.get_invoice(part_paid.invoice_id) == part_paid

    again = await client.delete_invoices([fresh.invoice_id])
    assert [o.invoice_id for o in again.failure_invoices] == [fresh.invoice_id]

    # A deleted invoice's number is free again.
    reused = await client.create_invoice(
        Records.invoice(customer_id, invoice_number=fresh.invoice_number)
    )
    assert reused.invoice_id != fresh.invoice_id


async def test_invoice_number_search_is_literal(client, customer_id) -> None:
    """``_`` and ``%`` in the number filter match themselves, not any character."""
    tag = Records.invoice(customer_id).invoice_number
    literal = await client.create_invoice(
        Records.invoice(customer_id, invoice_number=f"{tag}-A_1%")
    )
    await client.create_invoice(Records.invoice(customer_id, invoice_number=f"{tag}-AX1X"))

    found = await client.search_invoices(InvoiceFilter(invoice_number=f"{tag}-A_1%"))

    assert [i.invoice_id for i in found.items] == [literal.invoice_id]
