"""Home's follow-up figures worked out from the book and what EnKash has (``domain.promise_check``):
each promise's state from the received amount, the four tiles' counts and rupees (each invoice's
balance counted once), which subjects are read and which are not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from enkash_tui.api.models import Invoice
from enkash_tui.domain.followups import Entry, EntryKind, Subject
from enkash_tui.domain.home import FOLLOW_UP_TILES
from enkash_tui.domain.promise_check import (
    check_entry,
    figures_of,
    needs_enkash,
    needs_payment_check,
    needs_reading_for_tiles,
    subjects_to_read,
)

TODAY = dt.date(2026, 12, 7)
AT = dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)
_ids = iter(range(1, 10_000))


def invoice(number: int, customer: str = "KC1", received: str = "0", balance: str = "0") -> Invoice:
    return Invoice(
        invoice_id=f"KI{number}", customer_id=customer, customer_legal_name=f"Name of {customer}",
        total_received=Decimal(received), balance_amount=Decimal(balance),
    )  # fmt: skip


def on(number: int, customer: str = "KC1") -> Subject:
    return Subject.invoice(f"KI{number}", customer, f"INV-{number}")


def entry(kind: EntryKind, subject: Subject, **fields: object) -> Entry:
    return Entry(next(_ids), kind, subject, AT, "asha", **fields)  # type: ignore[arg-type]


def promise(
    subject: Subject, due: dt.date, amount: str, baseline: str = "0", seen: dt.date | None = None
) -> Entry:
    return entry("promise", subject, due=due, amount=Decimal(amount), baseline=Decimal(baseline),
                 paid_seen_on=seen)  # fmt: skip


def test_a_promise_is_kept_when_the_received_amount_grew_by_it_and_seen_paid_now() -> None:
    made = promise(on(1), TODAY + dt.timedelta(days=2), "5000", baseline="1000")
    paid = check_entry(made, [invoice(1, received="6000")], TODAY)
    assert (paid.state, paid.seen_paid_now, paid.received) == ("kept", True, Decimal(6000))
    short = check_entry(made, [invoice(1, received="5999.99")], TODAY)
    assert (short.state, short.seen_paid_now) == ("pending", False)


def test_a_customer_promise_counts_what_every_invoice_of_the_customer_received() -> None:
    made = promise(Subject.customer("KC1", "Asha Traders"), TODAY, "3000", baseline="500")
    both = [invoice(1, received="1500"), invoice(2, received="2000")]
    checked = check_entry(made, both, TODAY)
    assert (checked.received, checked.state, checked.seen_paid_now) == (Decimal(3500), "kept", True)
    assert checked.name == "Name of KC1"


def test_a_promise_not_read_goes_by_the_book_and_one_gone_from_enkash_by_its_date() -> None:
    yesterday, tomorrow = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)
    # Not read: a payment seen by the date is kept, after it broken; none seen, by the date.
    assert (
        check_entry(promise(on(1), yesterday, "10", seen=yesterday), [], TODAY, read=False).state
        == "kept"
    )
    assert (
        check_entry(promise(on(1), yesterday, "10", seen=TODAY), [], TODAY, read=False).state
        == "broken"
    )
    assert check_entry(promise(on(1), yesterday, "10"), [], TODAY, read=False).state == "broken"
    assert check_entry(promise(on(1), tomorrow, "10"), [], TODAY, read=False).state == "pending"
    # Read, but EnKash no longer has the invoice: no payment can be seen on it.
    gone = check_entry(promise(on(1), yesterday, "10"), [], TODAY)
    assert (gone.state, gone.found, gone.seen_paid_now) == ("broken", False, False)
    assert not check_entry(entry("dispute", on(1), reason="tax"), [], TODAY).found
    assert check_entry(entry("dispute", on(1), reason="tax"), [], TODAY, read=False).found


def test_the_four_tiles_count_and_total_as_their_words_say() -> None:
    yesterday, tomorrow = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)
    invoices = {
        n: invoice(n, "KC1" if n < 3 else "KC2", balance=str(n * 1000)) for n in range(1, 6)
    }
    entries = [
        (promise(on(1), TODAY, "700"), [invoices[1]]),  # due today, unpaid
        (promise(on(2), TODAY, "300"), [invoices[2]]),  # due today, unpaid
        (promise(on(3), yesterday, "450"), [invoices[3]]),  # broken
        (promise(on(4), tomorrow, "999"), [invoices[4]]),  # to come: on no tile
        (entry("follow_up", on(1), due=TODAY), [invoices[1]]),
        (entry("follow_up", on(5, "KC2"), due=yesterday), [invoices[5]]),
        (entry("follow_up", on(4, "KC2"), due=tomorrow), [invoices[4]]),  # not due yet
        (entry("dispute", on(1), reason="tax"), [invoices[1]]),
        # A dispute on the customer and one on its invoice: that invoice is counted once.
        (entry("dispute", Subject.customer("KC2"), reason="goods"), [invoices[3], invoices[4],
                                                                      invoices[5]]),
        (entry("dispute", on(5, "KC2"), reason="amount"), [invoices[5]]),
    ]  # fmt: skip
    checked = [check_entry(e, found, TODAY) for e, found in entries]
    figures = figures_of(checked, TODAY)
    assert list(figures) == [tile.key for tile in FOLLOW_UP_TILES]
    counts = {key: (f.count, f.total) for key, f in figures.items()}
    assert counts == {
        "promises-today": (2, Decimal(1000)),
        "promises-broken": (1, Decimal(450)),
        "follow-ups-due": (2, Decimal(1000 + 5000)),
        "disputes-open": (3, Decimal(1000 + 3000 + 4000 + 5000)),
    }
    assert figures["promises-today"].label == "Promises today"
    # Sums the server gave replace those of the invoices read.
    given = figures_of(checked, TODAY, {"follow-ups-due": Decimal(7), "disputes-open": Decimal(9)})
    assert (given["follow-ups-due"].total, given["disputes-open"].total) == (7, 9)


def test_which_entries_are_read_for_the_tiles_the_payment_check_and_a_list() -> None:
    today_unseen = promise(on(1), TODAY, "1")
    today_seen = promise(on(2), TODAY, "1", seen=TODAY)
    past = promise(on(3), TODAY - dt.timedelta(days=3), "1")
    later = promise(on(4), TODAY + dt.timedelta(days=3), "1")
    follow_due = entry("follow_up", on(5), due=TODAY)
    follow_later = entry("follow_up", on(6), due=TODAY + dt.timedelta(days=1))
    dispute = entry("dispute", on(7), reason="tax")
    every = [today_unseen, today_seen, past, later, follow_due, follow_later, dispute]
    assert [e for e in every if needs_reading_for_tiles(e, TODAY)] == [today_unseen]
    assert [e for e in every if needs_payment_check(e, TODAY)] == [today_unseen, past, later]
    assert [e for e in every if needs_enkash(e, TODAY)] == [
        today_unseen, today_seen, past, later, follow_due, dispute,
    ]  # fmt: skip


def test_an_invoice_whose_customer_is_read_whole_is_not_asked_for_again() -> None:
    entries = [
        entry("dispute", on(1, "KC1")),
        entry("dispute", on(2, "KC2")),
        entry("follow_up", Subject.customer("KC1"), due=TODAY),
        entry("dispute", on(2, "KC2")),
    ]
    assert subjects_to_read(entries) == (["KI2"], ["KC1"])


def test_a_promise_paid_late_or_seen_paid_before_is_to_close_not_to_chase() -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    late = check_entry(promise(on(1), yesterday, "10"), [invoice(1, received="10")], TODAY)
    assert (late.state, late.seen_paid_now) == ("broken", True)
    # Recorded paid on a day before (by an older version, or imported): closed from the book.
    recorded = check_entry(promise(on(2), TODAY, "10", seen=yesterday), [], TODAY, read=False)
    assert (recorded.state, recorded.seen_paid_now) == ("kept", True)
    unpaid = check_entry(promise(on(3), yesterday, "10"), [invoice(3, received="9.99")], TODAY)
    figures = figures_of([late, recorded, unpaid], TODAY)
    assert [c.entry.id for c in figures["promises-broken"].entries] == [unpaid.entry.id]
    assert figures["promises-today"].count == 0
