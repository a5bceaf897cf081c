"""The sandbox's simulated Bharat Connect buyer: ``POST /sandbox/buyer/{invoiceId}`` and the
ticker that acts on its own every ``buyer_every`` seconds. Sandbox-only, not an EnKash API.

Every test that changes data runs on a fresh sandbox; ``BUSY`` is big enough to have several
invoices in each state.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections import defaultdict
from decimal import Decimal
from typing import Any

import httpx
import pytest

from enkash_tui.api import EnkashClient
from enkash_tui.api.models import (
    BharatConnectStatus,
    Invoice,
    InvoiceFilter,
    PaymentConfirmation,
    PaymentType,
    SupplierResponse,
)
from enkash_tui.cli import build_parser
from enkash_tui.sandbox.command import sandbox_settings
from enkash_tui.sandbox.seed import book as seed
from enkash_tui.sandbox.settings import SandboxSettings
from tests.support.wire import RawApi

BUSY = {"invoices": 1500, "customers": 30}
PAYMENT_ID = re.compile(r"^PMT[A-Za-z0-9]{32}$")


class Buyer:
    """The buyer route over plain HTTP, signed in as the demo user."""

    def __init__(self, url: str) -> None:
        self.api = RawApi(url)
        self.token = self.api.token()

    def act(self, invoice_id: str, token: str | None = None, **body: Any) -> httpx.Response:
        return self.api.call(
            "POST",
            f"/sandbox/buyer/{invoice_id}",
            json=body,
            token=self.token if token is None else token,
        )

    def ok(self, invoice_id: str, **body: Any) -> list[dict[str, Any]]:
        reply = self.act(invoice_id, **body)
        assert reply.status_code == 200, reply.text
        envelope = reply.json()
        assert envelope["response_code"] == 0
        payload: list[dict[str, Any]] = envelope["payload"]
        return payload

    def refused(self, invoice_id: str, status: int = 422, **body: Any) -> str:
        reply = self.act(invoice_id, **body)
        assert reply.status_code == status, reply.text
        message: str = reply.json()["errorResponse"]["errorMessage"]
        return message


@pytest.fixture
async def busy(start_sandbox, make_client) -> tuple[EnkashClient, Buyer]:
    sandbox = start_sandbox(**BUSY)
    return await make_client(sandbox.url), Buyer(sandbox.url)


async def _waiting(client: EnkashClient, *statuses: BharatConnectStatus) -> list[Invoice]:
    """Open network invoices in ``statuses`` with no payment pending."""
    page = await client.search_invoices(
        InvoiceFilter(bharat_connect_statuses=list(statuses), bharat_connect_payment_pending=False),
        limit=5000,
        order_by="invoiceId",
    )
    return [i for i in page.items if i.balance_amount]


def _network(dto: dict[str, Any]) -> dict[str, Any]:
    network: dict[str, Any] = dto["bharatConnect"]
    return network


# -- answering a CREATED invoice ------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status", "then_allowed"),
    [
        ("ACCEPT", "ACCEPTED", "REPORT_PAYMENT"),
        ("REJECT", "REJECTED", "none"),
        ("RETURN", "RETURNED", "none"),
    ],
)
async def test_buyer_answers_a_created_invoice(
    busy: tuple[EnkashClient, Buyer], action: str, status: str, then_allowed: str
) -> None:
    client, buyer = busy
    (invoice, *_) = await _waiting(client, BharatConnectStatus.CREATED)
    assert invoice.bharat_connect is not None
    version = invoice.bharat_connect.object_version

    (dto,) = buyer.ok(invoice.invoice_id, action=action, remarks="Checked by stores")

    network = _network(dto)
    assert dto["invoiceId"] == invoice.invoice_id
    assert (network["status"], network["objectVersion"]) == (status, version + 1)
    assert network["history"][-1] == {
        "at": network["history"][-1]["at"],
        "status": status,
        "by": "BUYER",
        "action": status,
        "remarks": "Checked by stores",
        "objectVersion": version + 1,
    }
    assert len(network["history"]) == len(invoice.bharat_connect.history) + 1
    assert await client.get_invoice(invoice.invoice_id) == Invoice.model_validate(dto)

    # Answered: no second answer.
    message = buyer.refused(invoice.invoice_id, action="ACCEPT")
    assert message == (
        f"The buyer cannot ACCEPT invoice {invoice.invoice_id}: it is {status} (only a CREATED "
        f"invoice can be answered); allowed now: {then_allowed}"
    )


async def test_buyer_remarks_default_to_something_plausible(
    busy: tuple[EnkashClient, Buyer],
) -> None:
    client, buyer = busy
    (invoice, *_) = await _waiting(client, BharatConnectStatus.CREATED)
    (dto,) = buyer.ok(invoice.invoice_id, action="RETURN")
    remarks = _network(dto)["history"][-1]["remarks"]
    assert remarks and 1 <= len(remarks) <= 100


async def test_buyer_route_refusals(busy: tuple[EnkashClient, Buyer]) -> None:
    client, buyer = busy
    (created, *_) = await _waiting(client, BharatConnectStatus.CREATED)
    off_network = (
        await client.search_invoices(InvoiceFilter(on_bharat_connect=False), limit=1)
    ).items[0]

    no_token = buyer.act(created.invoice_id, token="nope", action="ACCEPT")
    assert no_token.status_code == 401
    assert buyer.refused("KI00000000000000", 404, action="ACCEPT") == (
        "Invoice KI00000000000000 not found"
    )
    assert buyer.refused(off_network.invoice_id, action="ACCEPT") == (
        f"Invoice {off_network.invoice_id} is not on Bharat Connect"
    )
    assert "action" in buyer.refused(created.invoice_id, 400, action="PAY")
    assert "remarks" in buyer.refused(created.invoice_id, 400, action="ACCEPT", remarks="x" * 101)
    assert "invoiceIds" in buyer.refused(
        created.invoice_id, 400, action="ACCEPT", invoiceIds=[created.invoice_id]
    )
    assert "paymentId" in buyer.refused(
        created.invoice_id, 400, action="REPORT_PAYMENT", paymentId="PMT123"
    )
    assert buyer.refused(created.invoice_id, 400, action="ACCEPT", foo=1) == "Invalid request: foo"

    # Another seller's invoice is not this token's to touch.
    other = buyer.api.token(
        client_id=seed.OTHER_COMPANY_ID,
        client_secret=seed.OTHER_CLIENT_SECRET,
        username=seed.OTHER_USERNAME,
        password=seed.OTHER_PASSWORD,
    )
    theirs = buyer.api.call(
        "POST", "/api/v0/invoice/search", token=other, json={"onBharatConnect": True}
    ).json()["payload"][0]["invoiceId"]
    assert buyer.refused(theirs, 403, action="ACCEPT") == f"Invoice {theirs} is not yours"

    # Nothing changed along the way.
    assert await client.get_invoice(created.invoice_id) == created


async def test_no_return_or_reject_while_a_payment_is_pending(
    busy: tuple[EnkashClient, Buyer],
) -> None:
    client, buyer = busy
    (invoice, *_) = await _waiting(client, BharatConnectStatus.CREATED)
    (dto,) = buyer.ok(invoice.invoice_id, action="REPORT_PAYMENT")
    payment_id = _network(dto)["reportedPayment"]["paymentId"]

    for action in ("RETURN", "REJECT"):
        message = buyer.refused(invoice.invoice_id, action=action)
        assert f"payment {payment_id} is pending on it" in message
        assert message.endswith("allowed now: ACCEPT, REJECT, RETURN")
    (accepted,) = buyer.ok(invoice.invoice_id, action="ACCEPT")  # accepting is fine
    assert _network(accepted)["reportedPayment"]["paymentId"] == payment_id


async def test_buyer_route_is_plain_json_and_free_of_faults(start_sandbox) -> None:
    """A sandbox control: no injected failures, no payload encryption, even when the API has."""
    sandbox = start_sandbox(encrypt=True, failure_rate=1.0, fault_seed=1)
    with sqlite3.connect(sandbox.settings.db_path) as conn:
        (invoice_id,) = conn.execute(
            "SELECT invoice_id FROM bc_invoices b JOIN invoices i USING (invoice_id) "
            "WHERE b.status = 'CREATED' AND b.payment_id IS NULL AND i.seller_id = ? "
            "ORDER BY invoice_id LIMIT 1",
            (seed.DEMO_COMPANY_ID,),
        ).fetchone()
    buyer = Buyer(sandbox.url)
    assert buyer.api.call("POST", "/api/v0/invoice/search", json={}).status_code >= 500

    (dto,) = buyer.ok(invoice_id, action="ACCEPT")

    assert _network(dto)["status"] == "ACCEPTED"


# -- reporting payments ---------------------------------------------------------------------


async def test_buyer_reports_a_payment(busy: tuple[EnkashClient, Buyer]) -> None:
    client, buyer = busy
    (invoice, *_) = await _waiting(client, BharatConnectStatus.ACCEPTED)
    assert invoice.bharat_connect is not None
    version = invoice.bharat_connect.object_version

    (dto,) = buyer.ok(invoice.invoice_id, action="REPORT_PAYMENT")

    network = _network(dto)
    payment = network["reportedPayment"]
    assert PAYMENT_ID.match(payment["paymentId"])
    assert payment["type"] == "OFFPLATFORM"
    assert Decimal(str(payment["amount"])) == invoice.balance_amount
    assert payment["reportedOn"] and payment["remarks"]
    assert (network["status"], network["objectVersion"]) == ("ACCEPTED", version + 1)
    last = network["history"][-1]
    assert (last["by"], last["action"], last["remarks"]) == (
        "BUYER",
        "PAYMENT_REPORTED",
        payment["remarks"],
    )
    pending = await client.search_invoices(
        InvoiceFilter(bharat_connect_payment_pending=True), limit=5000
    )
    assert invoice.invoice_id in {i.invoice_id for i in pending.items}
    assert dto["balanceAmount"] == float(invoice.balance_amount or 0)  # reported, not paid

    message = buyer.refused(invoice.invoice_id, action="REPORT_PAYMENT")
    assert f"payment {payment['paymentId']} is already pending on it" in message
    assert message.endswith("allowed now: none")


async def test_payments_go_on_created_or_accepted_invoices_only(
    busy: tuple[EnkashClient, Buyer],
) -> None:
    client, buyer = busy
    for status in (BharatConnectStatus.RETURNED, BharatConnectStatus.REJECTED):
        (invoice, *_) = await _waiting(client, status)
        message = buyer.refused(invoice.invoice_id, action="REPORT_PAYMENT")
        assert message == (
            f"The buyer cannot REPORT_PAYMENT invoice {invoice.invoice_id}: it is {status} "
            "(payments go on CREATED or ACCEPTED invoices); allowed now: none"
        )
        assert await client.get_invoice(invoice.invoice_id) == invoice


def _one_buyers_pair(invoices: list[Invoice]) -> tuple[Invoice, Invoice]:
    by_customer: dict[str, list[Invoice]] = defaultdict(list)
    for invoice in invoices:
        by_customer[invoice.customer_id or ""].append(invoice)
    pairs = [found for found in by_customer.values() if len(found) >= 2]
    assert pairs, "no customer has two open network invoices without a payment"
    return pairs[0][0], pairs[0][1]


async def test_one_payment_for_two_invoices_then_rejected(
    busy: tuple[EnkashClient, Buyer],
) -> None:
    client, buyer = busy
    waiting = await _waiting(client, BharatConnectStatus.CREATED, BharatConnectStatus.ACCEPTED)
    first, second = _one_buyers_pair(waiting)
    stranger = next(i for i in waiting if i.customer_id != first.customer_id)
    assert first.balance_amount and second.balance_amount
    total = first.balance_amount + second.balance_amount
    payment_id = "PMT" + "a1B2" * 8

    # A payment is one buyer's, and no bigger than what is due.
    message = buyer.refused(
        first.invoice_id, action="REPORT_PAYMENT", invoiceIds=[stranger.invoice_id]
    )
    assert message.startswith("A payment covers invoices of one buyer")
    message = buyer.refused(
        first.invoice_id,
        action="REPORT_PAYMENT",
        invoiceIds=[second.invoice_id],
        amount=float(total + 1),
    )
    assert message.startswith("Amount ₹") and "exceeds the balance due" in message
    message = buyer.refused(
        first.invoice_id,
        action="REPORT_PAYMENT",
        invoiceIds=[second.invoice_id],
        amount=float(first.balance_amount),
    )
    assert f"is used up before invoice {second.invoice_id}" in message

    short = total - Decimal("100")
    reported = buyer.ok(
        first.invoice_id,
        action="REPORT_PAYMENT",
        invoiceIds=[second.invoice_id],
        type="OFFPLATFORM",
        amount=float(short),
        paymentId=payment_id,
        remarks="One NEFT for both",
    )

    assert [dto["invoiceId"] for dto in reported] == [first.invoice_id, second.invoice_id]
    payments = [_network(dto)["reportedPayment"] for dto in reported]
    assert {p["paymentId"] for p in payments} == {payment_id}
    assert [Decimal(str(p["amount"])) for p in payments] == [
        first.balance_amount,
        second.balance_amount - Decimal("100"),
    ]
    assert all(p["type"] == "OFFPLATFORM" and p["remarks"] == "One NEFT for both" for p in payments)
    # The same payment id cannot be reported again elsewhere.
    (third, *_) = [i for i in waiting if i.invoice_id not in (first.invoice_id, second.invoice_id)]
    message = buyer.refused(third.invoice_id, action="REPORT_PAYMENT", paymentId=payment_id)
    assert message == f"Payment {payment_id} is already pending on other invoices"

    # The supplier turns the whole payment down in one request.
    result = await client.confirm_payment(
        PaymentConfirmation(
            invoice_ids=[first.invoice_id, second.invoice_id],
            payment_id=payment_id,
            remarks="Not in our bank statement",
            response=SupplierResponse.REJECT,
            type=PaymentType.OFFPLATFORM,
        )
    )
    assert [o.invoice_id for o in result.success_invoices] == [first.invoice_id, second.invoice_id]
    for before, dto in zip((first, second), reported, strict=True):
        after = await client.get_invoice(before.invoice_id)
        assert after.bharat_connect is not None
        assert after.bharat_connect.reported_payment is None
        assert after.bharat_connect.status == _network(dto)["status"]
        assert after.bharat_connect.object_version == _network(dto)["objectVersion"] + 1
        assert after.balance_amount == before.balance_amount
        last = after.bharat_connect.history[-1]
        assert (last.by, last.action) == ("SUPPLIER", "PAYMENT_REJECTED")


# -- the ticker -----------------------------------------------------------------------------


def _network_state(db_path: Any) -> tuple[int, list[tuple[Any, ...]]]:
    with sqlite3.connect(db_path) as conn:
        (events,) = conn.execute("SELECT count(*) FROM bc_history").fetchone()
        rows = conn.execute(
            "SELECT invoice_id, status, object_version, payment_id FROM bc_invoices ORDER BY 1"
        ).fetchall()
    return events, rows


async def test_the_ticker_acts_as_the_buyer_until_the_server_stops(start_sandbox) -> None:
    sandbox = start_sandbox(buyer_every=0.2)
    start_events, start_rows = _network_state(sandbox.settings.db_path)

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        events, rows = _network_state(sandbox.settings.db_path)
        if events > start_events:
            break
        time.sleep(0.1)
    assert events > start_events, "the simulated buyer did nothing in 5 seconds"
    assert rows != start_rows
    with sqlite3.connect(sandbox.settings.db_path) as conn:
        latest = conn.execute(
            "SELECT by, action FROM bc_history ORDER BY at DESC, seq DESC LIMIT 1"
        ).fetchone()
    assert latest[0] == "BUYER"
    assert latest[1] in ("ACCEPTED", "RETURNED", "REJECTED", "PAYMENT_REPORTED")

    sandbox.stop()
    stopped = _network_state(sandbox.settings.db_path)
    time.sleep(0.8)
    assert _network_state(sandbox.settings.db_path) == stopped


async def test_no_ticker_unless_asked(start_sandbox) -> None:
    assert SandboxSettings().buyer_every == 0
    sandbox = start_sandbox()
    before = _network_state(sandbox.settings.db_path)
    time.sleep(0.5)
    assert _network_state(sandbox.settings.db_path) == before


def test_buyer_every_from_settings_and_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENKASH_SANDBOX_BUYER_EVERY", raising=False)
    assert SandboxSettings.from_env().buyer_every == 0
    with pytest.raises(ValueError, match="buyer_every"):
        SandboxSettings(buyer_every=-1)

    def settings(*argv: str) -> SandboxSettings:
        args = build_parser().parse_args(list(argv))
        return sandbox_settings(args, host="127.0.0.1", port=0)

    # From the command line the buyer acts every 45 s unless told otherwise.
    assert settings("sandbox").buyer_every == 45
    assert settings("--sandbox").buyer_every == 45
    assert settings("sandbox", "--buyer-every", "0").buyer_every == 0
    assert settings("--sandbox", "--buyer-every", "2.5").buyer_every == 2.5
    monkeypatch.setenv("ENKASH_SANDBOX_BUYER_EVERY", "7")
    assert SandboxSettings.from_env().buyer_every == 7
    assert settings("sandbox").buyer_every == 7
    assert settings("sandbox", "--buyer-every", "3").buyer_every == 3
