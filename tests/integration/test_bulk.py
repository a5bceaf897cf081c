"""Bulk CSV uploads: every row judged on its own, failures reported per spreadsheet row.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
Each test runs on a fresh sandbox.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from enkash_tui import clock
from enkash_tui.api import ApiError, EnkashClient, ErrorType
from enkash_tui.api.models import CustomerFilter, InvoiceFilter
from enkash_tui.sandbox.server import DEMO
from tests.support.records import Records


@pytest.fixture
async def bulk_client(start_sandbox, make_client) -> EnkashClient:
    return await make_client(start_sandbox().url)


def _tag() -> str:
    return uuid.uuid4().hex[:8].upper()


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


async def test_bulk_create_customers(bulk_client: EnkashClient) -> None:
    tag = _tag()
    good_a, bad, good_b = (f"Bulk {tag} {n} Pvt Ltd" for n in ("Alpha", "Bravo", "Charlie"))
    file = _csv(
        "legalName,state,pinCode,contactName,contactMobile,contactEmail",
        f"{good_a},Maharashtra,411001,Ravi Kumar,9812345678,ravi@alpha.in",
        f"{bad},Karnataka,560001,Asha Rao,12345,asha@bravo.in",
        f"{good_b},Gujarat,380001,Vikram Shah,+919812345679,",
    )

    result = await bulk_client.bulk_create_customers(
        file, company_id=DEMO.client_id, filename="customers.csv"
    )

    assert (result.total_count, result.success_count, result.failure_count) == (3, 2, 1)
    (failure,) = result.row_failures
    assert failure.row == 3
    assert failure.reference == bad
    assert any("mobile" in field for field in failure.errors), failure.errors

    found = await bulk_client.search_customers(CustomerFilter(legal_name=f"Bulk {tag}"))
    assert sorted(c.legal_name for c in found.items) == sorted([good_a, good_b])
    alpha = next(c for c in found.items if c.legal_name == good_a)
    contacts = await bulk_client.get_customer_contacts(alpha.customer_id)
    assert [(c.name, c.mobile, c.email) for c in contacts] == [
        ("Ravi Kumar", "9812345678", "ravi@alpha.in")
    ]
    assert (alpha.state, alpha.pin_code) == ("Maharashtra", "411001")


async def test_bulk_file_with_unknown_column_is_refused_whole(bulk_client: EnkashClient) -> None:
    tag = _tag()
    file = _csv(
        "legalName,contactName,contactMobile,favouriteColour",
        f"Refused {tag} Ltd,Ravi Kumar,9812345678,blue",
    )

    with pytest.raises(ApiError) as refused:
        await bulk_client.bulk_create_customers(file, company_id=DEMO.client_id)

    assert refused.value.status_code == 400
    assert refused.value.error_type == ErrorType.VALIDATION_ERROR
    assert any("favouriteColour" in message for message in refused.value.errors_for("file"))
    assert refused.value.request_id
    found = await bulk_client.search_customers(CustomerFilter(legal_name=f"Refused {tag}"))
    assert found.items == []


async def test_bulk_create_needs_a_company(bulk_client: EnkashClient) -> None:
    with pytest.raises(ValueError, match="companyId"):
        await bulk_client.bulk_create_customers(b"legalName\n")


async def test_bulk_update_customers(bulk_client: EnkashClient) -> None:
    page = await bulk_client.search_customers(limit=2, order_by="customerId")
    first, second = page.items
    unknown = "KC00000000000000"
    file = _csv(
        "customerId,assignedAgent,branchCodes,ifsc",
        f"{first.customer_id},Priya Sharma,PUN01;MUM01,",
        f"{unknown},Nobody,DEL01,",
        f"{second.customer_id},Arjun Mehta,,SBIN0001234",
    )

    result = await bulk_client.bulk_update_customers(file, filename="updates.csv")

    assert (result.total_count, result.success_count, result.failure_count) == (3, 2, 1)
    (failure,) = result.row_failures
    assert (failure.row, failure.reference) == (3, unknown)
    assert "not found" in failure.message.lower()

    updated = {
        c.customer_id: c
        for c in (
            await bulk_client.search_customers(
                CustomerFilter(customer_ids=[first.customer_id, second.customer_id])
            )
        ).items
    }
    one, two = updated[first.customer_id], updated[second.customer_id]
    assert (one.assigned_agent, one.branch_codes) == ("Priya Sharma", ["PUN01", "MUM01"])
    assert one.ifsc == first.ifsc  # an empty cell leaves the field alone
    assert (two.assigned_agent, two.ifsc) == ("Arjun Mehta", "SBIN0001234")
    assert two.branch_codes == second.branch_codes
    assert one.legal_name == first.legal_name


async def test_bulk_update_needs_customer_id_column(bulk_client: EnkashClient) -> None:
    with pytest.raises(ApiError) as refused:
        await bulk_client.bulk_update_customers(_csv("assignedAgent", "Priya"))
    assert refused.value.error_type == ErrorType.VALIDATION_ERROR
    assert any("customerId" in message for message in refused.value.errors_for("file"))


async def test_bulk_create_invoices(bulk_client: EnkashClient) -> None:
    customer_id = await Records.active_customer_id(bulk_client)
    tag = _tag()
    due = (clock.today() + dt.timedelta(days=30)).isoformat()
    file = _csv(
        "customerId,invoiceNumber,invoiceDate,dueDate,baseAmount,cgst,sgst,tds,gstExclusive,"
        "poNumber,dispatchNow",
        f"{customer_id},BLK-{tag}-1,2025-07-01,{due},1000,90,90,20,true,PO-1,no",
        f"{customer_id},BLK-{tag}-2,2025-07-01,{due},0.01,,,,,,",
        f"{customer_id},BLK-{tag}-3,,{due},2500.50,,,,false,,yes",
    )

    result = await bulk_client.bulk_create_invoices(file, filename="invoices.csv")

    assert (result.total_count, result.success_count, result.failure_count) == (3, 2, 1)
    (failure,) = result.row_failures
    assert (failure.row, failure.reference) == (3, f"BLK-{tag}-2")
    assert "baseAmount" in failure.errors
    assert result.total_amount == Decimal("3660.50")  # 1160 + 2500.50

    page = await bulk_client.search_invoices(
        InvoiceFilter(invoice_number=f"BLK-{tag}", created_via="BULK"), order_by="invoiceNumber"
    )
    first, third = page.items
    assert (first.invoice_number, third.invoice_number) == (f"BLK-{tag}-1", f"BLK-{tag}-3")
    assert first.net_amount == Decimal("1160")
    assert first.po_number == "PO-1"
    assert first.invoice_date == dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
    assert first.dispatched is False
    assert third.net_amount == Decimal("2500.50")
    assert third.dispatched is True and third.payment_link
    assert str(first.due_date) == due


async def test_bulk_row_numbers_count_blank_lines(bulk_client: EnkashClient) -> None:
    """A spreadsheet shows an empty line as an (empty) row, so later rows keep their numbers."""
    customer_id = await Records.active_customer_id(bulk_client)
    tag = _tag()
    due = (clock.today() + dt.timedelta(days=30)).isoformat()
    file = _csv(
        "customerId,invoiceNumber,dueDate,baseAmount",
        f"{customer_id},GAP-{tag}-1,{due},100",
        "",
        f"{customer_id},GAP-{tag}-2,{due},0.01",
    )

    result = await bulk_client.bulk_create_invoices(file)

    assert (result.success_count, result.failure_count) == (1, 1)
    (failure,) = result.row_failures
    assert failure.reference == f"GAP-{tag}-2"
    assert failure.row == 4  # header 1, first invoice 2, blank 3, bad invoice 4


async def test_bulk_create_invoices_unknown_column(bulk_client: EnkashClient) -> None:
    customer_id = await Records.active_customer_id(bulk_client)
    before = (await bulk_client.search_invoices(limit=1)).total
    file = _csv(
        "customerId,dueDate,baseAmount,discount",
        f"{customer_id},{clock.today().isoformat()},100,5",
    )

    with pytest.raises(ApiError) as refused:
        await bulk_client.bulk_create_invoices(file)

    assert refused.value.error_type == ErrorType.VALIDATION_ERROR
    assert any("discount" in message for message in refused.value.errors_for("file"))
    assert (await bulk_client.search_invoices(limit=1)).total == before


async def test_bulk_invoice_for_inactive_customer_fails_its_row(bulk_client) -> None:
    inactive = await bulk_client.search_customers(CustomerFilter(customer_status="INACTIVE"))
    active_id = await Records.active_customer_id(bulk_client)
    tag = _tag()
    due = (clock.today() + dt.timedelta(days=10)).isoformat()
    file = _csv(
        "customerId,invoiceNumber,dueDate,baseAmount",
        f"{inactive.items[0].customer_id},INA-{tag}-1,{due},100",
        f"{active_id},INA-{tag}-2,{due},100",
    )

    result = await bulk_client.bulk_create_invoices(file)

    assert (result.success_count, result.failure_count) == (1, 1)
    assert [(f.row, f.reference) for f in result.row_failures] == [(2, f"INA-{tag}-1")]
    assert "inactive" in result.row_failures[0].message.lower()


async def test_bulk_invoices_can_go_on_bharat_connect(bulk_client: EnkashClient) -> None:
    customer_id = await Records.active_customer_id(bulk_client)
    tag = _tag()
    due = (clock.today() + dt.timedelta(days=30)).isoformat()
    file = _csv(
        "customerId,invoiceNumber,dueDate,baseAmount,bharatConnect",
        f"{customer_id},NET-{tag}-1,{due},1000,true",
        f"{customer_id},NET-{tag}-2,{due},2000,",
        f"{customer_id},NET-{tag}-3,{due},3000,maybe",
    )

    result = await bulk_client.bulk_create_invoices(file, filename="invoices.csv")

    assert (result.success_count, result.failure_count) == (2, 1)
    (failure,) = result.row_failures
    assert failure.row == 4 and "bharatConnect" in failure.errors
    page = await bulk_client.search_invoices(
        InvoiceFilter(invoice_number=f"NET-{tag}"), order_by="invoiceNumber"
    )
    on_network, off_network = page.items
    assert on_network.bharat_connect is not None
    assert (on_network.bharat_connect.status, on_network.bharat_connect.object_version) == (
        "CREATED",
        1,
    )
    [created] = on_network.bharat_connect.history
    assert (created.by, created.action, created.object_version) == ("SUPPLIER", "CREATED", 1)
    assert off_network.bharat_connect is None
