"""The exact wire format of every EnkashClient operation (enkash-ar-api.md §1.2, §3, §4).

Every test runs the real client against ``httpx.MockTransport`` (the ``fake`` fixture in
conftest.py), records what was sent, and compares method, path, query, headers and body with the
documented contract.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from pydantic import ValidationError

from enkash_tui.api import (
    EnkashClient,
    EnkashError,
    ResponseFormatError,
    check_base_url,
    crypto,
)
from enkash_tui.api.models import (
    ApprovalStatus,
    BharatConnectStatus,
    BulkResult,
    Customer,
    CustomerCreate,
    CustomerFilter,
    CustomerStatus,
    CustomerUpdate,
    Invoice,
    InvoiceActionResult,
    InvoiceCreate,
    InvoiceFilter,
    InvoiceStatusChange,
    InvoiceUpdate,
    KeyContact,
    KeyContactCreate,
    PaymentConfirmation,
    PaymentType,
    Reminder,
    ReminderCreate,
    ReminderType,
    ReminderUpdate,
    SortDirection,
    StatusRef,
    SupplierResponse,
)

SECRET = "enkash-secret"
USERNAME = "ar.user@acme.in"  # same as conftest.USERNAME
PASSWORD = "Password@123"  # same as conftest.PASSWORD
CUSTOMER_ID = "KC1A2B3C4D5E6F7G"
PARENT_ID = "CEKPARENT1"
SELLER_ID = "CEKSELLER1"
COMPANY_ID = "CEKCOMPANY"
INVOICE_ID = "KI9Z8Y7X6W5V4U3T"
REMINDER_ID = "CR0000000000000042"
PAYMENT_ID = "PMT" + "A1b2C3d4" * 4

CUSTOMER_PAYLOAD: dict[str, Any] = {
    "customerId": CUSTOMER_ID,
    "companyId": "CEKFOWV7UQ",
    "legalName": "Acme Traders Pvt Ltd",
    "status": "ACTIVE",
    "branchCodes": ["PUN01"],
    "customerKeyContacts": [
        {
            "keyContactPersonId": "KCP1",
            "name": "Ravi Kumar",
            "legalName": "Ravi Kumar",
            "mobile": "9812345678",
            "deleted": False,
            "mail_enabled": True,
            "sms_enabled": False,
            "whatsapp_enabled": True,
        }
    ],
}
INVOICE_PAYLOAD: dict[str, Any] = {
    "invoiceId": INVOICE_ID,
    "invoiceNumber": "INV-2025-0007",
    "customerId": CUSTOMER_ID,
    "baseAmount": 10000.00,
    "cgst": 450.25,
    "sgst": 450.25,
    "netAmount": 10900.50,
    "balanceAmount": 10900.50,
    "dueDate": "2025-07-31",
    "receivableStatus": {"label": "Unpaid", "name": "UNPAID"},
}
REMINDER_PAYLOAD: dict[str, Any] = {
    "customerReminderId": REMINDER_ID,
    "customerId": CUSTOMER_ID,
    "dueDateDifference": -3,
    "reminderInterval": 2,
    "reminderTime": "10:00",
    "reminderType": "RECURRING",
    "stage": "BEFORE_DUE",
}
ACTION_PAYLOAD: dict[str, Any] = {
    "successInvoices": [{"invoiceId": INVOICE_ID, "message": "Dispatched"}],
    "failureInvoices": [{"invoiceId": "KIDELETED0000001", "message": "Invoice is deleted"}],
}

# §4.2 example request, verbatim but for its GSTIN (...Z5 fails the check character; ...ZK).
CREATE_CUSTOMER_EXAMPLE = """
{"companyId":"CEKFOWV7UQ","legalName":"Acme Traders Pvt Ltd","address":"12 MG Road, Pune",
 "contactNumber":"+919812345678","accountNumber":"001234567890","ifsc":"HDFC0001234",
 "panOrGstin":"27AAACA1234A1ZK","pinCode":"411001","state":"Maharashtra","uniqueRefNo":"ERP-CUST-0042",
 "customerKeyContacts":[{"name":"Ravi Kumar","legalName":"Ravi Kumar","mobile":"9812345678",
   "email":"ravi@acme.in","deleted":false,"mail_enabled":true,"sms_enabled":true,"whatsapp_enabled":false}],
 "customerReminders":[{"reminderType":"RECURRING","dueDateDifference":-3,"reminderInterval":2,
   "reminderTime":"10:00","stage":"BEFORE_DUE"}]}
"""

# §4.11 example request, verbatim.
CREATE_INVOICE_EXAMPLE = """
{"customerId":"KC1A2B3C4D5E6F7G","invoiceNumber":"INV-2025-0007","invoiceDate":"2025-07-01T10:00:00Z",
 "dueDate":"2025-07-31","baseAmount":10000.00,"cgst":900.00,"sgst":900.00,"gstExclusive":true,
 "description":"July services","poNumber":"PO-991","partialPaymentAllowed":true,"dispatchNow":false,
 "externalId":"erp-77812"}
"""

# §4.15 example request body, verbatim.
SEARCH_INVOICES_EXAMPLE = """
{"customerIds":["KC1A2B3C4D5E6F7G"],"dispatched":true,
 "dueDateFrom":"2025-07-01 00:00:00","dueDateTo":"2025-07-31 23:59:59",
 "approvalStatuses":["MAKER_APPROVED"]}
"""

# §4.16 documented getInvoice response, verbatim.
GET_INVOICE_EXAMPLE = """
{"errorResponse":{"apiSubErrors":[{}],"errorMessage":"string","errorType":"CLIENT_REQUEST_ABORT",
  "requestId":"string","timestamp":"yyyy-MM-dd HH:mm:ss"},
 "payload":{"approvalStatus":{"label":"string","name":"PAID"},"attachmentUrl":"string",
  "balanceAmount":0,"baseAmount":0,"cgst":0,"createdBy":"string","createdByEmail":"string",
  "createdByMobile":"string","createdByName":"string","createdOn":"2019-08-24T14:15:22Z",
  "customerId":"string","customerLegalName":"string","description":"string","dispatched":true,
  "dispatchedOn":"2019-08-24T14:15:22Z","dueDate":"2019-08-24","externalId":"string",
  "hasKeyContacts":true,"igst":0,
  "invoiceAttachments":[{"attachmentSource":"TALLY_INVOICE","createdBy":"string","deleted":true,
     "fileExt":"string","invoiceAttachmentId":"string","modifiedBy":"string",
     "originalFilename":"string","primary":true,"referenceId":"string","remarks":"string",
     "shared":true,"url":"string"}],
  "invoiceDate":"2019-08-24T14:15:22Z","invoiceId":"string","invoiceNumber":"string",
  "modifiedBy":"string","modifiedByEmail":"string","modifiedByMobile":"string",
  "modifiedByName":"string","modifiedOn":"2019-08-24T14:15:22Z","netAmount":0,
  "partialPaymentAllowed":true,"payableReferenceId":"string","paymentLink":"string",
  "payoutStatus":{"label":"string","name":"PAID"},"poNumber":"string",
  "receivableStatus":{"label":"string","name":"PAID"},"sellerId":"string","sgst":0,"tds":0,
  "totalReceived":0,"via":"string"},
 "response_code":0,"response_message":"string"}
"""

# §4.7 documented BulkResponse payload (with the counters filled in).
BULK_PAYLOAD: dict[str, Any] = {
    "failureRequests": [{"row": 3, "message": "legalName: must not be blank"}],
    "failure_count": 1,
    "failure_count_second_file": 0,
    "failure_file_name": "failures.csv",
    "failure_file_url": "https://files.enkash.test/failures.csv",
    "successRequests": [{}, {}],
    "success_count": 2,
    "success_file_name": "success.csv",
    "success_file_url": "https://files.enkash.test/success.csv",
    "total_amount": 0,
    "total_count": 3,
    "warn_count": 0,
}


# -- helpers ---------------------------------------------------------------------------------


def envelope(payload: Any = None, message: str = "SUCCESS") -> dict[str, Any]:
    return {"response_code": 0, "response_message": message, "payload": payload}


def ok(payload: Any = None, *, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(200, json=envelope(payload), headers=headers)


def raw_json(text: str) -> httpx.Response:
    return httpx.Response(200, content=text.encode(), headers={"Content-Type": "application/json"})


def query(request: httpx.Request) -> dict[str, str]:
    items = request.url.params.multi_items()
    assert len(items) == len(dict(items)), f"repeated query parameter in {request.url}"
    return dict(items)


def body(request: httpx.Request) -> Any:
    return json.loads(request.content)


def assert_json_call(
    request: httpx.Request,
    method: str,
    path: str,
    params: dict[str, str],
    expected_body: Any,
    token: str = "token-1",
) -> None:
    assert request.method == method
    assert request.url.path == path
    assert query(request) == params
    assert request.headers["Authorization"] == f"Bearer {token}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert body(request) == expected_body


def assert_bodyless_call(
    request: httpx.Request, method: str, path: str, params: dict[str, str]
) -> None:
    assert request.method == method
    assert request.url.path == path
    assert query(request) == params
    assert request.headers["Authorization"] == "Bearer token-1"
    assert request.content == b""
    assert "Content-Type" not in request.headers


def multipart_parts(request: httpx.Request) -> list[dict[str, Any]]:
    """Split a multipart/form-data body into its parts: name, filename, type and content."""
    content_type = request.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=", 1)[1].encode()
    chunks = request.content.split(b"--" + boundary)
    assert chunks[0] == b""
    assert chunks[-1] == b"--\r\n"
    parts = []
    for chunk in chunks[1:-1]:
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        disposition = headers["Content-Disposition"]
        fields = dict(
            item.strip().split("=", 1) for item in disposition.split(";")[1:] if "=" in item
        )
        parts.append(
            {
                "name": fields["name"].strip('"'),
                "filename": fields.get("filename", "").strip('"') or None,
                "content_type": headers.get("Content-Type"),
                "content": data.removesuffix(b"\r\n"),
            }
        )
    return parts


def assert_upload(
    request: httpx.Request,
    path: str,
    params: dict[str, str],
    filename: str,
    content: bytes,
    content_type: str,
) -> None:
    assert request.method == "POST"
    assert request.url.path == path
    assert query(request) == params
    assert request.headers["Authorization"] == "Bearer token-1"
    assert multipart_parts(request) == [
        {"name": "file", "filename": filename, "content_type": content_type, "content": content}
    ]


# -- login -----------------------------------------------------------------------------------


async def test_login_sends_the_documented_password_grant(make_client, fake):
    client = make_client(client_id="enkash-client", client_secret="enkash-secret")

    token = await client.login("saquib.n+ins@enkash.com", "Password@123")

    [request] = fake.requests
    assert request.method == "POST"
    assert request.url.path == "/oauth/token"
    assert query(request) == {}
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["Authorization"] == "Basic ZW5rYXNoLWNsaWVudDplbmthc2gtc2VjcmV0"
    assert parse_qs(request.content.decode(), keep_blank_values=True) == {
        "username": ["saquib.n+ins@enkash.com"],
        "password": ["Password@123"],
        "grant_type": ["password"],
        "clientId": ["enkash-client"],
    }
    assert token.access_token.get_secret_value() == "token-1"
    assert client.signed_in
    assert client.username == "saquib.n+ins@enkash.com"


async def test_login_basic_auth_uses_the_configured_client_id_and_secret(make_client, fake):
    client = make_client()
    await client.login(USERNAME, PASSWORD)

    [request] = fake.requests
    expected = base64.b64encode(b"CEKFOWV7UQ:enkash-secret").decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert parse_qs(request.content.decode())["clientId"] == ["CEKFOWV7UQ"]


async def test_login_form_is_never_encrypted(make_client, fake):
    client = make_client(encrypt_payloads=True)
    await client.login(USERNAME, PASSWORD)

    [request] = fake.requests
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request.content.decode()) == {
        "username": [USERNAME],
        "password": [PASSWORD],
        "grant_type": ["password"],
        "clientId": ["CEKFOWV7UQ"],
    }


async def test_api_calls_carry_the_bearer_token_from_login(client, fake):
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", ok(INVOICE_PAYLOAD))

    await client.get_invoice(INVOICE_ID)

    assert fake.only().headers["Authorization"] == "Bearer token-1"
    assert fake.only().headers["Accept"] == "application/json"


# -- customers -------------------------------------------------------------------------------


async def test_create_customer_sends_the_documented_example(client, fake):
    fake.on("POST", "/api/v0/customer", ok(CUSTOMER_PAYLOAD))
    customer = CustomerCreate.model_validate_json(CREATE_CUSTOMER_EXAMPLE)

    created = await client.create_customer(customer)

    assert_json_call(
        fake.only(), "POST", "/api/v0/customer", {}, json.loads(CREATE_CUSTOMER_EXAMPLE)
    )
    assert isinstance(created, Customer)
    assert created.customer_id == CUSTOMER_ID
    assert created.customer_key_contacts[0].mail_enabled is True
    assert created.customer_key_contacts[0].whatsapp_enabled is True


async def test_create_customer_omits_unset_optional_fields(client, fake):
    fake.on("POST", "/api/v0/customer", ok(CUSTOMER_PAYLOAD))
    customer = CustomerCreate(
        legal_name="Acme Traders Pvt Ltd",
        customer_key_contacts=[
            KeyContactCreate(name="Ravi Kumar", legal_name="Ravi Kumar", mobile="9812345678")
        ],
    )

    await client.create_customer(customer)

    assert body(fake.only()) == {
        "legalName": "Acme Traders Pvt Ltd",
        "customerKeyContacts": [
            {
                "name": "Ravi Kumar",
                "legalName": "Ravi Kumar",
                "mobile": "9812345678",
                "deleted": False,
            }
        ],
    }


async def test_search_customers_sends_window_parent_and_filters(client, fake):
    fake.on("POST", "/api/v0/customer/search", ok([CUSTOMER_PAYLOAD]))
    filters = CustomerFilter(
        assigned_agent="Priya",
        account_number="001234567890",
        created_on_from=dt.datetime(2025, 7, 1, 0, 0, 0),
        created_on_to=dt.datetime(2025, 7, 31, 23, 59, 59),
        customer_status=CustomerStatus.ACTIVE,
    )

    page = await client.search_customers(
        filters,
        offset=50,
        limit=25,
        order_by="legalName",
        direction=SortDirection.DESC,
        parent_company_id=PARENT_ID,
    )

    assert_json_call(
        fake.only(),
        "POST",
        "/api/v0/customer/search",
        {
            "offset": "50",
            "limit": "25",
            "orderBy": "legalName",
            "direction": "DESC",
            "parentCompanyId": PARENT_ID,
        },
        {
            "accountNumber": "001234567890",
            "assignedAgent": "Priya",
            "createdOnFrom": "2025-07-01 00:00:00",
            "createdOnTo": "2025-07-31 23:59:59",
            "customerStatus": "ACTIVE",
        },
    )
    assert [c.customer_id for c in page.items] == [CUSTOMER_ID]


async def test_search_customers_without_filters_sends_an_empty_body_and_defaults(client, fake):
    fake.on("POST", "/api/v0/customer/search", ok([]))

    page = await client.search_customers()

    assert_json_call(
        fake.only(), "POST", "/api/v0/customer/search", {"offset": "0", "limit": "50"}, {}
    )
    assert page.items == []
    assert page.total is None
    assert not page.has_more


async def test_client_level_parent_company_id_is_sent_by_default(make_client, fake):
    client = make_client(parent_company_id=PARENT_ID)
    await client.login(USERNAME, PASSWORD)
    fake.on("POST", "/api/v0/customer/search", ok([]))
    fake.on("DELETE", f"/api/v0/customer/{CUSTOMER_ID}", ok("deleted"))

    await client.search_customers(direction="ASC")
    await client.delete_customer(CUSTOMER_ID, parent_company_id="CEKOTHER01")

    search, delete = fake.api_requests
    assert query(search) == {
        "offset": "0",
        "limit": "50",
        "direction": "ASC",
        "parentCompanyId": PARENT_ID,
    }
    assert query(delete) == {"parentCompanyId": "CEKOTHER01"}


@pytest.mark.parametrize("limit", [51, 500, 0])
async def test_search_customers_limit_out_of_range_is_refused_before_sending(client, fake, limit):
    with pytest.raises(ValidationError):
        await client.search_customers(limit=limit)
    assert fake.api_requests == []


async def test_search_customers_accepts_the_documented_maximum(client, fake):
    fake.on("POST", "/api/v0/customer/search", ok([]))
    await client.search_customers(limit=50)
    assert query(fake.only())["limit"] == "50"


async def test_update_customer_sends_only_the_fields_set(client, fake):
    fake.on("PATCH", f"/api/v0/customer/{CUSTOMER_ID}", ok(CUSTOMER_PAYLOAD))
    changes = CustomerUpdate(
        assigned_agent="Priya", branch_codes=["PUN01"], pin_code="411002", ifsc=None
    )

    updated = await client.update_customer(CUSTOMER_ID, changes, parent_company_id=PARENT_ID)

    assert_json_call(
        fake.only(),
        "PATCH",
        f"/api/v0/customer/{CUSTOMER_ID}",
        {"parentCompanyId": PARENT_ID},
        {"assignedAgent": "Priya", "branchCodes": ["PUN01"], "pinCode": "411002", "ifsc": None},
    )
    assert b'"ifsc":null' in fake.only().content
    assert isinstance(updated, Customer)


async def test_update_customer_nested_contacts_and_reminders_keep_their_wire_names(client, fake):
    fake.on("PATCH", f"/api/v0/customer/{CUSTOMER_ID}", ok(CUSTOMER_PAYLOAD))
    changes = CustomerUpdate(
        customer_key_contacts=[
            KeyContactCreate(
                name="Ravi Kumar",
                legal_name="Ravi Kumar",
                mobile="9812345678",
                mail_enabled=True,
                sms_enabled=False,
                whatsapp_enabled=True,
            ),
            KeyContactCreate(
                key_contact_person_id="KCP2",
                name="Asha",
                legal_name="Asha Rao",
                mobile="+91 9876543210",
                email="asha@acme.in",
            ),
        ],
        customer_reminders=[
            ReminderCreate(
                due_date_difference=0, reminder_time=dt.time(9, 30), reminder_type="ONCE"
            )
        ],
    )

    await client.update_customer(CUSTOMER_ID, changes)

    assert_json_call(
        fake.only(),
        "PATCH",
        f"/api/v0/customer/{CUSTOMER_ID}",
        {},
        {
            "customerKeyContacts": [
                {
                    "name": "Ravi Kumar",
                    "legalName": "Ravi Kumar",
                    "mobile": "9812345678",
                    "deleted": False,
                    "mail_enabled": True,
                    "sms_enabled": False,
                    "whatsapp_enabled": True,
                },
                {
                    "keyContactPersonId": "KCP2",
                    "name": "Asha",
                    "legalName": "Asha Rao",
                    "mobile": "+91 9876543210",
                    "email": "asha@acme.in",
                    "deleted": False,
                },
            ],
            "customerReminders": [
                {"dueDateDifference": 0, "reminderTime": "09:30", "reminderType": "ONCE"}
            ],
        },
    )


@pytest.mark.parametrize(
    ("operation", "path"),
    [
        ("activate_customer", f"/api/v0/customer/activate/{CUSTOMER_ID}"),
        ("deactivate_customer", f"/api/v0/customer/deactivate/{CUSTOMER_ID}"),
    ],
)
async def test_activate_and_deactivate_return_the_customer_when_the_payload_is_one(
    client, fake, operation, path
):
    fake.on("PUT", path, ok({**CUSTOMER_PAYLOAD, "status": "INACTIVE"}))

    result = await getattr(client, operation)(CUSTOMER_ID, parent_company_id=PARENT_ID)

    assert_bodyless_call(fake.only(), "PUT", path, {"parentCompanyId": PARENT_ID})
    assert isinstance(result, Customer)
    assert result.customer_id == CUSTOMER_ID
    assert result.status == "INACTIVE"


@pytest.mark.parametrize(
    ("operation", "path"),
    [
        ("activate_customer", f"/api/v0/customer/activate/{CUSTOMER_ID}"),
        ("deactivate_customer", f"/api/v0/customer/deactivate/{CUSTOMER_ID}"),
    ],
)
async def test_activate_and_deactivate_return_none_when_the_payload_is_text(
    client, fake, operation, path
):
    fake.on("PUT", path, ok("Customer status updated"))

    result = await getattr(client, operation)(CUSTOMER_ID)

    assert_bodyless_call(fake.only(), "PUT", path, {})
    assert result is None


async def test_delete_customer_returns_the_payload_text(client, fake):
    path = f"/api/v0/customer/{CUSTOMER_ID}"
    fake.on("DELETE", path, ok("Customer deleted successfully"))

    result = await client.delete_customer(CUSTOMER_ID, parent_company_id=PARENT_ID)

    assert_bodyless_call(fake.only(), "DELETE", path, {"parentCompanyId": PARENT_ID})
    assert result == "Customer deleted successfully"


async def test_bulk_create_customers_uploads_bytes_as_multipart_file(client, fake):
    fake.on("POST", "/api/v0/customer/bulk", ok(BULK_PAYLOAD))
    csv = b"legalName,contactName,contactMobile\nAcme,Ravi,9812345678\n"

    result = await client.bulk_create_customers(
        csv, company_id=COMPANY_ID, filename="customers.csv"
    )

    assert_upload(
        fake.only(),
        "/api/v0/customer/bulk",
        {"companyId": COMPANY_ID},
        "customers.csv",
        csv,
        "text/csv",
    )
    assert isinstance(result, BulkResult)
    assert (result.total_count, result.success_count, result.failure_count) == (3, 2, 1)
    assert result.failure_file_url == "https://files.enkash.test/failures.csv"
    assert result.row_failures[0].row == 3


async def test_bulk_create_customers_reads_a_path_and_uses_the_client_company(
    make_client, fake, tmp_path
):
    client = make_client(company_id=COMPANY_ID)
    await client.login(USERNAME, PASSWORD)
    fake.on("POST", "/api/v0/customer/bulk", ok(BULK_PAYLOAD))
    sheet = tmp_path / "New Customers.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not really a workbook")

    await client.bulk_create_customers(sheet)

    assert_upload(
        fake.only(),
        "/api/v0/customer/bulk",
        {"companyId": COMPANY_ID},
        "New Customers.xlsx",
        b"PK\x03\x04 not really a workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


async def test_bulk_create_customers_without_a_company_is_refused_before_sending(client, fake):
    with pytest.raises(ValueError, match="companyId"):
        await client.bulk_create_customers(b"legalName\nAcme\n")
    assert fake.api_requests == []


async def test_bulk_update_customers_uploads_to_bulk_update(client, fake, tmp_path):
    fake.on("POST", "/api/v0/customer/bulk/update", ok(BULK_PAYLOAD))
    sheet = tmp_path / "changes.csv"
    sheet.write_bytes(b"customerId,assignedAgent\nKC1A2B3C4D5E6F7G,Priya\n")

    result = await client.bulk_update_customers(sheet, parent_company_id=PARENT_ID)

    assert_upload(
        fake.only(),
        "/api/v0/customer/bulk/update",
        {"parentCompanyId": PARENT_ID},
        "changes.csv",
        b"customerId,assignedAgent\nKC1A2B3C4D5E6F7G,Priya\n",
        "text/csv",
    )
    assert result.success_count == 2


async def test_get_customer_contacts(client, fake):
    path = f"/api/v0/customer/{CUSTOMER_ID}/contacts"
    fake.on("GET", path, ok(CUSTOMER_PAYLOAD["customerKeyContacts"]))

    contacts = await client.get_customer_contacts(CUSTOMER_ID, parent_company_id=PARENT_ID)

    assert_bodyless_call(fake.only(), "GET", path, {"parentCompanyId": PARENT_ID})
    assert contacts == [
        KeyContact(
            key_contact_person_id="KCP1",
            name="Ravi Kumar",
            legal_name="Ravi Kumar",
            mobile="9812345678",
            deleted=False,
            mail_enabled=True,
            sms_enabled=False,
            whatsapp_enabled=True,
        )
    ]


# -- invoices --------------------------------------------------------------------------------


async def test_create_invoice_sends_the_documented_example_with_numeric_amounts(client, fake):
    fake.on("POST", "/api/v0/invoice", ok(INVOICE_PAYLOAD))
    invoice = InvoiceCreate.model_validate_json(CREATE_INVOICE_EXAMPLE)

    created = await client.create_invoice(invoice, seller_id=SELLER_ID)

    request = fake.only()
    assert_json_call(
        request,
        "POST",
        "/api/v0/invoice",
        {"sellerId": SELLER_ID},
        json.loads(CREATE_INVOICE_EXAMPLE),
    )
    sent = body(request)
    for field, value in {"baseAmount": 10000.0, "cgst": 900.0, "sgst": 900.0}.items():
        assert type(sent[field]) in (int, float), f"{field} is not a JSON number"
        assert sent[field] == value
    assert sent["invoiceDate"] in ("2025-07-01T10:00:00Z", "2025-07-01T10:00:00+00:00")
    assert sent["dueDate"] == "2025-07-31"
    assert isinstance(created, Invoice)
    assert created.net_amount == Decimal("10900.50")
    assert isinstance(created.net_amount, Decimal)
    assert created.receivable_status == StatusRef(name="UNPAID", label="Unpaid")


async def test_create_invoice_fractional_amounts_are_json_numbers(client, fake):
    fake.on("POST", "/api/v0/invoice", ok(INVOICE_PAYLOAD))
    invoice = InvoiceCreate(
        customer_id=CUSTOMER_ID,
        due_date=dt.date(2025, 7, 31),
        base_amount=Decimal("1234.56"),
        tds=Decimal("12.30"),
    )

    await client.create_invoice(invoice)

    request = fake.only()
    assert query(request) == {}
    assert body(request) == {
        "customerId": CUSTOMER_ID,
        "dueDate": "2025-07-31",
        "baseAmount": 1234.56,
        "tds": 12.3,
    }
    assert b'"baseAmount":1234.56' in request.content


async def test_bulk_create_invoices_uploads_the_file(client, fake):
    fake.on("POST", "/api/v0/invoice/bulk/create", ok(BULK_PAYLOAD))
    csv = b"customerId,dueDate,baseAmount\nKC1A2B3C4D5E6F7G,2025-07-31,100\n"

    result = await client.bulk_create_invoices(csv, seller_id=SELLER_ID, filename="inv.csv")

    assert_upload(
        fake.only(),
        "/api/v0/invoice/bulk/create",
        {"sellerId": SELLER_ID},
        "inv.csv",
        csv,
        "text/csv",
    )
    assert result.total_count == 3


async def test_dispatch_invoices_sends_ids_and_flag_and_reads_the_action_result(client, fake):
    fake.on("POST", "/api/v0/invoice/bulk/dispatch", ok(ACTION_PAYLOAD))

    result = await client.dispatch_invoices(
        [INVOICE_ID, "KIDELETED0000001"], partial_payment_allowed=True, seller_id=SELLER_ID
    )

    assert_json_call(
        fake.only(),
        "POST",
        "/api/v0/invoice/bulk/dispatch",
        {"sellerId": SELLER_ID},
        {"invoiceIds": [INVOICE_ID, "KIDELETED0000001"], "partialPaymentAllowed": True},
    )
    assert isinstance(result, InvoiceActionResult)
    assert [(o.invoice_id, o.message) for o in result.success_invoices] == [
        (INVOICE_ID, "Dispatched")
    ]
    assert [(o.invoice_id, o.message) for o in result.failure_invoices] == [
        ("KIDELETED0000001", "Invoice is deleted")
    ]
    assert not result.all_succeeded


async def test_dispatch_invoices_without_flag_sends_only_ids_and_reads_text_payload(client, fake):
    fake.on("POST", "/api/v0/invoice/bulk/dispatch", ok("Dispatch queued"))

    result = await client.dispatch_invoices([INVOICE_ID])

    assert_json_call(
        fake.only(), "POST", "/api/v0/invoice/bulk/dispatch", {}, {"invoiceIds": [INVOICE_ID]}
    )
    assert result == InvoiceActionResult(message="Dispatch queued")


@pytest.mark.parametrize("operation", ["dispatch_invoices", "delete_invoices"])
async def test_bulk_invoice_actions_need_at_least_one_id(client, fake, operation):
    with pytest.raises(ValidationError):
        await getattr(client, operation)([])
    assert fake.api_requests == []


async def test_delete_invoices(client, fake):
    fake.on("POST", "/api/v0/invoice/bulk/delete", ok(ACTION_PAYLOAD))

    result = await client.delete_invoices([INVOICE_ID], seller_id=SELLER_ID)

    assert_json_call(
        fake.only(),
        "POST",
        "/api/v0/invoice/bulk/delete",
        {"sellerId": SELLER_ID},
        {"invoiceIds": [INVOICE_ID]},
    )
    assert result.success_invoices[0].invoice_id == INVOICE_ID


async def test_search_invoices_sends_the_documented_example(client, fake):
    fake.on("POST", "/api/v0/invoice/search", ok([INVOICE_PAYLOAD]))
    filters = InvoiceFilter(
        customer_ids=[CUSTOMER_ID],
        dispatched=True,
        due_date_from=dt.datetime(2025, 7, 1, 0, 0, 0),
        due_date_to=dt.datetime(2025, 7, 31, 23, 59, 59),
        approval_statuses=[ApprovalStatus.MAKER_APPROVED],
    )

    page = await client.search_invoices(
        filters, offset=0, limit=100, order_by="dueDate", direction="ASC", seller_id=SELLER_ID
    )

    assert_json_call(
        fake.only(),
        "POST",
        "/api/v0/invoice/search",
        {
            "offset": "0",
            "limit": "100",
            "orderBy": "dueDate",
            "direction": "ASC",
            "sellerId": SELLER_ID,
        },
        json.loads(SEARCH_INVOICES_EXAMPLE),
    )
    assert [invoice.invoice_id for invoice in page.items] == [INVOICE_ID]


async def test_search_invoices_amount_and_timestamp_filters(client, fake):
    fake.on("POST", "/api/v0/invoice/search", ok([]))
    filters = InvoiceFilter(
        balance_amount_from=Decimal("100.50"),
        net_amount_to=Decimal("5000"),
        created_on_from=dt.datetime(2025, 1, 2, 3, 4, 5),
    )

    await client.search_invoices(filters)

    request = fake.only()
    assert query(request) == {"offset": "0", "limit": "100"}
    assert body(request) == {
        "balanceAmountFrom": 100.5,
        "netAmountTo": 5000,
        "createdOnFrom": "2025-01-02 03:04:05",
    }


@pytest.mark.parametrize("limit", [5001, 10_000, 0])
async def test_search_invoices_limit_out_of_range_is_refused_before_sending(client, fake, limit):
    with pytest.raises(ValidationError):
        await client.search_invoices(limit=limit)
    assert fake.api_requests == []


async def test_search_invoices_accepts_the_documented_maximum(client, fake):
    fake.on("POST", "/api/v0/invoice/search", ok([]))
    await client.search_invoices(limit=5000)
    assert query(fake.only())["limit"] == "5000"


@pytest.mark.parametrize("bad", [{"order_by": "due date; drop"}, {"direction": "SIDEWAYS"}])
async def test_search_invoices_bad_sort_is_refused_before_sending(client, fake, bad):
    with pytest.raises(ValidationError):
        await client.search_invoices(**bad)
    assert fake.api_requests == []


async def test_search_result_as_a_plain_list_with_x_total_count(client, fake):
    rows = [{**INVOICE_PAYLOAD, "invoiceId": f"KI{n}"} for n in range(2)]
    fake.on("POST", "/api/v0/invoice/search", ok(rows, headers={"X-Total-Count": "5"}))

    page = await client.search_invoices(offset=0, limit=2)

    assert [i.invoice_id for i in page.items] == ["KI0", "KI1"]
    assert all(isinstance(i, Invoice) for i in page.items)
    assert (page.offset, page.limit, page.total) == (0, 2, 5)
    assert page.has_more
    assert page.next_offset == 2


async def test_search_result_as_a_page_object(client, fake):
    rows = [{**CUSTOMER_PAYLOAD, "customerId": f"KC{n:014d}"} for n in range(3)]
    fake.on("POST", "/api/v0/customer/search", ok({"content": rows, "totalElements": 13}))

    page = await client.search_customers(offset=10, limit=3)

    assert [c.customer_id for c in page.items] == [f"KC{n:014d}" for n in range(3)]
    assert page.total == 13
    assert not page.has_more

    fake.on("POST", "/api/v0/customer/search", ok({"content": rows[:1], "totalElements": 13}))
    page = await client.search_customers(offset=0, limit=1)
    assert page.total == 13
    assert page.has_more


async def test_search_result_with_a_malformed_row_is_a_response_format_error(client, fake):
    # A reply EnKash sends that does not fit the model is the server's fault, not the user's:
    # it must be ResponseFormatError like every other unreadable reply, not a ValidationError
    # (which the client reserves for local input checked before sending).
    fake.on("POST", "/api/v0/invoice/search", ok([{"invoiceNumber": "INV-1"}]))

    with pytest.raises(ResponseFormatError):
        await client.search_invoices()


async def test_iter_invoices_walks_every_page_by_total(client, fake):
    rows = [{**INVOICE_PAYLOAD, "invoiceId": f"KI{n}"} for n in range(5)]

    def answer(request: httpx.Request) -> httpx.Response:
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        return ok(rows[offset : offset + limit], headers={"X-Total-Count": "5"})

    fake.on("POST", "/api/v0/invoice/search", answer)
    filters = InvoiceFilter(dispatched=False)

    seen = [invoice.invoice_id async for invoice in client.iter_invoices(filters, page_size=2)]

    assert seen == ["KI0", "KI1", "KI2", "KI3", "KI4"]
    assert [query(r)["offset"] for r in fake.api_requests] == ["0", "2", "4"]
    assert {query(r)["limit"] for r in fake.api_requests} == {"2"}
    assert all(body(r) == {"dispatched": False} for r in fake.api_requests)


async def test_iter_invoices_without_total_stops_after_a_short_page(client, fake):
    rows = [{**INVOICE_PAYLOAD, "invoiceId": f"KI{n}"} for n in range(5)]

    def answer(request: httpx.Request) -> httpx.Response:
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        return ok({"content": rows[offset : offset + limit]})

    fake.on("POST", "/api/v0/invoice/search", answer)

    seen = [invoice.invoice_id async for invoice in client.iter_invoices(page_size=2)]

    assert seen == ["KI0", "KI1", "KI2", "KI3", "KI4"]
    assert [query(r)["offset"] for r in fake.api_requests] == ["0", "2", "4"]


async def test_iter_customers_walks_pages(client, fake):
    rows = [{**CUSTOMER_PAYLOAD, "customerId": f"KC{n:014d}"} for n in range(3)]

    def answer(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        return ok({"customers": rows[offset : offset + 2], "totalCount": 3})

    fake.on("POST", "/api/v0/customer/search", answer)

    seen = [c.customer_id async for c in client.iter_customers(page_size=2)]

    assert seen == [f"KC{n:014d}" for n in range(3)]
    assert [query(r)["offset"] for r in fake.api_requests] == ["0", "2"]


async def test_get_invoice_parses_the_documented_example(client, fake):
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", raw_json(GET_INVOICE_EXAMPLE))

    invoice = await client.get_invoice(INVOICE_ID, seller_id=SELLER_ID)

    assert_bodyless_call(
        fake.only(), "GET", f"/api/v0/invoice/{INVOICE_ID}", {"sellerId": SELLER_ID}
    )
    assert isinstance(invoice, Invoice)
    assert invoice.invoice_id == "string"
    for name in (
        "balance_amount",
        "base_amount",
        "cgst",
        "sgst",
        "igst",
        "tds",
        "net_amount",
        "total_received",
    ):
        amount = getattr(invoice, name)
        assert isinstance(amount, Decimal), name
        assert amount == Decimal(0), name
    assert invoice.approval_status == StatusRef(label="string", name="PAID")
    assert invoice.receivable_status == StatusRef(label="string", name="PAID")
    assert invoice.payout_status == StatusRef(label="string", name="PAID")
    assert invoice.due_date == dt.date(2019, 8, 24)
    utc_moment = dt.datetime(2019, 8, 24, 14, 15, 22, tzinfo=dt.UTC)
    assert invoice.invoice_date == utc_moment
    assert invoice.created_on == utc_moment
    assert invoice.dispatched_on == utc_moment
    assert invoice.dispatched is True
    assert invoice.partial_payment_allowed is True
    assert invoice.has_key_contacts is True
    [attachment] = invoice.invoice_attachments
    assert attachment.attachment_source == "TALLY_INVOICE"
    assert attachment.primary is True
    assert attachment.original_filename == "string"


async def test_get_invoice_keeps_decimal_precision(client, fake):
    fake.on(
        "GET",
        f"/api/v0/invoice/{INVOICE_ID}",
        raw_json(
            '{"response_code":0,"payload":{"invoiceId":"' + INVOICE_ID + '","netAmount":10900.10,'
            '"balanceAmount":0.30000000000000004,"approvalStatus":"MAKER_APPROVED"}}'
        ),
    )

    invoice = await client.get_invoice(INVOICE_ID)

    assert invoice.net_amount == Decimal("10900.10")
    assert invoice.balance_amount == Decimal("0.30000000000000004")
    assert invoice.approval_status == StatusRef(name="MAKER_APPROVED")


async def test_update_invoice_sends_only_the_fields_set(client, fake):
    path = f"/api/v0/invoice/{INVOICE_ID}"
    fake.on("PATCH", path, ok(INVOICE_PAYLOAD))
    changes = InvoiceUpdate(
        due_date=dt.date(2025, 8, 15), partial_payment_allowed=False, po_number=None
    )

    updated = await client.update_invoice(INVOICE_ID, changes, seller_id=SELLER_ID)

    assert_json_call(
        fake.only(),
        "PATCH",
        path,
        {"sellerId": SELLER_ID},
        {"dueDate": "2025-08-15", "partialPaymentAllowed": False, "poNumber": None},
    )
    assert isinstance(updated, Invoice)


async def test_update_invoice_amounts_are_numbers(client, fake):
    path = f"/api/v0/invoice/{INVOICE_ID}"
    fake.on("PATCH", path, ok(INVOICE_PAYLOAD))

    await client.update_invoice(
        INVOICE_ID, InvoiceUpdate(base_amount=Decimal("2500.75"), cgst=None)
    )

    assert body(fake.only()) == {"baseAmount": 2500.75, "cgst": None}


# -- payment reminders -----------------------------------------------------------------------


async def test_create_reminder(client, fake):
    fake.on("POST", "/api/v0/customer-reminder", ok(REMINDER_PAYLOAD))
    reminder = ReminderCreate(
        reminder_type=ReminderType.RECURRING,
        due_date_difference=-3,
        reminder_interval=2,
        reminder_time=dt.time(10, 0),
        stage="BEFORE_DUE",
    )

    created = await client.create_reminder(CUSTOMER_ID, reminder)

    assert_json_call(
        fake.only(),
        "POST",
        "/api/v0/customer-reminder",
        {"customerId": CUSTOMER_ID},
        {
            "reminderType": "RECURRING",
            "dueDateDifference": -3,
            "reminderInterval": 2,
            "reminderTime": "10:00",
            "stage": "BEFORE_DUE",
        },
    )
    assert isinstance(created, Reminder)
    assert created.customer_reminder_id == REMINDER_ID


async def test_list_reminders(client, fake):
    fake.on("GET", "/api/v0/customer-reminder", ok([REMINDER_PAYLOAD]))

    reminders = await client.list_reminders(CUSTOMER_ID)

    assert_bodyless_call(
        fake.only(), "GET", "/api/v0/customer-reminder", {"customerId": CUSTOMER_ID}
    )
    assert [r.customer_reminder_id for r in reminders] == [REMINDER_ID]
    assert reminders[0].reminder_time == "10:00"


async def test_get_reminder(client, fake):
    path = f"/api/v0/customer-reminder/{REMINDER_ID}"
    fake.on("GET", path, ok({**REMINDER_PAYLOAD, "reminderTime": {"hour": 9, "minute": 5}}))

    reminder = await client.get_reminder(REMINDER_ID)

    assert_bodyless_call(fake.only(), "GET", path, {})
    assert reminder.reminder_time == "09:05"
    assert reminder.reminder_type == "RECURRING"


async def test_update_reminder_sends_only_the_fields_set(client, fake):
    path = f"/api/v0/customer-reminder/{REMINDER_ID}"
    fake.on("PATCH", path, ok(REMINDER_PAYLOAD))

    await client.update_reminder(
        REMINDER_ID, ReminderUpdate(reminder_time=dt.time(18, 45), stage=None)
    )

    assert_json_call(fake.only(), "PATCH", path, {}, {"reminderTime": "18:45", "stage": None})


async def test_delete_reminder_returns_the_payload_text(client, fake):
    path = f"/api/v0/customer-reminder/{REMINDER_ID}"
    fake.on("DELETE", path, ok("Reminder deleted"))

    result = await client.delete_reminder(REMINDER_ID)

    assert_bodyless_call(fake.only(), "DELETE", path, {})
    assert result == "Reminder deleted"


# -- Bharat Connect 2.0 ----------------------------------------------------------------------


async def test_confirm_payment(client, fake):
    fake.on("POST", "/api/v0/invoice/payment-confirmation", ok(ACTION_PAYLOAD))
    confirmation = PaymentConfirmation(
        invoice_ids=[INVOICE_ID],
        payment_id=PAYMENT_ID,
        remarks="Received in bank",
        response=SupplierResponse.ACCEPT,
        type=PaymentType.OFFPLATFORM,
    )

    result = await client.confirm_payment(confirmation, seller_id=SELLER_ID)

    assert_json_call(
        fake.only(),
        "POST",
        "/api/v0/invoice/payment-confirmation",
        {"sellerId": SELLER_ID},
        {
            "invoiceIds": [INVOICE_ID],
            "paymentId": PAYMENT_ID,
            "remarks": "Received in bank",
            "response": "ACCEPT",
            "type": "OFFPLATFORM",
        },
    )
    assert isinstance(result, InvoiceActionResult)
    assert [o.invoice_id for o in result.success_invoices] == [INVOICE_ID]
    assert [o.invoice_id for o in result.failure_invoices] == ["KIDELETED0000001"]


async def test_change_invoice_status(client, fake):
    fake.on("POST", "/api/v0/invoice/change-status", ok(ACTION_PAYLOAD))
    change = InvoiceStatusChange(
        invoice_ids=[INVOICE_ID],
        status=BharatConnectStatus.CANCELLED,
        remarks="Duplicate invoice",
        object_versions={INVOICE_ID: 2},
    )

    result = await client.change_invoice_status(change)

    assert_json_call(
        fake.only(),
        "POST",
        "/api/v0/invoice/change-status",
        {},
        {
            "invoiceIds": [INVOICE_ID],
            "status": "CANCELLED",
            "remarks": "Duplicate invoice",
            "objectVersions": {INVOICE_ID: 2},
        },
    )
    assert result.success_invoices[0].message == "Dispatched"


# -- identifiers and paths -------------------------------------------------------------------

BAD_CUSTOMER_IDS = [
    "kc1a2b3c4d5e6f7g",
    "KC1A2B3C4D5E6F7",
    "KC1A2B3C4D5E6F7GH",
    "XX1A2B3C4D5E6F7G",
    "KC1A2B3C4D5E6F7G\n",
    "KC1A2B3C4D5E6/7G",
    "",
]

CUSTOMER_ID_CALLS = {
    "update_customer": lambda c, cid: c.update_customer(cid, CustomerUpdate(state="Goa")),
    "activate_customer": lambda c, cid: c.activate_customer(cid),
    "deactivate_customer": lambda c, cid: c.deactivate_customer(cid),
    "delete_customer": lambda c, cid: c.delete_customer(cid),
    "get_customer_contacts": lambda c, cid: c.get_customer_contacts(cid),
    "create_reminder": lambda c, cid: c.create_reminder(
        cid, ReminderCreate(due_date_difference=1, reminder_time="10:00", reminder_type="ONCE")
    ),
    "list_reminders": lambda c, cid: c.list_reminders(cid),
}


@pytest.mark.parametrize("operation", sorted(CUSTOMER_ID_CALLS))
@pytest.mark.parametrize("bad_id", BAD_CUSTOMER_IDS)
async def test_invalid_customer_ids_are_refused_before_sending(client, fake, operation, bad_id):
    with pytest.raises(ValueError, match="customerId"):
        await CUSTOMER_ID_CALLS[operation](client, bad_id)
    assert fake.api_requests == []


async def test_path_values_are_url_quoted(client, fake):
    fake.on("GET", "/api/v0/invoice/INV/7 #1?x", ok({"invoiceId": "INV/7 #1?x"}))
    fake.on("DELETE", "/api/v0/customer-reminder/R 1/2", ok("gone"))

    invoice = await client.get_invoice("INV/7 #1?x")
    await client.delete_reminder("R 1/2")

    get, delete = fake.api_requests
    assert get.url.raw_path == b"/api/v0/invoice/INV%2F7%20%231%3Fx"
    assert query(get) == {}
    assert invoice.invoice_id == "INV/7 #1?x"
    assert delete.url.raw_path == b"/api/v0/customer-reminder/R%201%2F2"


PATH_ID_CALLS = {
    "get_invoice": lambda c, v: c.get_invoice(v),
    "update_invoice": lambda c, v: c.update_invoice(v, InvoiceUpdate(description="x")),
    "get_reminder": lambda c, v: c.get_reminder(v),
    "update_reminder": lambda c, v: c.update_reminder(v, ReminderUpdate(stage="AFTER_DUE")),
    "delete_reminder": lambda c, v: c.delete_reminder(v),
}


@pytest.mark.parametrize("operation", sorted(PATH_ID_CALLS))
async def test_path_values_that_would_change_the_target_are_refused(client, fake, operation):
    # Quoting alone does not protect these: "" and "." address the collection
    # (DELETE /api/v0/customer-reminder) and ".." is resolved away by the URL normaliser
    # (DELETE /api/v0). A path value must name exactly one resource, or be refused unsent.
    for method in ("GET", "PATCH", "DELETE"):
        for path in (
            "/api/v0",
            "/api/v0/",
            "/api/v0/invoice",
            "/api/v0/invoice/",
            "/api/v0/customer-reminder",
            "/api/v0/customer-reminder/",
        ):
            fake.on(method, path, ok("wrong target"))

    refused = []
    for value in ("", ".", ".."):
        try:
            await PATH_ID_CALLS[operation](client, value)
        except ValueError:
            refused.append(value)
        except EnkashError:
            pass  # the request went out (to the wrong resource) and the reply did not fit

    assert [f"{r.method} {r.url.raw_path.decode()}" for r in fake.api_requests] == []
    assert refused == ["", ".", ".."]


def test_invalid_tenant_ids_in_the_constructor_are_refused():
    for option in ("company_id", "seller_id", "parent_company_id"):
        with pytest.raises(ValueError):
            EnkashClient("https://enkash.test", "CEKFOWV7UQ", SECRET, **{option: "cek1234567"})


# -- route overrides -------------------------------------------------------------------------


async def test_route_override_changes_method_and_path(make_client, fake):
    client = make_client(
        route_overrides={
            "deactivate_customer": "POST /api/v1/x/{customerId}",
            "get_customer_contacts": "/api/v0/customer/{customerId}/key-contacts",
        }
    )
    await client.login(USERNAME, PASSWORD)
    fake.on("POST", f"/api/v1/x/{CUSTOMER_ID}", ok("Deactivated"))
    fake.on("GET", f"/api/v0/customer/{CUSTOMER_ID}/key-contacts", ok([]))

    assert await client.deactivate_customer(CUSTOMER_ID, parent_company_id=PARENT_ID) is None
    assert await client.get_customer_contacts(CUSTOMER_ID) == []

    deactivate, contacts = fake.api_requests
    assert (deactivate.method, deactivate.url.path) == ("POST", f"/api/v1/x/{CUSTOMER_ID}")
    assert query(deactivate) == {"parentCompanyId": PARENT_ID}
    assert (contacts.method, contacts.url.path) == (
        "GET",
        f"/api/v0/customer/{CUSTOMER_ID}/key-contacts",
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"no_such_operation": "GET /x"},
        {"get_invoice": "FETCH /api/v0/invoice/{invoiceId}"},
        {"get_invoice": "api/v0/invoice/{invoiceId}"},
    ],
)
def test_bad_route_overrides_are_refused(overrides):
    with pytest.raises(ValueError):
        EnkashClient("https://enkash.test", "CEKFOWV7UQ", SECRET, route_overrides=overrides)


# -- base URL --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://enkash.test",
        "https://api.enkash.in",
        "http://localhost:8080",
        "http://127.0.0.1:8000",
        "http://127.8.9.10",
        "http://[::1]:8000",
    ],
)
def test_https_and_loopback_http_base_urls_are_accepted(url):
    assert check_base_url(url) == httpx.URL(url)
    EnkashClient(url, "CEKFOWV7UQ", SECRET)


@pytest.mark.parametrize(
    "url",
    [
        "http://enkash.test",
        "http://api.enkash.in",
        "http://10.0.0.5:8080",
        "http://localhost.evil.test",
        "http://127.0.0.1.evil.test",
        "ftp://enkash.test",
    ],
)
def test_plain_http_to_other_hosts_is_refused(url):
    with pytest.raises(ValueError, match="https"):
        check_base_url(url)
    with pytest.raises(ValueError):
        EnkashClient(url, "CEKFOWV7UQ", SECRET)


# -- payload encryption ----------------------------------------------------------------------


def encrypted(document: Any) -> httpx.Response:
    return httpx.Response(200, json={"request": crypto.encrypt(json.dumps(document), SECRET)})


async def test_encrypted_json_body_is_wrapped_and_decrypts_to_the_plain_body(make_client, fake):
    client = make_client(encrypt_payloads=True)
    await client.login(USERNAME, PASSWORD)
    fake.on("PATCH", f"/api/v0/invoice/{INVOICE_ID}", ok(INVOICE_PAYLOAD))

    await client.update_invoice(
        INVOICE_ID,
        InvoiceUpdate(due_date=dt.date(2025, 8, 15), partial_payment_allowed=False, po_number=None),
        seller_id=SELLER_ID,
    )

    request = fake.only()
    assert request.headers["Content-Type"] == "application/json"
    assert query(request) == {"sellerId": SELLER_ID}
    wrapper = body(request)
    assert list(wrapper) == ["request"]
    base64.b64decode(wrapper["request"], validate=True)
    assert json.loads(crypto.decrypt(wrapper["request"], SECRET)) == {
        "dueDate": "2025-08-15",
        "partialPaymentAllowed": False,
        "poNumber": None,
    }
    assert b"dueDate" not in request.content


async def test_encrypted_response_is_decrypted(make_client, fake):
    client = make_client(encrypt_payloads=True)
    await client.login(USERNAME, PASSWORD)
    fake.on("POST", "/api/v0/customer/search", encrypted(envelope([CUSTOMER_PAYLOAD])))

    page = await client.search_customers(CustomerFilter(legal_name="Acme"))

    assert [c.customer_id for c in page.items] == [CUSTOMER_ID]
    wrapper = body(fake.only())
    assert json.loads(crypto.decrypt(wrapper["request"], SECRET)) == {"legalName": "Acme"}


async def test_plain_envelope_is_still_read_in_encrypted_mode(make_client, fake):
    client = make_client(encrypt_payloads=True)
    await client.login(USERNAME, PASSWORD)
    fake.on("POST", "/api/v0/invoice", ok(INVOICE_PAYLOAD))

    created = await client.create_invoice(
        InvoiceCreate(customer_id=CUSTOMER_ID, due_date="2025-07-31", base_amount=100)
    )

    assert created.invoice_id == INVOICE_ID


async def test_undecryptable_response_is_a_response_format_error(make_client, fake):
    client = make_client(encrypt_payloads=True)
    await client.login(USERNAME, PASSWORD)
    wrong_key = crypto.encrypt(json.dumps(envelope(INVOICE_PAYLOAD)), "another-secret")
    fake.on(
        "GET", f"/api/v0/invoice/{INVOICE_ID}", httpx.Response(200, json={"request": wrong_key})
    )

    with pytest.raises(ResponseFormatError):
        await client.get_invoice(INVOICE_ID)


async def test_gets_and_uploads_are_not_wrapped_in_encrypted_mode(make_client, fake):
    client = make_client(encrypt_payloads=True)
    await client.login(USERNAME, PASSWORD)
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", encrypted(envelope(INVOICE_PAYLOAD)))
    fake.on("POST", "/api/v0/invoice/bulk/create", encrypted(envelope(BULK_PAYLOAD)))
    fake.on("PUT", f"/api/v0/customer/activate/{CUSTOMER_ID}", ok("Activated"))
    csv = b"customerId,dueDate,baseAmount\nKC1A2B3C4D5E6F7G,2025-07-31,100\n"

    invoice = await client.get_invoice(INVOICE_ID)
    result = await client.bulk_create_invoices(csv, filename="inv.csv")
    await client.activate_customer(CUSTOMER_ID)

    get, upload, activate = fake.api_requests
    assert invoice.invoice_id == INVOICE_ID
    assert_bodyless_call(get, "GET", f"/api/v0/invoice/{INVOICE_ID}", {})
    assert_upload(upload, "/api/v0/invoice/bulk/create", {}, "inv.csv", csv, "text/csv")
    assert result.total_count == 3
    assert_bodyless_call(activate, "PUT", f"/api/v0/customer/activate/{CUSTOMER_ID}", {})
