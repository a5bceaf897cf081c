"""After a lost reply: how an invoice read back says whether the change took effect."""

from __future__ import annotations

from typing import Any

from enkash_tui.api.models import Invoice
from enkash_tui.domain.outcomes import deleted, dispatched, payment_answered


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
