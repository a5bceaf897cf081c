"""A timeline in words (``domain.timeline``): the book's entries and their closings, this app's
changes picked from the action log by profile and target, the Bharat Connect history, all newest
first; and where a subject's follow-up stands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from enkash_tui.api.models import BharatConnectEvent
from enkash_tui.domain.followups import REPLACED, Entry, Subject
from enkash_tui.domain.formatting import inr
from enkash_tui.domain.timeline import (
    action_lines,
    book_lines,
    network_lines,
    standing,
    timeline,
)

TODAY = dt.date(2026, 12, 7)
CUSTOMER = Subject.customer("KC1", "Acme Traders")
INVOICE = Subject.invoice("KI1", "KC1", "INV-1")


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, tzinfo=dt.UTC)


def entry(number: int, kind: Any, subject: Subject = INVOICE, **fields: Any) -> Entry:
    fields.setdefault("at", at(number))
    return Entry(number, kind, subject, by="asha", **fields)


@dataclass(frozen=True)
class Logged:
    """An action log line, as far as a timeline reads it (``local.log_entries.Entry`` is one)."""

    at: dt.datetime
    operation: str
    target_ids: tuple[str, ...]
    outcome: str = "ok"
    user: str = "ravi"
    profile: str = "uat"
    message: str = ""
    body: Any = None
    counts_text: str = ""


def test_book_lines_word_each_entry_and_its_closing() -> None:
    entries = [
        entry(1, "note", text="Called"),
        entry(2, "promise", amount=Decimal("5000"), due=dt.date(2026, 12, 20),
              closed_at=at(4), closed_by="ravi", closing_text=REPLACED),
        entry(3, "dispute", reason="goods", text="short", closed_at=at(5), closed_by="ravi",
              closing_text="credit note"),
        entry(6, "follow_up", due=dt.date(2026, 12, 9), closed_at=at(7), closed_by="asha"),
    ]  # fmt: skip
    words = [(line.at.day, line.who, line.what) for line in book_lines(entries, INVOICE.id)]
    assert words == [
        (1, "asha", "Note: Called"),
        (2, "asha", f"Promise to pay {inr(Decimal(5000))} by 20 Dec 2026"),
        (4, "ravi", f"Promise closed: {REPLACED}"),
        (3, "asha", "Dispute opened: Goods or service not received: short"),
        (5, "ravi", "Dispute resolved: credit note"),
        (6, "asha", "Follow up on 09 Dec 2026"),
        (7, "asha", "Follow-up done"),
    ]


def test_a_customers_timeline_names_the_invoice_a_line_is_about() -> None:
    entries = [entry(1, "note", text="on the invoice"), entry(2, "note", CUSTOMER, text="own")]
    lines = book_lines(entries, CUSTOMER.id)
    assert [(line.about, line.what) for line in lines] == [
        ("INV-1", "Note: on the invoice"),
        ("", "Note: own"),
    ]


def test_action_lines_pick_this_profiles_changes_on_the_subject() -> None:
    actions = [
        Logged(at(1), "dispatch_invoices", ("KI1", "KI2")),
        Logged(at(2), "dispatch_invoices", ("KI1",), profile="live"),  # another profile
        Logged(at(3), "update_invoice", ("KI9",)),  # another invoice
        Logged(at(4), "change_invoice_status", ("KI1",), body={"status": "CANCELLED",
               "remarks": "duplicate"}),
        Logged(at(5), "confirm_payment", ("KI2",), outcome="failed", message="version moved",
               body={"response": "ACCEPT"}),
        Logged(at(6), "dispatch_invoices", ("KI2",), outcome="partial",
               counts_text="1 done, 1 failed"),
    ]  # fmt: skip
    lines = action_lines(actions, {"KI1": "", "KI2": "INV-2"}, "uat")
    assert [(line.at.day, line.about, line.what) for line in lines] == [
        (1, "", "Payment link sent (dispatched)"),
        (4, "", "Network status change to CANCELLED (duplicate)"),
        (5, "INV-2", "Payment confirmation: ACCEPT — failed: version moved"),
        (6, "INV-2", "Payment link sent (dispatched) — partial: 1 done, 1 failed"),
    ]
    assert {line.who for line in lines} == {"ravi"}
    assert {line.source for line in lines} == {"app"}


def test_network_lines_word_each_step_and_skip_those_without_a_time() -> None:
    events = [
        BharatConnectEvent(at=dt.datetime(2026, 12, 1, 9), status="CREATED", by="SUPPLIER",
                           action="CREATED", object_version=1),
        BharatConnectEvent(status="ACCEPTED", by="BUYER", action="ACCEPTED"),  # no time
        BharatConnectEvent(at=dt.datetime(2026, 12, 2, 9), status="ACCEPTED", by="BUYER",
                           action="PAYMENT_REPORTED", remarks="Paid via RTGS", object_version=2),
    ]  # fmt: skip
    lines = network_lines(events)
    assert [(line.who, line.what) for line in lines] == [
        ("Supplier", "Created → CREATED (v1)"),
        ("Buyer", "Payment reported: Paid via RTGS → ACCEPTED (v2)"),
    ]
    assert all(line.at.tzinfo is not None for line in lines)  # naive times read as UTC


def test_the_timeline_is_newest_first_across_sources() -> None:
    book = book_lines([entry(3, "note", text="b")], INVOICE.id)
    app = action_lines([Logged(at(5), "update_invoice", ("KI1",))], {"KI1": ""}, "uat")
    network = network_lines([BharatConnectEvent(at=dt.datetime(2026, 12, 4), status="X")])
    assert [line.source for line in timeline(book, app, network)] == ["app", "network", "book"]


def test_standing_is_the_subjects_own_open_entries() -> None:
    promise = entry(1, "promise", CUSTOMER, amount=Decimal("500"), due=dt.date(2026, 12, 10),
                    baseline=Decimal("1000"))  # fmt: skip
    entries = [
        promise,
        entry(2, "dispute", INVOICE, reason="tax"),  # the invoice's, not the customer's
        entry(3, "dispute", CUSTOMER, reason="paid", closed_at=at(4)),  # resolved
        entry(5, "follow_up", CUSTOMER, due=dt.date(2026, 12, 5)),
    ]
    now = standing(entries, CUSTOMER.id, Decimal("1500"), TODAY)
    assert now.promise == promise and now.promise_state == "kept"
    assert now.dispute is None
    assert now.follow_up is not None and now.follow_up.id == 5
    assert dict(now.lines(TODAY)) == {
        "Promise": f"{inr(Decimal(500))} by 10 Dec 2026 · kept",
        "Dispute": "none",
        "Next follow-up": "05 Dec 2026 · 2 days late",
    }
    unknown = standing(entries, CUSTOMER.id, None, TODAY)
    assert unknown.promise_state is None


def test_standing_shows_the_last_promise_once_paid_and_none_once_withdrawn() -> None:
    due = dt.date(2026, 12, 10)
    paid = entry(1, "promise", INVOICE, amount=Decimal("500"), due=due, baseline=Decimal("0"),
                 closed_at=at(5), paid_seen_on=dt.date(2026, 12, 6),
                 closing_text="kept: paid, seen 2026-12-06")  # fmt: skip
    now = standing([paid], INVOICE.id, Decimal("0"), TODAY)
    assert now.promise == paid and now.promise_state == "kept"
    assert dict(now.lines(TODAY))["Promise"] == (
        f"{inr(Decimal(500))} by 10 Dec 2026 · kept: paid, seen 2026-12-06"
    )
    withdrawn = entry(2, "promise", INVOICE, amount=Decimal("90"), due=due, closed_at=at(6),
                      closing_text="customer in liquidation")  # fmt: skip
    assert standing([paid, withdrawn], INVOICE.id, None, TODAY).promise is None


def test_a_promise_withdrawn_after_its_payment_was_noted_reads_as_withdrawn() -> None:
    """An older build noted the payment's day without closing the promise; withdrawn since."""
    noted = entry(1, "promise", INVOICE, amount=Decimal("90"), due=dt.date(2026, 12, 10),
                  closed_at=at(6), paid_seen_on=dt.date(2026, 12, 5),
                  closing_text="customer in liquidation")  # fmt: skip
    assert standing([noted], INVOICE.id, None, TODAY).promise is None
    assert book_lines([noted], INVOICE.id)[-1].what == "Promise withdrawn: customer in liquidation"
