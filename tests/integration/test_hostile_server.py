"""A slow or hostile server cannot hang the client, flood its memory or crash it.

Each test talks to ``HostileServer`` (tests/support/hostile_server.py), a small HTTP server on
loopback that answers the way the test says: one byte at a time, bigger than any real reply,
without end, with more rows than asked, nested without end, or with a token no header can
carry. Every failure is a typed error in words, and no call outlives its deadline.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from enkash_tui.api import (
    CallStoppedError,
    EnkashClient,
    NetworkError,
    ResponseFormatError,
    ResponseTooLargeError,
)
from enkash_tui.api.call_record import CallRecord
from enkash_tui.api.envelope import MAX_JSON_DEPTH
from enkash_tui.api.models import CustomerFilter, InvoiceFilter
from enkash_tui.api.routes import DEFAULT_ROUTES
from enkash_tui.api.transfer import MAX_REPLY_BYTES, reply_cap
from enkash_tui.sandbox_demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME
from tests.support.hostile_server import (
    TOKEN_PATH,
    HostileServer,
    drip,
    endless,
    envelope,
    flood,
    reply,
)
from tests.support.records import Records

SEARCH_INVOICES = DEFAULT_ROUTES["search_invoices"].path
SEARCH_CUSTOMERS = DEFAULT_ROUTES["search_customers"].path
CREATE_CUSTOMER = DEFAULT_ROUTES["create_customer"].path
GET_INVOICE = DEFAULT_ROUTES["get_invoice"].path.format(invoiceId="PMT1")
DEADLINE = 1.5  # seconds: short, so a test that waits for it stays quick


@pytest.fixture
async def server() -> AsyncIterator[HostileServer]:
    async with HostileServer() as running:
        yield running


def client_of(server: HostileServer, **options: Any) -> EnkashClient:
    options.setdefault("deadline", DEADLINE)
    return EnkashClient(server.url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, **options)


@pytest.fixture
async def client(server: HostileServer) -> AsyncIterator[EnkashClient]:
    async with client_of(server) as signed_in:
        await signed_in.login(DEMO_USERNAME, DEMO_PASSWORD)
        yield signed_in


def invoices(count: int) -> list[dict[str, str]]:
    return [{"invoiceId": f"PMT{n}", "invoiceNumber": f"INV-{n}"} for n in range(count)]


# -- drip: a byte at a time -----------------------------------------------------------------


async def test_a_search_dripping_a_byte_at_a_time_ends_at_the_deadline(
    server: HostileServer, client: EnkashClient
) -> None:
    # Each byte arrives well within the per-read timeout (20 s): only a deadline stops it.
    server.answer(SEARCH_INVOICES, drip(envelope(invoices(3)), every=0.25))

    with pytest.raises(NetworkError) as caught:
        await client.search_invoices(InvoiceFilter())

    error = caught.value
    assert str(error) == "EnKash did not finish answering within 1.5 s. Try again."
    assert error.may_have_reached_server
    assert client.calls_in_flight() == []


async def test_a_dripping_change_ends_at_the_deadline_and_may_have_been_applied(
    server: HostileServer, client: EnkashClient
) -> None:
    server.answer(CREATE_CUSTOMER, drip(envelope({"customerId": "KC1"}), every=0.25))
    records: list[CallRecord] = []
    client.on_call_record = records.append

    with pytest.raises(NetworkError) as caught:
        await client.create_customer(Records.customer())

    assert str(caught.value) == (
        "EnKash did not finish answering within 1.5 s. The change may or may not have been "
        "applied: check before trying again."
    )
    assert caught.value.may_have_reached_server
    assert records and records[-1].outcome == "unknown"


async def test_a_dripping_sign_in_ends_at_the_deadline(server: HostileServer) -> None:
    server.answer(TOKEN_PATH, drip(dict(access_token="late", expires_in=3600), every=0.25))
    async with client_of(server) as client:
        with pytest.raises(NetworkError) as caught:
            await client.login(DEMO_USERNAME, DEMO_PASSWORD)
        assert "did not finish answering the sign-in within 1.5 s" in str(caught.value)
        assert not client.signed_in


async def test_a_profile_sets_the_deadline() -> None:
    from enkash_tui.config import Profile, ProfileError
    from enkash_tui.session import connect

    profile = Profile.from_dict("x", {"base_url": "http://127.0.0.1:1", "client_id": "CEK1234567"})
    assert profile.deadline_seconds == 30.0
    slow = profile.with_changes(deadline_seconds=90)
    client = connect(slow, DEMO_CLIENT_SECRET)  # type: ignore[arg-type]
    try:
        assert client.deadline == 90
    finally:
        await client.aclose()
    for bad in (0, -1, 601, "30", True):
        with pytest.raises(ProfileError) as caught:
            profile.with_changes(deadline_seconds=bad)
        assert caught.value.field == "deadline_seconds"


# -- stopping a call that is on its way (what Esc does in the app) ---------------------------


async def _in_flight(client: EnkashClient) -> None:
    for _ in range(500):  # until the call is on its way (a few loop turns, not a timing)
        if client.calls_in_flight():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the call never started")


async def test_a_stopped_search_says_so_and_nothing_changed(
    server: HostileServer, client: EnkashClient
) -> None:
    server.answer(SEARCH_INVOICES, drip())
    search = asyncio.create_task(client.search_invoices(InvoiceFilter()))
    await _in_flight(client)
    (call,) = client.calls_in_flight()
    assert (call.operation, call.changes) == ("search_invoices", False)

    call.stop()

    with pytest.raises(CallStoppedError) as caught:
        await search
    assert str(caught.value) == "Stopped waiting for EnKash (search invoices). Try again."
    assert client.calls_in_flight() == []


async def test_a_stopped_change_may_have_been_applied_and_is_recorded_unknown(
    server: HostileServer, client: EnkashClient
) -> None:
    server.answer(CREATE_CUSTOMER, drip())
    records: list[CallRecord] = []
    client.on_call_record = records.append
    create = asyncio.create_task(client.create_customer(Records.customer()))
    await _in_flight(client)
    (call,) = client.calls_in_flight()
    assert call.changes

    call.stop()

    with pytest.raises(CallStoppedError) as caught:
        await create
    assert "may or may not have been applied" in str(caught.value)
    assert caught.value.may_have_reached_server
    assert records and records[-1].outcome == "unknown"


# -- flood: more bytes than any real reply ----------------------------------------------------


async def test_a_reply_bigger_than_the_cap_is_refused(
    server: HostileServer, client: EnkashClient
) -> None:
    cap = reply_cap({"limit": 100}, upload=False)
    server.answer(SEARCH_INVOICES, flood(cap + 1024 * 1024))

    with pytest.raises(ResponseTooLargeError) as caught:
        await client.search_invoices(InvoiceFilter(), limit=100)
    assert "EnKash's reply is larger than 2.6 MB" in str(caught.value)


async def test_a_record_reply_bigger_than_the_cap_is_refused(
    server: HostileServer, client: EnkashClient
) -> None:
    server.answer(GET_INVOICE, flood(MAX_REPLY_BYTES + 1))

    with pytest.raises(ResponseTooLargeError, match="larger than 4 MB"):
        await client.get_invoice("PMT1")


async def test_an_endless_chunked_reply_is_cut_at_the_cap(
    server: HostileServer, client: EnkashClient
) -> None:
    sent: list[int] = []
    server.answer(SEARCH_CUSTOMERS, endless(sent))

    with pytest.raises(ResponseTooLargeError):
        await client.search_customers(CustomerFilter(), limit=10)
    assert client.calls_in_flight() == []


async def test_a_huge_error_page_reads_as_its_status(
    server: HostileServer, client: EnkashClient
) -> None:
    # A proxy's error page is cut at the cap; the status still says what happened.
    server.answer(GET_INVOICE, flood(MAX_REPLY_BYTES * 2, status=404))

    with pytest.raises(Exception) as caught:
        await client.get_invoice("PMT1")
    assert getattr(caught.value, "status_code", None) == 404


# -- rows and totals that cannot be -----------------------------------------------------------


async def test_more_rows_than_the_page_asked_for_is_an_error(
    server: HostileServer, client: EnkashClient
) -> None:
    server.answer(SEARCH_INVOICES, reply(envelope({"content": invoices(6), "totalElements": 6})))

    with pytest.raises(ResponseTooLargeError) as caught:
        await client.search_invoices(InvoiceFilter(), limit=5)
    assert str(caught.value) == (
        "EnKash sent 6 results for a page of at most 5: the page was not read"
    )


async def test_a_full_page_as_asked_is_read(server: HostileServer, client: EnkashClient) -> None:
    server.answer(SEARCH_INVOICES, reply(envelope({"content": invoices(5), "totalElements": 9})))

    page = await client.search_invoices(InvoiceFilter(), limit=5)

    assert [invoice.invoice_id for invoice in page.items] == [f"PMT{n}" for n in range(5)]
    assert page.total == 9


@pytest.mark.parametrize(
    "body, headers",
    [
        (envelope({"content": [], "totalElements": -1}), None),
        (envelope([]), {"X-Total-Count": "-5"}),
    ],
    ids=["in the page", "in the header"],
)
async def test_a_negative_total_is_an_error(
    server: HostileServer, client: EnkashClient, body: Any, headers: dict[str, str] | None
) -> None:
    server.answer(SEARCH_INVOICES, reply(body, headers=headers))

    with pytest.raises(ResponseFormatError, match="negative number of results"):
        await client.search_invoices(InvoiceFilter())


# -- a page read off the event loop ----------------------------------------------------------


async def searched(client: EnkashClient, limit: int) -> Any:
    return await client.search_invoices(InvoiceFilter(), limit=limit)


async def fetched(client: EnkashClient, limit: int) -> Any:
    """As the pass over the open invoices reads a page: received here, read in a thread."""
    read = await client.fetch_invoice_page(InvoiceFilter(), limit=limit)
    return await asyncio.to_thread(read)


HOSTILE_PAGES = {
    "over the cap": (flood(reply_cap({"limit": 100}, upload=False) + 1024 * 1024), 100),
    "more rows than asked": (reply(envelope({"content": invoices(6), "totalElements": 6})), 5),
    "a negative total": (reply(envelope({"content": [], "totalElements": -1})), 100),
    "nested without end": (reply(b'{"response_code": 0, "payload": ' + b"[" * 5000 + b"]" * 5000
                                 + b"}"), 100),
    "not an envelope": (reply({"content": invoices(2)}), 100),
    "a refusal in the envelope": (reply({"response_code": 1, "response_message": "No",
                                         "errorResponse": {"errorMessage": "Refused"}}), 100),
}  # fmt: skip


@pytest.mark.parametrize("case", list(HOSTILE_PAGES))
async def test_a_page_read_in_a_thread_is_refused_as_a_search_is(
    server: HostileServer, client: EnkashClient, case: str
) -> None:
    behaviour, limit = HOSTILE_PAGES[case]
    server.answer(SEARCH_INVOICES, behaviour)
    with pytest.raises(Exception) as by_search:
        await searched(client, limit)

    with pytest.raises(type(by_search.value)) as by_fetch:
        await fetched(client, limit)

    assert str(by_fetch.value) == str(by_search.value)
    assert client.calls_in_flight() == []


async def test_a_page_read_in_a_thread_is_cleaned_as_a_search_is(
    server: HostileServer, client: EnkashClient
) -> None:
    row = {"invoiceId": "PMT1", "customerLegalName": "Acme \x1b[2J\u202eTraders\nLtd"}
    server.answer(SEARCH_INVOICES, reply(envelope({"content": [row], "totalElements": 1})))

    page = await fetched(client, 100)

    assert page == await searched(client, 100)
    assert page.items[0].customer_legal_name == "Acme ␛[2J\ufffdTraders Ltd"


# -- nesting without end ----------------------------------------------------------------------


def _nested(depth: int) -> bytes:
    return b'{"response_code": 0, "payload": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
async def test_deeply_nested_json_is_an_unreadable_reply(
    server: HostileServer, client: EnkashClient, depth: int
) -> None:
    server.answer(GET_INVOICE, reply(_nested(depth)))

    with pytest.raises(ResponseFormatError, match="nests more than 64 levels deep"):
        await client.get_invoice("PMT1")


async def test_deeply_nested_json_in_an_error_reply_is_an_unreadable_reply(
    server: HostileServer, client: EnkashClient
) -> None:
    server.answer(GET_INVOICE, reply(_nested(100_000), status=500))

    with pytest.raises(ResponseFormatError, match="nests more than 64 levels deep"):
        await client.get_invoice("PMT1")


async def test_deeply_nested_json_from_the_token_endpoint_is_an_unreadable_reply(
    server: HostileServer,
) -> None:
    server.answer(TOKEN_PATH, reply(b"[" * 5000 + b"]" * 5000))
    async with client_of(server) as client:
        with pytest.raises(ResponseFormatError, match="nests more than 64 levels deep"):
            await client.login(DEMO_USERNAME, DEMO_PASSWORD)


# -- tokens no request can carry ---------------------------------------------------------------


@pytest.mark.parametrize(
    "token, reason",
    [
        ({"access_token": "", "expires_in": 3600}, "the access token is empty"),
        ({"access_token": "   ", "expires_in": 3600}, "the access token is empty"),
        (
            {"access_token": "abc\r\nX-Injected: yes", "expires_in": 3600},
            "the access token holds spaces, line breaks or other characters",
        ),
        ({"access_token": "abc", "expires_in": -60}, "it expires in -60 seconds"),
        ({"access_token": "abc", "expires_in": 0}, "it expires in 0 seconds"),
        ({"access_token": "abc", "expires_in": 10**30}, "a lifetime must be 1 second to a year"),
        ({"access_token": "abc", "token_type": "bearer\r\nX: 1"}, "the token type"),
        ({"token_type": "bearer"}, "the reply holds no access token"),
    ],
    ids=["empty", "blank", "crlf", "negative", "zero", "absurd", "type-crlf", "missing"],
)
async def test_an_unusable_token_is_refused_at_sign_in(
    server: HostileServer, token: dict[str, Any], reason: str
) -> None:
    server.answer(TOKEN_PATH, reply(token))
    async with client_of(server) as client:
        with pytest.raises(ResponseFormatError) as caught:
            await client.login(DEMO_USERNAME, DEMO_PASSWORD)
        message = str(caught.value)
        assert message.startswith("EnKash sent an unusable sign-in token: ")
        assert reason in message
        assert "abc" not in message  # the token is a secret, even a broken one
        assert not client.signed_in
    assert server.requests == [("POST", TOKEN_PATH)]  # no call went out with it
