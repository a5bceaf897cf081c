"""EnkashClient sign-in, token renewal, error mapping, retries and network failures.

Runs the real client against ``httpx.MockTransport`` (the ``fake`` fixture in conftest.py) with
a fake clock and a fake ``sleep`` that records the delays it was asked for.
"""

from __future__ import annotations

import asyncio
import json
import traceback
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from pydantic import SecretStr

from enkash_tui.api import (
    ApiError,
    AuthError,
    EnkashClient,
    ErrorType,
    FieldError,
    NetworkError,
    ResponseFormatError,
    RetryPolicy,
)
from enkash_tui.api.auth import Credentials
from enkash_tui.api.models import (
    BharatConnectStatus,
    CustomerCreate,
    CustomerUpdate,
    InvoiceCreate,
    InvoiceStatusChange,
    InvoiceUpdate,
    KeyContactCreate,
    PaymentConfirmation,
    ReminderCreate,
    ReminderUpdate,
    Token,
)

USERNAME = "ar.user@acme.in"  # same as conftest.USERNAME
PASSWORD = "Password@123"  # same as conftest.PASSWORD
CUSTOMER_ID = "KC1A2B3C4D5E6F7G"
INVOICE_ID = "KI9Z8Y7X6W5V4U3T"
REMINDER_ID = "CR42"

CUSTOMER = {"customerId": CUSTOMER_ID, "legalName": "Acme Traders Pvt Ltd"}
INVOICE = {"invoiceId": INVOICE_ID, "netAmount": 100}
REMINDER = {"customerReminderId": REMINDER_ID, "reminderTime": "10:00"}
ACTION = {"successInvoices": [{"invoiceId": INVOICE_ID}], "failureInvoices": []}
BULK = {"total_count": 1, "success_count": 1, "failure_count": 0}

UNAUTHORIZED_ENVELOPE = {
    "response_code": 1,
    "response_message": "Unauthorized",
    "payload": None,
    "errorResponse": {
        "errorType": "UNAUTHORIZED",
        "errorMessage": "Access token expired",
        "requestId": "req-401",
        "timestamp": "2025-07-07 18:44:29",
        "apiSubErrors": [],
    },
}


def envelope(payload: Any = None, message: str = "SUCCESS") -> dict[str, Any]:
    return {"response_code": 0, "response_message": message, "payload": payload}


def ok(payload: Any = None) -> httpx.Response:
    return httpx.Response(200, json=envelope(payload))


def unauthorized() -> httpx.Response:
    return httpx.Response(401, json=UNAUTHORIZED_ENVELOPE)


def connect_error(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("Connection refused", request=request)


def read_timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


def form(request: httpx.Request) -> dict[str, list[str]]:
    return parse_qs(request.content.decode())


def assert_secret_free(error: BaseException, secret: str = PASSWORD) -> None:
    texts = [
        str(error),
        repr(error),
        *(repr(arg) for arg in error.args),
        "".join(traceback.format_exception(error)),
        repr(vars(error)),
    ]
    for text in texts:
        assert secret not in text


# -- sign-in ---------------------------------------------------------------------------------

TOKEN_SHAPES = {
    "snake_case": {
        "access_token": "abc123",
        "token_type": "bearer",
        "refresh_token": "i2UQSYGeDZPogy_V6szNOi5Q0W0",
        "expires_in": 300,
        "scope": "read write trust",
    },
    "camelCase": {
        "accessToken": "abc123",
        "tokenType": "bearer",
        "expiresIn": 300,
        "refreshToken": "i2UQSYGeDZPogy_V6szNOi5Q0W0",
    },
    "envelope": {
        "response_code": 0,
        "response_message": "SUCCESS",
        "payload": {
            "access_token": "abc123",
            "token_type": "bearer",
            "refresh_token": "i2UQSYGeDZPogy_V6szNOi5Q0W0",
            "expires_in": 300,
            "scope": "read write trust",
        },
    },
}


@pytest.mark.parametrize("shape", sorted(TOKEN_SHAPES))
async def test_every_documented_token_shape_is_accepted(make_client, fake, shape):
    fake.on_token(httpx.Response(200, json=TOKEN_SHAPES[shape]))
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", ok(INVOICE))
    client = make_client()

    token = await client.login(USERNAME, PASSWORD)
    await client.get_invoice(INVOICE_ID)

    assert token.access_token.get_secret_value() == "abc123"
    assert token.token_type == "bearer"
    assert token.expires_in == 300
    assert token.refresh_token is not None
    assert token.refresh_token.get_secret_value() == "i2UQSYGeDZPogy_V6szNOi5Q0W0"
    assert client.signed_in
    assert client.token_expires_in() == 300
    assert fake.only().headers["Authorization"] == "Bearer abc123"


async def test_bad_credentials_raise_a_readable_auth_error(make_client, fake):
    fake.on_token(
        httpx.Response(400, json={"error": "invalid_grant", "error_description": "Bad credentials"})
    )
    client = make_client()

    with pytest.raises(AuthError) as caught:
        await client.login(USERNAME, PASSWORD)

    error = caught.value
    assert error.status_code == 400
    assert error.error_type == ErrorType.UNAUTHORIZED
    assert error.message == "Wrong username or password"
    assert "invalid_grant" not in str(error)
    assert not client.signed_in
    assert client.username is None
    assert len(fake.token_requests) == 1
    assert_secret_free(error)


async def test_oauth_error_without_description_still_raises_auth_error(make_client, fake):
    fake.on_token(httpx.Response(401, json={"error": "unauthorized"}))
    client = make_client()

    with pytest.raises(AuthError) as caught:
        await client.login(USERNAME, PASSWORD)

    assert caught.value.status_code == 401
    assert caught.value.message == "unauthorized"


async def test_401_envelope_on_login_raises_auth_error_with_its_message(make_client, fake):
    fake.on_token(
        httpx.Response(
            401,
            json={
                "response_code": 1,
                "response_message": "Unauthorized",
                "errorResponse": {
                    "errorType": "UNAUTHORIZED",
                    "errorMessage": "Account locked after 3 failed attempts",
                    "requestId": "req-lock",
                    "apiSubErrors": [],
                },
            },
        )
    )
    client = make_client()

    with pytest.raises(AuthError) as caught:
        await client.login(USERNAME, PASSWORD)

    error = caught.value
    assert error.status_code == 401
    assert error.error_type == ErrorType.UNAUTHORIZED
    assert error.message == "Account locked after 3 failed attempts"
    assert error.request_id == "req-lock"
    assert "Account locked after 3 failed attempts" in str(error)
    assert not client.signed_in
    assert_secret_free(error)


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(200, text="<html>login</html>"),
        httpx.Response(200, json={"token_type": "bearer"}),
        httpx.Response(200, json={"response_code": 0, "payload": {"scope": "read"}}),
    ],
    ids=["not-json", "no-token", "envelope-without-token"],
)
async def test_unreadable_token_reply_is_a_response_format_error(make_client, fake, reply):
    fake.on_token(reply)
    client = make_client()

    with pytest.raises(ResponseFormatError):
        await client.login(USERNAME, PASSWORD)
    assert not client.signed_in


async def test_login_connect_error_is_a_network_error_that_changed_nothing(make_client, fake):
    fake.on_token(connect_error)
    client = make_client()

    with pytest.raises(NetworkError) as caught:
        await client.login(USERNAME, PASSWORD)

    assert caught.value.may_have_reached_server is False
    assert not client.signed_in
    assert_secret_free(caught.value)


# -- secrets stay secret ---------------------------------------------------------------------


async def test_password_and_tokens_stay_out_of_reprs(make_client, fake):
    fake.on_token(
        httpx.Response(
            200,
            json={
                "access_token": "s3cr3t-access-XYZ",
                "token_type": "bearer",
                "refresh_token": "s3cr3t-refresh-XYZ",
                "expires_in": 86399,
            },
        )
    )
    client = make_client()
    token = await client.login(USERNAME, PASSWORD)

    for text in (repr(client), str(client)):
        assert PASSWORD not in text
        assert "enkash-secret" not in text
        assert "s3cr3t-access-XYZ" not in text
    for text in (repr(token), str(token)):
        assert "s3cr3t-access-XYZ" not in text
        assert "s3cr3t-refresh-XYZ" not in text
    assert PASSWORD not in repr(Credentials(USERNAME, SecretStr(PASSWORD)))
    assert isinstance(token, Token)


async def test_password_is_absent_from_every_error_raised(make_client, fake):
    client = make_client()
    await client.login(USERNAME, PASSWORD)
    errors: list[BaseException] = []

    async def capture(call: Awaitable[Any]) -> None:
        try:
            await call
        except Exception as error:
            errors.append(error)

    # A 401 whose renewal is refused.
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", unauthorized())
    fake.on_token(
        httpx.Response(400, json={"error": "invalid_grant", "error_description": "Bad credentials"})
    )
    await capture(client.get_invoice(INVOICE_ID))
    # That signed the client out; sign in again for the next cases.
    fake.on_token(httpx.Response(200, json={"access_token": "t2", "token_type": "bearer"}))
    await client.login(USERNAME, PASSWORD)
    # A 401 whose retry is refused again.
    await capture(client.get_invoice(INVOICE_ID))
    # Renewal that cannot connect, and a timeout.
    fake.on_token(connect_error)
    await capture(client.get_invoice(INVOICE_ID))
    fake.on_token(read_timeout)
    await capture(client.get_invoice(INVOICE_ID))
    # A failed login with a different wrong password.
    fake.on_token(
        httpx.Response(400, json={"error": "invalid_grant", "error_description": "Bad credentials"})
    )
    await capture(client.login(USERNAME, "Wr0ng-Pa55word"))

    assert [type(e) for e in errors] == [
        AuthError,
        AuthError,
        NetworkError,
        NetworkError,
        AuthError,
    ]
    for error in errors:
        assert_secret_free(error)
        assert_secret_free(error, "Wr0ng-Pa55word")


# -- renewal ---------------------------------------------------------------------------------


async def test_401_renews_the_token_once_and_retries(client, fake):
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", unauthorized(), ok(INVOICE))

    invoice = await client.get_invoice(INVOICE_ID)

    assert invoice.invoice_id == INVOICE_ID
    assert [r.url.path for r in fake.requests] == [
        "/oauth/token",
        f"/api/v0/invoice/{INVOICE_ID}",
        "/oauth/token",
        f"/api/v0/invoice/{INVOICE_ID}",
    ]
    first, renewal = fake.token_requests
    assert (
        form(renewal)
        == form(first)
        == {
            "username": [USERNAME],
            "password": [PASSWORD],
            "grant_type": ["password"],
            "clientId": ["CEKFOWV7UQ"],
        }
    )
    assert [r.headers["Authorization"] for r in fake.api_requests] == [
        "Bearer token-1",
        "Bearer token-2",
    ]


async def test_401_on_a_non_idempotent_call_is_retried_once_after_renewal(client, fake):
    fake.on("POST", "/api/v0/customer", unauthorized(), ok(CUSTOMER))
    customer = CustomerCreate(
        legal_name="Acme",
        customer_key_contacts=[KeyContactCreate(name="R", legal_name="R", mobile="9812345678")],
    )

    created = await client.create_customer(customer)

    assert created.customer_id == CUSTOMER_ID
    assert len(fake.token_requests) == 2
    first, retry = fake.api_requests
    assert json.loads(first.content) == json.loads(retry.content) == customer.to_wire()
    assert retry.headers["Authorization"] == "Bearer token-2"


async def test_a_second_401_raises_auth_error_after_exactly_one_renewal(client, fake):
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", unauthorized())

    with pytest.raises(AuthError) as caught:
        await client.get_invoice(INVOICE_ID)

    assert caught.value.status_code == 401
    assert caught.value.error_type == ErrorType.UNAUTHORIZED
    assert caught.value.request_id == "req-401"
    assert len(fake.token_requests) == 2
    assert len(fake.api_requests) == 2


async def test_a_refused_renewal_raises_auth_error(client, fake):
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", unauthorized())
    fake.on_token(
        httpx.Response(400, json={"error": "invalid_grant", "error_description": "Bad credentials"})
    )

    with pytest.raises(AuthError, match="Wrong username or password"):
        await client.get_invoice(INVOICE_ID)

    assert len(fake.token_requests) == 2
    assert len(fake.api_requests) == 1


async def test_a_refused_renewal_signs_out_so_the_bad_password_is_not_retried(client, fake):
    # Each retry of a password that no longer works counts toward the 3-strike lockout (§1.2).
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", unauthorized())
    fake.on_token(
        httpx.Response(400, json={"error": "invalid_grant", "error_description": "Bad credentials"})
    )
    with pytest.raises(AuthError):
        await client.get_invoice(INVOICE_ID)

    for _ in range(3):
        with pytest.raises(AuthError, match="Not signed in"):
            await client.get_invoice(INVOICE_ID)

    assert not client.signed_in
    assert len(fake.token_requests) == 2  # the first sign-in and the one refused renewal
    assert len(fake.api_requests) == 1


async def test_concurrent_401s_trigger_a_single_renewal(client, fake):
    arrived = 0
    both_in_flight = asyncio.Event()

    async def answer(request: httpx.Request) -> httpx.Response:
        nonlocal arrived
        if request.headers["Authorization"] == "Bearer token-1":
            arrived += 1
            if arrived == 2:
                both_in_flight.set()
            await asyncio.wait_for(both_in_flight.wait(), timeout=2)
            return unauthorized()
        return ok({"invoiceId": request.url.path.rsplit("/", 1)[1]})

    fake.on("GET", "/api/v0/invoice/KIA", answer)
    fake.on("GET", "/api/v0/invoice/KIB", answer)

    first, second = await asyncio.gather(client.get_invoice("KIA"), client.get_invoice("KIB"))

    assert (first.invoice_id, second.invoice_id) == ("KIA", "KIB")
    assert len(fake.token_requests) == 2  # the sign-in plus one renewal
    assert sorted(r.headers["Authorization"] for r in fake.api_requests) == [
        "Bearer token-1",
        "Bearer token-1",
        "Bearer token-2",
        "Bearer token-2",
    ]


async def test_expired_token_is_renewed_before_the_next_call(client, fake, clock):
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", ok(INVOICE))
    assert client.token_expires_in() == 3600

    clock.now += 3600
    await client.get_invoice(INVOICE_ID)

    assert [r.url.path for r in fake.requests] == [
        "/oauth/token",
        "/oauth/token",
        f"/api/v0/invoice/{INVOICE_ID}",
    ]
    assert fake.only().headers["Authorization"] == "Bearer token-2"
    assert form(fake.token_requests[1])["password"] == [PASSWORD]
    assert client.token_expires_in() == 3600


async def test_token_is_reused_while_it_is_valid(client, fake, clock):
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", ok(INVOICE))

    clock.now += 600
    await client.get_invoice(INVOICE_ID)
    clock.now += 600
    await client.get_invoice(INVOICE_ID)

    assert len(fake.token_requests) == 1
    assert client.token_expires_in() == 3600 - 1200
    assert {r.headers["Authorization"] for r in fake.api_requests} == {"Bearer token-1"}


async def test_concurrent_calls_after_expiry_renew_once(client, fake, clock):
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", ok(INVOICE))
    clock.now += 7200

    await asyncio.gather(*(client.get_invoice(INVOICE_ID) for _ in range(3)))

    assert len(fake.token_requests) == 2
    assert {r.headers["Authorization"] for r in fake.api_requests} == {"Bearer token-2"}


BEFORE_LOGIN_CALLS = {
    "get_invoice": lambda c: c.get_invoice(INVOICE_ID),
    "search_invoices": lambda c: c.search_invoices(),
    "create_invoice": lambda c: c.create_invoice(
        InvoiceCreate(customer_id=CUSTOMER_ID, due_date="2025-07-31", base_amount=100)
    ),
    "delete_customer": lambda c: c.delete_customer(CUSTOMER_ID),
    "bulk_update_customers": lambda c: c.bulk_update_customers(b"x", filename="x.csv"),
    "list_reminders": lambda c: c.list_reminders(CUSTOMER_ID),
}


@pytest.mark.parametrize("operation", sorted(BEFORE_LOGIN_CALLS))
async def test_calls_before_login_raise_auth_error_and_send_nothing(make_client, fake, operation):
    client = make_client()

    with pytest.raises(AuthError):
        await BEFORE_LOGIN_CALLS[operation](client)

    assert fake.requests == []


async def test_calls_after_logout_raise_auth_error_and_send_nothing(client, fake):
    client.logout()
    sent_before = len(fake.requests)

    with pytest.raises(AuthError):
        await client.get_invoice(INVOICE_ID)

    assert not client.signed_in
    assert client.username is None
    assert len(fake.requests) == sent_before


# -- error mapping ---------------------------------------------------------------------------

MATCHING_STATUS = {
    ErrorType.CLIENT_REQUEST_ABORT: 400,
    ErrorType.CLIENT_REQUEST_ERROR: 400,
    ErrorType.INVALID_ACCESS: 403,
    ErrorType.RECORD_NOT_FOUND: 404,
    ErrorType.SYSTEM_ERROR: 500,
    ErrorType.UNAUTHORIZED: 401,
    ErrorType.UNKNOWN_ERROR: 500,
    ErrorType.UNPROCESSABLE_REQUEST: 422,
    ErrorType.VALIDATION_ERROR: 400,
}


def failure_envelope(error_type: str) -> dict[str, Any]:
    return {
        "response_code": 1,
        "response_message": "Request failed",
        "payload": None,
        "errorResponse": {
            "errorType": error_type,
            "errorMessage": f"{error_type} from EnKash",
            "requestId": "9f1c2d7e-0001",
            "timestamp": "2025-07-07 18:44:29",
            "apiSubErrors": [
                {"field": "legalName", "message": "must not be blank", "rejectedValue": ""}
            ],
        },
    }


@pytest.mark.parametrize("http_status", ["200", "matching"])
@pytest.mark.parametrize("error_type", list(ErrorType))
async def test_every_error_type_maps_to_a_typed_error(client, fake, error_type, http_status):
    status = 200 if http_status == "200" else MATCHING_STATUS[error_type]
    fake.on("POST", "/api/v0/customer", httpx.Response(status, json=failure_envelope(error_type)))
    customer = CustomerCreate(
        legal_name="Acme",
        customer_key_contacts=[KeyContactCreate(name="R", legal_name="R", mobile="9812345678")],
    )

    with pytest.raises(ApiError) as caught:
        await client.create_customer(customer)

    error = caught.value
    expected_class = AuthError if error_type is ErrorType.UNAUTHORIZED else ApiError
    assert type(error) is expected_class
    assert error.error_type == error_type
    assert error.message == f"{error_type} from EnKash"
    assert error.request_id == "9f1c2d7e-0001"
    assert error.status_code == status
    assert error.timestamp == "2025-07-07 18:44:29"
    assert error.field_errors == [
        FieldError(field="legalName", message="must not be blank", rejected_value="")
    ]
    assert error.errors_for("legalName") == ["must not be blank"]
    assert error.errors_for("address") == []
    assert "9f1c2d7e-0001" in str(error)
    if status == 401:
        assert len(fake.token_requests) == 2  # renewed once, then gave up
        assert len(fake.api_requests) == 2
    else:
        assert len(fake.api_requests) == 1


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, ErrorType.VALIDATION_ERROR),
        (403, ErrorType.INVALID_ACCESS),
        (404, ErrorType.RECORD_NOT_FOUND),
        (422, ErrorType.UNPROCESSABLE_REQUEST),
        (500, ErrorType.SYSTEM_ERROR),
    ],
)
async def test_http_status_without_error_type_maps_by_status(client, fake, status, error_type):
    fake.on(
        "PATCH",
        f"/api/v0/invoice/{INVOICE_ID}",
        httpx.Response(status, json={"response_code": 1, "response_message": "Nope"}),
    )

    with pytest.raises(ApiError) as caught:
        await client.update_invoice(INVOICE_ID, InvoiceUpdate(description="x"))

    assert caught.value.status_code == status
    assert caught.value.error_type == error_type
    assert caught.value.message == "Nope"


async def test_non_json_502_is_an_api_error_with_its_status(client, fake):
    fake.on(
        "POST",
        "/api/v0/invoice",
        httpx.Response(
            502,
            text="<html><body><h1>502 Bad Gateway</h1></body></html>",
            headers={"Content-Type": "text/html"},
        ),
    )

    with pytest.raises(ApiError) as caught:
        await client.create_invoice(
            InvoiceCreate(customer_id=CUSTOMER_ID, due_date="2025-07-31", base_amount=100)
        )

    assert type(caught.value) is ApiError
    assert caught.value.status_code == 502
    assert caught.value.error_type == ErrorType.SYSTEM_ERROR
    assert "<html>" not in caught.value.message
    assert len(fake.api_requests) == 1


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(200, text="<html>maintenance</html>", headers={"Content-Type": "text/html"}),
        httpx.Response(200, json=[{"invoiceId": INVOICE_ID}]),
        httpx.Response(200, json={"invoiceId": INVOICE_ID}),
        httpx.Response(200, json={"response_code": "zero", "payload": INVOICE}),
    ],
    ids=["html", "bare-list", "bare-object", "bad-response-code"],
)
async def test_unreadable_200_is_a_response_format_error(client, fake, reply):
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", reply)

    with pytest.raises(ResponseFormatError):
        await client.get_invoice(INVOICE_ID)


async def test_payload_of_the_wrong_shape_is_a_response_format_error(client, fake):
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", ok({"invoiceNumber": "no id"}))

    with pytest.raises(ResponseFormatError):
        await client.get_invoice(INVOICE_ID)


# -- retries ---------------------------------------------------------------------------------

Call = Callable[[EnkashClient], Awaitable[Any]]

# operation -> (method, path, call, success payload)
IDEMPOTENT: dict[str, tuple[str, str, Call, Any]] = {
    "get_invoice": (
        "GET",
        f"/api/v0/invoice/{INVOICE_ID}",
        lambda c: c.get_invoice(INVOICE_ID),
        INVOICE,
    ),
    "search_invoices": ("POST", "/api/v0/invoice/search", lambda c: c.search_invoices(), []),
    "search_customers": ("POST", "/api/v0/customer/search", lambda c: c.search_customers(), []),
    "activate_customer": (
        "PUT",
        f"/api/v0/customer/activate/{CUSTOMER_ID}",
        lambda c: c.activate_customer(CUSTOMER_ID),
        CUSTOMER,
    ),
    "deactivate_customer": (
        "PUT",
        f"/api/v0/customer/deactivate/{CUSTOMER_ID}",
        lambda c: c.deactivate_customer(CUSTOMER_ID),
        CUSTOMER,
    ),
    "get_customer_contacts": (
        "GET",
        f"/api/v0/customer/{CUSTOMER_ID}/contacts",
        lambda c: c.get_customer_contacts(CUSTOMER_ID),
        [],
    ),
    "list_reminders": (
        "GET",
        "/api/v0/customer-reminder",
        lambda c: c.list_reminders(CUSTOMER_ID),
        [REMINDER],
    ),
    "get_reminder": (
        "GET",
        f"/api/v0/customer-reminder/{REMINDER_ID}",
        lambda c: c.get_reminder(REMINDER_ID),
        REMINDER,
    ),
}

_CONTACT = KeyContactCreate(name="R", legal_name="R", mobile="9812345678")
_NEW_INVOICE = InvoiceCreate(customer_id=CUSTOMER_ID, due_date="2025-07-31", base_amount=100)

NON_IDEMPOTENT: dict[str, tuple[str, str, Call, Any]] = {
    "create_customer": (
        "POST",
        "/api/v0/customer",
        lambda c: c.create_customer(
            CustomerCreate(legal_name="Acme", customer_key_contacts=[_CONTACT])
        ),
        CUSTOMER,
    ),
    "update_customer": (
        "PATCH",
        f"/api/v0/customer/{CUSTOMER_ID}",
        lambda c: c.update_customer(CUSTOMER_ID, CustomerUpdate(state="Goa")),
        CUSTOMER,
    ),
    "delete_customer": (
        "DELETE",
        f"/api/v0/customer/{CUSTOMER_ID}",
        lambda c: c.delete_customer(CUSTOMER_ID),
        "deleted",
    ),
    "bulk_create_customers": (
        "POST",
        "/api/v0/customer/bulk",
        lambda c: c.bulk_create_customers(b"legalName\nAcme\n", company_id="CEKCOMPANY"),
        BULK,
    ),
    "bulk_update_customers": (
        "POST",
        "/api/v0/customer/bulk/update",
        lambda c: c.bulk_update_customers(b"customerId\nKC1A2B3C4D5E6F7G\n"),
        BULK,
    ),
    "create_invoice": (
        "POST",
        "/api/v0/invoice",
        lambda c: c.create_invoice(_NEW_INVOICE),
        INVOICE,
    ),
    "bulk_create_invoices": (
        "POST",
        "/api/v0/invoice/bulk/create",
        lambda c: c.bulk_create_invoices(b"customerId\nKC1A2B3C4D5E6F7G\n"),
        BULK,
    ),
    "update_invoice": (
        "PATCH",
        f"/api/v0/invoice/{INVOICE_ID}",
        lambda c: c.update_invoice(INVOICE_ID, InvoiceUpdate(description="x")),
        INVOICE,
    ),
    "dispatch_invoices": (
        "POST",
        "/api/v0/invoice/bulk/dispatch",
        lambda c: c.dispatch_invoices([INVOICE_ID]),
        ACTION,
    ),
    "delete_invoices": (
        "POST",
        "/api/v0/invoice/bulk/delete",
        lambda c: c.delete_invoices([INVOICE_ID]),
        ACTION,
    ),
    "confirm_payment": (
        "POST",
        "/api/v0/invoice/payment-confirmation",
        lambda c: c.confirm_payment(
            PaymentConfirmation(
                invoice_ids=[INVOICE_ID],
                payment_id="PMT" + "A" * 32,
                remarks="Received in bank",
                response="ACCEPT",
                type="OFFPLATFORM",
            )
        ),
        ACTION,
    ),
    "change_invoice_status": (
        "POST",
        "/api/v0/invoice/change-status",
        lambda c: c.change_invoice_status(
            InvoiceStatusChange(
                invoice_ids=[INVOICE_ID], status=BharatConnectStatus.CANCELLED, remarks="dup"
            )
        ),
        ACTION,
    ),
    "create_reminder": (
        "POST",
        "/api/v0/customer-reminder",
        lambda c: c.create_reminder(
            CUSTOMER_ID,
            ReminderCreate(due_date_difference=1, reminder_time="10:00", reminder_type="ONCE"),
        ),
        REMINDER,
    ),
    "update_reminder": (
        "PATCH",
        f"/api/v0/customer-reminder/{REMINDER_ID}",
        lambda c: c.update_reminder(REMINDER_ID, ReminderUpdate(stage="AFTER_DUE")),
        REMINDER,
    ),
    "delete_reminder": (
        "DELETE",
        f"/api/v0/customer-reminder/{REMINDER_ID}",
        lambda c: c.delete_reminder(REMINDER_ID),
        "deleted",
    ),
}

POLICY = RetryPolicy(attempts=3, backoff_seconds=0.1)


@pytest.fixture
async def retrying(make_client, fake) -> EnkashClient:
    client = make_client(retry=POLICY)
    await client.login(USERNAME, PASSWORD)
    return client


def test_every_route_is_classified_by_these_tests(retrying):
    classified = set(IDEMPOTENT) | set(NON_IDEMPOTENT) | {"login"}
    assert classified == set(retrying.routes)
    for name in IDEMPOTENT:
        assert retrying.routes[name].idempotent, name
    for name in NON_IDEMPOTENT:
        assert not retrying.routes[name].idempotent, name


@pytest.mark.parametrize("operation", sorted(IDEMPOTENT))
async def test_idempotent_calls_retry_connect_errors_three_tries_then_raise(
    retrying, fake, sleeps, operation
):
    method, path, call, _ = IDEMPOTENT[operation]
    fake.on(method, path, connect_error)

    with pytest.raises(NetworkError) as caught:
        await call(retrying)

    assert len(fake.api_requests) == 3
    assert sleeps.delays == pytest.approx([0.1, 0.2])
    assert caught.value.may_have_reached_server is False


@pytest.mark.parametrize("operation", sorted(IDEMPOTENT))
async def test_idempotent_calls_recover_after_a_connect_error(retrying, fake, sleeps, operation):
    method, path, call, payload = IDEMPOTENT[operation]
    fake.on(method, path, connect_error, ok(payload))

    await call(retrying)

    assert len(fake.api_requests) == 2
    assert sleeps.delays == pytest.approx([0.1])


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize("operation", sorted(IDEMPOTENT))
async def test_idempotent_calls_retry_server_errors_three_tries_then_raise(
    retrying, fake, sleeps, operation, status
):
    method, path, call, _ = IDEMPOTENT[operation]
    fake.on(method, path, httpx.Response(status, text="upstream trouble"))

    with pytest.raises(ApiError) as caught:
        await call(retrying)

    assert caught.value.status_code == status
    assert len(fake.api_requests) == 3
    assert sleeps.delays == pytest.approx([0.1, 0.2])


@pytest.mark.parametrize("operation", sorted(IDEMPOTENT))
async def test_idempotent_calls_recover_after_a_server_error(retrying, fake, sleeps, operation):
    method, path, call, payload = IDEMPOTENT[operation]
    fake.on(method, path, httpx.Response(503), httpx.Response(500), ok(payload))

    await call(retrying)

    assert len(fake.api_requests) == 3
    assert sleeps.delays == pytest.approx([0.1, 0.2])


@pytest.mark.parametrize("operation", sorted(IDEMPOTENT))
async def test_idempotent_calls_honour_retry_after_on_429(retrying, fake, sleeps, operation):
    method, path, call, _ = IDEMPOTENT[operation]
    fake.on(method, path, httpx.Response(429, headers={"Retry-After": "2"}))

    with pytest.raises(ApiError) as caught:
        await call(retrying)

    assert caught.value.status_code == 429
    assert caught.value.retry_after == 2.0
    assert caught.value.error_type == ErrorType.CLIENT_REQUEST_ERROR
    assert len(fake.api_requests) == 3
    assert sleeps.delays == pytest.approx([2.0, 2.0])


async def test_429_then_success_waits_the_retry_after(retrying, fake, sleeps):
    fake.on(
        "GET",
        f"/api/v0/invoice/{INVOICE_ID}",
        httpx.Response(429, headers={"Retry-After": "1.5"}),
        ok(INVOICE),
    )

    invoice = await retrying.get_invoice(INVOICE_ID)

    assert invoice.invoice_id == INVOICE_ID
    assert len(fake.api_requests) == 2
    assert sleeps.delays == pytest.approx([1.5])


async def test_429_without_retry_after_backs_off(retrying, fake, sleeps):
    fake.on("POST", "/api/v0/invoice/search", httpx.Response(429))

    with pytest.raises(ApiError):
        await retrying.search_invoices()

    assert len(fake.api_requests) == 3
    assert sleeps.delays == pytest.approx([0.1, 0.2])


@pytest.mark.parametrize("status", [400, 403, 404, 422])
async def test_client_errors_are_not_retried(retrying, fake, sleeps, status):
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", httpx.Response(status))

    with pytest.raises(ApiError):
        await retrying.get_invoice(INVOICE_ID)

    assert len(fake.api_requests) == 1
    assert sleeps.delays == []


async def test_a_single_attempt_policy_does_not_retry(make_client, fake, sleeps):
    client = make_client(retry=RetryPolicy(attempts=1))
    await client.login(USERNAME, PASSWORD)
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", httpx.Response(503))

    with pytest.raises(ApiError):
        await client.get_invoice(INVOICE_ID)

    assert len(fake.api_requests) == 1
    assert sleeps.delays == []


@pytest.mark.parametrize("failure", ["503", "429", "connect-error"])
@pytest.mark.parametrize("operation", sorted(NON_IDEMPOTENT))
async def test_non_idempotent_calls_are_sent_exactly_once(
    retrying, fake, sleeps, operation, failure
):
    method, path, call, _ = NON_IDEMPOTENT[operation]
    answer = {
        "503": httpx.Response(503),
        "429": httpx.Response(429, headers={"Retry-After": "1"}),
        "connect-error": connect_error,
    }[failure]
    fake.on(method, path, answer)

    with pytest.raises((ApiError, NetworkError)) as caught:
        await call(retrying)

    assert len(fake.api_requests) == 1
    assert sleeps.delays == []
    if failure == "connect-error":
        assert isinstance(caught.value, NetworkError)
        assert caught.value.may_have_reached_server is False
    else:
        assert isinstance(caught.value, ApiError)
        assert caught.value.status_code == int(failure)


@pytest.mark.parametrize("operation", sorted(NON_IDEMPOTENT))
async def test_non_idempotent_calls_succeed_on_the_first_try(retrying, fake, operation):
    method, path, call, payload = NON_IDEMPOTENT[operation]
    fake.on(method, path, ok(payload))

    await call(retrying)

    [request] = fake.api_requests
    assert (request.method, request.url.path) == (method, path)


# -- network failures ------------------------------------------------------------------------


async def test_connect_error_says_nothing_changed(retrying, fake):
    fake.on("POST", "/api/v0/customer", connect_error)

    with pytest.raises(NetworkError) as caught:
        await NON_IDEMPOTENT["create_customer"][2](retrying)

    error = caught.value
    assert error.may_have_reached_server is False
    assert "nothing changed" in error.message.lower()
    assert "enkash.test" in error.message
    assert "may or may not" not in error.message


@pytest.mark.parametrize("operation", ["create_customer", "create_invoice", "confirm_payment"])
async def test_read_timeout_on_a_change_may_have_been_applied(retrying, fake, sleeps, operation):
    method, path, call, _ = NON_IDEMPOTENT[operation]
    fake.on(method, path, read_timeout)

    with pytest.raises(NetworkError) as caught:
        await call(retrying)

    error = caught.value
    assert error.may_have_reached_server is True
    assert "may or may not have been applied" in error.message
    assert "nothing changed" not in error.message.lower()
    assert len(fake.api_requests) == 1
    assert sleeps.delays == []


async def test_read_timeout_on_a_read_may_have_reached_the_server(retrying, fake, sleeps):
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", read_timeout)

    with pytest.raises(NetworkError) as caught:
        await retrying.get_invoice(INVOICE_ID)

    assert caught.value.may_have_reached_server is True
    assert "may or may not have been applied" not in caught.value.message
    # Only failures where nothing was sent (connect errors) are retried automatically.
    assert len(fake.api_requests) == 1
    assert sleeps.delays == []


async def test_a_short_lived_token_is_not_renewed_before_every_call(fake, clock, make_client):
    """Renewing 30 s early would renew a 2-second token on every call: the margin is at most a
    quarter of the token's lifetime."""
    fake.token_lifetime = 2
    client = make_client()
    await client.login(USERNAME, PASSWORD)
    fake.on("GET", f"/api/v0/invoice/{INVOICE_ID}", ok(INVOICE))

    await client.get_invoice(INVOICE_ID)
    clock.now += 1.0
    await client.get_invoice(INVOICE_ID)
    assert len(fake.token_requests) == 1  # 1 s left of 2: still good

    clock.now += 0.6  # 0.4 s left: inside the last quarter, renewed first
    await client.get_invoice(INVOICE_ID)
    assert len(fake.token_requests) == 2
