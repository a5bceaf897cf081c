"""What the follow-up book's entries mean (``domain.followups``): typed values checked in words,
and what a promise came to, worked out from what EnKash has received."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from enkash_tui.domain.followups import (
    Entry,
    EntryProblem,
    Subject,
    clean_text,
    current,
    follow_up_due,
    promise_state,
    typed_day,
    typed_rupees,
)

TODAY = dt.date(2026, 12, 7)
INVOICE = Subject.invoice("KI1", "KC1", "INV-1")
AT = dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)


def promise(due: dt.date, amount: str, baseline: str = "0", seen: dt.date | None = None) -> Entry:
    return Entry(
        1, "promise", INVOICE, AT, "asha", amount=Decimal(amount), due=due,
        baseline=Decimal(baseline), paid_seen_on=seen,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("received", "today", "seen", "state"),
    [
        ("1000", TODAY, None, "pending"),  # nothing yet, date to come
        ("6000", TODAY, None, "kept"),  # grew by 5,000 today
        ("5999.99", dt.date(2026, 12, 10), None, "pending"),  # a paisa short, on the day
        ("5999.99", dt.date(2026, 12, 11), None, "broken"),  # the day has passed
        ("6000", dt.date(2026, 12, 11), None, "broken"),  # first seen late
        ("6000", dt.date(2026, 12, 11), dt.date(2026, 12, 10), "kept"),  # seen on the day
        ("9000", dt.date(2027, 1, 5), dt.date(2026, 12, 8), "kept"),  # stays kept
    ],
)
def test_a_promise_is_kept_by_the_payment_by_its_date_and_broken_after_it(
    received: str, today: dt.date, seen: dt.date | None, state: str
) -> None:
    made = promise(dt.date(2026, 12, 10), "5000", baseline="1000", seen=seen)
    assert promise_state(made, Decimal(received), today) == state


def test_typed_values_are_checked_in_words() -> None:
    assert typed_rupees("₹1,50,000.50") == Decimal("150000.50")
    for bad, words in (("abc", "a rupee amount"), ("0", "above zero"), ("1.005", "two decimal")):
        with pytest.raises(EntryProblem, match=words):
            typed_rupees(bad)
    latest = dt.timedelta(days=366)
    assert typed_day("2026-12-31", "due", TODAY, latest=latest) == dt.date(2026, 12, 31)
    for bad, words in (("31/12/2026", "yyyy-mm-dd"), ("2026-12-06", "in the past"),
                       ("2028-01-01", "366 days ahead")):  # fmt: skip
        with pytest.raises(EntryProblem, match=words) as problem:
            typed_day(bad, "due", TODAY, latest=latest)
        assert problem.value.field == "due"
    assert clean_text("  two\nlines\x1b[2J ") == "two lines [2J"
    with pytest.raises(EntryProblem, match="required"):
        clean_text("   ", required=True)
    with pytest.raises(EntryProblem, match="1,000 characters"):
        clean_text("x" * 1001)


def test_the_current_entry_and_a_follow_up_that_is_due() -> None:
    older = Entry(1, "follow_up", INVOICE, AT, "asha", due=dt.date(2026, 12, 5))
    newer = Entry(2, "follow_up", INVOICE, AT + dt.timedelta(hours=1), "ravi", due=TODAY)
    done = Entry(3, "follow_up", INVOICE, AT + dt.timedelta(hours=2), "ravi", due=TODAY,
                 closed_at=AT + dt.timedelta(hours=3))  # fmt: skip
    assert current([older, newer, done], "follow_up") == newer
    assert follow_up_due(newer, TODAY) and not follow_up_due(done, TODAY)
    assert not follow_up_due(
        Entry(4, "follow_up", INVOICE, AT, "a", due=TODAY), TODAY - dt.timedelta(days=1)
    )
