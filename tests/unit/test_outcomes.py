"""After a lost reply: a change is never sent again (``send_or_recheck``), and how an invoice
read back says whether the change took effect."""

from __future__ import annotations

from typing import Any

import pytest

from enkash_tui.api import ApiError, NetworkError
from enkash_tui.api.models import Invoice
from enkash_tui.domain.outcomes import (
    RecheckFailed,
    Sent,
    deleted,
    dispatched,
    payment_answered,
    send_or_recheck,
)


def invoice(**fields: Any) -> Invoice:
    return Invoice.model_validate({"invoiceId": "KI1", **fields})


def test_dispatched_means_dispatched_now_and_anew() -> None:
    never = invoice(dispatched=False)
    assert dispatched(never, invoice(dispatched=True, dispatchedOn="2026-11-25T10:00:00Z"))
    assert not dispatched(never, invoice(dispatched=False))
    assert not dispatched(never, None)
    before = invoice(dispatched=True, dispatchedOn="2026-11-20T10:00:00Z")
    assert not dispatched(before, invoice(dispatched=True, dispatchedOn="2026-11-20T10:00:00Z"))
    assert dispatched(before, invoice(dispatched=True, dispatchedOn="2026-11-25T10:00:00Z"))


def test_deleted_means_no_longer_listed() -> None:
    assert deleted(invoice(), None)
    assert not deleted(invoice(), invoice())


def test_a_payment_is_answered_once_it_no_longer_waits() -> None:
    waiting = {"status": "ACCEPTED", "reportedPayment": {"paymentId": "PMT1", "type": "ONPLATFORM"}}
    before = invoice(bharatConnect=waiting)
    assert not payment_answered(before, invoice(bharatConnect=waiting))
    assert payment_answered(before, invoice(bharatConnect={"status": "PAID"}))
    assert not payment_answered(before, invoice())  # no longer on the network: cannot tell
    assert not payment_answered(before, None)


class Calls:
    """A change that fails as told, and a recheck that answers (or fails) as told; both count."""

    def __init__(self, send_fails: Exception | None, recheck_fails: Exception | None = None):
        self.send_fails, self.recheck_fails = send_fails, recheck_fails
        self.sent = self.rechecked = 0
        self.said: list[str] = []

    async def send(self) -> str:
        self.sent += 1
        if self.send_fails is not None:
            raise self.send_fails
        return "reply"

    async def recheck(self) -> str:
        self.rechecked += 1
        if self.recheck_fails is not None:
            raise self.recheck_fails
        return "as EnKash has it now"

    def lost(self) -> None:
        self.said.append("lost")


async def run(calls: Calls) -> Sent[str]:
    return await send_or_recheck(calls.send, calls.recheck, on_lost=calls.lost)


async def test_a_change_that_answers_is_sent_once_and_not_rechecked() -> None:
    calls = Calls(send_fails=None)
    assert await run(calls) == Sent("reply", rechecked=False)
    assert (calls.sent, calls.rechecked, calls.said) == (1, 0, [])


async def test_a_lost_reply_is_rechecked_never_sent_again() -> None:
    calls = Calls(NetworkError("connection reset", may_have_reached_server=True))
    assert await run(calls) == Sent("as EnKash has it now", rechecked=True)
    assert (calls.sent, calls.rechecked, calls.said) == (1, 1, ["lost"])


async def test_a_change_that_never_left_raises_as_it_is() -> None:
    never = NetworkError("connection refused", may_have_reached_server=False)
    calls = Calls(never)
    with pytest.raises(NetworkError) as raised:
        await run(calls)
    assert raised.value is never
    assert (calls.sent, calls.rechecked) == (1, 0)


async def test_a_refusal_raises_as_it_is() -> None:
    refused = ApiError("Invoice already dispatched", status_code=400)
    calls = Calls(refused)
    with pytest.raises(ApiError):
        await run(calls)
    assert (calls.sent, calls.rechecked) == (1, 0)


async def test_a_lost_reply_whose_recheck_fails_is_unknown() -> None:
    lost = NetworkError("connection reset", may_have_reached_server=True)
    second = NetworkError("connection refused", may_have_reached_server=False)
    calls = Calls(lost, recheck_fails=second)
    with pytest.raises(RecheckFailed) as raised:
        await run(calls)
    assert (raised.value.lost, raised.value.second) == (lost, second)
    assert "Outcome unknown" in str(raised.value)
    assert (calls.sent, calls.rechecked) == (1, 1)
