"""Injected faults: failures, rate limiting and latency, against the client's retry rules.

Retries use a recording fake ``sleep``, so no test waits out a backoff; the wire log shows
how many attempts really reached the sandbox.
"""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from enkash_tui.api import ApiError, ErrorType, NetworkError, RetryPolicy
from enkash_tui.api.models import InvoiceUpdate
from tests.support.records import Records

SEARCH = "/api/v0/invoice/search"


async def test_idempotent_call_is_retried_then_fails(
    start_sandbox, make_client, wire, recording_sleep
) -> None:
    sandbox = start_sandbox(failure_rate=1.0, fault_seed=3, invoices=10, customers=3)
    client = await make_client(sandbox.url, transport=wire, sleep=recording_sleep)

    with pytest.raises(ApiError) as failed:
        await client.search_invoices(limit=5)

    assert failed.value.status_code in (500, 503)
    assert failed.value.error_type == ErrorType.SYSTEM_ERROR
    assert failed.value.request_id
    attempts = [status for path, status in wire.summary() if path == SEARCH]
    assert len(attempts) == 3  # RetryPolicy() default: three tries
    assert all(status in (500, 503) for status in attempts)
    assert len(recording_sleep.delays) == 2  # a wait between tries, none after the last
    assert recording_sleep.delays == sorted(recording_sleep.delays)  # backing off
    assert all(delay > 0 for delay in recording_sleep.delays)


async def test_retry_attempts_follow_the_policy(
    start_sandbox, make_client, wire, recording_sleep
) -> None:
    sandbox = start_sandbox(failure_rate=1.0, invoices=10, customers=3)
    client = await make_client(
        sandbox.url, transport=wire, sleep=recording_sleep, retry=RetryPolicy(attempts=5)
    )
    with pytest.raises(ApiError):
        await client.get_invoice("KI00000000000000")
    assert len(wire.api) == 5
    assert len(recording_sleep.delays) == 4


async def test_single_attempt_shows_the_raw_failure(
    start_sandbox, make_client, wire, recording_sleep
) -> None:
    sandbox = start_sandbox(failure_rate=1.0, invoices=10, customers=3)
    client = await make_client(
        sandbox.url, transport=wire, sleep=recording_sleep, retry=RetryPolicy(attempts=1)
    )

    with pytest.raises(ApiError) as failed:
        await client.search_customers()

    assert failed.value.status_code in (500, 503)
    assert len(wire.api) == 1
    assert recording_sleep.delays == []


async def test_transient_failures_are_retried_to_success(
    start_sandbox, make_client, wire, recording_sleep
) -> None:
    # With this seed the first two calls fail (500, 503) and the third succeeds.
    sandbox = start_sandbox(failure_rate=0.5, fault_seed=1, invoices=10, customers=3)
    client = await make_client(sandbox.url, transport=wire, sleep=recording_sleep)

    page = await client.search_invoices(limit=4)

    assert len(page.items) == 4
    statuses = [status for path, status in wire.summary() if path == SEARCH]
    assert statuses[-1] == 200
    assert len(statuses) > 1 and all(s in (500, 503) for s in statuses[:-1])
    assert len(recording_sleep.delays) == len(statuses) - 1


async def test_creates_are_not_retried(start_sandbox, make_client, wire, recording_sleep):
    sandbox = start_sandbox(failure_rate=1.0, invoices=10, customers=3)
    client = await make_client(sandbox.url, transport=wire, sleep=recording_sleep)
    # Every call fails before it reaches a handler, so the ids need not exist.
    customer_id, invoice_id = "KC00000000000000", "KI00000000000000"

    for change in (
        lambda: client.create_customer(Records.customer()),
        lambda: client.create_invoice(Records.invoice(customer_id)),
        lambda: client.update_invoice(invoice_id, InvoiceUpdate(total_received=Decimal("1"))),
        lambda: client.dispatch_invoices([invoice_id]),
    ):
        sent = len(wire.api)
        with pytest.raises(ApiError) as failed:
            await change()
        assert failed.value.status_code in (500, 503)
        assert len(wire.api) == sent + 1  # exactly one attempt

    assert recording_sleep.delays == []


async def test_rate_limit_surfaces_retry_after(start_sandbox, make_client, wire, recording_sleep):
    sandbox = start_sandbox(rate_limit=2, invoices=10, customers=3)
    client = await make_client(sandbox.url, transport=wire, sleep=recording_sleep)

    await client.search_invoices(limit=1)
    await client.search_invoices(limit=1)
    with pytest.raises(ApiError) as limited:
        await client.search_invoices(limit=1)  # third call within a second, retries too

    error = limited.value
    assert error.status_code == 429
    assert error.retry_after is not None and 0 < error.retry_after <= 1.0
    assert error.request_id
    searches = [e for e in wire.api if e.path == SEARCH]
    assert [e.status for e in searches] == [200, 200, 429, 429, 429]
    # The client waited as long as the server asked (Retry-After), not its own backoff.
    asked = [float(e.response_headers["retry-after"]) for e in searches[2:]]
    assert recording_sleep.delays == asked[:2]
    assert error.retry_after == asked[2]


async def test_rate_limit_without_retries(start_sandbox, make_client, wire) -> None:
    sandbox = start_sandbox(rate_limit=2, invoices=10, customers=3)
    client = await make_client(sandbox.url, transport=wire, retry=RetryPolicy(attempts=1))

    await client.search_customers(limit=1)
    await client.search_customers(limit=1)
    with pytest.raises(ApiError) as limited:
        await client.search_customers(limit=1)

    assert limited.value.status_code == 429
    assert limited.value.retry_after is not None and limited.value.retry_after > 0
    assert [e.status for e in wire.api] == [200, 200, 429]


async def test_rate_limit_is_waited_out(start_sandbox, make_client) -> None:
    """With the real sleep, the client waits the Retry-After and then gets through."""
    sandbox = start_sandbox(rate_limit=2, invoices=10, customers=3)
    client = await make_client(sandbox.url)

    # The third call is over the limit; the client's own backoff (0.25 s, then 0.5 s) would
    # not get it past the one-second window, the Retry-After it is given does.
    for _ in range(3):
        assert (await client.search_invoices(limit=1)).items


async def test_latency(start_sandbox, make_client) -> None:
    sandbox = start_sandbox(latency_ms=150, invoices=10, customers=3)
    client = await make_client(sandbox.url)

    started = time.perf_counter()
    await client.search_invoices(limit=1)
    elapsed = time.perf_counter() - started

    assert elapsed >= 0.15


async def test_server_down(start_sandbox, make_client, wire, recording_sleep) -> None:
    sandbox = start_sandbox(invoices=10, customers=3)
    client = await make_client(sandbox.url, transport=wire, sleep=recording_sleep)
    sandbox.stop()
    signed_in = len(wire.log)

    with pytest.raises(NetworkError) as down:
        await client.search_invoices()
    assert down.value.may_have_reached_server is False  # refused: nothing was sent
    assert len(recording_sleep.delays) == 2  # connection refused is safe to retry

    with pytest.raises(NetworkError) as create:
        await client.create_invoice(Records.invoice("KC00000000000000"))
    assert create.value.may_have_reached_server is False
    assert len(recording_sleep.delays) == 2  # a create is not retried
    assert len(wire.log) == signed_in  # no request ever completed


async def test_timeout_may_have_reached_the_server(start_sandbox, make_client) -> None:
    sandbox = start_sandbox(latency_ms=400, invoices=10, customers=3)
    client = await make_client(sandbox.url, timeout=0.1)

    with pytest.raises(NetworkError) as slow_read:
        await client.get_invoice("KI00000000000000")
    assert slow_read.value.may_have_reached_server is True

    with pytest.raises(NetworkError) as slow_create:
        await client.create_invoice(Records.invoice("KC00000000000000"))
    assert slow_create.value.may_have_reached_server is True
    assert "may or may not" in slow_create.value.message
