"""The error envelope: each documented errorType, its HTTP status, field errors and requestId.

Bodies the client's models would refuse are sent raw with httpx, to see the server's answer.
"""

from __future__ import annotations

import datetime as dt
import uuid

import httpx
import pytest

from enkash_tui.api import ApiError, AuthError, EnkashClient, ErrorType
from enkash_tui.api.models import (
    CustomerFilter,
    CustomerStatus,
    CustomerUpdate,
    InvoiceFilter,
    InvoiceUpdate,
)
from enkash_tui.sandbox.seed import book as seed
from tests.support.records import Records
from tests.support.wire import RawApi


def _assert_envelope(body: dict, error_type: str) -> dict:
    assert body["response_code"] != 0
    assert body["payload"] is None
    error = body["errorResponse"]
    assert error["errorType"] == error_type
    assert error["errorMessage"]
    uuid.UUID(error["requestId"])  # a real request id
    dt.datetime.strptime(error["timestamp"], "%Y-%m-%d %H:%M:%S")
    return error


@pytest.fixture
async def other_client(shared_sandbox, make_client) -> EnkashClient:
    """The other company's user, on the same sandbox."""
    return await make_client(
        shared_sandbox.url,
        client_id=seed.OTHER_COMPANY_ID,
        client_secret=seed.OTHER_CLIENT_SECRET,
        username=seed.OTHER_USERNAME,
        password=seed.OTHER_PASSWORD,
    )


@pytest.fixture
async def demo_invoice_id(client: EnkashClient) -> str:
    return (await client.search_invoices(limit=1, order_by="invoiceId")).items[0].invoice_id


@pytest.fixture
async def demo_customer_id(client: EnkashClient) -> str:
    return (await client.search_customers(limit=1, order_by="customerId")).items[0].customer_id


async def test_validation_error_has_one_sub_error_per_bad_field(
    shared_sandbox, client: EnkashClient
) -> None:
    before = (await client.search_invoices(limit=1)).total
    response = RawApi(shared_sandbox.url).call(
        "POST",
        "/api/v0/invoice",
        json={"customerId": "not-a-customer", "baseAmount": 0.01, "dueDate": "2030-01-31"},
    )

    assert response.status_code == 400
    error = _assert_envelope(response.json(), "VALIDATION_ERROR")
    fields = [sub["field"] for sub in error["apiSubErrors"]]
    assert sorted(fields) == ["baseAmount", "customerId"]
    by_field = {sub["field"]: sub for sub in error["apiSubErrors"]}
    assert by_field["customerId"]["rejectedValue"] == "not-a-customer"
    assert by_field["baseAmount"]["rejectedValue"] == 0.01
    assert all(sub["message"] for sub in error["apiSubErrors"])
    assert (await client.search_invoices(limit=1)).total == before


async def test_validation_error_names_missing_required_fields(shared_sandbox) -> None:
    response = RawApi(shared_sandbox.url).call("POST", "/api/v0/invoice", json={})

    assert response.status_code == 400
    error = _assert_envelope(response.json(), "VALIDATION_ERROR")
    assert sorted(sub["field"] for sub in error["apiSubErrors"]) == [
        "baseAmount",
        "customerId",
        "dueDate",
    ]


async def test_validation_error_through_the_client(client: EnkashClient) -> None:
    with pytest.raises(ApiError) as refused:
        await client.search_invoices(order_by="nope")
    error = refused.value
    assert (error.status_code, error.error_type) == (400, ErrorType.VALIDATION_ERROR)
    assert [f.field for f in error.field_errors] == ["orderBy"]
    assert error.request_id and error.timestamp
    assert error.request_id in str(error)


async def test_record_not_found(client: EnkashClient) -> None:
    with pytest.raises(ApiError) as missing:
        await client.get_invoice("KI00000000000000")
    assert (missing.value.status_code, missing.value.error_type) == (
        404,
        ErrorType.RECORD_NOT_FOUND,
    )
    assert missing.value.request_id
    with pytest.raises(ApiError) as missing_update:
        await client.update_invoice("KI00000000000000", InvoiceUpdate(description="x"))
    assert missing_update.value.error_type == ErrorType.RECORD_NOT_FOUND
    assert missing_update.value.request_id != missing.value.request_id


async def test_unknown_path_is_not_found(shared_sandbox) -> None:
    response = RawApi(shared_sandbox.url).call("GET", "/api/v0/nothing-here")
    assert response.status_code == 404
    _assert_envelope(response.json(), "RECORD_NOT_FOUND")


async def test_unprocessable_request(client: EnkashClient) -> None:
    inactive = await client.search_customers(
        CustomerFilter(customer_status=CustomerStatus.INACTIVE), limit=1
    )
    with pytest.raises(ApiError) as refused:
        await client.create_invoice(Records.invoice(inactive.items[0].customer_id))
    assert (refused.value.status_code, refused.value.error_type) == (
        422,
        ErrorType.UNPROCESSABLE_REQUEST,
    )
    assert "inactive" in refused.value.message.lower()
    assert refused.value.request_id


async def test_unauthorized(shared_sandbox) -> None:
    api = RawApi(shared_sandbox.url)
    response = api.call("POST", "/api/v0/invoice/search", token="not-a-token", json={})
    assert response.status_code == 401
    _assert_envelope(response.json(), "UNAUTHORIZED")
    url = f"{shared_sandbox.url}/api/v0/invoice/search"
    for headers in ({}, {"Authorization": "Basic ZGVtbzpkZW1v"}):
        refused = httpx.post(url, json={}, headers=headers)
        assert refused.status_code == 401
        _assert_envelope(refused.json(), "UNAUTHORIZED")


async def test_unauthorized_through_the_client(shared_sandbox, make_client, wire) -> None:
    client = await make_client(shared_sandbox.url, login=False, transport=wire)
    with pytest.raises(AuthError) as refused:
        await client.search_invoices()
    assert refused.value.error_type == ErrorType.UNAUTHORIZED
    assert wire.log == []  # not signed in: nothing to send

    await client.login(seed.DEMO_USERNAME, seed.DEMO_PASSWORD)
    await client.search_invoices(limit=1)
    client.logout()
    with pytest.raises(AuthError):
        await client.search_invoices(limit=1)
    assert not client.signed_in


async def test_other_company_cannot_read_demo_records(
    other_client: EnkashClient, demo_invoice_id: str, demo_customer_id: str
) -> None:
    with pytest.raises(ApiError) as invoice:
        await other_client.get_invoice(demo_invoice_id)
    assert (invoice.value.status_code, invoice.value.error_type) == (
        403,
        ErrorType.INVALID_ACCESS,
    )
    assert invoice.value.request_id

    with pytest.raises(ApiError) as contacts:
        await other_client.get_customer_contacts(demo_customer_id)
    assert contacts.value.error_type == ErrorType.INVALID_ACCESS
    assert contacts.value.request_id


async def test_other_company_cannot_change_demo_records(
    other_client: EnkashClient, client: EnkashClient, demo_invoice_id: str, demo_customer_id: str
) -> None:
    before_invoice = await client.get_invoice(demo_invoice_id)
    (before_customer,) = (
        await client.search_customers(CustomerFilter(customer_ids=[demo_customer_id]))
    ).items

    for change in (
        lambda: other_client.update_invoice(demo_invoice_id, InvoiceUpdate(po_number="HACKED")),
        lambda: other_client.update_customer(
            demo_customer_id, CustomerUpdate(legal_name="Hacked Ltd")
        ),
        lambda: other_client.deactivate_customer(demo_customer_id),
        lambda: other_client.delete_customer(demo_customer_id),
    ):
        with pytest.raises(ApiError) as refused:
            await change()
        assert refused.value.error_type == ErrorType.INVALID_ACCESS
        assert refused.value.status_code == 403

    result = await other_client.delete_invoices([demo_invoice_id])
    assert [o.invoice_id for o in result.failure_invoices] == [demo_invoice_id]

    assert await client.get_invoice(demo_invoice_id) == before_invoice
    (after_customer,) = (
        await client.search_customers(CustomerFilter(customer_ids=[demo_customer_id]))
    ).items
    assert after_customer == before_customer


async def test_each_company_sees_only_its_own(
    other_client: EnkashClient, client: EnkashClient
) -> None:
    theirs = await other_client.search_invoices(limit=5000)
    ours = await client.search_invoices(limit=5000)

    assert theirs.items and ours.items
    assert {i.seller_id for i in theirs.items} == {seed.OTHER_COMPANY_ID}
    assert {i.seller_id for i in ours.items} == {seed.DEMO_COMPANY_ID}
    assert not {i.invoice_id for i in theirs.items} & {i.invoice_id for i in ours.items}
    their_customers = await other_client.search_customers()
    assert {c.company_id for c in their_customers.items} == {seed.OTHER_COMPANY_ID}
    by_id = await other_client.search_invoices(
        InvoiceFilter(invoice_ids=[i.invoice_id for i in ours.items[:5]])
    )
    assert by_id.items == []


async def test_foreign_tenant_ids_are_invalid_access(
    client: EnkashClient, demo_invoice_id: str, demo_customer_id: str
) -> None:
    other = seed.OTHER_COMPANY_ID
    calls = [
        lambda: client.get_invoice(demo_invoice_id, seller_id=other),
        lambda: client.search_invoices(seller_id=other),
        lambda: client.search_customers(parent_company_id=other),
        lambda: client.get_customer_contacts(demo_customer_id, parent_company_id=other),
        lambda: client.update_customer(
            demo_customer_id, CustomerUpdate(state="Goa"), parent_company_id=other
        ),
        lambda: client.create_invoice(Records.invoice(demo_customer_id), seller_id=other),
        lambda: client.bulk_create_customers(
            b"legalName,contactName,contactMobile\n", company_id=other
        ),
        lambda: client.create_customer(Records.customer(company_id=other)),
    ]
    for call in calls:
        with pytest.raises(ApiError) as refused:
            await call()
        assert refused.value.status_code == 403
        assert refused.value.error_type == ErrorType.INVALID_ACCESS
        assert refused.value.request_id

    # The caller's own company id is accepted.
    own = await client.get_invoice(demo_invoice_id, seller_id=seed.DEMO_COMPANY_ID)
    assert own.invoice_id == demo_invoice_id


async def test_malformed_tenant_ids_are_refused_locally(
    client: EnkashClient, demo_invoice_id: str
) -> None:
    with pytest.raises(ValueError, match="sellerId"):
        await client.get_invoice(demo_invoice_id, seller_id="not-a-company")
    with pytest.raises(ValueError, match="customerId"):
        await client.update_customer("KC123", CustomerUpdate(state="Goa"))
